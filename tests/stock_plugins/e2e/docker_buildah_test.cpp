// type: docker with buildah, for real: what a CI runner without Docker gets.
#include "stock_e2e.hpp"

#include <catch2/catch.hpp>

using namespace stock_e2e;

namespace {

std::string all(const e2e::Output& out) {
  return out.out + out.err;
}

}  // namespace

TEST_CASE("buildah: FROM scratch with COPY, labels from numbers, an entrypoint") {
  Project p;
  p.write("web/index.html", "<h1>hello</h1>\n");
  p.write("web/Dockerfile",
          "FROM scratch\n"
          "ARG VERSION\n"
          "COPY index.html /srv/www/index.html\n"
          "LABEL org.opencontainers.image.version=$VERSION\n"
          "ENTRYPOINT [\"/srv/www/index.html\"]\n");
  p.write("steiger.yml",
          "build:\n"
          "  web:\n"
          "    type: docker\n"
          "    driver: buildah\n"
          "    context: web\n"
          "    buildArgs:\n"
          "      VERSION: 1.5\n"
          "    labels:\n"
          "      team: frontend\n"
          "      tier: 2\n");
  auto out = p.build();
  REQUIRE(out.exit_code == 0);
  auto info = inspect(p.out("web"));
  CHECK(info["Layers"].Size() == 1);
  CHECK(std::string(info["Labels"]["org.opencontainers.image.version"].GetString()) == "1.5");
  CHECK(std::string(info["Labels"]["team"].GetString()) == "frontend");
  CHECK(std::string(info["Labels"]["tier"].GetString()) == "2");
  CHECK(std::string(info["Architecture"].GetString()) + "/" + info["Os"].GetString() != "");
  auto config = inspect(p.out("web"), "--config");
  REQUIRE(config["config"]["Entrypoint"].Size() == 1);
  CHECK(std::string(config["config"]["Entrypoint"][0].GetString()) == "/srv/www/index.html");
  CHECK(file_in_image(p.out("web"), "srv/www/index.html").content == "<h1>hello</h1>\n");
  // What buildah stored is gone with the work folder.
  CHECK_FALSE(fs::exists(p.work("web")));
}

TEST_CASE("buildah: RUN steps on a base image pulled from an insecure registry, USER, secrets") {
  const BaseImages& base = base_images();
  Project p;
  p.write("api/Dockerfile",
          "ARG BASE\n"
          "FROM $BASE\n"
          "RUN mkdir -p /app && echo built > /app/built.txt\n"
          "RUN --mount=type=secret,id=token cat /run/secrets/token > /app/token.txt\n"
          "RUN --mount=type=secret,id=npmrc cat /run/secrets/npmrc > /app/npmrc.txt\n"
          "RUN echo 'app:x:1000:1000::/app:/bin/sh' >> /etc/passwd && chown -R 1000 /app\n"
          "USER app\n"
          "WORKDIR /app\n"
          "ENTRYPOINT [\"/bin/sh\", \"-c\"]\n"
          "CMD [\"cat /app/built.txt\"]\n");
  p.write("api/npmrc", "registry=http://npm.local\n");
  p.write("steiger.yml", "insecureRegistries: [" + base.registry +
                             "]\n"
                             "build:\n"
                             "  api:\n"
                             "    type: docker\n"
                             "    driver: buildah\n"
                             "    context: api\n"
                             "    buildArgs: {BASE: " +
                             base.busybox +
                             "}\n"
                             "    secrets:\n"
                             "      - {id: token, env: API_TOKEN}\n"
                             "      - {id: npmrc, src: api/npmrc}\n"
                             "    labels: {service: api}\n");
  auto out = p.build({}, {"API_TOKEN=s3cret"});
  REQUIRE(out.exit_code == 0);
  auto info = inspect(p.out("api"));
  // The base's layer, then (without a shared cache, so without --layers) one for all the steps.
  CHECK(info["Layers"].Size() == 2);
  CHECK(std::string(info["Labels"]["service"].GetString()) == "api");
  auto config = inspect(p.out("api"), "--config");
  CHECK(std::string(config["config"]["User"].GetString()) == "app");
  CHECK(std::string(config["config"]["WorkingDir"].GetString()) == "/app");
  CHECK(std::string(config["config"]["Entrypoint"][1].GetString()) == "-c");
  CHECK(file_in_image(p.out("api"), "app/built.txt").content == "built\n");
  CHECK(file_in_image(p.out("api"), "app/built.txt").uid == 1000);
  CHECK(file_in_image(p.out("api"), "app/token.txt").content == "s3cret");
  CHECK(file_in_image(p.out("api"), "app/npmrc.txt").content == "registry=http://npm.local\n");
}

