#include <catch2/catch.hpp>

#include "config/did_you_mean.hpp"

using namespace steiger::config;

namespace {

const std::vector<std::string> kDocker = {"context", "dockerfile", "target", "buildArgs", "hosts"};
const std::vector<std::string> kKeys = {"importPath", "packages", "flake",    "platformStrategy",
                                        "extraArgs",  "targets",  "platforms"};

}  // namespace

TEST_CASE("edit distance ignores case and counts swaps as one", "[did_you_mean]") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("abc", "") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("buildargs", "buildArgs") == 0);
  CHECK(edit_distance("contxet", "context") == 1);
  CHECK(edit_distance("ab", "ba") == 1);
}

TEST_CASE("closest_name suggests likely typos", "[did_you_mean]") {
  CHECK(closest_name("dockerfil", kDocker) == "dockerfile");
  CHECK(closest_name("buildargs", kDocker) == "buildArgs");
  CHECK(closest_name("Dockerfile", kDocker) == "dockerfile");
  CHECK(closest_name("contxet", kDocker) == "context");
  CHECK(closest_name("taget", kDocker) == "target");
  CHECK(closest_name("host", kDocker) == "hosts");
  CHECK(closest_name("imagePath", kKeys) == "importPath");
  CHECK(closest_name("platform", kKeys) == "platforms");
  CHECK(closest_name("crosssystem", {"native", "crossSystem"}) == "crossSystem");
  CHECK(closest_name("biuld", {"build", "deploy", "profiles"}) == "build");
}

TEST_CASE("closest_name stays quiet for unrelated names", "[did_you_mean]") {
  CHECK_FALSE(closest_name("zzz", kDocker));
  CHECK_FALSE(closest_name("namespace", kDocker));
  CHECK_FALSE(closest_name("image", kDocker));
  CHECK_FALSE(closest_name("x", {"y"}).has_value());
  CHECK_FALSE(closest_name("tag", {"type"}));
  CHECK_FALSE(closest_name("values", {"path", "namespace", "timeout"}));
  CHECK_FALSE(closest_name("anything", {}));
}

TEST_CASE("closest_name prefers the nearest, then the first", "[did_you_mean]") {
  CHECK(closest_name("targes", {"targets", "target"}) == "targets");
  CHECK(closest_name("cat", {"bat", "hat"}) == "bat");
}
