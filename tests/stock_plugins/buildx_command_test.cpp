// The exact `docker buildx build` command lines: the Rust Steiger's, plus the newer keys.
#include "docker/buildx.hpp"
#include "docker/docker_flags.hpp"
#include "docker/options.hpp"
#include "fake_host.hpp"
#include "values.hpp"

#include <catch2/catch.hpp>

using namespace stock_plugins_test;
namespace buildx = steiger::buildx;
using steiger::docker::buildx_flags;
using steiger::docker::read_docker_options;

namespace {

std::string command_for(const Value& block, std::vector<std::string> platforms = {"linux/amd64"}) {
  auto o = read_docker_options(block, resolve_in_repo);
  buildx::BuildCommand c{buildx_flags(o), "steiger",    std::move(platforms),
                         "/work/layout",  o.dockerfile, o.context};
  return join(buildx::build_argv(c));
}

}  // namespace

TEST_CASE("the Rust Steiger's keys give its command line exactly") {
  auto block = obj({{"context", str("api")},
                    {"target", str("runtime")},
                    {"buildArgs", obj({{"A", str("1")}, {"B", num(2)}})},
                    {"hosts", obj({{"db.local", str("10.0.0.5")}})}});
  CHECK(command_for(block) ==
        "docker buildx build --target runtime --build-arg A=1 --build-arg B=2 --add-host "
        "db.local:10.0.0.5 --builder steiger --platform linux/amd64 --output "
        "type=oci,dest=/work/layout,tar=false --file /repo/api/Dockerfile /repo/api");
}

TEST_CASE("several platforms are one call: one comma-separated --platform") {
  CHECK_THAT(command_for(obj({}), {"linux/amd64", "linux/arm64"}),
             Catch::Contains("--platform linux/amd64,linux/arm64 --output"));
}

TEST_CASE("the newer keys come before --builder, in a fixed order") {
  auto block = obj({{"secrets", arr({obj({{"id", str("npm")}, {"src", str(".npmrc")}}),
                                     obj({{"id", str("tok")}, {"env", str("TOKEN")}})})},
                    {"ssh", arr({str("default")})},
                    {"cacheFrom", arr({str("type=registry,ref=r.example/api:cache")})},
                    {"cacheTo", arr({str("type=inline")})},
                    {"labels", obj({{"team", str("a")}})},
                    {"network", str("none")},
                    {"noCache", boolean(true)},
                    {"pull", boolean(true)}});
  CHECK(command_for(block) ==
        "docker buildx build --secret id=npm,src=/repo/.npmrc --secret id=tok,env=TOKEN --ssh "
        "default --cache-from type=registry,ref=r.example/api:cache --cache-to type=inline "
        "--label team=a --network none --no-cache --pull --builder steiger --platform linux/amd64 "
        "--output type=oci,dest=/work/layout,tar=false --file /repo/Dockerfile /repo");
}

TEST_CASE("an existing builder is used as it is") {
  FakeHost host([](const std::vector<std::string>&) { return Reply{0, "Name: unit-a\n", ""}; });
  buildx::ensure_builder(host.context(), "unit-a");
  CHECK(host.commands == std::vector<std::string>{"docker buildx inspect unit-a"});
  // The answer is kept for the other services of the run.
  buildx::ensure_builder(host.context(), "unit-a");
  CHECK(host.commands.size() == 1);
}

TEST_CASE("a missing builder is created with the docker-container driver") {
  FakeHost host([](const std::vector<std::string>& argv) {
    if (argv[2] == "inspect") return Reply{1, "", "ERROR: no builder \"unit-b\" found\n"};
    return Reply{0, "unit-b\n", ""};
  });
  buildx::ensure_builder(host.context(), "unit-b");
  CHECK(host.commands ==
        std::vector<std::string>{"docker buildx inspect unit-b",
                                 "docker buildx create --name unit-b --driver docker-container"});
}

TEST_CASE("losing the race to create the builder is fine: it exists afterwards") {
  int inspections = 0;
  FakeHost host([&](const std::vector<std::string>& argv) {
    if (argv[2] == "inspect")
      return ++inspections == 1 ? Reply{1, "", "ERROR: no builder \"unit-c\" found\n"}
                                : Reply{0, "Name: unit-c\n", ""};
    return Reply{1, "", "ERROR: existing instance for \"unit-c\" but no append mode\n"};
  });
  CHECK_NOTHROW(buildx::ensure_builder(host.context(), "unit-c"));
  CHECK(host.commands.back() == "docker buildx inspect unit-c");
  CHECK(host.commands.size() == 3);
}

TEST_CASE("a builder that cannot be created fails with docker's own words") {
  FakeHost host([](const std::vector<std::string>& argv) {
    if (argv[2] == "inspect") return Reply{1, "", "ERROR: no builder found\n"};
    return Reply{1, "",
                 "ERROR: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is "
                 "the docker daemon running?\n"};
  });
  CHECK_THROWS_WITH(buildx::ensure_builder(host.context(), "unit-d"),
                    Catch::StartsWith("creating the buildx builder unit-d failed (exit status 1): "
                                      "ERROR: Cannot connect to the Docker daemon"));
}
