#include "registry/tls.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

namespace fs = std::filesystem;

namespace steiger::registry {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// host without port; brackets of an IPv6 literal removed.
std::string host_only(std::string_view hostport) {
  if (!hostport.empty() && hostport.front() == '[') {
    size_t close = hostport.find(']');
    return lower(hostport.substr(1, close == std::string_view::npos ? close : close - 1));
  }
  return lower(hostport.substr(0, hostport.find(':')));
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  // Not through istreambuf_iterator: GCC 12 at -O2 warns of a null dereference inside it.
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return std::move(buffer).str();
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

}  // namespace

TlsPolicy::TlsPolicy(std::vector<std::string> insecure, fs::path certs_d)
    : certs_d_(std::move(certs_d)) {
  for (auto& entry : insecure) {
    std::string_view e = entry;
    if (size_t p = e.find("://"); p != std::string_view::npos) e = e.substr(p + 3);
    e = e.substr(0, e.find('/'));
    if (!e.empty()) insecure_.push_back(lower(e));
  }
}

bool TlsPolicy::insecure(std::string_view hostport) const {
  std::string hp = lower(hostport);
  std::string host = host_only(hp);
  return std::any_of(insecure_.begin(), insecure_.end(), [&](const std::string& entry) {
    if (entry == hp) return true;
    // An entry without a port covers every port of that host.
    bool has_port = entry.front() == '[' ? entry.find("]:") != std::string::npos
                                         : entry.find(':') != std::string::npos;
    return !has_port && host_only(entry) == host;
  });
}

bool TlsPolicy::loopback(std::string_view hostport) {
  std::string host = host_only(hostport);
  if (host == "localhost" || host == "::1") return true;
  // 127.0.0.0/8 in dotted-quad form.
  if (host.rfind("127.", 0) != 0) return false;
  int parts = 0;
  size_t start = 0;
  while (start <= host.size()) {
    size_t dot = host.find('.', start);
    std::string part = host.substr(start, dot == std::string::npos ? dot : dot - start);
    if (part.empty() || part.size() > 3 ||
        !std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        std::stoi(part) > 255) {
      return false;
    }
    ++parts;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts == 4;
}

std::vector<fs::path> TlsPolicy::certs_roots() const {
  if (!certs_d_.empty()) return {certs_d_};
  if (std::string dir = env("STEIGER_CERTS_D"); !dir.empty()) return {dir};
  return {"/etc/docker/certs.d", "/etc/containers/certs.d"};
}

TlsSettings TlsPolicy::settings_for(const std::string& hostport) const {
  std::lock_guard lock(mutex_);
  if (auto it = cache_.find(hostport); it != cache_.end()) return it->second;
  TlsSettings s;
  s.verify = !insecure(hostport);
  s.ca_file = env("SSL_CERT_FILE");
  s.ca_dir = env("SSL_CERT_DIR");
  if (std::string docker_certs = env("DOCKER_CERT_PATH"); !docker_certs.empty()) {
    std::error_code ec;
    if (fs::is_regular_file(fs::path(docker_certs) / "ca.pem", ec)) {
      s.extra_ca_pem += read_file(fs::path(docker_certs) / "ca.pem") + "\n";
    }
  }
  for (const fs::path& root : certs_roots()) {
    std::error_code ec;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(root / hostport, ec)) files.push_back(e.path());
    std::sort(files.begin(), files.end());  // deterministic choice of the client pair
    for (const fs::path& f : files) {
      if (f.extension() == ".crt") s.extra_ca_pem += read_file(f) + "\n";
      if (f.extension() == ".cert" && s.client_cert.empty()) {
        fs::path key = fs::path(f).replace_extension(".key");
        if (fs::is_regular_file(key, ec)) {
          s.client_cert = f.string();
          s.client_key = key.string();
        }
      }
    }
  }
  cache_.emplace(hostport, s);
  return s;
}

std::string TlsPolicy::trust_hint(const std::string& hostport) const {
  fs::path root = certs_roots().front();
  return "put its CA certificate in " + (root / hostport / "ca.crt").string() +
         " (or in $SSL_CERT_FILE), or list " + hostport +
         " in insecureRegistries to skip verification";
}

}  // namespace steiger::registry
