// Finding and checking the files of one layout directory without ever leaving it.
// Internal to the oci module.
#pragma once

#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

#include "oci/descriptor.hpp"

namespace steiger::oci {

// What is wrong with one file, phrased to follow its name: "is missing (...)", "has 3 bytes, ...".
class BlobProblem : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class BlobStore {
 public:
  // `layout_dir` must exist; it is resolved once so every check compares real paths.
  explicit BlobStore(const std::filesystem::path& layout_dir);

  const std::filesystem::path& root() const { return root_; }

  // A file of the layout (relative path), resolved through symlinks, after checking that it stays
  // inside the layout and is a regular file. Builders (nix in particular) may use symlinks within
  // the layout; one leading outside would let a builder make the host read and push any file.
  std::filesystem::path locate(const std::filesystem::path& relative) const;

  // Checks the descriptor's blob: inside the layout, regular, exactly `size` bytes, content
  // hashing to its digest (streamed, constant memory). `referrer` names who claimed the size,
  // e.g. "the manifest".
  void verify(const Descriptor& blob, std::string_view referrer) const;
  // Everything verify() checks but the content's digest.
  void verify_size(const Descriptor& blob, std::string_view referrer) const;

  // Same checks, for a JSON document read whole: the bytes returned are the bytes checked.
  std::string read(const Descriptor& blob, std::string_view referrer, std::size_t limit) const;

 private:
  std::filesystem::path checked_size(const Descriptor& blob, std::string_view referrer) const;

  std::filesystem::path root_;
};

// Reads a whole small file; throws BlobProblem when it cannot be read or exceeds `limit` bytes.
std::string read_small_file(const std::filesystem::path& file, std::size_t limit);

}  // namespace steiger::oci
