// Blobs a push validation left unhashed (oci::ValidateOptions::hash_below) are hashed as they are
// uploaded, and one whose content is wrong never completes: no blob, no manifest, no tag. Each
// blob is read from disk once either way.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "push_fixture.hpp"
#include "registry/content_check.hpp"

using namespace steiger::registry;
using namespace steiger::registry::testing;
using Catch::Matchers::Contains;
using steiger::testing::http_status;

namespace {

constexpr std::uint64_t kThreshold = 1 << 20;  // stands in for kHashBeforePushBelow

oci::Layout validate_for_push(const fs::path& dir) {
  return oci::validate_layout(dir, oci::ValidateOptions{kThreshold});
}

// The blob is not in `repository`, and no manifest nor tag was written there.
void check_nothing_committed(const std::string& registry, const std::string& repository,
                             const oci::Descriptor& blob, const oci::Descriptor& manifest) {
  const std::string base = "http://" + registry + "/v2/" + repository;
  CHECK(http_status("HEAD", base + "/blobs/" + blob.digest.str()) == 404);
  CHECK(http_status("HEAD", base + "/manifests/" + manifest.digest.str()) == 404);
  CHECK(http_status("HEAD", base + "/manifests/v1") == 404);
}

// Bytes this process read through read(2)-like calls so far (sockets are not counted).
std::uint64_t bytes_read() {
  std::ifstream io("/proc/self/io");
  std::string key;
  std::uint64_t value = 0;
  while (io >> key >> value) {
    if (key == "rchar:") return value;
  }
  FAIL("no rchar in /proc/self/io");
  return 0;
}

// The sha256 hex of a file's current content.
std::string file_hex(const fs::path& file) {
  return oci::hash_file(file, "sha256");
}

}  // namespace

TEST_CASE("ContentCheck refuses only the last bytes of wrong content, and follows resends") {
  const std::string good = "0123456789abcdefghij";
  const oci::Digest digest{"sha256", oci::sha256_hex(good)};

  SECTION("the right bytes, in two requests, one of them sent twice") {
    ContentCheck check(digest, good.size());
    check.at(0);
    CHECK(check.take(0, good.data(), 8));
    check.at(8);  // the second chunk starts
    CHECK(check.take(8, good.data() + 8, 5));
    check.at(8);  // libcurl rewinds it (a redirect, a 401) and sends it again, whole
    CHECK(check.take(8, good.data() + 8, 12));
    CHECK(check.state() == ContentCheck::State::Matched);
    CHECK(check.actual_hex() == digest.hex);
  }
  SECTION("wrong bytes are let through until the last ones") {
    std::string bad = good;
    bad[3] ^= 1;
    ContentCheck check(digest, bad.size());
    check.at(0);
    CHECK(check.take(0, bad.data(), 19));
    CHECK(check.state() == ContentCheck::State::Reading);
    CHECK_FALSE(check.refused());
    CHECK_FALSE(check.take(19, bad.data() + 19, 1));
    CHECK(check.refused());
    CHECK(check.state() == ContentCheck::State::Mismatched);
    CHECK(check.actual_hex() == oci::sha256_hex(bad));
    // A new attempt starts from nothing.
    check.at(0);
    CHECK_FALSE(check.refused());
    CHECK(check.take(0, good.data(), good.size()));
    CHECK(check.state() == ContentCheck::State::Matched);
  }
  SECTION("a read it cannot place stops the transfer") {
    ContentCheck check(digest, good.size());
    check.at(0);
    CHECK(check.take(0, good.data(), 5));
    CHECK_FALSE(check.take(9, good.data() + 9, 5));
    CHECK(check.state() == ContentCheck::State::Lost);
    check.restart();
    CHECK(check.state() == ContentCheck::State::Reading);
  }
  SECTION("an empty blob is judged without any read") {
    ContentCheck empty(oci::Digest{"sha256", oci::sha256_hex("")}, 0);
    CHECK(empty.state() == ContentCheck::State::Matched);
    ContentCheck wrong(digest, 0);
    CHECK(wrong.state() == ContentCheck::State::Mismatched);
  }
}

