// Usage and config errors: exit 2, before anything runs, naming file:line:col and the next step.
#include "e2e_support.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace e2e;
namespace fs = std::filesystem;

namespace {

e2e::Output build_config(const TempDir& tmp, const std::string& config,
                         std::vector<std::string> extra = {}) {
  auto repo = write_config(tmp.path() / "repo", config);
  std::vector<std::string> args = {"--plugin-path", plugin_dir("good"), "build", "--progress",
                                   "plain"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_steiger(args, repo);
}

}  // namespace

TEST_CASE("an unknown key in a block names its position and suggests the right one") {
  TempDir tmp;
  auto out = build_config(tmp, "build:\n  api:\n    type: test\n    sleeep: 1\n");
  CHECK(out.exit_code == 2);
  CHECK(out.err.find(
            "steiger.yml:4:5: build.api.sleeep: unknown key 'sleeep'; did you mean 'sleep'?") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(tmp.path() / "repo/.steiger"));
}

TEST_CASE("wrong types are reported for every service at once") {
  TempDir tmp;
  auto out = build_config(tmp,
                          "build:\n  a:\n    type: test\n    sleep: soon\n"
                          "  b:\n    type: test\n    print: hello\n");
  CHECK(out.exit_code == 2);
  CHECK(out.err.find("steiger.yml:4:12: build.a.sleep") != std::string::npos);
  CHECK(out.err.find("steiger.yml:7:12: build.b.print") != std::string::npos);
}

TEST_CASE("an unknown top-level key and a block without type") {
  TempDir tmp;
  auto out = build_config(tmp, "biuld:\n  a:\n    type: test\n");
  CHECK(out.exit_code == 2);
  CHECK(out.err.find("did you mean 'build'?") != std::string::npos);
  TempDir tmp2;
  auto notype = build_config(tmp2, "build:\n  a:\n    sleep: 1\n");
  CHECK(notype.exit_code == 2);
  CHECK(notype.err.find("steiger.yml:") != std::string::npos);
  CHECK(notype.err.find("type") != std::string::npos);
}

TEST_CASE("no config file: the error names the folder and the file names looked for") {
  TempDir tmp;
  auto out = run_steiger({"--plugin-path", plugin_dir("good"), "build"}, tmp.path());
  CHECK(out.exit_code == 2);
  CHECK(out.err.find("steiger.yml") != std::string::npos);
  CHECK(out.err.find("steiger.yaml") != std::string::npos);
}

TEST_CASE("steiger.yaml is used when there is no steiger.yml, and -c picks another file") {
  TempDir tmp;
  fs::create_directories(tmp.path() / "repo");
  {
    std::ofstream(tmp.path() / "repo/steiger.yaml") << "build:\n  fromyaml:\n    type: test\n";
    std::ofstream(tmp.path() / "repo/other.yml") << "build:\n  fromother:\n    type: test\n";
  }
  auto out =
      run_steiger({"--plugin-path", plugin_dir("good"), "build", "--dry-run"}, tmp.path() / "repo");
  CHECK(out.out.find("fromyaml") != std::string::npos);
  auto other =
      run_steiger({"--plugin-path", plugin_dir("good"), "-c", "other.yml", "build", "--dry-run"},
                  tmp.path() / "repo");
  CHECK(other.out.find("fromother") != std::string::npos);
}

TEST_CASE("unknown commands and options are usage errors with a suggestion") {
  TempDir tmp;
  auto cmd = run_steiger({"biuld"}, tmp.path());
  CHECK(cmd.exit_code == 2);
  CHECK(cmd.err.find("did you mean 'build'?") != std::string::npos);
  auto opt = run_steiger({"build", "--keep-goign"}, tmp.path());
  CHECK(opt.exit_code == 2);
  CHECK(opt.err.find("did you mean '--keep-going'?") != std::string::npos);
  auto platform = build_config(tmp, "build:\n  a:\n    type: test\n", {"--platform", "amd64"});
  CHECK(platform.exit_code == 2);
  CHECK(platform.err.find("'amd64' is not a platform") != std::string::npos);
}
