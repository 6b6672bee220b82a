// The `test` builder and `test-deploy` deployer, driven through their C entry points the way the
// host drives them, with a fake host that runs real processes. The host's own tests rely on these
// behaviours, so they are pinned here.
#include <steiger/sdk/abi.h>
#include <steiger/sdk/layout_writer.hpp>

#include <dlfcn.h>
#include <rapidjson/document.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <string>

#include "support.hpp"

using namespace steiger;
using namespace steiger::test;
namespace fs = std::filesystem;

namespace {

const steiger_plugin_descriptor& testbuilder() {
  static const steiger_plugin_descriptor* d = [] {
    std::string path = std::string(STEIGER_TEST_PLUGIN_DIR) + "/good/steiger-testbuilder.so";
    void* h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (h == nullptr) throw std::runtime_error(dlerror());
    void* alias = dlsym(h, STEIGER_PLUGIN_ENTRY_SYMBOL);
    if (alias == nullptr) throw std::runtime_error("no entry point");
    const void* address = *static_cast<const void* const*>(alias);
    steiger_plugin_entry_fn entry;
    std::memcpy(&entry, &address, sizeof entry);
    return entry();
  }();
  return *d;
}

const steiger_type_descriptor& type(const char* name) {
  const auto& d = testbuilder();
  for (size_t i = 0; i < d.type_count; ++i)
    if (std::string(d.types[i].name) == name) return d.types[i];
  throw std::runtime_error(std::string("no type ") + name);
}

struct Run {
  int32_t rc;
  FakeHost host;
};

Run build(const std::string& service, const sdk::Value& config, const fs::path& work,
          std::vector<std::string> platforms = {"linux/amd64"}, bool cancelled = false) {
  fs::create_directories(work);
  Run r{0, {}};
  r.host.work_dir = work.string();
  r.host.cancelled = cancelled;
  auto api = r.host.api();
  BuildRequest req(service, config, std::move(platforms), work.string());
  r.rc = type("test").build(req.get(), &api);
  return r;
}

rapidjson::Document json(const fs::path& file) {
  rapidjson::Document doc;
  doc.Parse(read_file(file).c_str());
  return doc;
}

}  // namespace

TEST_CASE("testbuilder: default config writes one valid layout named after the service",
          "[testbuilder]") {
  TempDir tmp;
  Run r = build("api", obj({}), tmp / "work");
  REQUIRE(r.rc == 0);
  CHECK(r.host.errors.empty());
  REQUIRE(r.host.artifacts.size() == 1);
  CHECK(r.host.artifacts[0].first == "api");
  fs::path layout = r.host.artifacts[0].second;
  CHECK(layout == tmp / "work" / "api");
  CHECK(check_layout(layout) == "");
  auto index = json(layout / "index.json");
  REQUIRE(index["manifests"].Size() == 1);
  CHECK(std::string(index["manifests"][0]["platform"]["architecture"].GetString()) == "amd64");
  if (have_tool("skopeo")) {
    auto [rc, out] = shell("skopeo inspect --config oci:" + quote(layout.string()));
    REQUIRE(rc == 0);
    rapidjson::Document config;
    config.Parse(out.c_str());
    CHECK(std::string(config["config"]["Entrypoint"][0].GetString()) == "/hello");
    CHECK(config["rootfs"]["diff_ids"].Size() == 1);
  }
}

TEST_CASE("testbuilder: plan reports the artifacts before building", "[testbuilder]") {
  auto plan = [](const sdk::Value& config) {
    FakeHost host;
    auto api = host.api();
    AbiValue abi(config);
    std::string service = "svc";
    steiger_plan_request req{sizeof(steiger_plan_request), sdk::to_abi(service), abi.get()};
    REQUIRE(type("test").plan(&req, &api) == 0);
    std::vector<std::string> names;
    for (const auto& [name, dir] : host.artifacts) names.push_back(name);
    return names;
  };
  CHECK(plan(obj({})) == std::vector<std::string>{"svc"});
  CHECK(plan(obj({{"artifacts", arr({str("a"), str("b")})}})) ==
        std::vector<std::string>{"a", "b"});
}

