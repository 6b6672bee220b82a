#include <catch2/catch.hpp>

#include "config/git_variables.hpp"
#include "config_test_support.hpp"

using namespace steiger::config;
using steiger::config::test::popen_runner;
using steiger::config::test::sh;
using steiger::config::test::TempDir;

namespace {

std::string git_out(const std::filesystem::path& dir, std::vector<std::string> args) {
  args.insert(args.begin(), {"git", "-C", dir.string()});
  auto out = popen_runner(args);
  REQUIRE(out);
  return out->substr(0, out->find('\n'));
}

}  // namespace

TEST_CASE("git variables of a real repository", "[git]") {
  TempDir repo;
  sh(repo.path(),
     "git init -q && mkdir -p sub && echo one > file && git add file && "
     "git commit -q -m first");
  const std::string commit = git_out(repo.path(), {"rev-parse", "HEAD"});
  const std::string short_commit = git_out(repo.path(), {"rev-parse", "--short", "HEAD"});

  SECTION("a clean tree without a tag") {
    auto vars = git_variables(repo.path(), popen_runner);
    CHECK(vars["gitCommit"] == commit);
    CHECK(commit.size() == 40);
    CHECK(vars["gitShortCommit"] == short_commit);
    CHECK(vars.count("gitTag") == 0);
    CHECK(vars.at("gitDirty").empty());
  }
  SECTION("the highest version tag at HEAD") {
    sh(repo.path(), "git tag v1.9 && git tag v1.10 && git tag -a -m notes v1.2");
    auto vars = git_variables(repo.path(), popen_runner);
    CHECK(vars["gitTag"] == "v1.10");
  }
  SECTION("a tag on an older commit is not HEAD's") {
    sh(repo.path(), "git tag v1 && echo two > file && git commit -q -am second");
    auto vars = git_variables(repo.path(), popen_runner);
    CHECK(vars.count("gitTag") == 0);
    CHECK(vars["gitCommit"] != commit);
  }
  SECTION("a modified tracked file makes the tree dirty") {
    sh(repo.path(), "echo changed > file");
    CHECK(git_variables(repo.path(), popen_runner).at("gitDirty") == "-dirty");
  }
  SECTION("a staged change makes the tree dirty") {
    sh(repo.path(), "echo new > staged && git add staged");
    CHECK(git_variables(repo.path(), popen_runner).at("gitDirty") == "-dirty");
  }
  SECTION("untracked files (our own output folder) do not") {
    sh(repo.path(), "mkdir -p .steiger/out && echo x > .steiger/out/index.json && echo y > new");
    CHECK(git_variables(repo.path(), popen_runner).at("gitDirty").empty());
  }
  SECTION("a subdirectory finds the repository") {
    auto vars = git_variables(repo.path() / "sub", popen_runner);
    CHECK(vars["gitCommit"] == commit);
  }
}

TEST_CASE("no git variables outside a repository or without git", "[git]") {
  TempDir plain;
  CHECK(git_variables(plain.path(), popen_runner).empty());  // the temp dir is in no repository
  sh(plain.path(), "git init -q inner-empty");
  CHECK(git_variables(plain.path() / "inner-empty", popen_runner).empty());  // no commit yet
  std::vector<std::vector<std::string>> calls;
  auto failing = [&](const std::vector<std::string>& argv) -> std::optional<std::string> {
    calls.push_back(argv);
    return std::nullopt;
  };
  CHECK(git_variables(plain.path(), failing).empty());
  REQUIRE(calls.size() == 1);
  CHECK(calls[0] == std::vector<std::string>{"git", "-C", plain.path().string(), "rev-parse",
                                             "--verify", "HEAD"});
  CHECK(git_variables(plain.path(), CommandRunner{}).empty());
}

TEST_CASE("git variables from scripted command output", "[git]") {
  auto runner = [](const std::vector<std::string>& argv) -> std::optional<std::string> {
    const std::string cmd = argv.at(3);
    if (cmd == "rev-parse" && argv.at(4) == "--short") return "abc1234\n";
    if (cmd == "rev-parse") return "abc1234def\n";
    if (cmd == "tag") return "v2.0\nv1.0\n";
    if (cmd == "status") return " M file\n";
    return std::nullopt;
  };
  auto vars = git_variables("/somewhere", runner);
  CHECK(vars == std::map<std::string, std::string>{{"gitCommit", "abc1234def"},
                                                   {"gitShortCommit", "abc1234"},
                                                   {"gitTag", "v2.0"},
                                                   {"gitDirty", "-dirty"}});
}
