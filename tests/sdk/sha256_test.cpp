#include <steiger/sdk/sha256.hpp>

#include <catch2/catch.hpp>

#include <string>

using steiger::sdk::Sha256;
using steiger::sdk::sha256_hex;
using steiger::sdk::to_hex;

TEST_CASE("sha256 matches the NIST vectors", "[sha256]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnop"
                   "qklmnopqrlmnopqrsmnopqrstnopqrstu") ==
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  CHECK(sha256_hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256 pads correctly around the block boundary", "[sha256]") {
  // 55, 56 and 64 bytes: the length fits, just misses, and needs a whole extra block.
  CHECK(sha256_hex(std::string(55, 'a')) ==
        "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  CHECK(sha256_hex(std::string(56, 'a')) ==
        "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  CHECK(sha256_hex(std::string(64, 'a')) ==
        "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

TEST_CASE("streaming in any chunk size equals hashing at once", "[sha256]") {
  std::string data;
  for (int i = 0; i < 10007; ++i) data.push_back(static_cast<char>(i * 31 + (i >> 7)));
  const std::string whole = sha256_hex(data);
  for (size_t chunk : {1u, 3u, 63u, 64u, 65u, 127u, 1000u, 4096u}) {
    Sha256 h;
    for (size_t pos = 0; pos < data.size(); pos += chunk)
      h.update(data.data() + pos, std::min(chunk, data.size() - pos));
    CHECK(to_hex(h.finish()) == whole);
  }
  Sha256 h;
  h.update("ab");
  h.update(nullptr, 0);
  h.update("c");
  CHECK(to_hex(h.finish()) == sha256_hex("abc"));
}

TEST_CASE("reset starts a new digest", "[sha256]") {
  Sha256 h;
  h.update("something else");
  (void)h.finish();
  h.reset();
  h.update("abc");
  CHECK(to_hex(h.finish()) == sha256_hex("abc"));
}
