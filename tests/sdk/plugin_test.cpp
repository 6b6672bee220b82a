#include <steiger/sdk/plugin.hpp>
#include <steiger/sdk/version.hpp>

#include <dlfcn.h>
#include <rapidjson/document.h>
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "support.hpp"

using namespace steiger;
using namespace steiger::test;
namespace fs = std::filesystem;

namespace {

struct OkBuilder : sdk::Builder {
  void build(sdk::BuildContext& ctx) override { ctx.add_artifact(ctx.service(), "/layout"); }
};
struct RuntimeErrorBuilder : sdk::Builder {
  void build(sdk::BuildContext&) override { throw std::runtime_error("boom"); }
};
struct SdkErrorBuilder : sdk::Builder {
  void build(sdk::BuildContext&) override { throw sdk::Error("docker is not installed"); }
};
struct UnknownThrowBuilder : sdk::Builder {
  void build(sdk::BuildContext&) override { throw 42; }
};
struct CancelledBuilder : sdk::Builder {
  void build(sdk::BuildContext& ctx) override {
    ctx.check_cancelled();
    FAIL("check_cancelled did not throw");
  }
};
struct NamedArtifacts : sdk::Builder {
  std::vector<std::string> artifacts(const std::string& service,
                                     const sdk::Value& config) override {
    auto names = config.strings("names");
    names.push_back(service + "-extra");
    return names;
  }
  void build(sdk::BuildContext&) override {}
};
struct ThrowingPlan : sdk::Builder {
  std::vector<std::string> artifacts(const std::string&, const sdk::Value&) override {
    throw sdk::Error("no plan");
  }
  void build(sdk::BuildContext&) override {}
};
struct OkDeployer : sdk::Deployer {
  void deploy(sdk::DeployContext& ctx) override { ctx.phase("deploying " + ctx.release()); }
};
struct FailingDeployer : sdk::Deployer {
  void deploy(sdk::DeployContext&) override { throw std::logic_error("bad release"); }
};

template <class B>
std::pair<int32_t, FakeHost> run_build(const sdk::Value& config = obj({}), bool cancelled = false) {
  FakeHost host;
  host.cancelled = cancelled;
  auto api = host.api();
  BuildRequest req("svc", config, {"linux/amd64"}, "/work");
  int32_t rc = sdk::detail::build<B>(req.get(), &api);
  return {rc, std::move(host)};
}

}  // namespace

TEST_CASE("build trampoline: success reports nothing", "[plugin]") {
  auto [rc, host] = run_build<OkBuilder>();
  CHECK(rc == 0);
  CHECK(host.errors.empty());
  CHECK(host.artifacts == std::vector<std::pair<std::string, std::string>>{{"svc", "/layout"}});
}

TEST_CASE("build trampoline: exceptions become set_error and 1", "[plugin]") {
  SECTION("std::runtime_error") {
    auto [rc, host] = run_build<RuntimeErrorBuilder>();
    CHECK(rc == 1);
    CHECK(host.errors == std::vector<std::string>{"boom"});
  }
  SECTION("sdk::Error") {
    auto [rc, host] = run_build<SdkErrorBuilder>();
    CHECK(rc == 1);
    CHECK(host.errors == std::vector<std::string>{"docker is not installed"});
  }
  SECTION("not an exception class") {
    auto [rc, host] = run_build<UnknownThrowBuilder>();
    CHECK(rc == 1);
    CHECK(host.errors == std::vector<std::string>{"the plugin threw an unknown exception"});
  }
  SECTION("cancellation") {
    auto [rc, host] = run_build<CancelledBuilder>(obj({}), true);
    CHECK(rc == 1);
    CHECK(host.errors == std::vector<std::string>{"cancelled"});
  }
  SECTION("a config the plugin misreads") {
    struct Misreads : sdk::Builder {
      void build(sdk::BuildContext& ctx) override { (void)ctx.config()["n"].as_string(); }
    };
    auto [rc, host] = run_build<Misreads>(obj({{"n", num(1)}}));
    CHECK(rc == 1);
    CHECK(host.errors == std::vector<std::string>{"config value is not a string"});
  }
}

