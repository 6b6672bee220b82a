// `steiger build` end to end with the test builder plugin: layouts, output file, progress, logs.
#include "e2e_support.hpp"

#include <rapidjson/document.h>
#include <catch2/catch.hpp>

#include <sstream>

using namespace e2e;
namespace fs = std::filesystem;

namespace {

const std::string kThreeServices = R"(build:
  api:
    type: test
    print: ["compiling api", "linking api"]
  web:
    type: test
    layout:
      layers: 3
      layerSize: 4096
  jobs:
    type: test
    artifacts: [worker, cron]
tagFormat: v1
)";

std::vector<std::string> with_plugins(std::vector<std::string> args) {
  args.insert(args.begin(), {"--plugin-path", plugin_dir("good")});
  return args;
}

}  // namespace

TEST_CASE("build writes one OCI layout per artifact that skopeo reads, and the output file") {
  TempDir tmp;
  auto repo = write_config(tmp.path() / "repo", kThreeServices);
  auto out = run_steiger(with_plugins({"build", "-o", "out.json", "--progress", "plain"}), repo);
  INFO(out.err);
  REQUIRE(out.exit_code == 0);

  for (std::string artifact : {"api", "web", "worker", "cron"}) {
    fs::path layout = repo / ".steiger" / "out" / artifact;
    REQUIRE(fs::exists(layout / "index.json"));
    std::string inspect = run_ok({"skopeo", "inspect", "oci:" + layout.string()});
    CHECK(inspect.find("\"Architecture\"") != std::string::npos);
    std::string tagged = run_ok({"skopeo", "inspect", "oci:" + layout.string() + ":v1"});
    CHECK(!tagged.empty());
  }
  std::string web = run_ok({"skopeo", "inspect", "oci:" + (repo / ".steiger/out/web").string()});
  rapidjson::Document webdoc;
  webdoc.Parse(web.c_str());
  CHECK(webdoc["Layers"].Size() == 3);

  rapidjson::Document doc;
  doc.Parse(read_file(repo / "out.json").c_str());
  REQUIRE(doc.IsObject());
  const auto& builds = doc["builds"];
  REQUIRE(builds.Size() == 4);
  CHECK(std::string(builds[0]["imageName"].GetString()) == "api");
  std::string tag = builds[0]["tag"].GetString();
  CHECK(tag.rfind("api:v1@sha256:", 0) == 0);
  CHECK(tag.size() == std::string("api:v1@sha256:").size() + 64);
  CHECK(fs::path(builds[0]["layout"].GetString()) == repo / ".steiger/out/api");
  // The digest in the output file is what the layout's index.json points at.
  std::string index = read_file(repo / ".steiger/out/api/index.json");
  CHECK(index.find(tag.substr(tag.find('@') + 1)) != std::string::npos);

  // stdout lists each reference with its digest; stderr has the plain progress.
  CHECK(out.out.find("worker:v1@sha256:") != std::string::npos);
  CHECK(out.err.find("[api] compiling api") != std::string::npos);
  CHECK(out.err.find("4 ok, 0 failed") == std::string::npos);  // 3 services, 4 artifacts
  CHECK(out.err.find("3 ok, 0 failed, 0 cancelled") != std::string::npos);

  // Each service's full output is kept.
  CHECK(read_file(repo / ".steiger/logs/api.log").find("linking api") != std::string::npos);
  // Work folders are cleaned after success.
  CHECK(!fs::exists(repo / ".steiger/work/api"));
}

TEST_CASE("several platforms become one image index per artifact") {
  TempDir tmp;
  auto repo = write_config(tmp.path() / "repo", "build:\n  api:\n    type: test\ntagFormat: t\n");
  auto out = run_steiger(with_plugins({"build", "--platform", "linux/amd64,linux/arm64",
                                       "--progress", "plain", "-o", "o.json"}),
                         repo);
  INFO(out.err);
  REQUIRE(out.exit_code == 0);
  std::string raw =
      run_ok({"skopeo", "inspect", "--raw", "oci:" + (repo / ".steiger/out/api").string()});
  CHECK(raw.find("application/vnd.oci.image.index.v1+json") != std::string::npos);
  CHECK(raw.find("\"arm64\"") != std::string::npos);
  CHECK(raw.find("\"amd64\"") != std::string::npos);
}

