// `steiger build --repo` and `steiger push` against a real docker-registry on 127.0.0.1.
#include "e2e_support.hpp"

#include "oci/sha256.hpp"

#include <catch2/catch.hpp>

#include <rapidjson/document.h>
#include <fstream>

using namespace e2e;
namespace fs = std::filesystem;
using steiger::testing::RegistryServer;
using steiger::testing::skopeo_raw;

namespace {

std::vector<std::string> with_plugins(std::vector<std::string> args) {
  args.insert(args.begin(), {"--plugin-path", plugin_dir("good")});
  return args;
}

std::string digest_of(const std::string& bytes) {
  return "sha256:" + steiger::oci::sha256_hex(bytes);
}

}  // namespace

TEST_CASE(
    "build --repo pushes every artifact, all platforms as one index, as the output file says") {
  RegistryServer registry;
  TempDir tmp;
  auto repo =
      write_config(tmp.path() / "repo",
                   "build:\n  api:\n    type: test\n    layout:\n      layers: 2\n"
                   "  jobs:\n    type: test\n    artifacts: [worker, cron]\ntagFormat: v1\n");
  std::string dest = registry.host() + "/proj";
  auto out = run_steiger(with_plugins({"build", "--repo", dest, "-o", "out.json", "--platform",
                                       "linux/amd64,linux/arm64", "--progress", "plain"}),
                         repo);
  INFO(out.err);
  REQUIRE(out.exit_code == 0);

  rapidjson::Document doc;
  doc.Parse(read_file(repo / "out.json").c_str());
  REQUIRE(doc["builds"].Size() == 3);
  for (const auto& b : doc["builds"].GetArray()) {
    std::string name = b["imageName"].GetString();
    std::string tag = b["tag"].GetString();
    std::string image = dest + "/" + name + ":v1";
    CHECK(tag.rfind(image + "@sha256:", 0) == 0);
    CHECK_FALSE(b.HasMember("layout"));
    auto raw = skopeo_raw(image);
    REQUIRE(raw);
    CHECK(raw->find("application/vnd.oci.image.index.v1+json") != std::string::npos);
    CHECK(tag.substr(tag.find('@') + 1) == digest_of(*raw));  // the digest the registry serves
    CHECK(out.out.find(tag) != std::string::npos);
  }
  CHECK_FALSE(fs::exists(repo / ".steiger/out"));  // pushed, not exported

  // Again, unchanged: nothing to upload, same digests.
  auto again = run_steiger(with_plugins({"build", "--repo", dest, "-o", "again.json", "--platform",
                                         "linux/amd64,linux/arm64", "--progress", "plain"}),
                           repo);
  REQUIRE(again.exit_code == 0);
  CHECK(read_file(repo / "again.json") == read_file(repo / "out.json"));
  CHECK(read_file(repo / ".steiger/logs/api.log").find("(already there)") != std::string::npos);
}

TEST_CASE("steiger push sends one layout; a corrupt one is refused before anything is pushed") {
  RegistryServer registry;
  TempDir tmp;
  auto repo = write_config(tmp.path() / "repo", "build:\n  api:\n    type: test\ntagFormat: v1\n");
  REQUIRE(run_steiger(with_plugins({"build", "--progress", "plain"}), repo).exit_code == 0);
  fs::path layout = repo / ".steiger/out/api";

  std::string target = registry.host() + "/team/api:v7";
  auto out = run_steiger({"push", layout.string(), target}, tmp.path());
  INFO(out.err);
  REQUIRE(out.exit_code == 0);
  auto raw = skopeo_raw(target);
  REQUIRE(raw);
  CHECK(out.out == target + "@" + digest_of(*raw) + "\n");

  // Flip a byte of the layer: same size, wrong content.
  fs::path biggest;
  for (const auto& e : fs::directory_iterator(layout / "blobs/sha256"))
    if (biggest.empty() || fs::file_size(e.path()) > fs::file_size(biggest)) biggest = e.path();
  fs::permissions(biggest, fs::perms::owner_write, fs::perm_options::add);
  std::string bytes = read_file(biggest);
  bytes[bytes.size() / 2] ^= 1;
  std::ofstream(biggest, std::ios::binary | std::ios::trunc) << bytes;
  std::string corrupt_target = registry.host() + "/team/corrupt:v1";
  auto bad = run_steiger({"push", layout.string(), corrupt_target}, tmp.path());
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("nothing was pushed") != std::string::npos);
  CHECK(bad.err.find(biggest.filename().string().substr(0, 12)) != std::string::npos);
  CHECK_FALSE(skopeo_raw(corrupt_target));
}

