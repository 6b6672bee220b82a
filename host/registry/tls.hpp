// Which registries may skip TLS verification or use plain HTTP, and which CAs each trusts.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace steiger::registry {

struct TlsSettings {
  bool verify = true;
  std::string ca_file;       // $SSL_CERT_FILE: replaces the system bundle, as OpenSSL does
  std::string ca_dir;        // $SSL_CERT_DIR
  std::string extra_ca_pem;  // certs.d CAs, trusted in addition to the above
  std::string client_cert;   // certs.d client certificate and key files, when present
  std::string client_key;
};

class TlsPolicy {
 public:
  // `insecure`: host or host:port entries (a scheme prefix is ignored). `certs_d`: Docker's
  // per-registry certificate folder; empty means $STEIGER_CERTS_D, else /etc/docker/certs.d and
  // /etc/containers/certs.d.
  TlsPolicy(std::vector<std::string> insecure, std::filesystem::path certs_d);

  // Listed in insecureRegistries: plain HTTP or an unverified certificate allowed.
  bool insecure(std::string_view hostport) const;
  // 127.0.0.0/8, ::1 and localhost, which may use plain HTTP as Docker allows.
  static bool loopback(std::string_view hostport);

  // Thread-safe; certs.d is read once per host.
  TlsSettings settings_for(const std::string& hostport) const;

  // Where a CA for this host could go, for the message when its certificate is not trusted.
  std::string trust_hint(const std::string& hostport) const;

 private:
  std::vector<std::filesystem::path> certs_roots() const;

  std::vector<std::string> insecure_;
  std::filesystem::path certs_d_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, TlsSettings> cache_;
};

}  // namespace steiger::registry
