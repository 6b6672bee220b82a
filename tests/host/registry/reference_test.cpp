#include <catch2/catch.hpp>

#include "common/error.hpp"
#include "registry/reference.hpp"

using steiger::UserError;
using steiger::registry::Reference;

TEST_CASE("references with a registry keep it as written") {
  Reference r = Reference::parse("127.0.0.1:5000/proj/api:v1");
  CHECK(r.registry == "127.0.0.1:5000");
  CHECK(r.repository == "proj/api");
  CHECK(r.tag == "v1");
  CHECK(r.digest.empty());
  CHECK(r.api_host() == "127.0.0.1:5000");
  CHECK(r.str() == "127.0.0.1:5000/proj/api:v1");

  Reference l = Reference::parse("localhost/app");
  CHECK(l.registry == "localhost");
  CHECK(l.repository == "app");
  CHECK(l.tag.empty());

  Reference v6 = Reference::parse("[::1]:5000/a/b:c");
  CHECK(v6.registry == "[::1]:5000");
  CHECK(v6.repository == "a/b");
}

TEST_CASE("Docker Hub names are normalized") {
  for (const char* text : {"ubuntu:22.04", "docker.io/ubuntu:22.04", "index.docker.io/ubuntu:22.04",
                           "registry-1.docker.io/library/ubuntu:22.04"}) {
    Reference r = Reference::parse(text);
    CHECK(r.registry == "docker.io");
    CHECK(r.repository == "library/ubuntu");
    CHECK(r.tag == "22.04");
    CHECK(r.api_host() == "registry-1.docker.io");
    CHECK(r.str() == "docker.io/library/ubuntu:22.04");
  }
  Reference user = Reference::parse("someone/tool");
  CHECK(user.registry == "docker.io");
  CHECK(user.repository == "someone/tool");
}

TEST_CASE("digests are parsed with or without a tag") {
  const std::string hex(64, 'a');
  Reference r = Reference::parse("reg.example.com/x/y:t@sha256:" + hex);
  CHECK(r.tag == "t");
  CHECK(r.digest == "sha256:" + hex);
  CHECK(r.str() == "reg.example.com/x/y:t@sha256:" + hex);
  Reference d = Reference::parse("reg.example.com/x/y@sha256:" + hex);
  CHECK(d.tag.empty());
}

TEST_CASE("invalid references are refused with a reason") {
  CHECK_THROWS_AS(Reference::parse(""), UserError);
  CHECK_THROWS_AS(Reference::parse("reg:5000/Upper/case"), UserError);
  CHECK_THROWS_AS(Reference::parse("reg:5000/a//b"), UserError);
  CHECK_THROWS_AS(Reference::parse("reg:5000/a:bad tag"), UserError);
  CHECK_THROWS_AS(Reference::parse("reg:5000/a:.dot"), UserError);
  CHECK_THROWS_AS(Reference::parse("reg:5000/a@sha256:../../etc"), UserError);
  CHECK_THROWS_AS(Reference::parse("reg:99x/a"), UserError);
  try {
    Reference::parse("reg:5000/Team/api");
    FAIL("no error");
  } catch (const UserError& e) {
    CHECK(std::string(e.what()).find("lowercase") != std::string::npos);
  }
}