TEST_CASE("--out-dir and -o are relative to where steiger runs; --dir points at the project") {
  TempDir tmp;
  auto repo = write_config(tmp.path() / "repo", "build:\n  api:\n    type: test\n");
  auto out = run_steiger(with_plugins({"-d", "repo", "build", "--out-dir", "layouts", "-o",
                                       "b.json", "--progress", "plain"}),
                         tmp.path());
  INFO(out.err);
  REQUIRE(out.exit_code == 0);
  CHECK(fs::exists(tmp.path() / "layouts/api/index.json"));
  CHECK(fs::exists(tmp.path() / "b.json"));
  CHECK(fs::exists(repo / ".steiger/logs/api.log"));
  // Global options are accepted after the command too.
  auto again = run_steiger({"build", "--plugin-path", plugin_dir("good"), "--dir", "repo",
                            "--out-dir", "l2", "--progress", "plain"},
                           tmp.path());
  INFO(again.err);
  CHECK(again.exit_code == 0);
  CHECK(fs::exists(tmp.path() / "l2/api/index.json"));
}

TEST_CASE("--progress json writes one event per line with service, phase and result") {
  TempDir tmp;
  auto repo = write_config(tmp.path() / "repo",
                           "build:\n  api:\n    type: test\n    print: [hello]\n"
                           "  bad:\n    type: test\n    fail: nope\n");
  auto out = run_steiger(with_plugins({"build", "--progress", "json", "--keep-going"}), repo);
  CHECK(out.exit_code == 1);
  std::istringstream lines(out.out);
  std::string line;
  bool saw_output = false, saw_failed = false, saw_summary = false;
  while (std::getline(lines, line)) {
    rapidjson::Document d;
    d.Parse(line.c_str());
    REQUIRE_FALSE(d.HasParseError());
    REQUIRE(d.HasMember("time"));
    std::string event = d["event"].GetString();
    if (event == "summary") {
      saw_summary = true;
      CHECK(std::string(d["result"].GetString()) == "failed");
      continue;
    }
    std::string service = d["service"].GetString();
    if (event == "output" && service == "api" && std::string(d["message"].GetString()) == "hello")
      saw_output = true;
    if (event == "finished" && service == "bad") {
      saw_failed = std::string(d["result"].GetString()) == "failed";
      CHECK(std::string(d["message"].GetString()).find("nope") != std::string::npos);
    }
  }
  CHECK(saw_output);
  CHECK(saw_failed);
  CHECK(saw_summary);
}

TEST_CASE("a failing service prints its last output lines and the path of its log") {
  TempDir tmp;
  auto repo = write_config(tmp.path() / "repo",
                           "build:\n  api:\n    type: test\n    print: [step one, step two]\n"
                           "    run: [sh, -c, 'echo about to fail >&2; exit 3']\n");
  auto out = run_steiger(with_plugins({"build", "--progress", "plain"}), repo);
  CHECK(out.exit_code == 1);
  CHECK(out.err.find("api failed") != std::string::npos);
  CHECK(out.err.find("| about to fail") != std::string::npos);
  CHECK(out.err.find("| step two") != std::string::npos);
  CHECK(out.err.find(".steiger/logs/api.log") != std::string::npos);
}

TEST_CASE("an exception thrown inside a plugin fails that service only, with its message") {
  TempDir tmp;
  auto repo = write_config(tmp.path() / "repo",
                           "build:\n  boom:\n    type: test\n    throw: kaboom from plugin\n"
                           "  fine:\n    type: test\n");
  auto out = run_steiger(with_plugins({"build", "--progress", "plain", "--keep-going"}), repo);
  CHECK(out.exit_code == 1);
  CHECK(out.err.find("[boom] failed: kaboom from plugin") != std::string::npos);
  CHECK(out.err.find("[fine] ok") != std::string::npos);
  CHECK(fs::exists(repo / ".steiger/out/fine/index.json"));
}

