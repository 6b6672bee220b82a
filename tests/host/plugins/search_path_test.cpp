#include "plugins/search_path.hpp"

#include <catch2/catch.hpp>

using steiger::plugins::plugin_search_path;
using steiger::plugins::SearchPathInputs;
namespace fs = std::filesystem;

TEST_CASE(
    "search order: --plugin-path, STEIGER_PLUGIN_PATH, install prefix; never the working dir") {
  SearchPathInputs in;
  in.cli_paths = {"/a:rel", "/b"};
  in.env_path = "/c::/a:";
  in.executable = "/opt/steiger/bin/steiger";
  in.working_dir = "/work/repo";
  auto path = plugin_search_path(in);
  std::vector<fs::path> expected = {"/a", "/work/repo/rel", "/b", "/c",
                                    fs::path("/opt/steiger") / STEIGER_PLUGIN_INSTALL_DIR};
  CHECK(path == expected);
  for (const auto& p : path) CHECK(p != fs::path("/work/repo"));
}

TEST_CASE("the build tree's plugin folder is searched only by the build tree's executable") {
  SearchPathInputs in;
  in.working_dir = "/";
  in.executable = fs::path(STEIGER_BUILD_PLUGIN_DIR).parent_path() / "bin/steiger";
  auto path = plugin_search_path(in);
  CHECK(path.back() == fs::path(STEIGER_BUILD_PLUGIN_DIR));
  in.executable = "/usr/bin/steiger";
  path = plugin_search_path(in);
  CHECK(std::find(path.begin(), path.end(), fs::path(STEIGER_BUILD_PLUGIN_DIR)) == path.end());
}
