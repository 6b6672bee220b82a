// type: railpack: railpack prepare, the plan built by BuildKit with Railpack's frontend, and the
// nonroot stage. Neither railpack nor buildx runs here: tests/standins stand in for both and build
// with buildah underneath (the stand-in docker plays Railpack's frontend too).
#include "stock_e2e.hpp"

#include <catch2/catch.hpp>

using namespace stock_e2e;

namespace {

std::string all(const e2e::Output& out) {
  return out.out + out.err;
}

const std::string kFrontend = "ghcr.io/railwayapp/railpack-frontend:latest";

// A shell app as Railpack detects it: a start.sh, and a build.sh that leaves state in root's home.
void write_app(const Project& p, const std::string& dir) {
  p.write(dir + "/start.sh", "echo serving\n");
  p.write(dir + "/build.sh",
          "mkdir -p /root/.config/app && echo built > /root/.config/app/state\n");
}

std::vector<std::string> railpack_env(const Standins& standins) {
  return standins.env({"STANDIN_RAILPACK_BASE=" + base_images().busybox});
}

std::string string_at(const rapidjson::Value& v) {
  return v.GetString();
}

}  // namespace

TEST_CASE("railpack: prepare writes the plan, buildx builds it with Railpack's frontend") {
  Project p;
  write_app(p, "web");
  p.write("steiger.yml", "build:\n  web:\n    type: railpack\n    context: web\n");
  Standins standins;
  auto out = p.build({}, railpack_env(standins));
  REQUIRE(out.exit_code == 0);
  std::string plan = (p.work("web") / "railpack-plan.json").string();
  CHECK(standins.calls() ==
        std::vector<std::string>{
            "docker buildx version", "railpack --version",
            "railpack prepare " + (p.dir() / "web").string() + " --plan-out " + plan,
            "docker buildx inspect steiger",
            "docker buildx create --name steiger --driver docker-container",
            "docker buildx build --build-arg BUILDKIT_SYNTAX=" + kFrontend +
                " --builder steiger --platform " + native_platform() +
                " --output type=oci,dest=" + (p.work("web") / "layout").string() +
                ",tar=false --file " + plan + " " + (p.dir() / "web").string()});
  auto config = inspect(p.out("web"), "--config");
  CHECK(string_at(config["config"]["WorkingDir"]) == "/app");
  CHECK(string_at(config["config"]["Cmd"][2]) == "sh start.sh");
  CHECK_FALSE(config["config"].HasMember("User"));
  CHECK(file_in_image(p.out("web"), "app/start.sh").content == "echo serving\n");
  CHECK(file_in_image(p.out("web"), "root/.config/app/state").content == "built\n");
}

TEST_CASE("railpack: a committed plan is used as it is, with the configured frontend") {
  Project p;
  write_app(p, ".");
  // What `railpack prepare --plan-out railpack.json` wrote (the Rust Steiger's habit).
  p.write("railpack.json",
          "{\"steps\": [{\"name\": \"build\", \"commands\": [{\"cmd\": \"echo planned > "
          "/planned\"}]}],\n \"deploy\": {\"base\": {\"image\": \"" +
              base_images().busybox + "\"}, \"startCommand\": \"cat /planned\"}}\n");
  std::string frontend = "ghcr.io/railwayapp/railpack-frontend:v0.17.1";
  p.write("steiger.yml", "build:\n  app: {type: railpack, frontend: \"" + frontend + "\"}\n");
  Standins standins;
  auto out = p.build({}, railpack_env(standins));
  REQUIRE(out.exit_code == 0);
  auto calls = standins.calls();
  for (const auto& call : calls) CHECK_THAT(call, !Catch::StartsWith("railpack"));
  CHECK_THAT(calls.back(), Catch::Contains("--build-arg BUILDKIT_SYNTAX=" + frontend + " ") &&
                               Catch::Contains("--file " + (p.dir() / "railpack.json").string()));
  CHECK(file_in_image(p.out("app"), "planned").content == "planned\n");
  CHECK_THAT(p.log("app"), Catch::Contains("using the build plan"));
}

