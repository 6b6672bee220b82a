#include "oci/export.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <system_error>
#include <vector>

#include "oci/file_ops.hpp"
#include "oci/json.hpp"
#include "oci/media_types.hpp"
#include "oci/sha256.hpp"

namespace fs = std::filesystem;

namespace steiger::oci {

namespace {

struct Root {
  Descriptor descriptor;
  std::optional<std::string> new_index;  // bytes of an index we write, when we make one
};

void drop_ref_name(Descriptor& d) {
  std::erase_if(d.annotations, [](const auto& kv) { return kv.first == kRefNameAnnotation; });
}

const Image* image_for(const Layout& layout, const Descriptor& manifest) {
  for (const auto& image : layout.images) {
    if (image.manifest.digest == manifest.digest) return &image;
  }
  return nullptr;
}

// Several top-level manifests become entries of one new index; an index needs each entry's
// platform, and one image per platform, or clients could not choose.
Root new_index(const Layout& source, const std::vector<Descriptor>& entries_in) {
  std::vector<Descriptor> entries;
  std::map<std::string, Digest> by_platform;
  for (Descriptor entry : entries_in) {
    drop_ref_name(entry);
    if (const Image* image = is_manifest(entry.media_type) ? image_for(source, entry) : nullptr) {
      if (!entry.platform) entry.platform = image->platform;
      if (!entry.platform) {
        throw LayoutError(source.dir, "manifest " + entry.digest.str() +
                                          " names no platform (neither in index.json nor in its "
                                          "config), so it cannot join a multi-platform index");
      }
      if (!image->attestation) {
        auto [it, inserted] = by_platform.emplace(entry.platform->str(), entry.digest);
        if (!inserted) {
          throw LayoutError(source.dir, "two images for platform " + entry.platform->str() +
                                            ": manifests " + it->second.str() + " and " +
                                            entry.digest.str());
        }
      }
    }
    entries.push_back(std::move(entry));
  }
  std::string bytes = json::index_document(entries);
  Descriptor d;
  d.media_type = std::string(media_type::kOciIndex);
  d.digest = Digest{"sha256", sha256_hex(bytes)};
  d.size = static_cast<std::int64_t>(bytes.size());
  return {std::move(d), std::move(bytes)};
}

Root choose_root(const Layout& source) {
  // The same manifest listed under several tags is one entry; unknown media types are left out
  // as validate_layout left them uninterpreted.
  std::vector<Descriptor> entries;
  for (const auto& root : source.roots) {
    if (!is_index(root.media_type) && !is_manifest(root.media_type)) continue;
    bool listed = std::any_of(entries.begin(), entries.end(),
                              [&](const Descriptor& d) { return d.digest == root.digest; });
    if (!listed) entries.push_back(root);
  }
  if (entries.size() == 1) return {entries.front(), std::nullopt};
  return new_index(source, entries);
}

fs::path normalized(const fs::path& destination) {
  fs::path out = fs::absolute(destination).lexically_normal();
  if (out.filename().empty()) out = out.parent_path();  // "out/api/"
  return out;
}

void write_layout(const Layout& source, const fs::path& staged, const Root& root, bool move_blobs) {
  fs::create_directories(staged / "blobs");
  write_file(staged / "oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
  for (const auto& blob : source.blobs) {
    fs::path to = blob_path(staged, blob.digest);
    fs::create_directories(to.parent_path());
    place_file(blob_path(source.dir, blob.digest), to, move_blobs);
  }
  if (root.new_index) {
    fs::path to = blob_path(staged, root.descriptor.digest);
    fs::create_directories(to.parent_path());
    write_file(to, *root.new_index);
  }
  write_file(staged / "index.json", json::index_document({root.descriptor}));
}

}  // namespace

bool is_valid_tag(std::string_view tag) {
  auto word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  if (tag.empty() || tag.size() > 128 || !word(tag.front())) return false;
  return std::all_of(tag.begin(), tag.end(),
                     [&](char c) { return word(c) || c == '.' || c == '-'; });
}

ExportResult export_layout(const Layout& source, const fs::path& destination,
                           const std::string& tag, bool move_blobs) {
  if (!is_valid_tag(tag)) {
    throw std::invalid_argument("'" + tag +
                                "' is not a valid image tag (letters, digits, '_', "
                                "'.', '-', at most 128, not starting with '.' or '-')");
  }
  Root root = choose_root(source);
  drop_ref_name(root.descriptor);
  root.descriptor.annotations.emplace_back(kRefNameAnnotation, tag);

  const fs::path dest = normalized(destination);
  const fs::path staged = sibling(dest, "tmp");
  try {
    fs::create_directories(dest.parent_path());
    fs::remove_all(staged);
    write_layout(source, staged, root, move_blobs);
    replace_directory(staged, dest);
  } catch (...) {
    std::error_code ec;
    fs::remove_all(staged, ec);
    try {
      throw;
    } catch (const fs::filesystem_error& e) {
      throw ExportError("cannot write the OCI layout " + dest.string() + ": " + e.what());
    }
  }
  return {std::move(root.descriptor)};
}

}  // namespace steiger::oci