TEST_CASE("plan trampoline reports artifact names with an empty layout", "[plugin]") {
  FakeHost host;
  auto api = host.api();
  AbiValue config(obj({{"names", arr({str("a"), str("b")})}}));
  std::string service = "svc";
  steiger_plan_request req{sizeof(steiger_plan_request), sdk::to_abi(service), config.get()};
  CHECK(sdk::detail::plan<NamedArtifacts>(&req, &api) == 0);
  CHECK(host.artifacts ==
        std::vector<std::pair<std::string, std::string>>{{"a", ""}, {"b", ""}, {"svc-extra", ""}});

  FakeHost host2;
  auto api2 = host2.api();
  CHECK(sdk::detail::plan<OkBuilder>(&req, &api2) == 0);  // the default: the service's name
  CHECK(host2.artifacts == std::vector<std::pair<std::string, std::string>>{{"svc", ""}});

  FakeHost host3;
  auto api3 = host3.api();
  CHECK(sdk::detail::plan<ThrowingPlan>(&req, &api3) == 1);
  CHECK(host3.errors == std::vector<std::string>{"no plan"});
}

TEST_CASE("deploy trampoline", "[plugin]") {
  AbiValue config(obj({}));
  std::string release = "web";
  steiger_deploy_request req{};
  req.struct_size = sizeof req;
  req.release = sdk::to_abi(release);
  req.config = config.get();
  FakeHost ok;
  auto ok_api = ok.api();
  CHECK(sdk::detail::deploy<OkDeployer>(&req, &ok_api) == 0);
  CHECK(ok.phases == std::vector<std::string>{"deploying web"});
  FakeHost bad;
  auto bad_api = bad.api();
  CHECK(sdk::detail::deploy<FailingDeployer>(&req, &bad_api) == 1);
  CHECK(bad.errors == std::vector<std::string>{"bad release"});
}

TEST_CASE("type descriptors", "[plugin]") {
  constexpr steiger_type_descriptor b = sdk::builder<OkBuilder>("ok", "desc", "{}");
  CHECK(b.struct_size == sizeof(steiger_type_descriptor));
  CHECK(b.kind == STEIGER_KIND_BUILDER);
  CHECK(std::string(b.name) == "ok");
  CHECK(b.plan != nullptr);
  CHECK(b.build != nullptr);
  CHECK(b.deploy == nullptr);
  constexpr steiger_type_descriptor d = sdk::deployer<OkDeployer>("dep", "desc", "{}");
  CHECK(d.kind == STEIGER_KIND_DEPLOYER);
  CHECK(d.plan == nullptr);
  CHECK(d.build == nullptr);
  CHECK(d.deploy != nullptr);
}

TEST_CASE("version compatibility rule", "[plugin]") {
  CHECK(sdk::host_accepts(STEIGER_SDK_VERSION_MAJOR, 0));
  CHECK(sdk::host_accepts(STEIGER_SDK_VERSION_MAJOR, STEIGER_SDK_VERSION_MINOR));
  CHECK_FALSE(sdk::host_accepts(STEIGER_SDK_VERSION_MAJOR, STEIGER_SDK_VERSION_MINOR + 1));
  CHECK_FALSE(sdk::host_accepts(STEIGER_SDK_VERSION_MAJOR + 1, 0));
}

// ---- The test plugins, loaded as the host loads them -------------------------------------------

namespace {

struct Loaded {
  void* handle = nullptr;
  std::string error;
  const steiger_plugin_descriptor* descriptor = nullptr;
};

// dlopen + the alias Boost.DLL exports (a pointer-sized variable holding the entry's address).
// Handles stay open: descriptors point into the libraries.
Loaded load(const std::string& folder, const std::string& file) {
  Loaded l;
  std::string path = std::string(STEIGER_TEST_PLUGIN_DIR) + "/" + folder + "/" + file;
  l.handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (l.handle == nullptr) {
    l.error = dlerror();
    return l;
  }
  void* alias = dlsym(l.handle, STEIGER_PLUGIN_ENTRY_SYMBOL);
  if (alias == nullptr) {
    l.error = "no entry point";
    return l;
  }
  const void* address = *static_cast<const void* const*>(alias);
  steiger_plugin_entry_fn entry;
  std::memcpy(&entry, &address, sizeof entry);
  l.descriptor = entry();
  return l;
}

bool valid_json(const char* text) {
  rapidjson::Document doc;
  return !doc.Parse(text).HasParseError() && doc.IsObject();
}

const steiger_type_descriptor* find_type(const steiger_plugin_descriptor* d, const char* name) {
  for (size_t i = 0; i < d->type_count; ++i)
    if (std::string(d->types[i].name) == name) return &d->types[i];
  return nullptr;
}

}  // namespace