TEST_CASE("a corrupt layout from a builder fails the service with what is wrong") {
  TempDir tmp;
  auto repo = write_config(tmp.path() / "repo",
                           "build:\n  a:\n    type: test\n    corrupt: missing-blob\n"
                           "  b:\n    type: test\n    corrupt: path-escape\n"
                           "  c:\n    type: test\n    layout:\n      missingArtifact: true\n");
  auto out = run_steiger(with_plugins({"build", "--progress", "plain", "--keep-going"}), repo);
  CHECK(out.exit_code == 1);
  CHECK(out.err.find("[a] failed: artifact 'a': invalid OCI layout") != std::string::npos);
  CHECK(out.err.find("missing") != std::string::npos);
  CHECK(out.err.find("[b] failed: artifact 'b': invalid OCI layout") != std::string::npos);
  CHECK(out.err.find("[c] failed: the builder returned no OCI layout for artifact") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(repo / ".steiger/out/a"));
}

TEST_CASE("profiles and substitution reach the plugin; the default tag comes from git") {
  TempDir tmp;
  auto repo =
      write_config(tmp.path() / "repo",
                   "build:\n  api:\n    type: test\n"
                   "    artifacts: [\"${env}-api\", \"${NAME:anon}\", \"${UNSET_X:dflt}\"]\n"
                   "profiles:\n  prod:\n    env: production\n");
  run_ok({"git", "init", "-q"}, repo);
  run_ok({"git", "-c", "user.email=t@t", "-c", "user.name=t", "add", "."}, repo);
  run_ok({"git", "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "init"}, repo);
  std::string short_commit = run_ok({"git", "rev-parse", "--short", "HEAD"}, repo);
  short_commit.pop_back();

  auto out = run_steiger(with_plugins({"build", "-p", "prod", "--progress", "plain", "--dry-run"}),
                         repo, {"NAME=from-env"});
  INFO(out.err);
  REQUIRE(out.exit_code == 0);
  CHECK(out.out.find("production-api -> production-api:" + short_commit + "\n") !=
        std::string::npos);
  CHECK(out.out.find("from-env -> from-env:" + short_commit) != std::string::npos);
  CHECK(out.out.find("dflt -> dflt:" + short_commit) != std::string::npos);
  CHECK_FALSE(fs::exists(repo / ".steiger"));  // a dry run runs nothing

  auto unknown = run_steiger(with_plugins({"build", "-p", "prdo", "--dry-run"}), repo);
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("did you mean 'prod'") != std::string::npos);

  auto missing = run_steiger(with_plugins({"build", "--dry-run"}), repo);
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("steiger.yml:4:") != std::string::npos);
  CHECK(missing.err.find("variable 'env' is not set") != std::string::npos);
}

TEST_CASE("--only builds the named services; an unknown name is a usage error") {
  TempDir tmp;
  auto repo = write_config(tmp.path() / "repo", kThreeServices);
  auto out = run_steiger(with_plugins({"build", "--only", "web", "--progress", "plain"}), repo);
  REQUIRE(out.exit_code == 0);
  CHECK(fs::exists(repo / ".steiger/out/web"));
  CHECK_FALSE(fs::exists(repo / ".steiger/out/api"));
  auto bad = run_steiger(with_plugins({"build", "--only", "wbe"}), repo);
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("did you mean 'web'") != std::string::npos);
}

TEST_CASE("--dry-run prints services, plugins, platforms and the references it would push") {
  TempDir tmp;
  auto repo = write_config(tmp.path() / "repo", kThreeServices);
  auto out = run_steiger(with_plugins({"build", "--dry-run", "--repo", "127.0.0.1:5000/proj",
                                       "--platform", "linux/amd64,linux/arm64"}),
                         repo);
  INFO(out.err);
  REQUIRE(out.exit_code == 0);
  CHECK(out.out.find("platforms:   linux/amd64, linux/arm64") != std::string::npos);
  CHECK(out.out.find("jobs  (type test, plugin testbuilder 1.0.0") != std::string::npos);
  CHECK(out.out.find("worker -> 127.0.0.1:5000/proj/worker:v1") != std::string::npos);
  CHECK(out.out.find("cron -> 127.0.0.1:5000/proj/cron:v1") != std::string::npos);
  CHECK_FALSE(fs::exists(repo / ".steiger"));
}
