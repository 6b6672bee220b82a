#include "oci/sha256.hpp"

#include <openssl/evp.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace steiger::oci {

namespace {

const EVP_MD* message_digest(std::string_view algorithm) {
  if (algorithm == "sha256") return EVP_sha256();
  if (algorithm == "sha512") return EVP_sha512();
  throw std::invalid_argument("unsupported digest algorithm '" + std::string(algorithm) + "'");
}

constexpr std::size_t kChunk = std::size_t{1} << 20;

struct CloseFile {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace

void Hasher::Free::operator()(evp_md_ctx_st* ctx) const {
  EVP_MD_CTX_free(ctx);
}

Hasher::Hasher(std::string_view algorithm) : ctx_(EVP_MD_CTX_new()) {
  const EVP_MD* md = message_digest(algorithm);
  if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), md, nullptr) != 1) {
    throw std::runtime_error("OpenSSL could not start a " + std::string(algorithm) + " digest");
  }
}

Hasher::Hasher(const Hasher& other) : ctx_(EVP_MD_CTX_new()), finished_(other.finished_) {
  if (!ctx_ || EVP_MD_CTX_copy_ex(ctx_.get(), other.ctx_.get()) != 1) {
    throw std::runtime_error("OpenSSL could not copy a digest");
  }
}

Hasher& Hasher::operator=(const Hasher& other) {
  if (this != &other) {
    if (!ctx_) ctx_.reset(EVP_MD_CTX_new());  // moved from
    if (!ctx_ || EVP_MD_CTX_copy_ex(ctx_.get(), other.ctx_.get()) != 1) {
      throw std::runtime_error("OpenSSL could not copy a digest");
    }
    finished_ = other.finished_;
  }
  return *this;
}

void Hasher::update(const void* data, std::size_t size) {
  if (finished_) throw std::logic_error("Hasher::update after hex_final");
  if (size != 0 && EVP_DigestUpdate(ctx_.get(), data, size) != 1) {
    throw std::runtime_error("OpenSSL digest update failed");
  }
}

std::string Hasher::hex_final() {
  if (finished_) throw std::logic_error("Hasher::hex_final called twice");
  finished_ = true;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx_.get(), md, &length) != 1) {
    throw std::runtime_error("OpenSSL digest finalisation failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(std::size_t{length} * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 0xf]);
  }
  return out;
}

std::string hash_file(const std::filesystem::path& file, std::string_view algorithm,
                      std::uint64_t* size_out) {
  Hasher hasher(algorithm);
  std::unique_ptr<std::FILE, CloseFile> f(std::fopen(file.c_str(), "rb"));
  if (!f) {
    throw std::runtime_error("cannot open " + file.string() + ": " + std::strerror(errno));
  }
  // Our own buffer is already large; stdio's would only add a copy.
  std::setvbuf(f.get(), nullptr, _IONBF, 0);
  std::vector<char> buffer(kChunk);
  std::uint64_t total = 0;
  while (true) {
    std::size_t n = std::fread(buffer.data(), 1, buffer.size(), f.get());
    hasher.update(buffer.data(), n);
    total += n;
    if (n < buffer.size()) {
      if (std::ferror(f.get())) {
        throw std::runtime_error("cannot read " + file.string() + ": " + std::strerror(errno));
      }
      break;
    }
  }
  if (size_out) *size_out = total;
  return hasher.hex_final();
}

std::string sha256_hex(std::string_view data) {
  Hasher hasher("sha256");
  hasher.update(data);
  return hasher.hex_final();
}

}  // namespace steiger::oci
