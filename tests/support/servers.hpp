// Real servers for the registry tests, each on 127.0.0.1 on a free port, in a temp folder of its
// own, stopped (by PID) when the object goes: docker-registry (CNCF distribution 2.8) with
// optional TLS, htpasswd or token auth; and the Python stand-ins next to this file for what
// nothing real provides here (a Bearer token server, a fault-injecting proxy).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/background.hpp"

namespace steiger::testing {

// A fresh directory under the system temp directory, removed with its contents.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::filesystem::path& p) const { return path_ / p; }

 private:
  std::filesystem::path path_;
};

struct TlsFiles {
  std::filesystem::path cert;
  std::filesystem::path key;
};

// A self-signed RSA certificate for 127.0.0.1 (subjectAltName=IP:127.0.0.1), made with openssl;
// it is its own CA.
TlsFiles self_signed_certificate(const std::filesystem::path& dir, const std::string& name);

struct RegistryConfig {
  std::optional<TlsFiles> tls;
  // htpasswd (bcrypt) Basic auth with one user, when set.
  std::string user;
  std::string password;
  struct Token {
    std::string realm;
    std::string service;
    std::string issuer;
    std::filesystem::path rootcertbundle;
  };
  std::optional<Token> token;
};

class RegistryServer {
 public:
  explicit RegistryServer(RegistryConfig config = {});
  int port() const { return port_; }
  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string log() const;

 private:
  void write_config(const RegistryConfig& config);
  ScratchDir dir_;
  int port_ = 0;
  std::unique_ptr<BackgroundProcess> process_;
};

// tests/support/<script> run with python3 and `args`, plus --port-file; waits for its port.
class PythonServer {
 public:
  PythonServer(const std::string& script, std::vector<std::string> args);
  int port() const { return port_; }
  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
  const std::filesystem::path& dir() const { return dir_.path(); }

 private:
  ScratchDir dir_;
  int port_ = 0;
  std::unique_ptr<BackgroundProcess> process_;
};

// fault_proxy.py in front of `upstream` ("127.0.0.1:PORT") with extra options; its request log
// is log_lines().
class FaultProxy {
 public:
  FaultProxy(const std::string& upstream, std::vector<std::string> options = {});
  std::string host() const { return server_->host(); }
  std::vector<std::string> log_lines() const;
  void clear_log() const;

 private:
  ScratchDir files_;
  std::filesystem::path log_;
  std::unique_ptr<PythonServer> server_;
};

// token_server.py with a fresh signing key; `users` as "user:password", `refresh_tokens` as
// "token:user".
class TokenServer {
 public:
  TokenServer(std::vector<std::string> users, std::vector<std::string> refresh_tokens = {},
              bool first_token_pull_only = false);
  std::string realm() const { return "http://" + server_->host() + "/token"; }
  RegistryConfig::Token registry_config() const;
  // Every token it issued.
  std::vector<std::string> issued() const;
  std::vector<std::string> log_lines() const;

 private:
  ScratchDir files_;
  TlsFiles signing_;
  std::unique_ptr<PythonServer> server_;
};

// A free TCP port on 127.0.0.1 at the time of asking.
int free_port();

std::vector<std::string> read_lines(const std::filesystem::path& file);
std::string read_text(const std::filesystem::path& file);
void write_text(const std::filesystem::path& file, const std::string& text);

// `skopeo inspect --raw` of docker://<image>: the manifest bytes, or nullopt when it fails.
std::optional<std::string> skopeo_raw(const std::string& image, const std::string& creds = "");

// The status of one plain request (for checking what a registry holds behind the engine's back).
long http_status(const std::string& method, const std::string& url,
                 const std::string& user_password = "");

}  // namespace steiger::testing
