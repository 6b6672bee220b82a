#include "build/plan.hpp"

#include "common/error.hpp"
#include "platform/host_platform.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>
#include <fstream>

using namespace steiger;
namespace fs = std::filesystem;

namespace {

struct Fixture {
  fs::path dir;
  plugins::Registry registry;
  config::Config config;

  explicit Fixture(const std::string& yaml) {
    std::string tmpl = (fs::temp_directory_path() / "steiger-plan-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()));
    dir = tmpl;
    std::ofstream(dir / "steiger.yml") << yaml;
    REQUIRE(
        registry.load(fs::path(STEIGER_TEST_PLUGIN_DIR) / "good/steiger-testbuilder.so").empty());
    config::LoadOptions options;
    options.dir = dir;
    config = config::load_config(options);
  }
  ~Fixture() { fs::remove_all(dir); }

  std::string error_of(const build::PlanOptions& options = {}) {
    try {
      build::make_plan(config, registry, options);
    } catch (const UserError& e) {
      return e.what();
    }
    return {};
  }
};

}  // namespace

TEST_CASE("the plan has each service's type, artifacts from the plugin, and references") {
  Fixture f(
      "build:\n  api:\n    type: test\n  jobs:\n    type: test\n    artifacts: [worker, cron]\n"
      "tagFormat: v2\n");
  build::PlanOptions options;
  options.repo = "127.0.0.1:5000/proj/";
  auto plan = build::make_plan(f.config, f.registry, options);
  REQUIRE(plan.services.size() == 2);
  CHECK(plan.services[0].artifacts == std::vector<std::string>{"api"});
  CHECK(plan.services[1].artifacts == std::vector<std::string>{"worker", "cron"});
  CHECK(plan.services[1].type->name == "test");
  CHECK(plan.reference("cron") == "127.0.0.1:5000/proj/cron:v2");
  CHECK(plan.platforms == std::vector<std::string>{platform::host_platform()});
}

TEST_CASE("every schema error of every service is reported at once, with positions") {
  Fixture f("build:\n  a:\n    type: test\n    sleeep: 1\n  b:\n    type: test\n    sleep: [1]\n");
  std::string err = f.error_of();
  CHECK(err.find("steiger.yml:4:5: build.a.sleeep: unknown key 'sleeep'; did you mean 'sleep'?") !=
        std::string::npos);
  CHECK(err.find("steiger.yml:7:12: build.b.sleep") != std::string::npos);
}

TEST_CASE("an unknown type suggests a near one and lists the installed types") {
  Fixture f("build:\n  a:\n    type: tets\n");
  std::string err = f.error_of();
  CHECK(err.find("/steiger.yml:3:11: build.a: unknown builder type 'tets'; did you mean 'test'?") !=
        std::string::npos);
  CHECK(err.find("installed builder types: test.") != std::string::npos);
}

TEST_CASE("--only filters, and names a missing service with a suggestion") {
  Fixture f("build:\n  api:\n    type: test\n  web:\n    type: test\n");
  build::PlanOptions options;
  options.only = {"web"};
  auto plan = build::make_plan(f.config, f.registry, options);
  REQUIRE(plan.services.size() == 1);
  CHECK(plan.services[0].block->name == "web");
  options.only = {"wbe,api"};
  CHECK(f.error_of(options).find("--only: no service named 'wbe'") == 0);
  CHECK(f.error_of(options).find("did you mean 'web'?") != std::string::npos);
}

TEST_CASE("two services producing one artifact name is an error naming both") {
  Fixture f("build:\n  api:\n    type: test\n  other:\n    type: test\n    artifacts: [api]\n");
  std::string err = f.error_of();
  CHECK(err.find("build.other: artifact 'api' is also produced by service 'api'") !=
        std::string::npos);
}

TEST_CASE("platforms: comma lists, repeats, and bad entries") {
  CHECK(build::parse_platforms({"linux/amd64,linux/arm64", "linux/amd64", " linux/arm/v7 "}) ==
        std::vector<std::string>{"linux/amd64", "linux/arm64", "linux/arm/v7"});
  CHECK_THROWS_WITH(build::parse_platforms({"amd64"}),
                    Catch::Contains("'amd64' is not a platform"));
  CHECK_THROWS_AS(build::parse_platforms({"Linux/AMD64"}), UserError);
}
