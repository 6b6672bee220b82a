// htpasswd Basic auth over TLS with a self-signed CA, credentials from config.json, and what the
// user is told when credentials or certificates are wrong. No secret may appear in any message.
#include <catch2/catch.hpp>

#include "push_fixture.hpp"
#include "registry/base64.hpp"

using namespace steiger::registry;
using namespace steiger::registry::testing;
using steiger::testing::self_signed_certificate;
using steiger::testing::write_text;

namespace {

const std::string kUser = "alice";
const std::string kPassword = "Basic-s3cret-Pa55word";

struct TlsRegistry {
  TempDir files;
  steiger::testing::TlsFiles cert = self_signed_certificate(files.path(), "registry");
  RegistryServer registry{{cert, kUser, kPassword, std::nullopt}};

  // A certs.d folder trusting the registry's certificate.
  fs::path certs_d() const {
    fs::path dir = files / "certs.d" / registry.host();
    fs::create_directories(dir);
    fs::copy_file(cert.cert, dir / "ca.crt", fs::copy_options::overwrite_existing);
    return files / "certs.d";
  }
  fs::path docker_config(const std::string& password) const {
    fs::path dir = files / "docker";
    fs::create_directories(dir);
    write_text(dir / "config.json", R"({"auths":{")" + registry.host() + R"(":{"auth":")" +
                                        base64::encode(kUser + ":" + password) + R"("}}})");
    return dir;
  }
};

// The exception's message, which must be one line naming what is wrong.
std::string push_error(Pusher& pusher, const oci::Layout& layout, const std::string& ref) {
  try {
    pusher.push(layout, Reference::parse(ref));
  } catch (const PushError& e) {
    return e.what();
  }
  return "";
}

void check_no_secret(const std::string& text) {
  INFO(text);
  CHECK(text.find(kPassword) == std::string::npos);
  CHECK(text.find(base64::encode(kUser + ":" + kPassword)) == std::string::npos);
}

}  // namespace

TEST_CASE("Basic auth over TLS trusted through certs.d") {
  TlsRegistry t;
  TestLayout l;
  ProgressLog progress;
  PushOptions o = test_options();
  o.certs_dir = t.certs_d();
  o.docker_config_dir = t.docker_config(kPassword);
  o.on_progress = progress.sink();
  Pusher pusher(o);
  PushResult r = pusher.push(l.layout, Reference::parse(t.registry.host() + "/team/api:v1"));
  CHECK(registry_digest(t.registry.host() + "/team/api:v1", kUser + ":" + kPassword) ==
        r.digest.str());
  for (const auto& line : progress.lines) check_no_secret(line);
}

TEST_CASE("username and password fields, and trust through SSL_CERT_FILE or STEIGER_CERTS_D") {
  TlsRegistry t;
  TestLayout l;
  PushOptions o = test_options();
  fs::path dir = t.files / "docker2";
  fs::create_directories(dir);
  write_text(dir / "config.json", R"({"auths":{"https://)" + t.registry.host() +
                                      R"(/v2/":{"username":")" + kUser + R"(","password":")" +
                                      kPassword + R"("}}})");
  o.docker_config_dir = dir;
  {
    ScopedEnv cert_file("SSL_CERT_FILE", t.cert.cert.string());
    Pusher pusher(o);
    CHECK_NOTHROW(pusher.push(l.layout, Reference::parse(t.registry.host() + "/team/a:v1")));
  }
  {
    ScopedEnv certs_d("STEIGER_CERTS_D", t.certs_d().string());
    o.certs_dir.clear();
    Pusher pusher(o);
    CHECK_NOTHROW(pusher.push(l.layout, Reference::parse(t.registry.host() + "/team/b:v1")));
  }
}

TEST_CASE("an untrusted certificate gives one clear message") {
  TlsRegistry t;
  TestLayout l;
  PushOptions o = test_options();
  o.docker_config_dir = t.docker_config(kPassword);
  Pusher pusher(o);
  std::string what = push_error(pusher, l.layout, t.registry.host() + "/team/api:v1");
  INFO(what);
  CHECK(what.find("TLS certificate of " + t.registry.host() + " is not trusted") !=
        std::string::npos);
  CHECK(what.find("ca.crt") != std::string::npos);
  CHECK(what.find("insecureRegistries") != std::string::npos);
  CHECK(what.find('\n') == std::string::npos);
  check_no_secret(what);

  // Listed as insecure, the same registry is accepted without verification.
  o.insecure_registries = {t.registry.host()};
  Pusher insecure(o);
  CHECK_NOTHROW(insecure.push(l.layout, Reference::parse(t.registry.host() + "/team/api:v1")));
}

TEST_CASE("wrong or missing Basic credentials give one clear message") {
  TlsRegistry t;
  TestLayout l;
  PushOptions o = test_options();
  o.certs_dir = t.certs_d();
  ProgressLog progress;
  o.on_progress = progress.sink();

  o.docker_config_dir = t.docker_config("wrong-" + kPassword);
  Pusher wrong(o);
  std::string what = push_error(wrong, l.layout, t.registry.host() + "/team/api:v1");
  INFO(what);
  CHECK(what.find("refused the credentials for " + t.registry.host()) != std::string::npos);
  CHECK(what.find("docker login") != std::string::npos);
  CHECK(what.find("wrong-" + kPassword) == std::string::npos);
  check_no_secret(what);

  o.docker_config_dir = t.files / "no-such-folder";
  Pusher anonymous(o);
  std::string missing = push_error(anonymous, l.layout, t.registry.host() + "/team/api:v1");
  INFO(missing);
  CHECK(missing.find("requires a user name and password") != std::string::npos);
  for (const auto& line : progress.lines) check_no_secret(line);
}

TEST_CASE("Authorization does not follow a redirect to another host") {
  // Plain HTTP is allowed on loopback; the registry still demands Basic credentials.
  TempDir files;
  RegistryServer registry({std::nullopt, kUser, kPassword, std::nullopt});
  FaultProxy elsewhere("", {"--respond", "404"});
  FaultProxy front(registry.host(), {"--redirect-blob-heads", elsewhere.host()});
  write_text(files / "config.json", R"({"auths":{")" + front.host() + R"(":{"auth":")" +
                                        base64::encode(kUser + ":" + kPassword) + R"("}}})");
  TestLayout l;
  PushOptions o = test_options();
  o.docker_config_dir = files.path();
  Pusher pusher(o);
  PushResult r = pusher.push(l.layout, Reference::parse(front.host() + "/team/redirected:v1"));
  CHECK(registry_digest(registry.host() + "/team/redirected:v1", kUser + ":" + kPassword) ==
        r.digest.str());
  auto redirected = elsewhere.log_lines();
  CHECK(count_requests(redirected, "HEAD", "/blobs/") == 3);
  for (const auto& line : redirected) CHECK(line.find("auth=0") != std::string::npos);
  CHECK(count_requests(front.log_lines(), "PUT", "auth=1") >= 1);
}
