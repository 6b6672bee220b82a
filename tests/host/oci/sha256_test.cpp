#include "oci/sha256.hpp"

#include <catch2/catch.hpp>

#include "command.hpp"
#include "layout_fixture.hpp"
#include "memory.hpp"

using namespace steiger::oci;
using namespace steiger::oci::testing;

TEST_CASE("sha256 and sha512 match the FIPS 180 test vectors") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  Hasher h("sha512");
  h.update("abc");
  CHECK(h.hex_final() ==
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3"
        "feebbd454d4423643ce80e2a9ac94fa54ca49f");
}

TEST_CASE("Hasher gives the same digest however the input is split") {
  std::string data(300000, '\0');
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 31 + 7);
  Hasher h("sha256");
  for (std::size_t at = 0; at < data.size(); at += 777) {
    h.update(data.data() + at, std::min<std::size_t>(777, data.size() - at));
  }
  CHECK(h.hex_final() == sha256_hex(data));
}

TEST_CASE("a copied Hasher goes on from where the original was, independently") {
  Hasher h("sha256");
  h.update("abc");
  Hasher saved = h;
  h.update("def");
  Hasher later("sha512");
  later = saved;  // copy-assigned, algorithm included
  saved.update("xyz");
  later.update("def");
  CHECK(h.hex_final() == sha256_hex("abcdef"));
  CHECK(saved.hex_final() == sha256_hex("abcxyz"));
  CHECK(later.hex_final() == sha256_hex("abcdef"));
  Hasher spent = later;  // a spent hasher copies as spent
  CHECK_THROWS_AS(spent.update("x"), std::logic_error);
}

TEST_CASE("Hasher refuses unknown algorithms and use after hex_final") {
  CHECK_THROWS_AS(Hasher("md5"), std::invalid_argument);
  CHECK_THROWS_AS(Hasher("SHA256"), std::invalid_argument);
  Hasher h("sha256");
  h.hex_final();
  CHECK_THROWS_AS(h.update("x"), std::logic_error);
  CHECK_THROWS_AS(h.hex_final(), std::logic_error);
}

TEST_CASE("hash_file hashes a multi-MiB file across chunk boundaries like sha256sum") {
  TempDir tmp;
  LayoutWriter w(tmp / "l");
  // Not a multiple of the 1 MiB chunk, so the last partial chunk counts too.
  const std::uint64_t size = (std::uint64_t{5} << 20) + 12345;
  Descriptor layer = w.layer(size, 42);
  const auto file = blob_file(w.dir(), layer);

  std::uint64_t hashed = 0;
  const std::string hex = hash_file(file, "sha256", &hashed);
  CHECK(hashed == size);
  auto sum = run_command("sha256sum " + shell_quote(file.string()));
  REQUIRE(sum.status == 0);
  CHECK(sum.output.substr(0, 64) == hex);
  CHECK(hex == layer.digest.hex);

  auto sum512 = run_command("sha512sum " + shell_quote(file.string()));
  REQUIRE(sum512.status == 0);
  CHECK(hash_file(file, "sha512") == sum512.output.substr(0, 128));
}

TEST_CASE("hash_file of an empty file and of a missing one") {
  TempDir tmp;
  write_text(tmp / "empty", "");
  std::uint64_t hashed = 99;
  CHECK(hash_file(tmp / "empty", "sha256", &hashed) == sha256_hex(""));
  CHECK(hashed == 0);
  CHECK_THROWS_WITH(hash_file(tmp / "missing", "sha256"),
                    Catch::Matchers::Contains((tmp / "missing").string()));
}

TEST_CASE("hash_file keeps memory constant however large the file") {
  TempDir tmp;
  LayoutWriter w(tmp / "l");
  const std::uint64_t size = std::uint64_t{48} << 20;
  const auto file = blob_file(w.dir(), w.layer(size, 7));
  long growth = peak_growth_kib([&] { hash_file(file, "sha256"); });
  INFO("peak growth " << growth << " KiB for a " << (size >> 20) << " MiB file");
  CHECK(growth < 8 * 1024);
}
