// What one push sends, and in which order, for a validated layout.
#pragma once

#include <string>
#include <vector>

#include "oci/descriptor.hpp"
#include "oci/layout.hpp"

namespace steiger::registry {

struct PushPlan {
  // What the tag ends up pointing at, and its exact bytes (oci::choose_root): the layout's only
  // top-level manifest or index as it is, or an OCI image index made from its several
  // top-level manifests.
  oci::Descriptor root;
  std::string root_bytes;
  // Image manifests (attestations included) to push by digest before any index; the root
  // itself, when it is a manifest, is not listed: it goes last, under the tag.
  std::vector<const oci::Image*> images;
  // Nested image indexes other than the root, each after the indexes it lists.
  std::vector<oci::Descriptor> indexes;
};

// Throws oci::LayoutError when the layout cannot be one image (two manifests for one platform,
// a manifest without platform among several).
PushPlan plan_push(const oci::Layout& layout);

// The config and layers of an image: the blobs its manifest names.
std::vector<oci::Descriptor> blobs_of(const oci::Image& image);

}  // namespace steiger::registry