TEST_CASE("buildah: several platforms become one layout holding an image for each") {
  Project p;
  p.write("Dockerfile", "FROM scratch\nCOPY hello.txt /hello.txt\n");
  p.write("hello.txt", "hi\n");
  p.write("steiger.yml", "build:\n  hello:\n    type: docker\n    driver: buildah\n");
  auto out = p.build({"--platform", "linux/amd64,linux/arm64"});
  REQUIRE(out.exit_code == 0);
  auto raw = inspect(p.out("hello"), "--raw");
  REQUIRE(raw.HasMember("manifests"));
  std::vector<std::string> platforms;
  for (const auto& m : raw["manifests"].GetArray())
    platforms.push_back(std::string(m["platform"]["os"].GetString()) + "/" +
                        m["platform"]["architecture"].GetString());
  CHECK(platforms.size() == 2);
  CHECK(contains(platforms, "linux/amd64"));
  CHECK(contains(platforms, "linux/arm64"));
  CHECK(file_in_image(p.out("hello"), "hello.txt", "linux/arm64").content == "hi\n");
}

TEST_CASE("buildah: each broken service fails with the tool's own error line") {
  Project p;
  p.write("syntax/Dockerfile", "FROM scratch\nCOPPY x /x\n");
  p.copy_busybox("failing/busybox");
  p.write("failing/Dockerfile",
          "FROM scratch\nCOPY busybox /bin/busybox\n"
          "RUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo about to fail; exit 3\"]\n");
  p.write("nodockerfile/readme", "no Dockerfile here\n");
  p.write("steiger.yml",
          "build:\n"
          "  syntax: {type: docker, driver: buildah, context: syntax}\n"
          "  failing: {type: docker, driver: buildah, context: failing}\n"
          "  nocontext: {type: docker, driver: buildah, context: does/not/exist}\n"
          "  nodockerfile: {type: docker, driver: buildah, context: nodockerfile}\n");
  auto out = p.build({"--keep-going"});
  CHECK(out.exit_code == 1);
  std::string text = all(out);
  CHECK_THAT(text, Catch::Contains("--- syntax failed: buildah build for " + native_platform() +
                                   " failed (exit status 125): Error: building at STEP \"COPPY \": "
                                   "Build error: Unknown instruction: \"COPPY\""));
  CHECK_THAT(text, Catch::Contains("--- failing failed: buildah build for " + native_platform() +
                                   " failed (exit status 3): Error: building at STEP"));
  // The tool's own lines are in the log tail under the error.
  CHECK_THAT(text, Catch::Contains("| about to fail"));
  CHECK_THAT(text, Catch::Contains("--- nocontext failed: the build context " +
                                   (p.dir() / "does/not/exist").string() +
                                   " does not exist (check `context`)"));
  CHECK_THAT(text, Catch::Contains("--- nodockerfile failed: there is no Dockerfile at " +
                                   (p.dir() / "nodockerfile/Dockerfile").string()));
  CHECK_THAT(text, Catch::Contains("0 ok, 4 failed"));
  // A failed build leaves its work folder for a look, but not buildah's storage in it.
  CHECK(fs::exists(p.work("failing")));
  CHECK_FALSE(fs::exists(p.work("failing") / "buildah"));
}

