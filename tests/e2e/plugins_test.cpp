// `steiger plugins` and how plugins are found, refused and kept apart.
#include "e2e_support.hpp"

#include <rapidjson/document.h>
#include <catch2/catch.hpp>

using namespace e2e;
namespace fs = std::filesystem;

namespace {

std::string all_test_plugin_dirs() {
  std::string path;
  for (std::string d :
       {"good", "bad-major", "newer-minor", "not-a-plugin", "bad-schema", "corrupt-file"})
    path += (path.empty() ? "" : ":") + plugin_dir(d);
  return path;
}

}  // namespace

TEST_CASE("steiger plugins lists what loaded and what was refused, with reasons") {
  TempDir tmp;
  auto out = run_steiger({"plugins", "--plugin-path", all_test_plugin_dirs()}, tmp.path());
  INFO(out.out << out.err);
  REQUIRE(out.exit_code == 0);
  CHECK(out.out.find("testbuilder 1.0.0 (SDK 1.0)") != std::string::npos);
  CHECK(out.out.find("builder  test") != std::string::npos);
  CHECK(out.out.find("deployer test-deploy") != std::string::npos);
  CHECK(out.out.find("built against SDK 2.0, but this steiger supports SDK 1.0 to 1.0") !=
        std::string::npos);
  CHECK(out.out.find("built against SDK 1.99") != std::string::npos);
  CHECK(out.out.find("not a steiger plugin") != std::string::npos);
  CHECK(out.out.find("invalid config schema") != std::string::npos);
  CHECK(out.out.find("steiger-garbage.so\n    cannot be loaded") != std::string::npos);
}

TEST_CASE("steiger plugins --json says the same for machines") {
  TempDir tmp;
  auto out =
      run_steiger({"plugins", "--json", "--plugin-path", all_test_plugin_dirs()}, tmp.path());
  REQUIRE(out.exit_code == 0);
  rapidjson::Document d;
  d.Parse(out.out.c_str());
  REQUIRE(d.IsObject());
  const auto& plugins = d["plugins"];
  bool found = false;
  for (const auto& p : plugins.GetArray()) {
    if (std::string(p["name"].GetString()) != "testbuilder") continue;
    found = true;
    CHECK(std::string(p["sdk"].GetString()) == "1.0");
    CHECK(std::string(p["path"].GetString()).find("steiger-testbuilder.so") != std::string::npos);
    CHECK(p["types"][0]["schema"].IsObject());
  }
  CHECK(found);
  CHECK(d["refused"].Size() >= 5);
  for (const auto& r : d["refused"].GetArray())
    CHECK(std::string(r["reason"].GetString()).size() > 10);
}

TEST_CASE("STEIGER_PLUGIN_PATH is searched; the working directory never is") {
  TempDir tmp;
  auto out =
      run_steiger({"plugins", "--json"}, tmp.path(), {"STEIGER_PLUGIN_PATH=" + plugin_dir("good")});
  CHECK(out.out.find("testbuilder") != std::string::npos);
  // A plugin dropped into the project folder is not loaded.
  fs::copy_file(fs::path(plugin_dir("good")) / "steiger-testbuilder.so",
                tmp.path() / "steiger-testbuilder.so");
  auto cwd = run_steiger({"plugins", "--json"}, tmp.path(), {"STEIGER_PLUGIN_PATH="});
  CHECK(cwd.out.find("testbuilder") == std::string::npos);
}

TEST_CASE("two plugins claiming one type: listed as a conflict, and using it names both files") {
  TempDir tmp;
  std::string path = plugin_dir("good") + ":" + plugin_dir("duplicate");
  auto list = run_steiger({"plugins", "--plugin-path", path}, tmp.path());
  CHECK(list.exit_code == 1);
  CHECK(list.out.find("builder type 'test'") != std::string::npos);
  auto repo = write_config(tmp.path() / "repo", "build:\n  api:\n    type: test\n");
  auto build = run_steiger({"build", "--plugin-path", path, "--dry-run"}, repo);
  CHECK(build.exit_code == 2);
  CHECK(build.err.find("steiger-testbuilder.so") != std::string::npos);
  CHECK(build.err.find("steiger-testdup.so") != std::string::npos);
}

TEST_CASE(
    "a plugin using a refused plugin's type says the type is unknown and lists the known ones") {
  TempDir tmp;
  auto repo = write_config(tmp.path() / "repo", "build:\n  api:\n    type: tset\n");
  auto out = run_steiger({"build", "--plugin-path", plugin_dir("good"), "--dry-run"}, repo);
  CHECK(out.exit_code == 2);
  CHECK(out.err.find(
            "steiger.yml:3:11: build.api: unknown builder type 'tset'; did you mean 'test'?") !=
        std::string::npos);
  // Stock plugins of the build tree may be listed too.
  CHECK(out.err.find("installed builder types: ") != std::string::npos);
  CHECK(out.err.find(" test.") != std::string::npos);
}
