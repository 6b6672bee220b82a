// The one document a tag points at for a validated layout: shared by export and push, so an
// exported image and a pushed one carry the same digest.
#pragma once

#include <string>

#include "oci/descriptor.hpp"
#include "oci/layout.hpp"

namespace steiger::oci {

struct Root {
  // Without the layout's own org.opencontainers.image.ref.name (a builder's tag means nothing
  // here); other annotations and the platform are kept.
  Descriptor descriptor;
  std::string bytes;     // the manifest or index exactly, hashing to descriptor.digest
  bool created = false;  // a new index made here, not a blob of the layout
};

// - One top-level manifest or index (after dropping repeats and unknown media types): that one,
//   byte for byte (buildx's multi-platform index stays as it is).
// - Several: a new compact OCI image index listing them, each with its platform (from
//   index.json, else from its config); attestations are kept.
// Throws LayoutError when that cannot be one image: two images for one platform, or a manifest
// without platform among several.
Root choose_root(const Layout& layout);

}  // namespace steiger::oci
