#include "cli/options.hpp"

#include "common/error.hpp"

#include <catch2/catch.hpp>

using namespace steiger;

TEST_CASE("global options are accepted before and after the command") {
  auto before = cli::parse_command_line({"-d", "repo", "-c", "x.yml", "build", "-r", "reg/p"});
  CHECK(before.name == "build");
  CHECK(before.global.dir == before.global.working_dir / "repo");
  CHECK(before.global.config == std::filesystem::path("x.yml"));
  CHECK(before.vars["repo"].as<std::string>() == "reg/p");
  auto after =
      cli::parse_command_line({"build", "--dir", "repo", "--repo", "reg/p", "--config=x.yml"});
  CHECK(after.name == "build");
  CHECK(after.global.dir == before.global.dir);
  CHECK(after.global.config == before.global.config);
}

TEST_CASE("repeatable options collect, and --plugin-path keeps its order") {
  auto p =
      cli::parse_command_line({"--plugin-path", "/a", "build", "--platform", "linux/amd64",
                               "--platform=linux/arm64", "--plugin-path", "/b", "--only", "x,y"});
  CHECK(p.global.plugin_paths == std::vector<std::string>{"/a", "/b"});
  CHECK(p.vars["platform"].as<std::vector<std::string>>() ==
        std::vector<std::string>{"linux/amd64", "linux/arm64"});
}

TEST_CASE("unknown commands and options are usage errors with suggestions") {
  CHECK_THROWS_WITH(cli::parse_command_line({"biuld"}), Catch::Contains("did you mean 'build'?"));
  CHECK_THROWS_WITH(cli::parse_command_line({"build", "--dry-rnu"}),
                    Catch::Contains("did you mean '--dry-run'?"));
  // An option of another command is unknown here.
  CHECK_THROWS_AS(cli::parse_command_line({"plugins", "--repo", "x"}), UserError);
  CHECK_THROWS_AS(cli::parse_command_line({"build", "--concurrency", "many"}), UserError);
}
