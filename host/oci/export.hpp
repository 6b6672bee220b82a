// Placing a validated layout in the local output folder, normalized to one tagged entry.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

#include "oci/descriptor.hpp"
#include "oci/layout.hpp"

namespace steiger::oci {

struct ExportResult {
  // What index.json now points at (a manifest or an image index), as written there: with the
  // org.opencontainers.image.ref.name annotation set to the tag.
  Descriptor root;
};

// The destination could not be written or replaced; the message names it.
class ExportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The distribution spec's tag grammar: [A-Za-z0-9_][A-Za-z0-9._-]{0,127}.
bool is_valid_tag(std::string_view tag);

// Writes `source` (from validate_layout) at `destination` as a layout whose index.json has exactly
// one entry, choose_root's (see oci/root.hpp), annotated with `tag`, so `skopeo inspect oci:DEST`
// and `oci:DEST:TAG` both work (skopeo 1.9 finds tags only on OCI media types; a Docker schema 2
// root is still found as `oci:DEST`).
// Every blob of `source` is copied, or with `move_blobs` (source is a private work directory it
// may consume) renamed where possible. The result is built in a sibling temp directory and then
// swapped in, so no half-written destination is ever visible; on failure the destination is as it
// was. Throws LayoutError when the source cannot be expressed as one image (two images for one
// platform, an image without platform), ExportError when the destination cannot be written,
// std::invalid_argument for an invalid tag or a source with unverified blobs (validate it with
// Check::Everything).
ExportResult export_layout(const Layout& source, const std::filesystem::path& destination,
                           const std::string& tag, bool move_blobs);

}  // namespace steiger::oci