TEST_CASE("testbuilder: artifacts x platforms x layers, reproducible, distinct per service",
          "[testbuilder]") {
  TempDir tmp;
  auto config = obj({{"artifacts", arr({str("web"), str("worker")})},
                     {"layout", obj({{"layers", num(3)}, {"layerSize", num(5000)}})}});
  std::vector<std::string> platforms{"linux/amd64", "linux/arm64/v8"};
  Run one = build("svc", config, tmp / "one", platforms);
  Run two = build("svc", config, tmp / "two", platforms);
  Run other = build("other", config, tmp / "other", platforms);
  REQUIRE(one.rc == 0);
  REQUIRE(one.host.artifacts.size() == 2);
  for (const auto& [name, dir] : one.host.artifacts) {
    INFO(name);
    CHECK(check_layout(dir) == "");
    auto index = json(fs::path(dir) / "index.json");
    REQUIRE(index["manifests"].Size() == 2);
    CHECK(std::string(index["manifests"][1]["platform"]["variant"].GetString()) == "v8");
    auto manifest = json(fs::path(dir) / "blobs" / "sha256" /
                         std::string(index["manifests"][0]["digest"].GetString()).substr(7));
    CHECK(manifest["layers"].Size() == 3);
    CHECK(manifest["layers"][0]["size"].GetUint64() > 5000);
    CHECK(read_file(fs::path(dir) / "index.json") == read_file(tmp / "two" / name / "index.json"));
    CHECK(read_file(fs::path(dir) / "index.json") !=
          read_file(tmp / "other" / name / "index.json"));
  }
  CHECK(read_file(tmp / "one" / "web" / "index.json") !=
        read_file(tmp / "one" / "worker" / "index.json"));
}

TEST_CASE("testbuilder: missingArtifact leaves out the last artifact", "[testbuilder]") {
  TempDir tmp;
  Run r = build("svc",
                obj({{"artifacts", arr({str("a"), str("b")})},
                     {"layout", obj({{"missingArtifact", sdk::Value(true)}})}}),
                tmp / "work");
  REQUIRE(r.rc == 0);
  REQUIRE(r.host.artifacts.size() == 1);
  CHECK(r.host.artifacts[0].first == "a");
  CHECK_FALSE(fs::exists(tmp / "work" / "b"));
}

TEST_CASE("testbuilder: output through real processes, phase and files", "[testbuilder]") {
  TempDir tmp;
  Run r = build("svc",
                obj({{"writeFile", obj({{"sub/dir/note.txt", str("hello\n")}})},
                     {"phase", str("compiling")},
                     {"print", arr({str("first line"), str("second %s line")})},
                     {"lines", num(1000)},
                     {"run", arr({str("sh"), str("-c"), str("echo on-stderr >&2")})}}),
                tmp / "work");
  REQUIRE(r.rc == 0);
  CHECK(read_file(tmp / "work" / "sub" / "dir" / "note.txt") == "hello\n");
  CHECK(r.host.phases == std::vector<std::string>{"compiling"});
  REQUIRE(r.host.commands.size() == 3);
  CHECK(r.host.commands[0] ==
        std::vector<std::string>{"printf", "%s\\n", "first line", "second %s line"});
  CHECK(r.host.commands[1] == std::vector<std::string>{"seq", "-f", "line %.0f", "1", "1000"});
  CHECK(r.host.commands[2][0] == "sh");
  REQUIRE(r.host.lines.size() == 2 + 1000 + 1);
  CHECK(r.host.lines[0].text == "first line");
  CHECK(r.host.lines[1].text == "second %s line");
  CHECK(r.host.lines[2].text == "line 1");
  CHECK(r.host.lines[1001].text == "line 1000");
  CHECK(r.host.lines[1002].stream == STEIGER_STREAM_STDERR);
  CHECK(r.host.lines[1002].text == "on-stderr");
}

TEST_CASE("testbuilder: fail and throw fail the service with their message", "[testbuilder]") {
  TempDir tmp;
  Run failed = build("svc", obj({{"fail", str("it broke")}}), tmp / "a");
  CHECK(failed.rc == 1);
  CHECK(failed.host.errors == std::vector<std::string>{"it broke"});
  CHECK(failed.host.artifacts.empty());
  Run thrown = build("svc", obj({{"throw", str("plain exception")}}), tmp / "b");
  CHECK(thrown.rc == 1);
  CHECK(thrown.host.errors == std::vector<std::string>{"plain exception"});
  Run run_failed = build(
      "svc", obj({{"run", arr({str("sh"), str("-c"), str("echo why >&2; exit 3")})}}), tmp / "c");
  CHECK(run_failed.rc == 1);
  REQUIRE(run_failed.host.errors.size() == 1);
  CHECK(run_failed.host.errors[0] == "sh exited with status 3:\nwhy");
  Run missing = build("svc", obj({{"run", arr({str("no-such-tool-steiger")})}}), tmp / "d");
  CHECK(missing.rc == 1);
  CHECK(missing.host.errors ==
        std::vector<std::string>{"no-such-tool-steiger is not installed (not found in PATH)"});
}

