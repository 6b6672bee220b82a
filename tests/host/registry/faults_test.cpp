// Pushing through tests/support/fault_proxy.py: 500s, 429 with Retry-After, dropped
// connections (before and after the registry acted), slow answers. Every push ends complete
// with the right digests or with a clear failure, never with a tag naming a missing blob.
#include <catch2/catch.hpp>

#include <chrono>

#include "platform/cancel.hpp"
#include "push_fixture.hpp"

using namespace steiger::registry;
using namespace steiger::registry::testing;
using steiger::testing::http_status;

namespace {

// Every blob and child manifest of the layout is in the registry under `repository`.
void check_complete(const std::string& registry, const std::string& repository,
                    const oci::Layout& layout) {
  for (const auto& blob : layout.blobs) {
    const bool document = oci::is_manifest(blob.media_type) || oci::is_index(blob.media_type);
    const std::string kind = document ? "/manifests/" : "/blobs/";
    INFO(blob.digest.str());
    CHECK(http_status("HEAD", "http://" + registry + "/v2/" + repository + kind +
                                  blob.digest.str()) == 200);
  }
}

}  // namespace

TEST_CASE("a registry failing a fifth of its requests still gets complete images") {
  RegistryServer registry;
  TestLayout l(Spec{{"linux/amd64", "linux/arm64"}, {1000, 150000, 3000, 70000}});
  for (int seed : {1, 2, 3}) {
    FaultProxy proxy(registry.host(), {"--fail-rate", "0.2", "--seed", std::to_string(seed),
                                       "--slow-seconds", "1.2", "--retry-after", "1"});
    const std::string repo = "proj/faulty" + std::to_string(seed);
    Pusher pusher(test_options());
    std::string error;
    std::optional<PushResult> result;
    try {
      result = pusher.push(l.layout, Reference::parse(proxy.host() + "/" + repo + ":v1"));
    } catch (const PushError& e) {
      error = e.what();
    }
    auto log = proxy.log_lines();
    INFO("seed " << seed << ": " << error);
    CHECK(count_requests(log, "", "fault=none") < log.size());  // faults did happen
    std::optional<std::string> tagged = registry_digest(registry.host() + "/" + repo + ":v1");
    if (result) {
      CHECK(tagged == result->digest.str());
      check_complete(registry.host(), repo, l.layout);
    } else {
      // A clear failure is allowed; a tag pointing at a half-pushed image is not.
      CHECK(error.find("cannot push") == 0);
      if (tagged) check_complete(registry.host(), repo, l.layout);
    }
    CHECK(result);  // with this retry budget, a 20% fault rate is survivable
  }
}

TEST_CASE("429 with Retry-After is waited for") {
  RegistryServer registry;
  FaultProxy proxy(registry.host(), {"--faults", "429", "--fail-first", "2", "--retry-after", "1"});
  TestLayout l;
  Pusher pusher(test_options());
  auto start = std::chrono::steady_clock::now();
  PushResult r = pusher.push(l.layout, Reference::parse(proxy.host() + "/proj/later:v1"));
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::seconds(2));
  CHECK(registry_digest(registry.host() + "/proj/later:v1") == r.digest.str());
}

TEST_CASE("dropped connections and lost answers are retried") {
  RegistryServer registry;
  FaultProxy proxy(registry.host(), {"--faults", "drop,drop-after", "--fail-first", "8"});
  TestLayout l;
  Pusher pusher(test_options());
  PushResult r = pusher.push(l.layout, Reference::parse(proxy.host() + "/proj/dropped:v1"));
  CHECK(registry_digest(registry.host() + "/proj/dropped:v1") == r.digest.str());
  check_complete(registry.host(), "proj/dropped", l.layout);
}

TEST_CASE("a registry that keeps failing ends in a clear failure") {
  RegistryServer registry;
  FaultProxy proxy(registry.host(), {"--faults", "500", "--fail-rate", "1"});
  TestLayout l;
  PushOptions o = test_options();
  o.retry.max_attempts = 3;
  Pusher pusher(o);
  try {
    pusher.push(l.layout, Reference::parse(proxy.host() + "/proj/down:v1"));
    FAIL("the push succeeded");
  } catch (const PushError& e) {
    std::string what = e.what();
    INFO(what);
    CHECK(what.find("cannot push " + proxy.host() + "/proj/down:v1") == 0);
    CHECK(what.find("HTTP 500") != std::string::npos);
    CHECK(what.find("gave up after 3 attempts") != std::string::npos);
  }
}

TEST_CASE("a failed upload is cancelled, and the next run sends only what is missing") {
  RegistryServer registry;
  TestLayout l(Spec{{"linux/amd64"}, {1000, 2000, 3000}});
  const oci::Descriptor& refused = l.fixture.layers[0][1];
  {
    FaultProxy proxy(registry.host(), {"--fail-digest", refused.digest.str()});
    Pusher pusher(test_options());
    try {
      pusher.push(l.layout, Reference::parse(proxy.host() + "/proj/resume:v1"));
      FAIL("the push succeeded");
    } catch (const PushError& e) {
      std::string what = e.what();
      INFO(what);
      CHECK(e.item() == "blob " + refused.digest.str() + " (2.0 KiB)");
      CHECK(what.find("BLOB_UPLOAD_INVALID") != std::string::npos);
    }
    auto log = proxy.log_lines();
    CHECK(count_requests(log, "DELETE", "/blobs/uploads/") == 1);
    CHECK(count_requests(log, "PUT", "/manifests/") == 0);  // no manifest without its blobs
  }
  CHECK_FALSE(registry_digest(registry.host() + "/proj/resume:v1"));

  FaultProxy proxy(registry.host());
  Pusher pusher(test_options());
  PushResult r = pusher.push(l.layout, Reference::parse(proxy.host() + "/proj/resume:v1"));
  CHECK(r.blobs_uploaded == 1);
  CHECK(r.blobs_existing == 3);
  CHECK(count_requests(proxy.log_lines(), "PUT", refused.digest.hex) == 1);
  CHECK(registry_digest(registry.host() + "/proj/resume:v1") == r.digest.str());
}

TEST_CASE("a cancelled push stops, and running it again completes it") {
  RegistryServer registry;
  FaultProxy slow(registry.host(),
                  {"--faults", "slow", "--fail-rate", "0.5", "--slow-seconds", "0.5"});
  TestLayout l(Spec{{"linux/amd64"}, {1000, 2000, 3000, 4000, 5000, 6000}});
  steiger::platform::CancelSource cancel;
  PushOptions o = test_options();
  o.blob_concurrency = 2;
  o.cancel = &cancel;
  o.on_progress = [&](const std::string& line) {
    if (line.find("uploading") != std::string::npos) cancel.cancel();
  };
  Pusher pusher(o);
  CHECK_THROWS_AS(pusher.push(l.layout, Reference::parse(slow.host() + "/proj/cancel:v1")),
                  PushCancelled);
  CHECK_FALSE(registry_digest(registry.host() + "/proj/cancel:v1"));

  Pusher again(test_options());
  PushResult r = again.push(l.layout, Reference::parse(registry.host() + "/proj/cancel:v1"));
  CHECK(r.blobs_uploaded + r.blobs_existing == 7);
  CHECK(registry_digest(registry.host() + "/proj/cancel:v1") == r.digest.str());
}