TEST_CASE("buildah: a RUN step of a foreign platform without qemu says what to install") {
  if (native_platform() != "linux/amd64") return;  // the fake foreign binary is amd64's, relabelled
  if (fs::exists("/proc/sys/fs/binfmt_misc/qemu-aarch64")) return;  // qemu would run it
  Project p;
  // busybox with its ELF header claiming aarch64: the kernel refuses it as it would a real one.
  std::string elf = e2e::read_file("/bin/busybox");
  elf[18] = '\xb7';
  elf[19] = '\0';
  p.write("busybox", elf);
  p.write("Dockerfile",
          "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"true\"]\n");
  p.write("steiger.yml", "build:\n  arm:\n    type: docker\n    driver: buildah\n");
  fs::permissions(p.dir() / "busybox", fs::perms::owner_all);
  auto out = p.build({"--platform", "linux/arm64"});
  CHECK(out.exit_code == 1);
  CHECK_THAT(all(out), Catch::Contains("--- arm failed: buildah build for linux/arm64 failed") &&
                           Catch::Contains("no qemu binfmt handler for aarch64 is registered: "
                                           "install qemu-user-static"));
}

TEST_CASE("buildah: a missing buildah, and neither buildx nor buildah, say what to install") {
  Project p;
  p.write("Dockerfile", "FROM scratch\n");
  p.write("steiger.yml",
          "build:\n  pinned: {type: docker, driver: buildah}\n  auto: {type: docker}\n");
  // Only python3 (for the stand-in docker, which has no buildx here) on PATH.
  e2e::TempDir bin;
  fs::create_symlink("/usr/bin/python3", bin.path() / "python3");
  Standins standins;
  auto out = p.build({"--keep-going"},
                     {"PATH=" + std::string(STEIGER_STANDINS_DIR) + ":" + bin.path().string(),
                      "STANDIN_STATE=" + standins.state().string(), "STANDIN_BUILDX=0"});
  CHECK(out.exit_code == 1);
  CHECK_THAT(all(out), Catch::Contains("--- pinned failed: driver: buildah, but buildah is not "
                                       "installed: install buildah (Debian: apt-get install "
                                       "buildah runc)"));
  CHECK_THAT(all(out), Catch::Contains("--- auto failed: neither docker buildx nor buildah works "
                                       "here: install buildah"));
}

TEST_CASE("buildah: driver auto falls back to buildah where docker has no buildx") {
  Project p;
  p.write("Dockerfile", "FROM scratch\nCOPY a.txt /a.txt\n");
  p.write("a.txt", "a\n");
  p.write("steiger.yml", "build:\n  a:\n    type: docker\n");
  Standins standins;
  auto out = p.build({}, standins.env({"STANDIN_BUILDX=0"}));
  REQUIRE(out.exit_code == 0);
  CHECK_THAT(p.log("a"),
             Catch::Contains("docker buildx is not available here: building with buildah"));
  CHECK(standins.calls() == std::vector<std::string>{"docker buildx version"});
  CHECK(file_in_image(p.out("a"), "a.txt").content == "a\n");
}

TEST_CASE("buildah: STEIGER_BUILDAH_ROOT keeps storage and RUN cache across runs") {
  Project p;
  p.copy_busybox("busybox");
  p.write("Dockerfile",
          "FROM scratch\nCOPY busybox /bin/busybox\n"
          "RUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo once > /once\"]\n"
          "CMD [\"/bin/busybox\"]\n");
  p.write("steiger.yml", "build:\n  cached:\n    type: docker\n    driver: buildah\n");
  e2e::TempDir cache;
  std::vector<std::string> env = {"STEIGER_BUILDAH_ROOT=" + cache.path().string()};
  REQUIRE(p.build({}, env).exit_code == 0);
  CHECK(fs::exists(cache.path() / "root"));
  CHECK_THAT(p.log("cached"), !Catch::Contains("Using cache"));
  REQUIRE(p.build({}, env).exit_code == 0);
  CHECK_THAT(p.log("cached"), Catch::Contains("Using cache"));
  CHECK(file_in_image(p.out("cached"), "once").content == "once\n");
  // The run's own image name is gone; the cache keeps one name per service.
  auto images = e2e::run_ok({"buildah", "--root", (cache.path() / "root").string(), "--runroot",
                             (cache.path() / "runroot").string(), "--storage-driver", "vfs",
                             "images", "--format", "{{.Name}}"});
  CHECK_THAT(images, Catch::Contains("steiger-cache/cached") && !Catch::Contains("steiger-tmp"));
}
