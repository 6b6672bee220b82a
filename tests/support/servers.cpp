#include "support/servers.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "process/runner.hpp"

namespace fs = std::filesystem;

namespace steiger::testing {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kStartTimeout = std::chrono::seconds(15);

bool accepts_connections(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

void run_checked(const std::vector<std::string>& argv) {
  process::Spec spec;
  spec.argv = argv;
  process::Result r = process::run(spec);
  if (!r.ok())
    throw std::runtime_error(argv[0] + " failed (exit " + std::to_string(r.exit_code) + ")");
}

std::string capture_checked(const std::vector<std::string>& argv) {
  auto out = process::capture(argv);
  if (!out) throw std::runtime_error(argv[0] + " failed");
  return *out;
}

}  // namespace

ScratchDir::ScratchDir() {
  std::string pattern = (fs::temp_directory_path() / "steiger-reg-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    throw std::runtime_error("cannot find a free port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  // Not through istreambuf_iterator: GCC 12 at -O2 warns of a null dereference inside it.
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return std::move(buffer).str();
}

void write_text(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

std::vector<std::string> read_lines(const fs::path& file) {
  std::vector<std::string> out;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TlsFiles self_signed_certificate(const fs::path& dir, const std::string& name) {
  TlsFiles f{dir / (name + ".crt"), dir / (name + ".key")};
  run_checked({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
               f.key.string(), "-out", f.cert.string(), "-days", "2", "-subj", "/CN=127.0.0.1",
               "-addext", "subjectAltName=IP:127.0.0.1"});
  return f;
}

RegistryServer::RegistryServer(RegistryConfig config) {
  // The port is free when asked but could be taken before the registry binds it: try again.
  for (int attempt = 0; attempt < 3; ++attempt) {
    port_ = free_port();
    write_config(config);
    process_ = std::make_unique<BackgroundProcess>(
        std::vector<std::string>{"docker-registry", "serve", (dir_ / "config.yml").string()},
        dir_ / "registry.log");
    for (auto deadline = Clock::now() + kStartTimeout; Clock::now() < deadline;) {
      if (!process_->running()) break;
      if (accepts_connections(port_)) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    process_->stop();
  }
  throw std::runtime_error("docker-registry did not start; its log:\n" + log());
}

std::string RegistryServer::log() const {
  return read_text(dir_ / "registry.log");
}

void RegistryServer::write_config(const RegistryConfig& c) {
  std::string y =
      "version: 0.1\n"
      "log:\n  level: info\n  accesslog:\n    disabled: true\n"
      "storage:\n  filesystem:\n    rootdirectory: " +
      (dir_ / "data").string() +
      "\n  delete:\n    enabled: true\n"
      "  maintenance:\n    uploadpurging:\n      enabled: false\n"
      "http:\n  addr: 127.0.0.1:" +
      std::to_string(port_) + "\n  secret: steiger-test-secret\n";
  if (c.tls) {
    y += "  tls:\n    certificate: " + c.tls->cert.string() + "\n    key: " + c.tls->key.string() +
         "\n";
  }
  if (!c.user.empty()) {
    std::string line = capture_checked({"htpasswd", "-Bbn", c.user, c.password});
    write_text(dir_ / "htpasswd", line);
    y += "auth:\n  htpasswd:\n    realm: steiger-test\n    path: " + (dir_ / "htpasswd").string() +
         "\n";
  } else if (c.token) {
    y += "auth:\n  token:\n    realm: " + c.token->realm + "\n    service: " + c.token->service +
         "\n    issuer: " + c.token->issuer +
         "\n    rootcertbundle: " + c.token->rootcertbundle.string() + "\n";
  }
  y += "health:\n  storagedriver:\n    enabled: false\n";
  write_text(dir_ / "config.yml", y);
}

PythonServer::PythonServer(const std::string& script, std::vector<std::string> args) {
  const fs::path port_file = dir_ / "port";
  std::vector<std::string> argv{"python3", std::string(STEIGER_TEST_SUPPORT_DIR) + "/" + script,
                                "--port-file", port_file.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  process_ = std::make_unique<BackgroundProcess>(argv, dir_ / "server.log");
  for (auto deadline = Clock::now() + kStartTimeout; Clock::now() < deadline;) {
    if (!process_->running()) break;
    std::error_code ec;
    if (fs::exists(port_file, ec)) {
      port_ = std::stoi(read_text(port_file));
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  throw std::runtime_error(script + " did not start: " + read_text(dir_ / "server.log"));
}

FaultProxy::FaultProxy(const std::string& upstream, std::vector<std::string> options)
    : log_(files_ / "requests.log") {
  std::vector<std::string> args{"--upstream", upstream, "--log", log_.string()};
  args.insert(args.end(), options.begin(), options.end());
  server_ = std::make_unique<PythonServer>("fault_proxy.py", args);
}

std::vector<std::string> FaultProxy::log_lines() const {
  return read_lines(log_);
}

void FaultProxy::clear_log() const {
  std::ofstream(log_, std::ios::trunc).flush();
}

TokenServer::TokenServer(std::vector<std::string> users, std::vector<std::string> refresh_tokens,
                         bool first_token_pull_only) {
  signing_ = self_signed_certificate(files_.path(), "signing");
  std::string u, r;
  for (const auto& line : users) u += line + "\n";
  for (const auto& line : refresh_tokens) r += line + "\n";
  write_text(files_ / "users", u);
  write_text(files_ / "refresh", r);
  std::vector<std::string> args{"--key",
                                signing_.key.string(),
                                "--cert",
                                signing_.cert.string(),
                                "--issuer",
                                "steiger-test-issuer",
                                "--service",
                                "steiger-test-registry",
                                "--users",
                                (files_ / "users").string(),
                                "--refresh-tokens",
                                (files_ / "refresh").string(),
                                "--tokens-log",
                                (files_ / "tokens").string(),
                                "--log",
                                (files_ / "log").string()};
  if (first_token_pull_only) args.push_back("--first-token-pull-only");
  server_ = std::make_unique<PythonServer>("token_server.py", args);
}

RegistryConfig::Token TokenServer::registry_config() const {
  return {realm(), "steiger-test-registry", "steiger-test-issuer", signing_.cert};
}

std::vector<std::string> TokenServer::issued() const {
  return read_lines(files_ / "tokens");
}

std::vector<std::string> TokenServer::log_lines() const {
  return read_lines(files_ / "log");
}

std::optional<std::string> skopeo_raw(const std::string& image, const std::string& creds) {
  std::vector<std::string> argv{"skopeo", "inspect", "--raw", "--tls-verify=false"};
  if (!creds.empty()) {
    argv.push_back("--creds");
    argv.push_back(creds);
  } else {
    argv.push_back("--no-creds");
  }
  argv.push_back("docker://" + image);
  return process::capture(argv);
}

long http_status(const std::string& method, const std::string& url,
                 const std::string& user_password) {
  CURL* c = curl_easy_init();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  if (method == "HEAD") curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
  curl_easy_setopt(
      c, CURLOPT_WRITEFUNCTION,
      +[](char*, size_t size, size_t n, void*) -> size_t { return size * n; });
  if (!user_password.empty()) curl_easy_setopt(c, CURLOPT_USERPWD, user_password.c_str());
  // docker-registry hides OCI manifests from clients that do not say they accept them.
  curl_slist* headers =
      curl_slist_append(nullptr,
                        "Accept: application/vnd.oci.image.index.v1+json, "
                        "application/vnd.oci.image.manifest.v1+json, "
                        "application/vnd.docker.distribution.manifest.list.v2+json, "
                        "application/vnd.docker.distribution.manifest.v2+json");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  long status = 0;
  if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(c);
  curl_slist_free_all(headers);
  return status;
}

}  // namespace steiger::testing
