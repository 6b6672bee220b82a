#include "registry/push_plan.hpp"

#include <algorithm>

#include "oci/root.hpp"

namespace steiger::registry {

std::vector<oci::Descriptor> blobs_of(const oci::Image& image) {
  std::vector<oci::Descriptor> out{image.config};
  out.insert(out.end(), image.layers.begin(), image.layers.end());
  return out;
}

PushPlan plan_push(const oci::Layout& layout) {
  PushPlan plan;
  // The same choice export makes, so a pushed image and an exported one have one digest.
  oci::Root root = oci::choose_root(layout);
  plan.root = std::move(root.descriptor);
  plan.root_bytes = std::move(root.bytes);
  for (const auto& image : layout.images) {
    if (image.manifest.digest != plan.root.digest) plan.images.push_back(&image);
  }
  // layout.blobs lists each document before what it names; reversed, children come first.
  for (auto it = layout.blobs.rbegin(); it != layout.blobs.rend(); ++it) {
    bool nested = std::any_of(layout.indexes.begin(), layout.indexes.end(),
                              [&](const oci::Descriptor& d) { return d.digest == it->digest; });
    if (nested && it->digest != plan.root.digest) plan.indexes.push_back(*it);
  }
  return plan;
}

}  // namespace steiger::registry
