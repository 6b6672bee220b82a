#include "registry/push_plan.hpp"

#include <algorithm>
#include <map>

#include "oci/blob_store.hpp"
#include "oci/json.hpp"
#include "oci/media_types.hpp"
#include "oci/sha256.hpp"

namespace steiger::registry {
namespace {

constexpr size_t kMaxDocument = 4 << 20;

// The same choice oci::export_layout makes (see oci/export.cpp), so a pushed image and an
// exported one carry the same digest. TODO(oci): use oci's function once it is public.
const oci::Image* image_for(const oci::Layout& layout, const oci::Digest& digest) {
  for (const auto& image : layout.images) {
    if (image.manifest.digest == digest) return &image;
  }
  return nullptr;
}

std::pair<oci::Descriptor, std::string> new_index(const oci::Layout& layout,
                                                  const std::vector<oci::Descriptor>& roots) {
  std::vector<oci::Descriptor> entries;
  std::map<std::string, oci::Digest> by_platform;
  for (oci::Descriptor entry : roots) {
    std::erase_if(entry.annotations,
                  [](const auto& kv) { return kv.first == oci::kRefNameAnnotation; });
    const oci::Image* image =
        oci::is_manifest(entry.media_type) ? image_for(layout, entry.digest) : nullptr;
    if (image) {
      if (!entry.platform) entry.platform = image->platform;
      if (!entry.platform) {
        throw oci::LayoutError(layout.dir, "manifest " + entry.digest.str() +
                                               " names no platform (neither in index.json nor "
                                               "in its config), so it cannot join a "
                                               "multi-platform index");
      }
      if (!image->attestation) {
        auto [it, inserted] = by_platform.emplace(entry.platform->str(), entry.digest);
        if (!inserted) {
          throw oci::LayoutError(layout.dir, "two images for platform " +
                                                 entry.platform->str() + ": manifests " +
                                                 it->second.str() + " and " +
                                                 entry.digest.str());
        }
      }
    }
    entries.push_back(std::move(entry));
  }
  std::string bytes = oci::json::index_document(entries);
  oci::Descriptor d;
  d.media_type = std::string(oci::media_type::kOciIndex);
  d.digest = oci::Digest{"sha256", oci::sha256_hex(bytes)};
  d.size = static_cast<std::int64_t>(bytes.size());
  return {std::move(d), std::move(bytes)};
}

}  // namespace

std::vector<oci::Descriptor> blobs_of(const oci::Image& image) {
  std::vector<oci::Descriptor> out{image.config};
  out.insert(out.end(), image.layers.begin(), image.layers.end());
  return out;
}

PushPlan plan_push(const oci::Layout& layout) {
  std::vector<oci::Descriptor> roots;
  for (const auto& root : layout.roots) {
    if (!oci::is_index(root.media_type) && !oci::is_manifest(root.media_type)) continue;
    bool listed = std::any_of(roots.begin(), roots.end(),
                              [&](const oci::Descriptor& d) { return d.digest == root.digest; });
    if (!listed) roots.push_back(root);
  }
  if (roots.empty()) throw oci::LayoutError(layout.dir, "index.json lists no manifest or index");

  PushPlan plan;
  if (roots.size() == 1) {
    plan.root = roots.front();
    // Re-checked as it is read: the bytes sent must be the bytes the digest names.
    plan.root_bytes = oci::BlobStore(layout.dir).read(plan.root, "index.json", kMaxDocument);
  } else {
    std::tie(plan.root, plan.root_bytes) = new_index(layout, roots);
  }
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