TEST_CASE("test plugin folders hold what the host tests expect", "[plugins]") {
  SECTION("good: testbuilder") {
    Loaded l = load("good", "steiger-testbuilder.so");
    REQUIRE(l.descriptor != nullptr);
    const auto* d = l.descriptor;
    CHECK(d->abi.major == STEIGER_SDK_VERSION_MAJOR);
    CHECK(d->abi.minor == STEIGER_SDK_VERSION_MINOR);
    CHECK(d->abi.descriptor_size == sizeof(steiger_plugin_descriptor));
    CHECK(std::string(d->name) == "testbuilder");
    CHECK(std::string(d->version) == "1.0.0");
    REQUIRE(d->type_count == 2);
    const auto* test = find_type(d, "test");
    REQUIRE(test != nullptr);
    CHECK(test->kind == STEIGER_KIND_BUILDER);
    CHECK(valid_json(test->config_schema));
    const auto* deploy = find_type(d, "test-deploy");
    REQUIRE(deploy != nullptr);
    CHECK(deploy->kind == STEIGER_KIND_DEPLOYER);
    CHECK(valid_json(deploy->config_schema));
    // Hidden visibility: the entry function itself is not exported, only its alias.
    CHECK(dlsym(l.handle, "steiger_plugin_entry_function") == nullptr);
    // And nothing of Boost: its weak and unique symbols would bind across plugins built against
    // other Boost versions and keep a plugin from unloading.
    std::string exported;
    std::string nm =
        "nm -D --defined-only --extern-only " +
        (std::filesystem::path(STEIGER_TEST_PLUGIN_DIR) / "good/steiger-testbuilder.so").string();
    if (FILE* p = popen(nm.c_str(), "r")) {
      char buf[4096];
      while (size_t n = fread(buf, 1, sizeof buf, p)) exported.append(buf, n);
      CHECK(pclose(p) == 0);
    }
    CHECK(exported.find("steiger_plugin_entry") != std::string::npos);
    CHECK(exported.find("boost") == std::string::npos);
  }
  SECTION("bad-major and newer-minor are refused by version") {
    Loaded major = load("bad-major", "steiger-badmajor.so");
    REQUIRE(major.descriptor != nullptr);
    CHECK(major.descriptor->abi.major == 2);
    CHECK_FALSE(sdk::host_accepts(major.descriptor->abi.major, major.descriptor->abi.minor));
    Loaded minor = load("newer-minor", "steiger-newerminor.so");
    REQUIRE(minor.descriptor != nullptr);
    CHECK(minor.descriptor->abi.major == 1);
    CHECK(minor.descriptor->abi.minor == 99);
    CHECK_FALSE(sdk::host_accepts(minor.descriptor->abi.major, minor.descriptor->abi.minor));
  }
  SECTION("not-a-plugin loads but has no entry point") {
    Loaded l = load("not-a-plugin", "steiger-notaplugin.so");
    CHECK(l.handle != nullptr);
    CHECK(l.error == "no entry point");
    CHECK(dlsym(l.handle, "steiger_not_a_plugin") != nullptr);
  }
  SECTION("duplicate claims `test`") {
    Loaded l = load("duplicate", "steiger-testdup.so");
    REQUIRE(l.descriptor != nullptr);
    CHECK(std::string(l.descriptor->name) == "testdup");
    CHECK(find_type(l.descriptor, "test") != nullptr);
  }
  SECTION("bad-schema's schema is not JSON") {
    Loaded l = load("bad-schema", "steiger-badschema.so");
    REQUIRE(l.descriptor != nullptr);
    const auto* t = find_type(l.descriptor, "badschema");
    REQUIRE(t != nullptr);
    CHECK_FALSE(valid_json(t->config_schema));
  }
  SECTION("corrupt-file does not load") {
    Loaded l = load("corrupt-file", "steiger-garbage.so");
    CHECK(l.handle == nullptr);
    CHECK_FALSE(l.error.empty());
  }
}
