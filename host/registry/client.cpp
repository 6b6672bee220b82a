#include "registry/client.hpp"

#include "registry/answer.hpp"
#include "registry/url.hpp"

namespace steiger::registry {

// A connection borrowed from the pool for one exchange; it goes back with its open sockets.
class RegistryClient::Lease {
 public:
  explicit Lease(RegistryClient& client) : client_(client) {
    {
      std::lock_guard lock(client_.pool_mutex_);
      if (!client_.idle_.empty()) {
        conn_ = std::move(client_.idle_.back());
        client_.idle_.pop_back();
      }
    }
    if (!conn_) conn_ = std::make_unique<http::Connection>();
  }
  ~Lease() {
    std::lock_guard lock(client_.pool_mutex_);
    client_.idle_.push_back(std::move(conn_));
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  http::Connection& operator*() { return *conn_; }

 private:
  RegistryClient& client_;
  std::unique_ptr<http::Connection> conn_;
};

RegistryClient::RegistryClient(std::string registry, std::string api_host, RunContext& run)
    : registry_(std::move(registry)),
      api_host_(std::move(api_host)),
      run_(run),
      auth_(registry_, run.credentials, run.redactor, run.tls) {}

std::string RegistryClient::url(const std::string& path) const {
  return base_ + path;
}

http::Response RegistryClient::exchange(const http::Request& request,
                                        const http::Timeouts& timeouts) {
  Lease conn(*this);
  try {
    return (*conn).perform(
        request, [this](const std::string& host) { return run_.tls.settings_for(host); }, timeouts,
        run_.cancel);
  } catch (const http::TransferError& e) {
    const std::string host = url::host(request.url);
    Failure f = failure_from(e, request.method + " " + host, host);
    if (e.untrusted_certificate()) {
      throw Failure(Failure::Kind::Permanent,
                    std::string(f.what()) + "; " + run_.tls.trust_hint(host));
    }
    throw f;
  }
}

void RegistryClient::connect() {
  std::lock_guard lock(connect_mutex_);
  if (connected_) return;
  with_retries(run_.retry, run_.cancel, [this] { probe(); });
  connected_ = true;
}

void RegistryClient::probe() {
  // Loopback registries are asked in plain HTTP first: a TLS server answers that at once with
  // 400, while a plain server leaves a TLS probe waiting (~45 ms with docker-registry), which
  // would be most of an up-to-date push. Nothing secret travels with GET /v2/.
  std::vector<std::string> bases;
  if (TlsPolicy::loopback(api_host_)) {
    bases = {"http://" + api_host_, "https://" + api_host_};
  } else {
    bases = {"https://" + api_host_};
    if (run_.tls.insecure(api_host_)) bases.push_back("http://" + api_host_);
  }
  // A plain-HTTP attempt that failed in transit, in case TLS then turns out not to be spoken
  // either: the server is plain and that failure (a dropped connection) is what to retry.
  std::optional<Failure> plain_failure;
  for (size_t i = 0; i < bases.size(); ++i) {
    const bool last = i + 1 == bases.size();
    http::Request req;
    req.url = bases[i] + "/v2/";
    http::Response r;
    try {
      Lease conn(*this);
      r = (*conn).perform(
          req, [this](const std::string& host) { return run_.tls.settings_for(host); },
          run_.timeouts, run_.cancel);
    } catch (const http::TransferError& e) {
      // The other scheme may work: a TLS handshake with a plain server fails, a plain request
      // to a TLS server may be dropped, and a registry without a port may listen on 80 only.
      const int code = e.curl_code();
      bool other_scheme = e.tls_handshake() || code == 7 || code == 52 || code == 56;
      Failure f = failure_from(e, "connecting to " + registry_, api_host_);
      if (!last && other_scheme) {
        if (url::scheme(bases[i]) == "http") plain_failure = f;
        continue;
      }
      if (plain_failure && e.tls_handshake()) throw *plain_failure;
      if (e.untrusted_certificate()) {
        throw Failure(Failure::Kind::Permanent,
                      std::string(f.what()) + "; " + run_.tls.trust_hint(api_host_));
      }
      if (e.tls_handshake()) {
        throw Failure(Failure::Kind::Permanent,
                      std::string(f.what()) + "; if " + api_host_ +
                          " serves plain HTTP, list it in insecureRegistries");
      }
      throw f;
    }
    // A TLS server's answer to plain HTTP.
    if (r.status == 400 && !last && url::scheme(bases[i]) == "http") continue;
    if (r.status == 401) {
      const std::string* h = r.header("www-authenticate");
      std::optional<Challenge> challenge = h ? parse_challenge(*h) : std::nullopt;
      if (!challenge) {
        throw Failure(Failure::Kind::Permanent,
                      registry_ + " answered 401 to GET /v2/ without a usable WWW-Authenticate");
      }
      auth_.set_challenge(std::move(challenge));
    } else if (r.status >= 200 && r.status < 300) {
      auth_.set_challenge(std::nullopt);
    } else if (retriable_status(r.status)) {
      throw failure_from(r, "checking " + registry_ + " (GET /v2/)");
    } else {
      throw Failure(
          Failure::Kind::Permanent,
          registry_ + " does not look like an OCI registry: GET /v2/ answered " + describe(r));
    }
    base_ = bases[i];
    return;
  }
}

http::Response RegistryClient::send(http::Request request, const Scopes& scopes) {
  Authenticator::Send via_pool = [this](const http::Request& r) {
    http::Response answer = exchange(r, run_.timeouts);
    return answer;
  };
  request.authorization = auth_.authorization(scopes, via_pool);
  http::Response r = exchange(request, run_.timeouts);
  if (r.status == 401) {
    request.authorization = auth_.renew(scopes, request.authorization, r, via_pool);
    r = exchange(request, run_.timeouts);
    if (r.status == 401) {
      throw Failure(Failure::Kind::Permanent, auth_.refusal(r));
    }
  }
  if (r.status == 403) {
    throw Failure(Failure::Kind::Permanent, registry_ + " denied the request (" + describe(r) +
                                                "); the credentials lack the right to push there");
  }
  if (retriable_status(r.status)) throw failure_from(r, request.method + " " + registry_);
  return r;
}

void RegistryClient::send_quietly(http::Request request, const Scopes& scopes) noexcept {
  try {
    http::Timeouts quick = run_.timeouts;
    quick.stall = std::min(quick.stall, std::chrono::milliseconds(5000));
    request.authorization =
        auth_.authorization(scopes, [&](const http::Request& r) { return exchange(r, quick); });
    exchange(request, quick);
  } catch (...) {
    // Best effort: the registry expires abandoned sessions by itself.
  }
}

}  // namespace steiger::registry
