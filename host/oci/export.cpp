#include "oci/export.hpp"

#include <algorithm>
#include <system_error>
#include <vector>

#include "oci/file_ops.hpp"
#include "oci/json.hpp"
#include "oci/root.hpp"

namespace fs = std::filesystem;

namespace steiger::oci {

namespace {

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
  if (root.created) {
    fs::path to = blob_path(staged, root.descriptor.digest);
    fs::create_directories(to.parent_path());
    write_file(to, root.bytes);
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
  // Blobs are copied, not read: nothing downstream would ever hash an unverified one.
  if (!source.unverified.empty()) {
    throw std::invalid_argument("export_layout needs a fully validated layout (" +
                                source.unverified.begin()->str() + " was not hashed)");
  }
  Root root = choose_root(source);
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