TEST_CASE("railpack: a railpack.json config goes through prepare, which reads it") {
  Project p;
  p.write("railpack.json", "{\"deploy\": {\"startCommand\": \"echo configured\"}}\n");
  p.write("steiger.yml", "build:\n  app: {type: railpack}\n");
  Standins standins;
  auto out = p.build({}, railpack_env(standins));
  REQUIRE(out.exit_code == 0);
  CHECK(contains(standins.calls(), "railpack prepare " + p.dir().string() + " --plan-out " +
                                       (p.work("app") / "railpack-plan.json").string()));
  CHECK(string_at(inspect(p.out("app"), "--config")["config"]["Cmd"][2]) == "echo configured");
}

TEST_CASE("railpack: nonroot adds the stage that runs the app as railpack (1000:1000)") {
  Project p;
  write_app(p, "app");
  p.write("steiger.yml",
          "build:\n  app:\n    type: railpack\n    context: app\n    nonroot: true\n");
  Standins standins;
  auto out = p.build({"--platform", "linux/amd64,linux/arm64"}, railpack_env(standins));
  // The base image holds the machine's architecture only; the foreign one runs natively anyway.
  if (out.exit_code != 0) FAIL(all(out));
  auto calls = standins.calls();
  std::string image = (p.work("app") / "railpack-image").string();
  CHECK_THAT(calls[calls.size() - 2],
             Catch::Contains("--output type=oci,dest=" + image + ",tar=false"));
  CHECK(calls.back() ==
        "docker buildx build --build-context base=oci-layout://" + image +
            ":base --builder steiger --platform linux/amd64,linux/arm64 --output type=oci,dest=" +
            (p.work("app") / "layout").string() + ",tar=false --file " +
            (p.work("app") / "nonroot.Dockerfile").string() + " " +
            (p.work("app") / "nonroot-context").string());
  for (const char* platform : {"linux/amd64", "linux/arm64"}) {
    INFO(platform);
    auto home = file_in_image(p.out("app"), "home/railpack/.config/app/state", platform);
    CHECK(home.content == "built\n");
    CHECK(home.uid == 1000);
    CHECK(home.gid == 1000);
    CHECK_THAT(file_in_image(p.out("app"), "etc/passwd", platform).content,
               Catch::Contains("railpack:x:1000:1000::/home/railpack:"));
  }
  CHECK(string_at(inspect(p.out("app"), "--config")["config"]["User"]) == "railpack");
  CHECK(string_at(inspect(p.out("app"), "--config")["config"]["Cmd"][2]) == "sh start.sh");
}

TEST_CASE("railpack: a missing CLI, an app it cannot build, and no buildx each say so") {
  Project p;
  p.write("nostart/readme.md", "nothing to start\n");
  write_app(p, "app");
  p.write("steiger.yml",
          "build:\n  nostart: {type: railpack, context: nostart}\n"
          "  nofolder: {type: railpack, context: missing}\n");
  Standins standins;
  auto out = p.build({"--keep-going"}, railpack_env(standins));
  CHECK(out.exit_code == 1);
  CHECK_THAT(all(out), Catch::Contains("--- nostart failed: railpack prepare failed (exit status "
                                       "1): ✖ Railpack could not determine how to build the app."));
  CHECK_THAT(all(out), Catch::Contains("--- nofolder failed: the app folder " +
                                       (p.dir() / "missing").string() + " does not exist"));

  // Without railpack on PATH: only the stand-in docker (and python3 for it).
  e2e::TempDir bin;
  fs::create_symlink("/usr/bin/python3", bin.path() / "python3");
  fs::create_symlink(std::string(STEIGER_STANDINS_DIR) + "/docker", bin.path() / "docker");
  p.write("steiger.yml", "build:\n  app: {type: railpack, context: app}\n");
  out = p.build({}, {"PATH=" + bin.path().string(), "STANDIN_STATE=" + standins.state().string()});
  CHECK(out.exit_code == 1);
  CHECK_THAT(all(out), Catch::Contains("--- app failed: railpack is not installed (not found in "
                                       "PATH): install the railpack CLI"));

  out = p.build({}, standins.env({"STANDIN_BUILDX=0"}));
  CHECK(out.exit_code == 1);
  CHECK_THAT(all(out),
             Catch::Contains("--- app failed: type: railpack (Railpack's frontend runs in "
                             "BuildKit) needs docker buildx"));
}
