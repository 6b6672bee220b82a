// Validating the OCI image layout directory a builder hands back, before anything uses it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "oci/descriptor.hpp"
#include "oci/digest.hpp"

namespace steiger::oci {

struct Image {
  Descriptor manifest;  // as the index that lists it describes it
  Descriptor config;
  std::vector<Descriptor> layers;
  // From the manifest's descriptor, else from the config's os/architecture/variant.
  std::optional<Platform> platform;
  // buildx provenance/SBOM: annotation vnd.docker.reference.type=attestation-manifest, or
  // platform unknown/unknown. Such manifests travel with the image but are not platforms.
  bool attestation = false;
};

struct Layout {
  std::filesystem::path dir;
  std::vector<Descriptor> roots;    // index.json "manifests", in order
  std::vector<Image> images;        // every image manifest reachable, each once
  std::vector<Descriptor> indexes;  // every nested image index reachable, each once
  // Every distinct blob referenced (indexes, manifests, configs, layers), each once, in the order
  // met: a document always comes before the blobs it names.
  std::vector<Descriptor> blobs;
  std::uint64_t total_bytes = 0;  // sum of `blobs` sizes
  // Blobs whose content validation left unhashed (see ValidateOptions): present, inside the
  // layout, regular files of exactly the size claimed, their bytes unchecked. Whoever reads one
  // next must hash it as it reads (the pusher does, while streaming it). Empty after a full
  // validation. Never a JSON document: those are always read and hashed.
  std::set<Digest> unverified;

  bool verified(const Digest& blob) const { return unverified.count(blob) == 0; }

  // The non-attestation images. The pointers point into `images`.
  std::vector<const Image*> platform_images() const;
};

// The message names the layout directory, the blob or document and what is wrong with it.
class LayoutError : public std::runtime_error {
 public:
  LayoutError(const std::filesystem::path& layout, const std::string& problem);
  const std::filesystem::path& layout() const { return layout_; }

 private:
  std::filesystem::path layout_;
};

// Checks everything the host relies on: oci-layout and index.json, every descriptor, every blob
// reachable from index.json (present, inside the layout, right size, right digest, each hashed
// once), manifests and configs of the right shape, and at least one platform image.
// Throws LayoutError.
//
// Check::Structure skips hashing the content of layers (sizes, paths and every JSON document are
// still checked): enough to ask a registry whether it already has the image, before paying for
// hashing gigabytes that would not be sent. Anything exported gets Everything; anything pushed
// gets at least ValidateOptions with a threshold, the pusher hashing the rest as it sends it.
enum class Check { Everything, Structure };
Layout validate_layout(const std::filesystem::path& dir, Check check = Check::Everything);

struct ValidateOptions {
  // Blobs of at least this many bytes are checked as Check::Structure checks them and listed in
  // Layout::unverified; smaller ones are hashed. JSON documents are hashed whatever their size.
  // The default hashes everything; 0 is Check::Structure.
  std::uint64_t hash_below = UINT64_MAX;
};
Layout validate_layout(const std::filesystem::path& dir, const ValidateOptions& options);

}  // namespace steiger::oci
