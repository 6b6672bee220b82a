#include "oci/root.hpp"

#include <algorithm>
#include <map>
#include <vector>

#include "oci/blob_store.hpp"
#include "oci/json.hpp"
#include "oci/media_types.hpp"
#include "oci/sha256.hpp"

namespace steiger::oci {

namespace {

// Registries refuse manifests over 4 MiB; validate_layout already held documents to this.
constexpr std::size_t kMaxDocument = std::size_t{4} << 20;

void drop_ref_name(Descriptor& d) {
  std::erase_if(d.annotations, [](const auto& kv) { return kv.first == kRefNameAnnotation; });
}

const Image* image_for(const Layout& layout, const Descriptor& manifest) {
  for (const auto& image : layout.images) {
    if (image.manifest.digest == manifest.digest) return &image;
  }
  return nullptr;
}

// An index needs each entry's platform, and one image per platform, or clients could not choose.
Root new_index(const Layout& layout, std::vector<Descriptor> entries) {
  std::map<std::string, Digest> by_platform;
  for (Descriptor& entry : entries) {
    const Image* image = is_manifest(entry.media_type) ? image_for(layout, entry) : nullptr;
    if (!image) continue;
    if (!entry.platform) entry.platform = image->platform;
    if (!entry.platform) {
      throw LayoutError(layout.dir, "manifest " + entry.digest.str() +
                                        " names no platform (neither in index.json nor in its "
                                        "config), so it cannot join a multi-platform index");
    }
    if (image->attestation) continue;
    auto [it, inserted] = by_platform.emplace(entry.platform->str(), entry.digest);
    if (!inserted) {
      throw LayoutError(layout.dir, "two images for platform " + entry.platform->str() +
                                        ": manifests " + it->second.str() + " and " +
                                        entry.digest.str());
    }
  }
  Root root;
  root.bytes = json::index_document(entries);
  root.descriptor.media_type = std::string(media_type::kOciIndex);
  root.descriptor.digest = Digest{"sha256", sha256_hex(root.bytes)};
  root.descriptor.size = static_cast<std::int64_t>(root.bytes.size());
  root.created = true;
  return root;
}

}  // namespace

Root choose_root(const Layout& layout) {
  // The same manifest listed under several tags is one entry; unknown media types are left out,
  // as validate_layout left them uninterpreted.
  std::vector<Descriptor> entries;
  for (const auto& d : layout.roots) {
    if (!is_index(d.media_type) && !is_manifest(d.media_type)) continue;
    bool listed = std::any_of(entries.begin(), entries.end(),
                              [&](const Descriptor& e) { return e.digest == d.digest; });
    if (!listed) entries.push_back(d);
  }
  for (auto& entry : entries) drop_ref_name(entry);
  if (entries.empty()) throw LayoutError(layout.dir, "index.json lists no manifest or index");
  if (entries.size() > 1) return new_index(layout, std::move(entries));

  Root root;
  root.descriptor = std::move(entries.front());
  try {
    // Read again, and checked as read: the bytes handed on must be the bytes the digest names.
    root.bytes = BlobStore(layout.dir).read(root.descriptor, "index.json", kMaxDocument);
  } catch (const BlobProblem& e) {
    throw LayoutError(
        layout.dir, "blob " + root.descriptor.digest.str() + " (entry of index.json) " + e.what());
  }
  return root;
}

}  // namespace steiger::oci
