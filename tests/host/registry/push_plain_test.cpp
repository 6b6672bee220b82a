// Pushing to a real docker-registry over plain HTTP on 127.0.0.1, read back with skopeo.
#include <catch2/catch.hpp>

#include <thread>

#include "common/error.hpp"
#include "oci/export.hpp"
#include "push_fixture.hpp"

using namespace steiger::registry;
using namespace steiger::registry::testing;

TEST_CASE("a single-platform layout is pushed and reads back with its digest") {
  RegistryServer registry;
  TestLayout l;
  ProgressLog progress;
  PushOptions options = test_options();
  options.on_progress = progress.sink();
  Pusher pusher(options);

  PushResult r = pusher.push(l.layout, Reference::parse(registry.host() + "/proj/app:v1"));
  CHECK(r.digest == l.fixture.manifests[0].digest);
  CHECK(r.reference == registry.host() + "/proj/app:v1@" + r.digest.str());
  CHECK(r.blobs_uploaded == 3);  // config and two layers
  CHECK(r.bytes_uploaded == 4000 + static_cast<std::uint64_t>(l.fixture.configs[0].size));
  CHECK_FALSE(r.already_complete);
  CHECK(registry_digest(registry.host() + "/proj/app:v1") == r.digest.str());
  CHECK(progress.contains(registry.host() + "/proj/app:v1: pushed " + r.digest.str()));
}

TEST_CASE("several top-level manifests are pushed as one image index, as exported") {
  RegistryServer registry;
  TestLayout l(Spec{{"linux/amd64", "linux/arm64"}, {2000, 5000}});
  Pusher pusher(test_options());
  PushResult r = pusher.push(l.layout, Reference::parse(registry.host() + "/proj/multi:v1"));

  TempDir exported;
  auto e = oci::export_layout(l.layout, exported / "out", "v1", false);
  CHECK(r.digest == e.root.digest);  // the same bytes whether pushed or written locally
  CHECK(registry_digest(registry.host() + "/proj/multi:v1") == r.digest.str());
  for (const auto& m : l.fixture.manifests) {
    CHECK(registry_digest(registry.host() + "/proj/multi@" + m.digest.str()) == m.digest.str());
  }
  CHECK(r.blobs_uploaded == 6);
}

TEST_CASE("a buildx-style nested index with attestations is pushed byte for byte") {
  RegistryServer registry;
  TestLayout l(Spec{{"linux/amd64", "linux/arm64"},
                    {1000},
                    /*nested=*/true,
                    /*attestations=*/true});
  Pusher pusher(test_options());
  PushResult r = pusher.push(l.layout, Reference::parse(registry.host() + "/proj/nested:v1"));
  REQUIRE(l.fixture.index);
  CHECK(r.digest == l.fixture.index->digest);
  CHECK(registry_digest(registry.host() + "/proj/nested:v1") == r.digest.str());
  for (const auto& a : l.fixture.attestations) {
    CHECK(registry_digest(registry.host() + "/proj/nested@" + a.digest.str()) == a.digest.str());
  }
}

TEST_CASE("re-pushing an unchanged image is one request") {
  RegistryServer registry;
  FaultProxy proxy(registry.host());
  TestLayout l(Spec{{"linux/amd64", "linux/arm64"}, {1000, 2000, 3000}});
  const Reference target = Reference::parse(proxy.host() + "/proj/again:v1");
  Pusher pusher(test_options());
  PushResult first = pusher.push(l.layout, target);

  proxy.clear_log();
  auto known = pusher.already_pushed(l.layout, target);
  REQUIRE(known);
  CHECK(known->already_complete);
  CHECK(known->digest == first.digest);
  CHECK(known->reference == first.reference);
  CHECK_FALSE(pusher.already_pushed(l.layout, Reference::parse(proxy.host() + "/proj/again:v2")));
  CHECK(proxy.log_lines().size() == 2);

  proxy.clear_log();
  PushResult again = pusher.push(l.layout, target);
  CHECK(again.already_complete);
  auto log = proxy.log_lines();
  CHECK(log.size() == 1);
  CHECK(count_requests(log, "HEAD", "/v2/proj/again/manifests/v1") == 1);

  // A fresh run first checks how to talk to the registry: one more request.
  proxy.clear_log();
  Pusher fresh(test_options());
  CHECK(fresh.push(l.layout, target).already_complete);
  CHECK(proxy.log_lines().size() == 2);
}

TEST_CASE("a second repository mounts the blobs this run pushed to the first") {
  RegistryServer registry;
  FaultProxy proxy(registry.host());
  TestLayout l;
  Pusher pusher(test_options());
  pusher.push(l.layout, Reference::parse(proxy.host() + "/proj/first:v1"));
  proxy.clear_log();

  PushResult r = pusher.push(l.layout, Reference::parse(proxy.host() + "/proj/second:v1"));
  CHECK(r.blobs_mounted == 3);
  CHECK(r.blobs_uploaded == 0);
  CHECK(r.bytes_uploaded == 0);
  auto log = proxy.log_lines();
  CHECK(count_requests(log, "POST", "mount=") == 3);
  CHECK(count_requests(log, "PUT", "/blobs/") == 0);
  CHECK(registry_digest(registry.host() + "/proj/second:v1") == r.digest.str());
}

