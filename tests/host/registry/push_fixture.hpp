// Shared by the registry tests that push to a real docker-registry: layouts, fast retry
// settings, reading back with skopeo, and catching what the engine says.
#pragma once

#include <stdlib.h>

#include <algorithm>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "../oci/layout_fixture.hpp"
#include "oci/layout.hpp"
#include "oci/sha256.hpp"
#include "registry/pusher.hpp"
#include "support/scoped_env.hpp"
#include "support/servers.hpp"

namespace steiger::registry::testing {

namespace fs = std::filesystem;
namespace oci = steiger::oci;
using oci::testing::Fixture;
using oci::testing::Spec;
using oci::testing::TempDir;
using steiger::testing::FaultProxy;
using steiger::testing::RegistryServer;

// Retries fast enough for tests, and enough of them for a fifth of requests failing.
inline PushOptions test_options() {
  PushOptions o;
  o.retry.max_attempts = 10;
  o.retry.base_delay = std::chrono::milliseconds(20);
  o.retry.max_delay = std::chrono::milliseconds(300);
  o.retry.max_retry_after = std::chrono::milliseconds(5000);
  o.stall_timeout = std::chrono::milliseconds(1000);
  o.connect_timeout = std::chrono::milliseconds(3000);
  o.docker_config_dir = "/nonexistent-docker-config";  // no stray credentials from the machine
  o.certs_dir = "/nonexistent-certs.d";
  return o;
}

// Every progress line, for checks (thread-safe).
struct ProgressLog {
  std::mutex mutex;
  std::vector<std::string> lines;
  std::function<void(const std::string&)> sink() {
    return [this](const std::string& line) {
      std::lock_guard lock(mutex);
      lines.push_back(line);
    };
  }
  bool contains(const std::string& needle) {
    std::lock_guard lock(mutex);
    return std::any_of(lines.begin(), lines.end(),
                       [&](const std::string& l) { return l.find(needle) != std::string::npos; });
  }
};

// The manifest or index bytes skopeo reads back from the registry, hashed.
inline std::optional<std::string> registry_digest(const std::string& image,
                                                  const std::string& creds = "") {
  auto raw = steiger::testing::skopeo_raw(image, creds);
  if (!raw) return std::nullopt;
  return "sha256:" + oci::sha256_hex(*raw);
}

// Lines of a fault proxy log whose method is `method` (and whose path contains `part`).
inline size_t count_requests(const std::vector<std::string>& log, const std::string& method,
                             const std::string& part = "") {
  return static_cast<size_t>(std::count_if(log.begin(), log.end(), [&](const std::string& l) {
    return l.rfind(method + " ", 0) == 0 && l.find(part) != std::string::npos;
  }));
}

using steiger::testing::ScopedEnv;

// A layout on disk plus what validate_layout made of it.
struct TestLayout {
  TempDir dir;
  Fixture fixture;
  oci::Layout layout;
  explicit TestLayout(const Spec& spec = {})
      : fixture(oci::testing::write_layout(dir.path(), spec)),
        layout(oci::validate_layout(dir.path())) {}
};

}  // namespace steiger::registry::testing
