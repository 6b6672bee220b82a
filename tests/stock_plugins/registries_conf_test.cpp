// The registries.conf buildah gets: the user's, Docker's short-name habit, insecureRegistries.
#include "docker/registries_conf.hpp"

#include <catch2/catch.hpp>

using steiger::docker::registries_conf;

TEST_CASE("short names mean Docker Hub unless the user's file says otherwise") {
  CHECK_THAT(registries_conf("", {}),
             Catch::Contains("unqualified-search-registries = [\"docker.io\"]"));
  std::string own = "unqualified-search-registries = [\"quay.io\"]\n";
  CHECK(registries_conf(own, {}) == own);
  // A commented-out line sets nothing.
  CHECK_THAT(registries_conf("# unqualified-search-registries = [\"x\"]\n", {}),
             Catch::Contains("= [\"docker.io\"]"));
}

TEST_CASE("each insecure registry gets a [[registry]] table once") {
  std::string text = registries_conf("", {"127.0.0.1:5000", "registry.local"});
  CHECK_THAT(text,
             Catch::Contains("[[registry]]\nlocation = \"127.0.0.1:5000\"\ninsecure = true\n"));
  CHECK_THAT(text, Catch::Contains("location = \"registry.local\"\ninsecure = true"));
  std::string mentioned = "[[registry]]\nlocation = \"127.0.0.1:5000\"\ninsecure = false\n";
  CHECK_THAT(registries_conf(mentioned, {"127.0.0.1:5000"}), !Catch::Contains("insecure = true"));
}

TEST_CASE("the user's tables stay after the added top-level key") {
  std::string base = "[[registry]]\nlocation = \"a.example\"\n";
  std::string text = registries_conf(base, {});
  CHECK(text.find("unqualified-search-registries") < text.find("[[registry]]"));
  CHECK_THAT(text, Catch::EndsWith(base));
}

TEST_CASE("a v1 file cannot take v2 tables and is left alone") {
  std::string v1 = "[registries.insecure]\nregistries = []\n";
  CHECK(registries_conf(v1, {"127.0.0.1:5000"}) == v1);
}
