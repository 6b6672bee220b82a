#include "registry/auth.hpp"

#include <rapidjson/document.h>

#include "common/text.hpp"
#include "registry/answer.hpp"
#include "registry/base64.hpp"
#include "registry/json_member.hpp"
#include "registry/url.hpp"

namespace steiger::registry {
namespace {

using Clock = std::chrono::steady_clock;
// Tokens without expires_in last 60 s (the token spec); they are renewed this much (at most half
// their lifetime) before they expire, so none runs out in the middle of an upload.
constexpr std::chrono::seconds kDefaultLifetime{60};
constexpr std::chrono::seconds kRenewMargin{10};

std::string key_of(const Scopes& scopes) {
  return text::join(scopes, " ");
}

[[noreturn]] void fail(const std::string& detail) {
  throw Failure(Failure::Kind::Permanent, detail);
}

}  // namespace

std::string repository_scope(const std::string& repository, bool push) {
  return "repository:" + repository + (push ? ":pull,push" : ":pull");
}

Authenticator::Authenticator(std::string registry, CredentialStore& credentials, Redactor& redactor,
                             const TlsPolicy& tls)
    : registry_(std::move(registry)),
      credential_store_(credentials),
      redactor_(redactor),
      tls_(tls) {}

void Authenticator::set_challenge(std::optional<Challenge> challenge) {
  std::lock_guard lock(mutex_);
  challenge_ = std::move(challenge);
}

Credentials Authenticator::credentials() {
  return credential_store_.lookup(registry_);
}

std::string Authenticator::basic(const Credentials& c) const {
  std::string value = "Basic " + base64::encode(c.username + ":" + c.password);
  redactor_.add(value.substr(6));
  return value;
}

std::string Authenticator::refused(const std::string& who) const {
  return who + " refused the credentials for " + registry_ +
         " (check them, e.g. with `docker login " + registry_ + "`)";
}

std::string Authenticator::refusal(const http::Response& unauthorized) {
  Credentials c = credentials();
  if (c.empty()) {
    return registry_ + " requires credentials, and none were found for it in " +
           credential_store_.config_file().string() + " (run `docker login " + registry_ + "`)";
  }
  return refused(registry_) + ": " + describe(unauthorized);
}

std::string Authenticator::authorization(const Scopes& scopes, const Send& send) {
  std::optional<Challenge> challenge;
  {
    std::lock_guard lock(mutex_);
    challenge = challenge_;
    if (!challenge) return {};
    if (challenge->scheme == "bearer") {
      auto it = tokens_.find(key_of(scopes));
      if (it != tokens_.end() && Clock::now() < it->second.expires) {
        return "Bearer " + it->second.value;
      }
    }
  }
  if (challenge->scheme == "basic") {
    Credentials c = credentials();
    if (c.password.empty()) {
      fail(registry_ + " requires a user name and password, and none were found for it in " +
           credential_store_.config_file().string() + " (run `docker login " + registry_ + "`)");
    }
    return basic(c);
  }
  if (challenge->scheme != "bearer") {
    fail(registry_ + " asks for \"" + challenge->scheme +
         "\" authentication, which steiger does not support (Basic and Bearer only)");
  }
  std::lock_guard fetch_lock(fetch_mutex_);
  {
    // Another thread may have fetched it while this one waited.
    std::lock_guard lock(mutex_);
    auto it = tokens_.find(key_of(scopes));
    if (it != tokens_.end() && Clock::now() < it->second.expires) {
      return "Bearer " + it->second.value;
    }
  }
  Token token = fetch_token(scopes, send);
  std::lock_guard lock(mutex_);
  tokens_[key_of(scopes)] = token;
  return "Bearer " + token.value;
}

std::string Authenticator::renew(const Scopes& scopes, const std::string& sent,
                                 const http::Response& unauthorized, const Send& send) {
  std::optional<Challenge> challenge;
  if (const std::string* h = unauthorized.header("www-authenticate")) {
    challenge = parse_challenge(*h);
  }
  if (!challenge) {
    fail(registry_ + " answered 401 without saying how to authenticate (" + describe(unauthorized) +
         ")");
  }
  if (sent.empty() || challenge->scheme == "basic" || sent.rfind("Basic ", 0) == 0) {
    // First contact with auth (the /v2/ check let us in), or Basic credentials rejected.
    if (!sent.empty()) fail(refused(registry_));
    set_challenge(challenge);
    std::string value = authorization(scopes, send);
    if (value.empty()) fail(registry_ + " answered 401 to an anonymous request");
    return value;
  }
  // A token that no longer works (expired, revoked, too narrow): fetch a new one, once.
  {
    std::lock_guard lock(mutex_);
    challenge_ = challenge;
    auto it = tokens_.find(key_of(scopes));
    if (it != tokens_.end() && "Bearer " + it->second.value == sent) tokens_.erase(it);
  }
  std::string value = authorization(scopes, send);
  if (value == sent) fail(refused(registry_));
  return value;
}

Authenticator::Token Authenticator::fetch_token(const Scopes& scopes, const Send& send) {
  Challenge challenge;
  {
    std::lock_guard lock(mutex_);
    challenge = *challenge_;
  }
  const std::string* realm = challenge.param("realm");
  if (!realm || (url::scheme(*realm) != "https" && url::scheme(*realm) != "http")) {
    fail(registry_ + " asks for a Bearer token but names no http(s) realm to get it from");
  }
  const std::string realm_host = url::host(*realm);
  Credentials c = credentials();
  if (!c.empty() && url::scheme(*realm) == "http" && !TlsPolicy::loopback(realm_host) &&
      !tls_.insecure(realm_host)) {
    fail("the token server of " + registry_ + " (" + url::origin(*realm) +
         ") is plain HTTP; steiger will not send credentials there unless " + realm_host +
         " is listed in insecureRegistries");
  }
  const std::string* service = challenge.param("service");

  http::Request req;
  req.url = *realm;
  if (!c.identity_token.empty()) {
    // OAuth2 refresh-token grant, as Docker does with an identity token.
    req.method = "POST";
    std::string form = "grant_type=refresh_token&client_id=steiger&refresh_token=" +
                       url::percent_encode(c.identity_token);
    if (service) form += "&service=" + url::percent_encode(*service);
    form += "&scope=" + url::percent_encode(key_of(scopes));
    req.headers.push_back("Content-Type: application/x-www-form-urlencoded");
    req.body = http::Body::of_bytes(std::move(form));
  } else {
    if (service) req.url = url::add_query(req.url, "service", *service);
    for (const auto& s : scopes) req.url = url::add_query(req.url, "scope", s);
    if (!c.password.empty()) req.authorization = basic(c);
  }
  http::Response r = send(req);
  const std::string who = "the token server of " + registry_ + " (" + url::origin(*realm) + ")";
  if (r.status == 401 || r.status == 403) {
    if (c.empty()) {
      fail(registry_ + " requires credentials, and none were found for it in " +
           credential_store_.config_file().string() + " (run `docker login " + registry_ + "`)");
    }
    fail(refused(who));
  }
  if (r.status != 200) throw failure_from(r, "getting a token from " + who);

  rapidjson::Document doc;
  doc.Parse(r.body.data(), r.body.size());
  if (doc.HasParseError() || !doc.IsObject()) fail(who + " answered with something not JSON");
  Token token;
  for (const char* name : {"token", "access_token"}) {
    const rapidjson::Value* m = member(doc, name);
    if (m && m->IsString() && m->GetStringLength() > 0) {
      token.value.assign(m->GetString(), m->GetStringLength());
      break;
    }
  }
  if (token.value.empty()) fail(who + " answered without a token");
  redactor_.add(token.value);
  std::chrono::seconds lifetime = kDefaultLifetime;
  const rapidjson::Value* expires = member(doc, "expires_in");
  if (expires && expires->IsInt() && expires->GetInt() > 0) {
    lifetime = std::chrono::seconds(expires->GetInt());
  }
  token.expires =
      Clock::now() + lifetime - std::min<std::chrono::seconds>(kRenewMargin, lifetime / 2);
  return token;
}

}  // namespace steiger::registry