TEST_CASE("a big blob with wrong content, hashed only as it is sent, is never committed") {
  RegistryServer registry;
  FaultProxy proxy(registry.host());
  TempDir dir;
  Fixture f = oci::testing::write_layout(dir.path(), Spec{{"linux/amd64"}, {1000, 2 << 20}});
  const oci::Descriptor& big = f.layers[0][1];
  // Same size, wrong content, noticed only with the very last byte.
  oci::testing::flip_byte(dir.path(), big, (2 << 20) - 1);
  oci::Layout layout = validate_for_push(dir.path());
  REQUIRE_FALSE(layout.verified(big.digest));

  Pusher pusher(test_options());
  try {
    pusher.push(layout, Reference::parse(proxy.host() + "/proj/bad:v1"));
    FAIL("the push succeeded");
  } catch (const PushError& e) {
    INFO(e.what());
    CHECK(e.item() == "blob " + big.digest.str() + " (2.0 MiB)");
    CHECK_THAT(e.detail(),
               Contains("content does not match its digest (the file hashes to sha256:" +
                        file_hex(oci::testing::blob_file(dir.path(), big)) + ")"));
    CHECK_THAT(e.detail(), !Contains("changed on disk"));  // it was never checked before
  }
  auto log = proxy.log_lines();
  CHECK(count_requests(log, "DELETE", "/blobs/uploads/") == 1);  // the session, abandoned
  CHECK(count_requests(log, "PUT", "/manifests/") == 0);
  CHECK(count_requests(log, "PUT", big.digest.hex) <= 1);  // one attempt: no retry of a mismatch
  check_nothing_committed(registry.host(), "proj/bad", big, f.manifests[0]);
}

TEST_CASE("the check does not rely on the registry: without a proxy the body never completes") {
  // Straight to docker-registry: were the whole body sent, it would answer DIGEST_INVALID and
  // the message would say "the registry computed another digest".
  RegistryServer registry;
  TempDir dir;
  Fixture f = oci::testing::write_layout(dir.path(), Spec{{"linux/amd64"}, {3 << 20}});
  const oci::Descriptor& big = f.layers[0][0];
  oci::testing::flip_byte(dir.path(), big, 12345);
  Pusher pusher(test_options());
  CHECK_THROWS_WITH(pusher.push(validate_for_push(dir.path()),
                                Reference::parse(registry.host() + "/proj/direct:v1")),
                    Contains("blob " + big.digest.str()) &&
                        Contains("content does not match its digest") &&
                        !Contains("the registry computed"));
  check_nothing_committed(registry.host(), "proj/direct", big, f.manifests[0]);
}

TEST_CASE("a chunked upload of wrong content never sends its closing PUT") {
  RegistryServer registry;
  FaultProxy proxy(registry.host(), {"--max-body", "300000"});
  TempDir dir;
  // The largest goes first (one blob at a time): its 413 switches the registry to chunks before
  // the corrupt one is sent.
  Fixture f =
      oci::testing::write_layout(dir.path(), Spec{{"linux/amd64"}, {1000, 1300000, 1100000}});
  const oci::Descriptor& good = f.layers[0][1];
  const oci::Descriptor& bad = f.layers[0][2];
  oci::testing::flip_byte(dir.path(), bad, 1099999);
  oci::Layout layout = validate_for_push(dir.path());
  REQUIRE_FALSE(layout.verified(good.digest));
  REQUIRE_FALSE(layout.verified(bad.digest));

  PushOptions options = test_options();
  options.chunk_size = 256 * 1024;
  options.blob_concurrency = 1;
  Pusher pusher(options);
  try {
    pusher.push(layout, Reference::parse(proxy.host() + "/proj/chunked:v1"));
    FAIL("the push succeeded");
  } catch (const PushError& e) {
    INFO(e.what());
    CHECK(e.item() == "blob " + bad.digest.str() + " (1.0 MiB)");
    CHECK_THAT(e.detail(), Contains("content does not match its digest"));
  }
  auto log = proxy.log_lines();
  CHECK(count_requests(log, "PUT", " 413 ") == 1);
  CHECK(count_requests(log, "PATCH", " 202 ") >= 5 + 3);  // the good blob's 5, the bad one's first
  CHECK(count_requests(log, "PUT", good.digest.hex) == 2);  // refused whole, then closing chunks
  CHECK(count_requests(log, "PUT", bad.digest.hex) == 0);   // never closed
  CHECK(count_requests(log, "DELETE", "/blobs/uploads/") == 2);  // the 413's and the bad one's
  CHECK(count_requests(log, "PUT", "/manifests/") == 0);
  CHECK(http_status("HEAD", "http://" + registry.host() + "/v2/proj/chunked/blobs/" +
                                good.digest.str()) == 200);
  check_nothing_committed(registry.host(), "proj/chunked", bad, f.manifests[0]);
}

