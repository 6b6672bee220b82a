// type: docker through docker buildx: the exact command lines, the builder, attestations. buildx
// cannot run here, so tests/standins/docker stands in for it and builds with buildah underneath.
#include "stock_e2e.hpp"

#include <catch2/catch.hpp>

#include <future>

using namespace stock_e2e;

namespace {

std::string all(const e2e::Output& out) {
  return out.out + out.err;
}

std::string output_flag(const Project& p, const std::string& service) {
  return "--output type=oci,dest=" + (p.work(service) / "layout").string() + ",tar=false";
}

}  // namespace

TEST_CASE("buildx: the steiger builder is created, then the Rust Steiger's command line runs") {
  Project p;
  p.write("api/hello.txt", "hello\n");
  p.write("steiger.yml",
          "build:\n"
          "  api:\n"
          "    type: docker\n"
          "    context: api\n"
          "    target: final\n"
          "    buildArgs: {GREETING: hi, N: 1}\n"
          "    hosts: {db.local: 10.0.0.5}\n");
  p.write(
      "api/Dockerfile",
      "FROM scratch AS final\nARG GREETING\nCOPY hello.txt /hello.txt\nLABEL greeting=$GREETING\n");
  Standins standins;
  auto out = p.build({"--platform", "linux/amd64,linux/arm64"}, standins.env());
  REQUIRE(out.exit_code == 0);
  CHECK(standins.calls() ==
        std::vector<std::string>{
            "docker buildx version", "docker buildx inspect steiger",
            "docker buildx create --name steiger --driver docker-container",
            "docker buildx build --target final --build-arg GREETING=hi --build-arg N=1 "
            "--add-host db.local:10.0.0.5 --builder steiger --platform linux/amd64,linux/arm64 " +
                output_flag(p, "api") + " --file " + (p.dir() / "api/Dockerfile").string() + " " +
                (p.dir() / "api").string()});
  // The index keeps buildx's provenance attestations next to the two images.
  auto raw = inspect(p.out("api"), "--raw");
  int images = 0, attestations = 0;
  for (const auto& m : raw["manifests"].GetArray()) {
    bool attestation = m.HasMember("annotations") &&
                       m["annotations"].HasMember("vnd.docker.reference.type") &&
                       std::string(m["annotations"]["vnd.docker.reference.type"].GetString()) ==
                           "attestation-manifest";
    (attestation ? attestations : images)++;
  }
  CHECK(images == 2);
  CHECK(attestations == 2);
  CHECK(std::string(inspect(p.out("api"))["Labels"]["greeting"].GetString()) == "hi");
  CHECK(file_in_image(p.out("api"), "hello.txt", "linux/arm64").content == "hello\n");
}

TEST_CASE("buildx: every other key, in order, before --builder, and it builds") {
  const BaseImages& base = base_images();
  Project p;
  p.write("Dockerfile",
          "ARG BASE\nFROM $BASE\n"
          "RUN --mount=type=secret,id=token cat /run/secrets/token > /token.txt\n"
          "RUN --mount=type=secret,id=file cat /run/secrets/file > /file.txt\n");
  p.write("secret.txt", "from a file\n");
  p.write("steiger.yml",
          "build:\n"
          "  full:\n"
          "    type: docker\n"
          "    buildArgs: {BASE: " +
              base.busybox +
              "}\n"
              "    secrets: [{id: token, env: TOKEN}, {id: file, src: secret.txt}]\n"
              "    ssh: [default]\n"
              "    cacheFrom: ['type=registry,ref=" +
              base.registry +
              "/cache/full:buildcache']\n"
              "    cacheTo: [type=inline]\n"
              "    labels: {team: core}\n"
              "    network: host\n"
              "    noCache: true\n"
              "    pull: true\n");
  Standins standins;
  auto out = p.build({}, standins.env({"TOKEN=t0ken"}));
  REQUIRE(out.exit_code == 0);
  REQUIRE(standins.calls().size() == 4);
  CHECK(
      standins.calls()[3] ==
      "docker buildx build --build-arg BASE=" + base.busybox +
          " --secret id=token,env=TOKEN --secret id=file,src=" + (p.dir() / "secret.txt").string() +
          " --ssh default --cache-from type=registry,ref=" + base.registry +
          "/cache/full:buildcache --cache-to type=inline --label team=core --network host "
          "--no-cache --pull --builder steiger --platform " +
          native_platform() + " " + output_flag(p, "full") + " --file " +
          (p.dir() / "Dockerfile").string() + " " + p.dir().string());
  CHECK(file_in_image(p.out("full"), "token.txt").content == "t0ken");
  CHECK(file_in_image(p.out("full"), "file.txt").content == "from a file\n");
  CHECK(std::string(inspect(p.out("full"))["Labels"]["team"].GetString()) == "core");
}

