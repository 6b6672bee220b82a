// Checking a blob's content while it is uploaded, from the very reads that feed the upload.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "oci/digest.hpp"
#include "oci/sha256.hpp"
#include "registry/http.hpp"

namespace steiger::registry {

// Hashes one blob's bytes as its upload reads them (one PUT, or PATCH chunks in order) and
// refuses the last of them when the whole does not hash to the blob's digest: the registry then
// never receives a complete body, so it commits nothing, whatever it would have checked itself.
// When libcurl resends a request body (a redirect, an authentication challenge), the hash goes
// back to the state saved where that body starts, so memory stays constant and every byte
// counts once.
class ContentCheck final : public http::BodyTap {
 public:
  enum class State {
    Reading,     // not every byte seen yet
    Matched,     // every byte seen, and they hash to the digest
    Mismatched,  // every byte seen, and they do not (the last ones were refused)
    Lost,        // the reads jumped where the hash cannot follow; the transfer was stopped
  };

  ContentCheck(oci::Digest digest, std::uint64_t size);

  // Back to nothing seen, for a new attempt at the whole blob.
  void restart();

  void at(std::uint64_t file_offset) override;
  bool take(std::uint64_t file_offset, const char* data, std::size_t size) override;

  // A blob of 0 bytes is Matched or Mismatched before any read.
  State state();
  // What the bytes read hash to, once all were seen.
  const std::string& actual_hex() const { return actual_; }
  // Whether take() stopped the transfer (Mismatched or Lost) since the last restart: the request
  // failed because of the check, not because of anything the registry said.
  bool refused() const { return refused_; }

 private:
  void finish();

  const oci::Digest digest_;
  const std::uint64_t size_;
  oci::Hasher hasher_;
  std::uint64_t hashed_ = 0;  // bytes [0, hashed_) went into hasher_
  // The hash of the bytes before the current request body, for when it is sent again.
  std::optional<std::pair<std::uint64_t, oci::Hasher>> saved_;
  State state_ = State::Reading;
  std::string actual_;
  bool refused_ = false;
};

}  // namespace steiger::registry