TEST_CASE("a new tag for an image the repository has sends no blob") {
  RegistryServer registry;
  FaultProxy proxy(registry.host());
  TestLayout l;
  Pusher pusher(test_options());
  pusher.push(l.layout, Reference::parse(proxy.host() + "/proj/tags:v1"));
  proxy.clear_log();
  Pusher fresh(test_options());
  PushResult r = fresh.push(l.layout, Reference::parse(proxy.host() + "/proj/tags:v2"));
  auto log = proxy.log_lines();
  CHECK(count_requests(log, "HEAD", "/blobs/") == 0);
  CHECK(count_requests(log, "POST") == 0);
  CHECK(count_requests(log, "PUT", "/manifests/v2") == 1);
  CHECK(registry_digest(registry.host() + "/proj/tags:v2") == r.digest.str());
}

TEST_CASE("a registry refusing whole-blob uploads gets chunks") {
  RegistryServer registry;
  FaultProxy proxy(registry.host(), {"--max-body", "300000"});
  TestLayout l(Spec{{"linux/amd64"}, {1000, 700000}});
  PushOptions options = test_options();
  options.chunk_size = 256 * 1024;
  Pusher pusher(options);
  PushResult r = pusher.push(l.layout, Reference::parse(proxy.host() + "/proj/chunks:v1"));
  auto log = proxy.log_lines();
  CHECK(count_requests(log, "PUT", " 413 ") >= 1);
  CHECK(count_requests(log, "PATCH", " 202 ") >= 3);             // 700000 bytes in 256 KiB chunks
  CHECK(count_requests(log, "DELETE", "/blobs/uploads/") >= 1);  // the refused session
  CHECK(registry_digest(registry.host() + "/proj/chunks:v1") == r.digest.str());
}

TEST_CASE("many services pushing at once share base layers and one limit") {
  RegistryServer registry;
  FaultProxy proxy(registry.host());
  constexpr int kServices = 6;
  std::vector<std::unique_ptr<TempDir>> dirs;
  std::vector<oci::Layout> layouts;
  for (int i = 0; i < kServices; ++i) {
    dirs.push_back(std::make_unique<TempDir>());
    oci::testing::LayoutWriter w(dirs.back()->path());
    auto base = w.layer(200000, 1);  // the same bytes in every service
    auto own = w.layer(3000, static_cast<std::uint32_t>(100 + i));
    auto cfg = w.config(*oci::Platform::parse("linux/amd64"), {base, own});
    w.index_json({w.manifest(cfg, {base, own})});
    layouts.push_back(oci::validate_layout(dirs.back()->path()));
  }
  PushOptions options = test_options();
  options.blob_concurrency = 3;
  Pusher pusher(options);
  std::vector<std::thread> threads;
  std::vector<PushResult> results(kServices);
  std::vector<std::string> errors(kServices);
  for (int i = 0; i < kServices; ++i) {
    threads.emplace_back([&, i] {
      try {
        results[static_cast<size_t>(i)] =
            pusher.push(layouts[static_cast<size_t>(i)],
                        Reference::parse(proxy.host() + "/proj/svc" + std::to_string(i) + ":v1"));
      } catch (const std::exception& e) {
        errors[static_cast<size_t>(i)] = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  size_t base_uploads = 0;
  const std::string base_digest = layouts[0].images[0].layers[0].digest.str();
  for (const auto& line : proxy.log_lines()) {
    if (line.rfind("PUT ", 0) == 0 && line.find(base_digest.substr(7)) != std::string::npos) {
      ++base_uploads;
    }
  }
  CHECK(base_uploads == 1);  // the others waited for it, then mounted it
  for (int i = 0; i < kServices; ++i) {
    INFO(errors[static_cast<size_t>(i)]);
    CHECK(errors[static_cast<size_t>(i)].empty());
    CHECK(registry_digest(registry.host() + "/proj/svc" + std::to_string(i) + ":v1") ==
          results[static_cast<size_t>(i)].digest.str());
  }
}

TEST_CASE("a blob changed on disk after validation fails the push, naming it") {
  RegistryServer registry;
  TestLayout l;
  oci::testing::flip_byte(l.dir.path(), l.fixture.layers[0][1], 10);
  Pusher pusher(test_options());
  try {
    pusher.push(l.layout, Reference::parse(registry.host() + "/proj/corrupt:v1"));
    FAIL("the push succeeded");
  } catch (const PushError& e) {
    std::string what = e.what();
    INFO(what);
    CHECK(what.find(l.fixture.layers[0][1].digest.str()) != std::string::npos);
    CHECK(what.find("changed on disk") != std::string::npos);
    CHECK(e.image() == registry.host() + "/proj/corrupt:v1");
  }
  CHECK_FALSE(registry_digest(registry.host() + "/proj/corrupt:v1"));  // no tag, no half image
}

TEST_CASE("a reference pinned to another digest is refused before anything is sent") {
  TestLayout l;
  Pusher pusher(test_options());
  CHECK_THROWS_AS(
      pusher.push(l.layout, Reference::parse("127.0.0.1:1/proj/x@sha256:" + std::string(64, '0'))),
      steiger::UserError);
}
