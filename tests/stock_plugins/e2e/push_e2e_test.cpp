// steiger build --repo: what the docker and railpack plugins build lands in a real registry, as
// skopeo sees it there (layers, entrypoint, user, labels, platforms, attestations).
#include "stock_e2e.hpp"

#include <catch2/catch.hpp>

using namespace stock_e2e;

namespace {

rapidjson::Document remote(const std::string& reference, const std::string& flag = "") {
  std::vector<std::string> argv = {"skopeo", "inspect", "--tls-verify=false"};
  if (!flag.empty()) argv.push_back(flag);
  argv.push_back("docker://" + reference);
  rapidjson::Document doc;
  doc.Parse(e2e::run_ok(argv).c_str());
  REQUIRE_FALSE(doc.HasParseError());
  return doc;
}

std::string text(const rapidjson::Value& v) {
  return v.GetString();
}

}  // namespace

TEST_CASE("push: a buildah-built image with RUN steps, a user and labels, as the registry has it") {
  const BaseImages& base = base_images();
  Project p;
  p.write("Dockerfile",
          "ARG BASE\nFROM $BASE\n"
          "RUN echo 'svc:x:1000:1000::/srv:/bin/sh' >> /etc/passwd && mkdir -p /srv && "
          "echo ready > /srv/state\n"
          "USER svc\nENTRYPOINT [\"/bin/cat\"]\nCMD [\"/srv/state\"]\n");
  p.write("steiger.yml", "insecureRegistries: [" + base.registry +
                             "]\n"
                             "build:\n  api:\n    type: docker\n    driver: buildah\n"
                             "    buildArgs: {BASE: " +
                             base.busybox + "}\n    labels: {tier: backend}\n");
  std::string repo = base.registry + "/push-buildah";
  auto out = p.build({"--repo", repo, "-o", (p.dir() / "build.json").string()});
  REQUIRE(out.exit_code == 0);
  auto info = remote(repo + "/api:unknown");
  CHECK(info["Layers"].Size() == 2);
  CHECK(text(info["Labels"]["tier"]) == "backend");
  auto config = remote(repo + "/api:unknown", "--config");
  CHECK(text(config["config"]["User"]) == "svc");
  CHECK(text(config["config"]["Entrypoint"][0]) == "/bin/cat");
  CHECK(text(config["config"]["Cmd"][0]) == "/srv/state");
  CHECK_THAT(e2e::read_file(p.dir() / "build.json"),
             Catch::Contains("\"tag\": \"" + repo + "/api:unknown@" + text(info["Digest"]) + "\""));
}

TEST_CASE("push: buildx's two platforms and their attestations arrive as one index") {
  const BaseImages& base = base_images();
  Project p;
  p.write("Dockerfile", "FROM scratch\nCOPY a /a\nENTRYPOINT [\"/a\"]\n");
  p.write("a", "a\n");
  p.write("steiger.yml", "build:\n  multi: {type: docker}\n");
  Standins standins;
  std::string repo = base.registry + "/push-buildx";
  auto out = p.build({"--repo", repo, "--platform", "linux/amd64,linux/arm64"}, standins.env());
  REQUIRE(out.exit_code == 0);
  auto raw = remote(repo + "/multi:unknown", "--raw");
  REQUIRE(raw["manifests"].Size() == 4);
  int attestations = 0;
  for (const auto& m : raw["manifests"].GetArray())
    attestations +=
        m.HasMember("annotations") && m["annotations"].HasMember("vnd.docker.reference.type");
  CHECK(attestations == 2);
  // skopeo picks the image of its own platform out of the index.
  auto config = remote(repo + "/multi:unknown", "--config");
  CHECK(text(config["config"]["Entrypoint"][0]) == "/a");
}

TEST_CASE("push: a nonroot railpack image runs as railpack in the registry too") {
  const BaseImages& base = base_images();
  Project p;
  p.write("start.sh", "echo hi\n");
  p.write("steiger.yml", "build:\n  app: {type: railpack, nonroot: true}\n");
  Standins standins;
  std::string repo = base.registry + "/push-railpack";
  auto out = p.build({"--repo", repo}, standins.env({"STANDIN_RAILPACK_BASE=" + base.busybox}));
  REQUIRE(out.exit_code == 0);
  auto config = remote(repo + "/app:unknown", "--config");
  CHECK(text(config["config"]["User"]) == "railpack");
  CHECK(text(config["config"]["Cmd"][2]) == "sh start.sh");
}
