// The real steiger.yml files of the Rust Steiger, unchanged, through --dry-run.
#include "e2e_support.hpp"

#include <catch2/catch.hpp>

using namespace e2e;
namespace fs = std::filesystem;

namespace {

fs::path upstream(const std::string& name) {
  return fs::path(STEIGER_SOURCE_DIR) / "tests/data/config/upstream" / name;
}

Output dry_run(const TempDir& tmp, const std::string& name) {
  fs::path repo = tmp.path() / name;
  fs::create_directories(repo);
  fs::copy_file(upstream(name), repo / "steiger.yml");
  // The build tree's stock plugins, as an installed steiger would find them.
  return run_steiger({"build", "--dry-run", "--repo", "127.0.0.1:5000/up"}, repo);
}

}  // namespace

TEST_CASE("upstream docker configs plan with the stock docker plugin, unchanged") {
  TempDir tmp;
  for (std::string name : {"example_steiger.yml", "steiger.yml", "tests_docker_steiger.yml"}) {
    auto out = dry_run(tmp, name);
    INFO(name << "\n" << out.err);
    CHECK(out.exit_code == 0);
    CHECK(out.out.find("(type docker, plugin docker") != std::string::npos);
    CHECK(out.out.find(" -> 127.0.0.1:5000/up/") != std::string::npos);
  }
}

TEST_CASE("upstream configs whose plugin is not installed name the type and what is installed") {
  TempDir tmp;
  for (std::string name :
       {"tests_bazel_steiger.yml", "tests_ko_steiger.yml", "tests_nix_steiger.yml"}) {
    auto out = dry_run(tmp, name);
    INFO(name << "\n" << out.err);
    CHECK(out.exit_code == 2);
    CHECK(out.err.find("unknown builder type") != std::string::npos);
    CHECK(out.err.find("installed builder types: ") != std::string::npos);
    CHECK(out.err.find("docker") != std::string::npos);
  }
}