namespace {

// Flips the middle byte of the layout's largest blob (same size, wrong content); returns it.
fs::path corrupt_biggest_blob(const fs::path& layout) {
  fs::path biggest;
  for (const auto& e : fs::directory_iterator(layout / "blobs/sha256"))
    if (biggest.empty() || fs::file_size(e.path()) > fs::file_size(biggest)) biggest = e.path();
  fs::permissions(biggest, fs::perms::owner_write, fs::perm_options::add);
  std::string bytes = read_file(biggest);
  bytes[bytes.size() / 2] ^= 1;
  std::ofstream(biggest, std::ios::binary | std::ios::trunc) << bytes;
  return biggest;
}

// Lines of the proxy's log that would change the registry: uploads, manifests, deletions.
size_t writes(const std::vector<std::string>& log) {
  size_t n = 0;
  for (const auto& line : log)
    for (const char* method : {"POST ", "PUT ", "PATCH ", "DELETE "})
      if (line.rfind(method, 0) == 0) ++n;
  return n;
}

// Layers of about 200 kB, and a threshold below them: the path big layers take, with small files.
const char* const kBigLayers = "    layout:\n      layerSize: 200000\n";
const std::string kLowThreshold = "STEIGER_PUSH_HASH_BELOW=100000";

}  // namespace

TEST_CASE("steiger push hashes big layers as it sends them; a corrupt one is never committed") {
  RegistryServer registry;
  TempDir tmp;
  auto repo = write_config(tmp.path() / "repo", std::string("build:\n  api:\n    type: test\n") +
                                                    kBigLayers + "tagFormat: v1\n");
  REQUIRE(run_steiger(with_plugins({"build", "--progress", "plain"}), repo).exit_code == 0);
  fs::path layout = repo / ".steiger/out/api";

  std::string target = registry.host() + "/team/api:v1";
  auto out = run_steiger({"push", "-q", layout.string(), target}, tmp.path(), {kLowThreshold});
  INFO(out.err);
  REQUIRE(out.exit_code == 0);
  auto raw = skopeo_raw(target);
  REQUIRE(raw);
  CHECK(out.out == target + "@" + digest_of(*raw) + "\n");

  fs::path blob = corrupt_biggest_blob(layout);
  const std::string digest = "sha256:" + blob.filename().string();
  std::string corrupt_target = registry.host() + "/team/corrupt:v1";
  auto bad =
      run_steiger({"push", "-q", layout.string(), corrupt_target}, tmp.path(), {kLowThreshold});
  INFO(bad.err);
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("blob " + digest) != std::string::npos);
  CHECK(bad.err.find("content does not match its digest") != std::string::npos);
  CHECK_FALSE(skopeo_raw(corrupt_target));
  CHECK(steiger::testing::http_status(
            "HEAD", "http://" + registry.host() + "/v2/team/corrupt/blobs/" + digest) == 404);

  // With the real threshold the same layer is small: it is hashed, and refused, up front.
  auto early = run_steiger({"push", "-q", layout.string(), corrupt_target}, tmp.path());
  CHECK(early.exit_code == 1);
  CHECK(early.err.find("nothing was pushed") != std::string::npos);
}

