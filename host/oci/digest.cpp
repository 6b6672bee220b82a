#include "oci/digest.hpp"

#include <algorithm>
#include <stdexcept>

namespace steiger::oci {

namespace {

bool is_lower_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

std::size_t hex_length(std::string_view algorithm) {
  if (algorithm == "sha256") return 64;
  if (algorithm == "sha512") return 128;
  return 0;
}

std::optional<Digest> Digest::parse(std::string_view text) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  auto algorithm = text.substr(0, colon);
  auto hex = text.substr(colon + 1);
  auto length = hex_length(algorithm);
  if (length == 0 || hex.size() != length || !is_lower_hex(hex)) return std::nullopt;
  return Digest{std::string(algorithm), std::string(hex)};
}

std::filesystem::path blob_path(const std::filesystem::path& layout, const Digest& digest) {
  if (!Digest::parse(digest.str())) {
    throw std::invalid_argument("not a valid digest: '" + digest.str() + "'");
  }
  return layout / "blobs" / digest.algorithm / digest.hex;
}

}  // namespace steiger::oci
