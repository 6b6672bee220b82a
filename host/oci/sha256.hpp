// Streaming content hashes (OpenSSL EVP) for checking and naming blobs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX, kept out of this header

namespace steiger::oci {

class Hasher {
 public:
  // "sha256" or "sha512"; anything else throws std::invalid_argument.
  explicit Hasher(std::string_view algorithm);
  // The state so far, so a reader that has to go back (an upload resent from its start) can
  // resume from a saved point instead of hashing everything again.
  Hasher(const Hasher& other);
  Hasher& operator=(const Hasher& other);
  Hasher(Hasher&&) noexcept = default;
  Hasher& operator=(Hasher&&) noexcept = default;

  void update(const void* data, std::size_t size);
  void update(std::string_view data) { update(data.data(), data.size()); }
  // Lowercase hex of the digest. The hasher is spent afterwards: update() or a second call throws.
  std::string hex_final();

 private:
  struct Free {
    void operator()(evp_md_ctx_st* ctx) const;
  };
  std::unique_ptr<evp_md_ctx_st, Free> ctx_;
  bool finished_ = false;
};

// Hex digest of a file, read in 1 MiB chunks so memory stays constant whatever its size.
// Stores the number of bytes hashed in *size_out when given. Throws std::runtime_error naming the
// file when it cannot be read.
std::string hash_file(const std::filesystem::path& file, std::string_view algorithm,
                      std::uint64_t* size_out = nullptr);

std::string sha256_hex(std::string_view data);

}  // namespace steiger::oci
