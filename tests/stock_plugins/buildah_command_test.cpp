// The buildah command lines of the daemonless driver: the same keys as buildx, translated.
#include "docker/buildah_argv.hpp"
#include "docker/options.hpp"
#include "fake_host.hpp"
#include "values.hpp"

#include <catch2/catch.hpp>

using namespace stock_plugins_test;
using namespace steiger::docker;

namespace {

const BuildahStorage kPrivate{"/work/buildah/root", "/work/buildah/runroot", false};

}  // namespace

TEST_CASE("one platform: a named image, then a push into an OCI layout") {
  auto o = read_docker_options(obj({{"context", str("api")},
                                    {"target", str("runtime")},
                                    {"buildArgs", obj({{"A", str("1")}})},
                                    {"hosts", obj({{"db", str("10.0.0.5")}})},
                                    {"labels", obj({{"team", str("a")}})}}),
                               resolve_in_repo);
  std::vector<std::string> warnings;
  CHECK(join(buildah_build_argv(kPrivate, o, "linux/amd64", "localhost/steiger-tmp/api-1:v1", false,
                                &warnings)) ==
        "buildah --root /work/buildah/root --runroot /work/buildah/runroot --storage-driver vfs "
        "build --isolation chroot --platform linux/amd64 --target runtime --build-arg A=1 "
        "--add-host db:10.0.0.5 --label team=a -f /repo/api/Dockerfile -t "
        "localhost/steiger-tmp/api-1:v1 /repo/api");
  CHECK(warnings.empty());
  CHECK(join(buildah_push_argv(kPrivate, "localhost/steiger-tmp/api-1:v1", "/work/layout", "v1",
                               false)) ==
        "buildah --root /work/buildah/root --runroot /work/buildah/runroot --storage-driver vfs "
        "push localhost/steiger-tmp/api-1:v1 oci:/work/layout:v1");
}

TEST_CASE("several platforms: each build joins one manifest list, pushed with --all") {
  auto o = read_docker_options(obj({}), resolve_in_repo);
  auto argv = join(buildah_build_argv(kPrivate, o, "linux/arm64", "localhost/x:t", true, nullptr));
  CHECK_THAT(argv, Catch::Contains("--platform linux/arm64") &&
                       Catch::EndsWith("-f /repo/Dockerfile --manifest localhost/x:t /repo"));
  CHECK_THAT(join(buildah_push_argv(kPrivate, "localhost/x:t", "/work/layout", "t", true)),
             Catch::EndsWith("manifest push --all localhost/x:t oci:/work/layout:t"));
}

TEST_CASE("secrets, ssh, network, noCache and pull in buildah's spelling") {
  auto o =
      read_docker_options(obj({{"secrets", arr({obj({{"id", str("npm")}, {"src", str(".npmrc")}}),
                                                obj({{"id", str("tok")}, {"env", str("TOKEN")}})})},
                               {"ssh", arr({str("default")})},
                               {"network", str("none")},
                               {"noCache", boolean(true)},
                               {"pull", boolean(true)}}),
                          resolve_in_repo);
  CHECK_THAT(join(buildah_build_argv(kPrivate, o, "linux/amd64", "i:t", false, nullptr)),
             Catch::Contains("--secret id=npm,src=/repo/.npmrc --secret id=tok,src=TOKEN,type=env "
                             "--ssh default --network none --no-cache --pull=always -f"));
}

TEST_CASE("docker's default network is buildah's default: no flag") {
  auto o = read_docker_options(obj({{"network", str("default")}}), resolve_in_repo);
  CHECK_THAT(join(buildah_build_argv(kPrivate, o, "linux/amd64", "i:t", false, nullptr)),
             !Catch::Contains("--network"));
}

TEST_CASE("registry caches reach buildah (with --layers); BuildKit-only caches are warned about") {
  auto o = read_docker_options(obj({{"cacheFrom", arr({str("type=registry,ref=r.example/api:cache"),
                                                       str("r.example/plain")})},
                                    {"cacheTo", arr({str("type=local,dest=/tmp/c")})}}),
                               resolve_in_repo);
  std::vector<std::string> warnings;
  auto argv = join(buildah_build_argv(kPrivate, o, "linux/amd64", "i:t", false, &warnings));
  CHECK_THAT(argv,
             Catch::Contains("--layers") &&
                 Catch::Contains("--cache-from r.example/api:cache --cache-from r.example/plain") &&
                 !Catch::Contains("--cache-to"));
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Catch::Contains("ignoring type=local,dest=/tmp/c"));
}

TEST_CASE("a shared storage (STEIGER_BUILDAH_ROOT) caches RUN steps across runs") {
  BuildahStorage shared{"/cache/root", "/cache/runroot", true};
  auto o = read_docker_options(obj({}), resolve_in_repo);
  CHECK_THAT(join(buildah_build_argv(shared, o, "linux/amd64", "i:t", false, nullptr)),
             Catch::StartsWith("buildah --root /cache/root --runroot /cache/runroot "
                               "--storage-driver vfs build --isolation chroot --platform "
                               "linux/amd64 --layers "));
}

TEST_CASE("service names become valid repository names") {
  CHECK(image_repository_part("api") == "api");
  CHECK(image_repository_part("Web_Front.end") == "web-front-end");
  CHECK(image_repository_part("__") == "service");
}
