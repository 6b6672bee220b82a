// Registry credentials the way Docker keeps them: config.json, credsStore, credHelpers.
#pragma once

#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "platform/cancel.hpp"
#include "registry/redactor.hpp"

namespace steiger::registry {

struct Credentials {
  std::string username;
  std::string password;
  std::string identity_token;  // an OAuth2 refresh token (`docker login` through an IdP)
  // Where they came from, for messages: a config.json path or "docker-credential-NAME".
  std::string source;

  bool empty() const { return password.empty() && identity_token.empty(); }
};

// Looks credentials up once per registry and remembers them for the run. Every secret found is
// registered with the redactor before anything else can see it.
class CredentialStore {
 public:
  // `config_dir` holds config.json; empty means $DOCKER_CONFIG, else $HOME/.docker.
  CredentialStore(std::filesystem::path config_dir, Redactor& redactor,
                  const platform::CancelSource* cancel);

  // `registry`: host[:port] as in Reference::registry ("docker.io" for Docker Hub). Credentials
  // with empty() when none are configured. Throws Failure(Permanent) when config.json is
  // unreadable or a credential helper fails for another reason than "not found".
  Credentials lookup(const std::string& registry);

  // Where config.json is looked for, for messages.
  std::filesystem::path config_file() const;

 private:
  Credentials find(const std::string& registry);

  std::filesystem::path config_dir_;
  Redactor& redactor_;
  const platform::CancelSource* cancel_;
  std::mutex mutex_;
  std::map<std::string, Credentials> cache_;
};

// config.json keys come as "host", "https://host/v1/", "http://host:5000"...: the host[:port]
// part, lowercased, Docker Hub aliases folded to "docker.io".
std::string normalize_config_key(std::string_view key);

}  // namespace steiger::registry
