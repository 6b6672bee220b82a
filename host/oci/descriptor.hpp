// Descriptors (what an index or manifest says about a blob) and the platforms they name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "oci/digest.hpp"

namespace steiger::oci {

inline constexpr std::string_view kRefNameAnnotation = "org.opencontainers.image.ref.name";
// buildx marks its provenance/SBOM manifests with this annotation set to kAttestationManifest.
inline constexpr std::string_view kDockerReferenceTypeAnnotation = "vnd.docker.reference.type";
inline constexpr std::string_view kAttestationManifest = "attestation-manifest";

struct Platform {
  std::string os;
  std::string architecture;
  std::string variant;  // empty when the platform has none

  std::string str() const;  // "linux/arm64/v8", "linux/amd64"
  // "os/arch" or "os/arch/variant", each part non-empty.
  static std::optional<Platform> parse(std::string_view text);

  friend bool operator==(const Platform&, const Platform&) = default;
};

struct Descriptor {
  std::string media_type;
  Digest digest;
  std::int64_t size = 0;
  std::optional<Platform> platform;
  std::vector<std::pair<std::string, std::string>> annotations;  // in document order
  std::string artifact_type;                                     // empty when absent

  // The annotation's value, or nullptr when the descriptor has no such annotation.
  const std::string* annotation(std::string_view key) const;
};

}  // namespace steiger::oci