TEST_CASE("big blobs hashed as they are sent arrive intact, through retries and chunks") {
  RegistryServer registry;
  TempDir dir;
  Fixture f =
      oci::testing::write_layout(dir.path(), Spec{{"linux/amd64", "linux/arm64"}, {5000, 1500000}});
  oci::Layout layout = validate_for_push(dir.path());
  REQUIRE(layout.unverified.size() == 2);

  SECTION("dropped connections and lost answers: each retry hashes from the start") {
    FaultProxy proxy(registry.host(), {"--faults", "drop,drop-after,500", "--fail-first", "8"});
    Pusher pusher(test_options());
    PushResult r = pusher.push(layout, Reference::parse(proxy.host() + "/proj/intact:v1"));
    CHECK(registry_digest(registry.host() + "/proj/intact:v1") == r.digest.str());
  }
  SECTION("in chunks") {
    FaultProxy proxy(registry.host(), {"--max-body", "400000", "--fail-rate", "0.1", "--faults",
                                       "drop-after,500", "--seed", "7"});
    PushOptions options = test_options();
    options.chunk_size = 256 * 1024;
    Pusher pusher(options);
    PushResult r = pusher.push(layout, Reference::parse(proxy.host() + "/proj/intact:v1"));
    CHECK(count_requests(proxy.log_lines(), "PATCH") >= 2 * 6);
    CHECK(registry_digest(registry.host() + "/proj/intact:v1") == r.digest.str());
  }
  for (const auto& layers : f.layers) {
    for (const auto& blob : layers) {
      CHECK(http_status("HEAD", "http://" + registry.host() + "/v2/proj/intact/blobs/" +
                                    blob.digest.str()) == 200);
    }
  }
}

TEST_CASE("a push validated with a threshold reads each big blob once") {
  RegistryServer registry;
  TempDir dir;
  constexpr std::uint64_t kLayer = 16 << 20;
  oci::testing::write_layout(dir.path(), Spec{{"linux/amd64"}, {kLayer}});
  // A fresh Pusher each time, so nothing is mounted from the repository pushed before.
  auto read_during_push = [&](const oci::ValidateOptions& options, const std::string& repo) {
    Pusher pusher(test_options());
    std::uint64_t before = bytes_read();
    PushResult r = pusher.push(oci::validate_layout(dir.path(), options),
                               Reference::parse(registry.host() + "/" + repo + ":v1"));
    std::uint64_t read = bytes_read() - before;
    CHECK(r.blobs_uploaded == 2);
    return read;
  };
  read_during_push(oci::ValidateOptions{0}, "proj/warmup");
  const std::uint64_t once = read_during_push(oci::ValidateOptions{kThreshold}, "proj/once");
  const std::uint64_t twice = read_during_push(oci::ValidateOptions{}, "proj/twice");
  INFO("read " << once << " bytes with the threshold, " << twice << " with full validation");
  CHECK(once >= kLayer);
  CHECK(once < kLayer + (1 << 20));
  CHECK(twice >= 2 * kLayer);  // the measure would see a second read
}