TEST_CASE("testbuilder: sleep notices cancellation within a few steps", "[testbuilder]") {
  TempDir tmp;
  auto start = std::chrono::steady_clock::now();
  Run r = build("svc", obj({{"sleep", num(30)}}), tmp / "work", {"linux/amd64"}, true);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  CHECK(r.rc == 1);
  CHECK(r.host.errors == std::vector<std::string>{"cancelled"});
  Run slept = build("svc", obj({{"sleep", sdk::Value(0.05)}}), tmp / "work2");
  CHECK(slept.rc == 0);
}

TEST_CASE("testbuilder: each corrupt mode breaks the layout as documented", "[testbuilder]") {
  TempDir tmp;
  auto corrupt = [&](const char* mode) {
    Run r = build("svc", obj({{"corrupt", str(mode)}}), tmp / mode);
    REQUIRE(r.rc == 0);
    REQUIRE(r.host.artifacts.size() == 1);
    return fs::path(r.host.artifacts[0].second);
  };
  auto first_layer = [](const fs::path& layout) {
    auto index = json(layout / "index.json");
    auto manifest = json(layout / "blobs" / "sha256" /
                         std::string(index["manifests"][0]["digest"].GetString()).substr(7));
    return std::string(manifest["layers"][0]["digest"].GetString()).substr(7);
  };
  SECTION("missing-blob") {
    fs::path l = corrupt("missing-blob");
    CHECK_FALSE(fs::exists(l / "blobs" / "sha256" / first_layer(l)));
    CHECK_THAT(check_layout(l), Catch::Contains("missing"));
  }
  SECTION("wrong-digest") {
    fs::path l = corrupt("wrong-digest");
    CHECK_THAT(check_layout(l), Catch::Contains("does not match"));
  }
  SECTION("truncated") {
    fs::path l = corrupt("truncated");
    CHECK_THAT(check_layout(l), Catch::Contains("wrong size"));
  }
  SECTION("bad-header") {
    fs::path l = corrupt("bad-header");
    CHECK(read_file(l / "oci-layout") == R"({"imageLayoutVersion":"2.0.0"})");
    CHECK(check_layout(l) == "bad oci-layout");
  }
  SECTION("path-escape") {
    fs::path l = corrupt("path-escape");
    fs::path blob = l / "blobs" / "sha256" / first_layer(l);
    REQUIRE(fs::is_symlink(blob));
    fs::path target = fs::read_symlink(blob);
    CHECK(target.is_absolute());
    CHECK(target.string().rfind(l.string(), 0) != 0);           // outside the layout
    CHECK(sdk::sha256_hex(read_file(blob)) == first_layer(l));  // only the escape is wrong
    CHECK_THAT(check_layout(l), Catch::Contains("not a regular file"));
  }
}

TEST_CASE("test-deploy records images and fails on request", "[testbuilder]") {
  TempDir tmp;
  std::string repo = tmp.path().string(), release = "web";
  std::string a1 = "api", r1 = "127.0.0.1:5000/api:v1@sha256:aa";
  std::string a2 = "worker", r2 = "127.0.0.1:5000/worker:v1@sha256:bb";
  steiger_image_ref images[] = {{sdk::to_abi(a1), sdk::to_abi(r1)},
                                {sdk::to_abi(a2), sdk::to_abi(r2)}};
  auto deploy = [&](const sdk::Value& config, FakeHost& host) {
    AbiValue abi(config);
    steiger_deploy_request req{};
    req.struct_size = sizeof req;
    req.release = sdk::to_abi(release);
    req.config = abi.get();
    req.images = images;
    req.image_count = 2;
    req.repo_dir = sdk::to_abi(repo);
    auto api = host.api();
    return type("test-deploy").deploy(&req, &api);
  };
  FakeHost ok;
  REQUIRE(deploy(obj({{"record", str("deployed.txt")}}), ok) == 0);
  CHECK(read_file(tmp / "deployed.txt") ==
        "api 127.0.0.1:5000/api:v1@sha256:aa\nworker 127.0.0.1:5000/worker:v1@sha256:bb\n");
  FakeHost bad;
  CHECK(deploy(obj({{"fail", str("helm said no")}, {"record", str("deployed.txt")}}), bad) == 1);
  CHECK(bad.errors == std::vector<std::string>{"helm said no"});
  CHECK(read_file(tmp / "deployed.txt").size() ==
        r1.size() + r2.size() + a1.size() + a2.size() + 4);
}