TEST_CASE("steiger push refuses a corrupt small layer before sending any blob") {
  RegistryServer registry;
  steiger::testing::FaultProxy proxy(registry.host());
  TempDir tmp;
  auto repo = write_config(tmp.path() / "repo",
                           std::string("build:\n  api:\n    type: test\n") + kBigLayers);
  REQUIRE(run_steiger(with_plugins({"build", "--progress", "plain"}), repo).exit_code == 0);
  fs::path layout = repo / ".steiger/out/api";
  fs::path blob = corrupt_biggest_blob(layout);

  auto bad = run_steiger({"push", "-q", layout.string(), proxy.host() + "/team/small:v1"},
                         tmp.path(), {"STEIGER_PUSH_HASH_BELOW=1000000"});
  INFO(bad.err);
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("nothing was pushed") != std::string::npos);
  CHECK(bad.err.find(blob.filename().string().substr(0, 12)) != std::string::npos);
  auto log = proxy.log_lines();
  CHECK(writes(log) == 0);  // only GET /v2/ and the HEAD of the tag
  CHECK(log.size() == 2);
}

TEST_CASE("build --repo: a corrupt big layer fails its service with nothing tagged") {
  RegistryServer registry;
  steiger::testing::FaultProxy proxy(registry.host());
  TempDir tmp;
  auto repo = write_config(tmp.path() / "repo", std::string("build:\n  api:\n    type: test\n") +
                                                    kBigLayers +
                                                    "    corrupt: wrong-digest\ntagFormat: v1\n");
  const std::string dest = proxy.host() + "/proj";

  auto out = run_steiger(with_plugins({"build", "--repo", dest, "--progress", "plain"}), repo,
                         {kLowThreshold});
  INFO(out.err);
  CHECK(out.exit_code == 1);
  CHECK(out.err.find("[api] failed: artifact 'api': push to " + dest + "/api:v1 failed") !=
        std::string::npos);
  CHECK(out.err.find("content does not match its digest") != std::string::npos);
  CHECK_FALSE(skopeo_raw(registry.host() + "/proj/api:v1"));
  size_t manifests = 0;
  for (const auto& line : proxy.log_lines())
    if (line.rfind("PUT ", 0) == 0 && line.find("/manifests/") != std::string::npos) ++manifests;
  CHECK(manifests == 0);

  // With the real threshold, validation hashes the layer and refuses it before any upload.
  proxy.clear_log();
  auto early = run_steiger(with_plugins({"build", "--repo", dest, "--progress", "plain"}), repo);
  CHECK(early.exit_code == 1);
  CHECK(early.err.find("[api] failed: artifact 'api': invalid OCI layout") != std::string::npos);
  CHECK(writes(proxy.log_lines()) == 0);
}

TEST_CASE("a registry that is not there fails the service, and no output file is written") {
  TempDir tmp;
  int port = steiger::testing::free_port();
  auto repo = write_config(tmp.path() / "repo", "build:\n  api:\n    type: test\n");
  auto out =
      run_steiger(with_plugins({"build", "--repo", "127.0.0.1:" + std::to_string(port) + "/p", "-o",
                                "out.json", "--progress", "plain"}),
                  repo);
  CHECK(out.exit_code == 1);
  CHECK(out.err.find("[api] failed: artifact 'api': push to 127.0.0.1:") != std::string::npos);
  CHECK_FALSE(fs::exists(repo / "out.json"));
  CHECK(out.err.find("was not written") != std::string::npos);
}

TEST_CASE("a malformed --repo is a usage error before anything runs") {
  TempDir tmp;
  auto repo = write_config(tmp.path() / "repo", "build:\n  api:\n    type: test\n");
  auto out = run_steiger(with_plugins({"build", "--repo", "127.0.0.1:5000/UPPER case"}), repo);
  CHECK(out.exit_code == 2);
  CHECK(out.err.find("--repo") != std::string::npos);
  CHECK_FALSE(fs::exists(repo / ".steiger"));
}
