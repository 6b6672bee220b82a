// The Bearer token flow against docker-registry configured with `auth: token`, a token server of
// our own (tests/support/token_server.py), and credentials from config.json, from a credential
// helper, and as an identity token. No password or token may appear in any message.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "push_fixture.hpp"
#include "registry/base64.hpp"

using namespace steiger::registry;
using namespace steiger::registry::testing;
using steiger::testing::TokenServer;
using steiger::testing::write_text;

namespace {

const std::string kUser = "bob";
const std::string kPassword = "Token-user-s3cret-pw";
const std::string kRefresh = "refresh-identity-s3cret-0001";

struct TokenRegistry {
  explicit TokenRegistry(bool first_token_pull_only = false)
      : tokens({kUser + ":" + kPassword}, {kRefresh + ":" + kUser}, first_token_pull_only),
        registry({std::nullopt, "", "", tokens.registry_config()}) {}
  TokenServer tokens;
  RegistryServer registry;
  TempDir files;

  fs::path config(const std::string& json) const {
    fs::path dir = files / ("docker-" + std::to_string(counter_++));
    fs::create_directories(dir);
    write_text(dir / "config.json", json);
    return dir;
  }
  fs::path password_config(const std::string& password) const {
    return config(R"({"auths":{")" + registry.host() + R"(":{"auth":")" +
                  base64::encode(kUser + ":" + password) + R"("}}})");
  }

  mutable int counter_ = 0;
};

struct Outcome {
  std::optional<PushResult> result;
  std::string error;
  std::vector<std::string> progress;
};

Outcome push(const fs::path& docker_config, const oci::Layout& layout, const std::string& ref) {
  ProgressLog progress;
  PushOptions o = test_options();
  o.docker_config_dir = docker_config;
  o.on_progress = progress.sink();
  Pusher pusher(o);
  Outcome out;
  try {
    out.result = pusher.push(layout, Reference::parse(ref));
  } catch (const PushError& e) {
    out.error = e.what();
  }
  out.progress = progress.lines;
  return out;
}

// Nothing the engine said holds a password, the identity token or any token issued.
void check_no_secret(const TokenRegistry& t, const Outcome& o) {
  std::vector<std::string> secrets{kPassword, kRefresh, base64::encode(kUser + ":" + kPassword)};
  for (const auto& token : t.tokens.issued()) secrets.push_back(token);
  std::vector<std::string> said = o.progress;
  said.push_back(o.error);
  for (const auto& text : said) {
    for (const auto& secret : secrets) {
      INFO(text);
      CHECK(text.find(secret) == std::string::npos);
    }
  }
}

}  // namespace

TEST_CASE("Bearer tokens with a password from config.json") {
  TokenRegistry t;
  TestLayout l(Spec{{"linux/amd64", "linux/arm64"}, {1000}});
  Outcome o = push(t.password_config(kPassword), l.layout, t.registry.host() + "/team/tok:v1");
  INFO(o.error);
  REQUIRE(o.result);
  // Tokens are cached per scope: one token request for the whole push.
  CHECK(t.tokens.log_lines().size() == 1);
  CHECK(registry_digest(t.registry.host() + "/team/tok:v1", kUser + ":" + kPassword) ==
        o.result->digest.str());
  check_no_secret(t, o);
}

TEST_CASE("credentials from a docker-credential helper on PATH") {
  TokenRegistry t;
  fs::path bin = t.files / "bin";
  fs::create_directories(bin);
  fs::path helper = bin / "docker-credential-steigertest";
  // Answers only for our registry, as real helpers do, and says so otherwise.
  write_text(helper,
             "#!/bin/sh\n[ \"$1\" = get ] || exit 2\nread -r server\n"
             "if [ \"$server\" = \"" +
                 t.registry.host() +
                 "\" ]; then\n"
                 "  printf '{\"ServerURL\":\"%s\",\"Username\":\"" +
                 kUser + "\",\"Secret\":\"" + kPassword +
                 "\"}\\n' \"$server\"\n"
                 "else\n  echo 'credentials not found in native keychain'; exit 1\nfi\n");
  ::chmod(helper.c_str(), 0755);
  ScopedEnv path("PATH", bin.string() + ":" + std::string(::getenv("PATH")));
  TestLayout l;

  SECTION("credsStore") {
    Outcome o = push(t.config(R"({"credsStore":"steigertest"})"), l.layout,
                     t.registry.host() + "/team/helper:v1");
    INFO(o.error);
    CHECK(o.result);
    check_no_secret(t, o);
  }
  SECTION("credHelpers") {
    Outcome o = push(t.config(R"({"credHelpers":{")" + t.registry.host() + R"(":"steigertest"}})"),
                     l.layout, t.registry.host() + "/team/helper:v2");
    INFO(o.error);
    CHECK(o.result);
    check_no_secret(t, o);
  }
  SECTION("a helper that is not installed is named") {
    Outcome o = push(t.config(R"({"credsStore":"nosuchhelper"})"), l.layout,
                     t.registry.host() + "/team/helper:v3");
    CHECK(o.error.find("docker-credential-nosuchhelper is not installed") != std::string::npos);
  }
}

TEST_CASE("an identity token is exchanged through the OAuth2 refresh-token grant") {
  TokenRegistry t;
  TestLayout l;
  Outcome o = push(t.config(R"({"auths":{")" + t.registry.host() + R"(":{"identitytoken":")" +
                            kRefresh + R"("}}})"),
                   l.layout, t.registry.host() + "/team/idtoken:v1");
  INFO(o.error);
  CHECK(o.result);
  REQUIRE_FALSE(t.tokens.log_lines().empty());
  CHECK(t.tokens.log_lines()[0].rfind("POST user=yes", 0) == 0);
  check_no_secret(t, o);
}

TEST_CASE("a token without push rights is renewed on 401") {
  TokenRegistry t(/*first_token_pull_only=*/true);
  TestLayout l;
  Outcome o = push(t.password_config(kPassword), l.layout, t.registry.host() + "/team/renew:v1");
  INFO(o.error);
  CHECK(o.result);
  CHECK(t.tokens.log_lines().size() == 2);
  check_no_secret(t, o);
}

TEST_CASE("wrong or missing credentials for a token server give one clear message") {
  TokenRegistry t;
  TestLayout l;
  Outcome wrong =
      push(t.password_config("not-" + kPassword), l.layout, t.registry.host() + "/team/x:v1");
  INFO(wrong.error);
  CHECK(wrong.error.find("the token server of " + t.registry.host()) != std::string::npos);
  CHECK(wrong.error.find("refused the credentials") != std::string::npos);
  CHECK(wrong.error.find('\n') == std::string::npos);
  CHECK(wrong.error.find("not-" + kPassword) == std::string::npos);
  check_no_secret(t, wrong);

  Outcome none = push(t.files / "empty", l.layout, t.registry.host() + "/team/x:v1");
  INFO(none.error);
  CHECK(none.error.find("requires credentials") != std::string::npos);
  CHECK(none.error.find("docker login " + t.registry.host()) != std::string::npos);
}
