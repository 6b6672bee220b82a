// Talking to one registry: which scheme it speaks, how it authenticates, and a pool of kept-alive
// connections shared by every push of the run.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "platform/cancel.hpp"
#include "registry/auth.hpp"
#include "registry/credentials.hpp"
#include "registry/http.hpp"
#include "registry/redactor.hpp"
#include "registry/retry.hpp"
#include "registry/tls.hpp"

namespace steiger::registry {

// What every registry client of one run shares.
struct RunContext {
  RunContext(std::vector<std::string> insecure, std::filesystem::path certs_d,
             std::filesystem::path docker_config_dir, http::Timeouts timeouts_in,
             RetryPolicy retry_in, const platform::CancelSource* cancel_in)
      : tls(std::move(insecure), std::move(certs_d)),
        credentials(std::move(docker_config_dir), redactor, cancel_in),
        timeouts(timeouts_in),
        retry(retry_in),
        cancel(cancel_in) {}

  TlsPolicy tls;
  Redactor redactor;
  CredentialStore credentials;
  http::Timeouts timeouts;
  RetryPolicy retry;
  const platform::CancelSource* cancel;
};

class RegistryClient {
 public:
  // `registry` as in Reference::registry (for credentials and messages); `api_host` where
  // requests go.
  RegistryClient(std::string registry, std::string api_host, RunContext& run);

  const std::string& registry() const { return registry_; }
  const RetryPolicy& retry() const { return run_.retry; }
  const platform::CancelSource* cancel() const { return run_.cancel; }

  // Finds, once, how to reach the registry: https (verified unless listed insecure), falling
  // back to plain http only for insecure and loopback registries whose TLS handshake fails;
  // and how it authenticates (GET /v2/). Transient failures are retried. Thread-safe.
  void connect();

  // The absolute URL of an API path ("/v2/...").
  std::string url(const std::string& path) const;

  // One request (to the registry or an absolute Location it gave) with the authorization
  // `scopes` need; a 401 renews the credentials once. Throws Failure for transfer errors and
  // retriable statuses; returns every other answer.
  http::Response send(http::Request request, const Scopes& scopes);

  // A request that must not take long nor be retried (cancelling an upload session).
  void send_quietly(http::Request request, const Scopes& scopes) noexcept;

 private:
  class Lease;
  http::Response exchange(const http::Request& request, const http::Timeouts& timeouts);
  void probe();

  const std::string registry_;
  const std::string api_host_;
  RunContext& run_;
  Authenticator auth_;

  std::mutex connect_mutex_;
  bool connected_ = false;
  std::string base_;  // "https://host:port", set once connected

  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<http::Connection>> idle_;
};

}  // namespace steiger::registry
