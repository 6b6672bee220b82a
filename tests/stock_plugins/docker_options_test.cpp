// Reading docker blocks: defaults, paths, and the rules the schema cannot express.
#include "docker/options.hpp"
#include "values.hpp"

#include <catch2/catch.hpp>
#include <steiger/sdk/context.hpp>

using namespace stock_plugins_test;
using steiger::docker::Driver;
using steiger::docker::read_docker_options;

TEST_CASE(
    "an empty docker block builds ./Dockerfile in the project folder with buildx or buildah") {
  auto o = read_docker_options(obj({}), resolve_in_repo);
  CHECK(o.context == "/repo");
  CHECK(o.dockerfile == "/repo/Dockerfile");
  CHECK(o.driver == Driver::Auto);
  CHECK(o.builder.empty());
  CHECK(o.target.empty());
  CHECK_FALSE(o.no_cache);
  CHECK_FALSE(o.pull);
}

TEST_CASE("dockerfile is relative to the context, as docker does it; absolute paths stay") {
  auto o = read_docker_options(
      obj({{"context", str("services/api")}, {"dockerfile", str("docker/Dockerfile.prod")}}),
      resolve_in_repo);
  CHECK(o.context == "/repo/services/api");
  CHECK(o.dockerfile == "/repo/services/api/docker/Dockerfile.prod");
  auto absolute =
      read_docker_options(obj({{"dockerfile", str("/elsewhere/Dockerfile")}}), resolve_in_repo);
  CHECK(absolute.dockerfile == "/elsewhere/Dockerfile");
}

TEST_CASE("build args and labels keep the file's order and pass numbers and booleans as written") {
  auto o = read_docker_options(
      obj({{"buildArgs", obj({{"VERSION", num(3)}, {"DEBUG", boolean(false)}, {"NAME", str("x")}})},
           {"labels", obj({{"team", str("payments")}, {"tier", num(1)}})}}),
      resolve_in_repo);
  REQUIRE(o.build_args.size() == 3);
  CHECK(o.build_args[0] == std::pair<std::string, std::string>{"VERSION", "3"});
  CHECK(o.build_args[1] == std::pair<std::string, std::string>{"DEBUG", "false"});
  CHECK(o.build_args[2] == std::pair<std::string, std::string>{"NAME", "x"});
  CHECK(o.labels[1].second == "1");
}

TEST_CASE("secret files resolve against the project; env secrets name a variable") {
  auto o = read_docker_options(
      obj({{"secrets", arr({obj({{"id", str("npm")}, {"src", str(".npmrc")}}),
                            obj({{"id", str("token")}, {"env", str("API_TOKEN")}})})}}),
      resolve_in_repo);
  REQUIRE(o.secrets.size() == 2);
  CHECK(o.secrets[0].src == "/repo/.npmrc");
  CHECK(o.secrets[0].env.empty());
  CHECK(o.secrets[1].env == "API_TOKEN");
  CHECK(o.secrets[1].src.empty());
}

TEST_CASE("a secret needs exactly one of src and env") {
  auto both =
      obj({{"secrets", arr({obj({{"id", str("x")}, {"src", str("f")}, {"env", str("V")}})})}});
  auto neither = obj({{"secrets", arr({obj({{"id", str("x")}})})}});
  CHECK_THROWS_WITH(steiger::docker::check_docker_options(both),
                    Catch::Contains("secret 'x' needs exactly one of src"));
  CHECK_THROWS_AS(read_docker_options(neither, resolve_in_repo), steiger::sdk::Error);
}

TEST_CASE("a named buildx builder and driver: buildah contradict each other") {
  auto block = obj({{"builder", str("remote")}, {"driver", str("buildah")}});
  CHECK_THROWS_WITH(steiger::docker::check_docker_options(block),
                    Catch::Contains("builder names a buildx builder, but driver is buildah"));
  // An empty builder (`builder: ${builder:}` with no profile value) means the default.
  CHECK_NOTHROW(steiger::docker::check_docker_options(
      obj({{"builder", str("")}, {"driver", str("buildah")}})));
}

TEST_CASE("the driver key selects buildx or buildah") {
  CHECK(read_docker_options(obj({{"driver", str("buildx")}}), resolve_in_repo).driver ==
        Driver::Buildx);
  CHECK(read_docker_options(obj({{"driver", str("buildah")}}), resolve_in_repo).driver ==
        Driver::Buildah);
  CHECK(read_docker_options(obj({{"driver", str("auto")}}), resolve_in_repo).driver ==
        Driver::Auto);
}
