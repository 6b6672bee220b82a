#include "oci/blob_store.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <system_error>

#include "oci/sha256.hpp"

namespace fs = std::filesystem;

namespace steiger::oci {

namespace {

bool is_inside(const fs::path& root, const fs::path& p) {
  return std::mismatch(root.begin(), root.end(), p.begin(), p.end()).first == root.end();
}

struct CloseFile {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

std::string mismatch_message(const std::string& actual_hex, const Digest& expected) {
  return "content does not match its digest (the file hashes to " + expected.algorithm + ":" +
         actual_hex + ")";
}

}  // namespace

BlobStore::BlobStore(const fs::path& layout_dir) : root_(fs::canonical(layout_dir)) {}

fs::path BlobStore::locate(const fs::path& relative) const {
  const fs::path file = root_ / relative;
  std::error_code ec;
  auto link_status = fs::symlink_status(file, ec);
  if (link_status.type() == fs::file_type::not_found) {
    throw BlobProblem("is missing (no file " + relative.generic_string() + ")");
  }
  const bool is_link = fs::is_symlink(link_status);
  fs::path resolved = fs::canonical(file, ec);
  if (ec) {
    throw BlobProblem(is_link ? "is a symlink whose target does not exist"
                              : "cannot be resolved: " + ec.message());
  }
  if (!is_inside(root_, resolved)) {
    throw BlobProblem((is_link ? "is a symlink to " : "resolves through a symlink to ") +
                      resolved.string() + ", outside the layout");
  }
  if (!fs::is_regular_file(fs::status(resolved, ec))) {
    throw BlobProblem("is not a regular file");
  }
  return resolved;
}

fs::path BlobStore::checked_size(const Descriptor& blob, std::string_view referrer) const {
  fs::path file = locate(fs::path("blobs") / blob.digest.algorithm / blob.digest.hex);
  std::error_code ec;
  auto actual = fs::file_size(file, ec);
  if (ec) throw BlobProblem("cannot be read: " + ec.message());
  if (actual != static_cast<std::uintmax_t>(blob.size)) {
    throw BlobProblem("has " + std::to_string(actual) + " bytes, " + std::string(referrer) +
                      " says " + std::to_string(blob.size));
  }
  return file;
}

void BlobStore::verify(const Descriptor& blob, std::string_view referrer) const {
  fs::path file = checked_size(blob, referrer);
  std::uint64_t hashed = 0;
  std::string hex;
  try {
    hex = hash_file(file, blob.digest.algorithm, &hashed);
  } catch (const std::runtime_error& e) {
    throw BlobProblem(std::string("cannot be read: ") + e.what());
  }
  if (hashed != static_cast<std::uint64_t>(blob.size)) {
    throw BlobProblem("changed while it was being read");
  }
  if (hex != blob.digest.hex) throw BlobProblem(mismatch_message(hex, blob.digest));
}

void BlobStore::verify_size(const Descriptor& blob, std::string_view referrer) const {
  checked_size(blob, referrer);
}

std::string BlobStore::read(const Descriptor& blob, std::string_view referrer,
                            std::size_t limit) const {
  fs::path file = checked_size(blob, referrer);
  if (static_cast<std::uint64_t>(blob.size) > limit) {
    throw BlobProblem("is " + std::to_string(blob.size) + " bytes, more than the " +
                      std::to_string(limit) + " allowed for a JSON document");
  }
  std::string bytes = read_small_file(file, limit);
  if (bytes.size() != static_cast<std::size_t>(blob.size)) {
    throw BlobProblem("changed while it was being read");
  }
  Hasher hasher(blob.digest.algorithm);
  hasher.update(bytes);
  std::string hex = hasher.hex_final();
  if (hex != blob.digest.hex) throw BlobProblem(mismatch_message(hex, blob.digest));
  return bytes;
}

std::string read_small_file(const fs::path& file, std::size_t limit) {
  std::unique_ptr<std::FILE, CloseFile> f(std::fopen(file.c_str(), "rb"));
  if (!f) throw BlobProblem(std::string("cannot be read: ") + std::strerror(errno));
  std::string out;
  char buffer[65536];
  while (true) {
    std::size_t n = std::fread(buffer, 1, sizeof buffer, f.get());
    out.append(buffer, n);
    if (out.size() > limit) {
      throw BlobProblem("is larger than the " + std::to_string(limit) +
                        " bytes allowed for a JSON document");
    }
    if (n < sizeof buffer) {
      if (std::ferror(f.get())) {
        throw BlobProblem(std::string("cannot be read: ") + std::strerror(errno));
      }
      break;
    }
  }
  return out;
}

}  // namespace steiger::oci
