// The pieces of the protocol that need no server: challenges, URLs, Retry-After, backoff.
#include <catch2/catch.hpp>

#include "registry/base64.hpp"
#include "registry/challenge.hpp"
#include "registry/redactor.hpp"
#include "registry/retry.hpp"
#include "registry/tls.hpp"
#include "registry/url.hpp"

namespace reg = steiger::registry;
using namespace std::chrono_literals;

TEST_CASE("WWW-Authenticate challenges are read") {
  auto c = reg::parse_challenge(
      R"(Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull,push")");
  REQUIRE(c);
  CHECK(c->scheme == "bearer");
  CHECK(*c->param("realm") == "https://auth.example.com/token");
  CHECK(*c->param("service") == "registry.example.com");
  CHECK(*c->param("scope") == "repository:a/b:pull,push");

  auto b = reg::parse_challenge(R"(Basic realm="steiger \"test\"")");
  REQUIRE(b);
  CHECK(b->scheme == "basic");
  CHECK(*b->param("realm") == "steiger \"test\"");

  auto two = reg::parse_challenge(R"(Basic realm=x, Bearer realm="y")");
  REQUIRE(two);
  CHECK(two->scheme == "basic");
  CHECK(*two->param("realm") == "x");

  CHECK_FALSE(reg::parse_challenge(""));
  CHECK_FALSE(reg::parse_challenge(R"(Bearer realm="unterminated)"));
}

TEST_CASE("Location headers are resolved and keep their query") {
  const std::string base = "http://127.0.0.1:5000/v2/a/blobs/uploads/";
  CHECK(reg::url::resolve(base, "/v2/a/blobs/uploads/u1?_state=xyz") ==
        "http://127.0.0.1:5000/v2/a/blobs/uploads/u1?_state=xyz");
  CHECK(reg::url::resolve(base, "https://storage.example.com/up?sig=1") ==
        "https://storage.example.com/up?sig=1");
  CHECK(reg::url::resolve(base, "//other:1/x") == "http://other:1/x");
  CHECK(reg::url::resolve(base, "u2") == "http://127.0.0.1:5000/v2/a/blobs/uploads/u2");

  CHECK(reg::url::add_query("http://h/up?_state=x", "digest", "sha256:ab") ==
        "http://h/up?_state=x&digest=sha256%3Aab");
  CHECK(reg::url::add_query("http://h/up", "digest", "sha256:ab") ==
        "http://h/up?digest=sha256%3Aab");
  CHECK(reg::url::add_query("http://h/up?", "a", "b") == "http://h/up?a=b");
  CHECK(reg::url::host("HTTPS://User@Reg.Example.com:443/v2/") == "reg.example.com:443");
  CHECK(reg::url::origin("http://h:1/v2/x?y") == "http://h:1");
}

TEST_CASE("Retry-After and backoff") {
  auto now = std::chrono::system_clock::from_time_t(784111777);  // Sun, 06 Nov 1994 08:49:37 GMT
  CHECK(reg::parse_retry_after("3", now) == 3000ms);
  CHECK(reg::parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now) == 10000ms);
  CHECK_FALSE(reg::parse_retry_after("soon", now));

  reg::RetryPolicy p;
  p.base_delay = 100ms;
  p.max_delay = 1000ms;
  for (int retry = 1; retry < 10; ++retry) {
    auto d = reg::backoff_delay(p, retry, std::nullopt);
    CHECK(d >= 0ms);
    CHECK(d <= std::min(1000ms, 100ms * (1 << (retry - 1))));
    CHECK(reg::backoff_delay(p, retry, 1500ms) >= 1500ms);
  }
  CHECK(reg::retriable_status(429));
  CHECK(reg::retriable_status(503));
  CHECK(reg::retriable_status(408));
  CHECK_FALSE(reg::retriable_status(501));
  CHECK_FALSE(reg::retriable_status(404));
}

TEST_CASE("with_retries retries transient failures only, within the budget") {
  reg::RetryPolicy p;
  p.max_attempts = 3;
  p.base_delay = 1ms;
  int calls = 0;
  CHECK_THROWS_AS(reg::with_retries(p, nullptr,
                                    [&] {
                                      ++calls;
                                      throw reg::Failure(reg::Failure::Kind::Transient, "503");
                                    }),
                  reg::Failure);
  CHECK(calls == 3);
  calls = 0;
  CHECK_THROWS(reg::with_retries(p, nullptr, [&] {
    ++calls;
    throw reg::Failure(reg::Failure::Kind::Permanent, "400");
  }));
  CHECK(calls == 1);
  calls = 0;
  reg::with_retries(p, nullptr, [&] {
    if (++calls < 2) throw reg::Failure(reg::Failure::Kind::Transient, "reset");
  });
  CHECK(calls == 2);
  // A Retry-After beyond what we wait for ends the step at once.
  p.max_retry_after = 1000ms;
  calls = 0;
  try {
    reg::with_retries(p, nullptr, [&] {
      ++calls;
      throw reg::Failure(reg::Failure::Kind::Transient, "429", 3600s);
    });
  } catch (const reg::Failure& f) {
    CHECK(std::string(f.what()).find("retry after 3600 s") != std::string::npos);
  }
  CHECK(calls == 1);
}

TEST_CASE("insecure and loopback registries") {
  reg::TlsPolicy tls({"reg.internal", "other:5000", "http://plain.example:8080/"}, "/nonexistent");
  CHECK(tls.insecure("reg.internal"));
  CHECK(tls.insecure("reg.internal:443"));
  CHECK(tls.insecure("other:5000"));
  CHECK_FALSE(tls.insecure("other:5001"));
  CHECK(tls.insecure("plain.example:8080"));
  CHECK_FALSE(tls.insecure("registry.example.com"));
  CHECK(reg::TlsPolicy::loopback("127.0.0.1:5000"));
  CHECK(reg::TlsPolicy::loopback("127.1.2.3"));
  CHECK(reg::TlsPolicy::loopback("localhost:5000"));
  CHECK(reg::TlsPolicy::loopback("[::1]:5000"));
  CHECK_FALSE(reg::TlsPolicy::loopback("127.example.com"));
  CHECK_FALSE(reg::TlsPolicy::loopback("10.0.0.1:5000"));
  CHECK(tls.settings_for("registry.example.com").verify);
  CHECK_FALSE(tls.settings_for("reg.internal:5000").verify);
}

TEST_CASE("base64 and the redactor") {
  CHECK(reg::base64::encode("user:pass") == "dXNlcjpwYXNz");
  CHECK(reg::base64::encode("a") == "YQ==");
  CHECK(reg::base64::decode("dXNlcjpwYXNz") == "user:pass");
  CHECK(reg::base64::decode("YQ") == "a");
  CHECK_FALSE(reg::base64::decode("!!!"));
  reg::Redactor r;
  r.add("s3cret-pass");
  r.add("s3cret");
  r.add("ab");  // too short to mask without mangling words
  CHECK(r.redact("pw=s3cret-pass and s3cret, ab") == "pw=<redacted> and <redacted>, ab");
}
