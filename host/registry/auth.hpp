// Authorization for one registry: anonymous, Basic, or Bearer tokens from the realm its
// WWW-Authenticate challenge names, cached per scope for the run.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "registry/challenge.hpp"
#include "registry/credentials.hpp"
#include "registry/http.hpp"
#include "registry/redactor.hpp"
#include "registry/tls.hpp"

namespace steiger::registry {

// Token scopes, e.g. {"repository:team/api:pull,push", "repository:team/base:pull"}.
using Scopes = std::vector<std::string>;
std::string repository_scope(const std::string& repository, bool push);

class Authenticator {
 public:
  // One exchange with any host (the registry or its token realm); transfer errors as Failure.
  using Send = std::function<http::Response(const http::Request&)>;

  Authenticator(std::string registry, CredentialStore& credentials, Redactor& redactor,
                const TlsPolicy& tls);

  // What GET /v2/ answered: nullopt when it let us in anonymously.
  void set_challenge(std::optional<Challenge> challenge);

  // The Authorization value for a request needing `scopes`; empty when anonymous.
  std::string authorization(const Scopes& scopes, const Send& send);

  // A request sent with `sent` got 401: the value to send it again with (a fresh token), or
  // Failure(Permanent) saying whose credentials were refused.
  std::string renew(const Scopes& scopes, const std::string& sent,
                    const http::Response& unauthorized, const Send& send);

  // What to tell the user when the registry still answers 401 after renew(): that credentials
  // are missing, or that the ones found were refused.
  std::string refusal(const http::Response& unauthorized);

 private:
  struct Token {
    std::string value;
    std::chrono::steady_clock::time_point expires;  // when to stop using it
  };

  Credentials credentials();
  std::string basic(const Credentials& c) const;
  Token fetch_token(const Scopes& scopes, const Send& send);
  std::string refused(const std::string& who) const;

  const std::string registry_;
  CredentialStore& credential_store_;
  Redactor& redactor_;
  const TlsPolicy& tls_;

  std::mutex mutex_;  // guards the fields below
  std::optional<Challenge> challenge_;
  std::map<std::string, Token> tokens_;  // by joined scopes
  std::mutex fetch_mutex_;               // one token request at a time per registry
};

}  // namespace steiger::registry