TEST_CASE("buildx: services starting together create the builder once") {
  Project p;
  std::string config = "build:\n";
  for (const char* name : {"one", "two", "three", "four"}) {
    p.write(std::string(name) + "/Dockerfile", "FROM scratch\nCOPY x /x\n");
    p.write(std::string(name) + "/x", name);
    config += std::string("  ") + name + ": {type: docker, context: " + name + "}\n";
  }
  p.write("steiger.yml", config);
  Standins standins;
  auto out = p.build({"-j", "4"}, standins.env());
  REQUIRE(out.exit_code == 0);
  int creates = 0, builds = 0;
  for (const auto& call : standins.calls()) {
    creates += call.rfind("docker buildx create", 0) == 0;
    builds += call.rfind("docker buildx build", 0) == 0;
  }
  CHECK(creates == 1);
  CHECK(builds == 4);
}

TEST_CASE("buildx: two steiger runs racing to create the builder both succeed") {
  Standins standins;  // shared: one docker, one builder namespace
  Project a, b;
  for (const Project* p : {&a, &b}) {
    p->write("Dockerfile", "FROM scratch\nCOPY x /x\n");
    p->write("x", "x");
    p->write("steiger.yml", "build:\n  svc: {type: docker}\n");
  }
  // Slow creates so both runs are past their inspect before either create finishes.
  auto env = standins.env({"STANDIN_CREATE_DELAY=1"});
  auto first = std::async(std::launch::async, [&] { return a.build({}, env); });
  auto second = std::async(std::launch::async, [&] { return b.build({}, env); });
  auto ra = first.get(), rb = second.get();
  CHECK(ra.exit_code == 0);
  CHECK(rb.exit_code == 0);
  int creates = 0;
  for (const auto& call : standins.calls()) creates += call.rfind("docker buildx create", 0) == 0;
  CHECK(creates == 2);  // one won, the other lost and found the winner's builder
}

TEST_CASE("buildx: a named builder is used as it is, never created") {
  Standins standins;
  standins.docker({"buildx", "create", "--name", "remote-pool", "--driver", "docker-container"});
  Project p;
  p.write("Dockerfile", "FROM scratch\nCOPY x /x\n");
  p.write("x", "x");
  p.write("steiger.yml",
          "build:\n  svc: {type: docker, builder: remote-pool}\n"
          "  missing: {type: docker, builder: no-such-builder}\n");
  auto out = p.build({"--keep-going"}, standins.env());
  CHECK(out.exit_code == 1);
  auto calls = standins.calls();
  for (const auto& call : calls) CHECK_THAT(call, !Catch::Contains("inspect steiger"));
  CHECK_THAT(all(out), Catch::Contains("svc      ok"));
  CHECK(contains(calls, "docker buildx build --builder remote-pool --platform " +
                            native_platform() + " " + output_flag(p, "svc") + " --file " +
                            (p.dir() / "Dockerfile").string() + " " + p.dir().string()));
  CHECK_THAT(all(out), Catch::Contains("--- missing failed: docker buildx build failed (exit "
                                       "status 1): ERROR: no builder \"no-such-builder\" found"));
}

TEST_CASE("buildx: a Dockerfile error fails with BuildKit's own line") {
  Project p;
  p.write("Dockerfile", "FROM scratch\nRUNN nothing\n");
  p.write("steiger.yml", "build:\n  broken: {type: docker}\n");
  Standins standins;
  auto out = p.build({}, standins.env());
  CHECK(out.exit_code == 1);
  CHECK_THAT(all(out), Catch::Contains("--- broken failed: docker buildx build failed (exit status "
                                       "1): ERROR: failed to solve: building at STEP \"RUNN"));
}

TEST_CASE("buildx: driver buildx without buildx says what to install") {
  Project p;
  p.write("Dockerfile", "FROM scratch\n");
  p.write("steiger.yml",
          "build:\n  svc: {type: docker, driver: buildx}\n"
          "  remote: {type: docker, builder: pool}\n");
  Standins standins;
  auto out = p.build({"--keep-going"}, standins.env({"STANDIN_BUILDX=0"}));
  CHECK(out.exit_code == 1);
  CHECK_THAT(all(out), Catch::Contains("--- svc failed: driver: buildx needs docker buildx, but "
                                       "`docker buildx version` does not work here"));
  // A named builder is BuildKit's: no quiet fallback to buildah.
  CHECK_THAT(all(out), Catch::Contains("--- remote failed: builder: pool needs docker buildx"));
}

TEST_CASE("docker blocks are checked before anything runs") {
  Project p;
  p.write("steiger.yml",
          "build:\n  svc:\n    type: docker\n    secrets: [{id: x, src: a, env: B}]\n"
          "  other:\n    type: docker\n    dockerfil: Dockerfile\n");
  Standins standins;
  auto out = p.build({}, standins.env());
  CHECK(out.exit_code == 2);
  CHECK_THAT(all(out), Catch::Contains("the docker plugin rejected this block: secret 'x' needs "
                                       "exactly one of src (a file) or env (a variable)"));
  CHECK_THAT(all(out), Catch::Contains("did you mean 'dockerfile'?"));
  CHECK_FALSE(fs::exists(standins.state() / "calls.log"));
}
