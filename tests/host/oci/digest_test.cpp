#include "oci/digest.hpp"

#include <catch2/catch.hpp>

#include "oci/descriptor.hpp"

using steiger::oci::Digest;
using steiger::oci::Platform;

namespace {

const std::string kHex64 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const std::string kHex128 = kHex64 + kHex64;

}  // namespace

TEST_CASE("Digest::parse accepts sha256 and sha512 in lowercase hex") {
  auto d = Digest::parse("sha256:" + kHex64);
  REQUIRE(d);
  CHECK(d->algorithm == "sha256");
  CHECK(d->hex == kHex64);
  CHECK(d->str() == "sha256:" + kHex64);

  auto d512 = Digest::parse("sha512:" + kHex128);
  REQUIRE(d512);
  CHECK(d512->algorithm == "sha512");
  CHECK(*d512 != *d);
  CHECK(*Digest::parse("sha256:" + kHex64) == *d);
}

TEST_CASE("Digest::parse rejects anything that could leave blobs/<alg>/") {
  auto upper = kHex64;
  upper[0] = 'E';
  const std::string rejected[] = {
      "",
      "sha256",
      "sha256:",
      ":" + kHex64,
      "SHA256:" + kHex64,
      "sha256:" + upper,
      "sha256:" + kHex64.substr(1),        // short
      "sha256:" + kHex64 + "0",            // long
      "sha256:" + kHex128,                 // sha512 length under sha256
      "sha512:" + kHex64,                  // sha256 length under sha512
      "sha256:../../etc/passwd",           //
      "sha256:../" + kHex64.substr(3),     // right length, path escape
      "sha256/" + kHex64,                  //
      "sha256:" + kHex64.substr(1) + "/",  //
      "sha256:" + kHex64.substr(1) + "g",  // not hex
      "md5:d41d8cd98f00b204e9800998ecf8427e",
      "sha384:" + kHex64 + kHex64.substr(0, 32),
      "../sha256:" + kHex64,
      " sha256:" + kHex64,
      "sha256:" + kHex64 + "\n",
      "sha256:" + kHex64.substr(1) + std::string(1, '\0'),
  };
  for (const auto& text : rejected) {
    INFO("'" << text << "'");
    CHECK_FALSE(Digest::parse(text));
  }
}

TEST_CASE("blob_path puts blobs under blobs/<algorithm>/<hex>") {
  auto d = *Digest::parse("sha256:" + kHex64);
  CHECK(steiger::oci::blob_path("/l", d) == std::filesystem::path("/l/blobs/sha256/" + kHex64));
}

TEST_CASE("blob_path refuses a hand-built digest that would escape the layout") {
  Digest evil{"sha256", "../../../etc/passwd"};
  CHECK_THROWS_AS(steiger::oci::blob_path("/l", evil), std::invalid_argument);
  Digest evil_algorithm{"..", kHex64};
  CHECK_THROWS_AS(steiger::oci::blob_path("/l", evil_algorithm), std::invalid_argument);
}

TEST_CASE("Platform parses and prints os/arch[/variant]") {
  auto p = Platform::parse("linux/arm64/v8");
  REQUIRE(p);
  CHECK(p->os == "linux");
  CHECK(p->architecture == "arm64");
  CHECK(p->variant == "v8");
  CHECK(p->str() == "linux/arm64/v8");
  CHECK(Platform::parse("linux/amd64")->str() == "linux/amd64");
  CHECK(Platform::parse("linux/amd64")->variant.empty());

  for (const char* bad :
       {"", "linux", "linux/", "/amd64", "linux//v8", "linux/arm64/v8/x", "linux/amd 64"}) {
    INFO(bad);
    CHECK_FALSE(Platform::parse(bad));
  }
}
