#include "plugins/registry.hpp"

#include "common/error.hpp"

#include <catch2/catch.hpp>

using steiger::plugins::Kind;
using steiger::plugins::Registry;
namespace fs = std::filesystem;

namespace {

fs::path plugin(const std::string& folder, const std::string& file) {
  return fs::path(STEIGER_TEST_PLUGIN_DIR) / folder / file;
}

}  // namespace

TEST_CASE("a plugin built against the SDK loads with its name, version and typed schemas") {
  Registry registry;
  REQUIRE(registry.load(plugin("good", "steiger-testbuilder.so")).empty());
  REQUIRE(registry.plugins().size() == 1);
  const auto& p = *registry.plugins()[0];
  CHECK(p.name == "testbuilder");
  CHECK(p.version == "1.0.0");
  CHECK(p.sdk_major == 1);
  CHECK(p.sdk_minor == 0);
  const auto* test = registry.find(Kind::Builder, "test");
  REQUIRE(test != nullptr);
  CHECK(test->plugin == &p);
  CHECK(registry.find(Kind::Deployer, "test-deploy") != nullptr);
  CHECK(registry.find(Kind::Deployer, "test") == nullptr);  // kinds are separate namespaces
  CHECK(registry.type_names(Kind::Builder) == std::vector<std::string>{"test"});
}

TEST_CASE("plugins built against another major or a newer minor are refused naming both versions") {
  Registry registry;
  CHECK(registry.load(plugin("bad-major", "steiger-badmajor.so")) ==
        "built against SDK 2.0, but this steiger supports SDK 1.0 to 1.0; rebuild it against the "
        "installed SDK");
  CHECK(registry.load(plugin("newer-minor", "steiger-newerminor.so"))
            .find("built against SDK 1.99") == 0);
  CHECK(registry.plugins().empty());
}

TEST_CASE("libraries that are not plugins are refused, not crashed on") {
  Registry registry;
  CHECK(
      registry.load(plugin("not-a-plugin", "steiger-notaplugin.so")).find("not a steiger plugin") ==
      0);
  CHECK(registry.load(plugin("corrupt-file", "steiger-garbage.so")).find("cannot be loaded") == 0);
  CHECK(registry.load(plugin("bad-schema", "steiger-badschema.so")).find("type 'badschema'") == 0);
  CHECK(registry.plugins().empty());
}

TEST_CASE("two plugins claiming one type: finding it is an error naming both files") {
  auto registry =
      Registry::discover({plugin("good", "").parent_path(), plugin("duplicate", "").parent_path()});
  REQUIRE(registry.conflicts().size() == 1);
  CHECK(registry.conflicts()[0].type == "test");
  try {
    registry.find(Kind::Builder, "test");
    FAIL("expected a conflict");
  } catch (const steiger::UserError& e) {
    std::string msg = e.what();
    CHECK(msg.find("steiger-testbuilder.so") != std::string::npos);
    CHECK(msg.find("steiger-testdup.so") != std::string::npos);
  }
  // The other types of both plugins stay usable.
  CHECK(registry.find(Kind::Deployer, "test-deploy") != nullptr);
}

TEST_CASE("the same file name later on the search path is shadowed, missing folders are skipped") {
  fs::path good = plugin("good", "").parent_path();
  auto registry =
      Registry::discover({good, "/nonexistent/steiger/plugins", good.parent_path() / "good/."});
  CHECK(registry.plugins().size() == 1);
  CHECK(registry.conflicts().empty());
  REQUIRE(registry.refused().size() == 1);
  CHECK(registry.refused()[0].reason.find("shadowed by") == 0);
}
