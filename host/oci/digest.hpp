// Content digests as OCI layouts and registries name blobs.
#pragma once

#include <compare>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace steiger::oci {

// Only sha256 and sha512 with lowercase hex of exactly the right length are accepted: the hex
// part becomes a file name under blobs/, so anything looser could name a path outside a layout.
struct Digest {
  std::string algorithm;  // "sha256" or "sha512"
  std::string hex;

  std::string str() const { return algorithm + ":" + hex; }
  static std::optional<Digest> parse(std::string_view text);

  friend bool operator==(const Digest&, const Digest&) = default;
  friend std::strong_ordering operator<=>(const Digest&, const Digest&) = default;
};

// Number of hex digits a supported algorithm's digest has; 0 for any other algorithm.
std::size_t hex_length(std::string_view algorithm);

// <layout>/blobs/<algorithm>/<hex>. Throws std::invalid_argument for a digest that did not come
// from Digest::parse (a hand-built one could otherwise escape the layout).
std::filesystem::path blob_path(const std::filesystem::path& layout, const Digest& digest);

}  // namespace steiger::oci
