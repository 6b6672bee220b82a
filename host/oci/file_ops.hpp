// Filesystem steps of writing a layout: placing blobs, writing documents, swapping directories.
// Internal to the oci module.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace steiger::oci {

// Puts the file `from` at `to`. With `move`, renames when it can (same filesystem, permitted) and
// copies otherwise; symlinks are never renamed (a relative one would dangle), their target is
// copied. Never hardlinks: sources may be read-only store paths a later chmod must not reach.
// The result is writable by its owner, whatever the source's mode (nix store files are 0444).
void place_file(const std::filesystem::path& from, const std::filesystem::path& to, bool move);

void write_file(const std::filesystem::path& file, std::string_view bytes);

// `.<name>.<purpose>-<pid>` next to `path`: on the same filesystem, so renames stay renames.
std::filesystem::path sibling(const std::filesystem::path& path, std::string_view purpose);

// Puts the directory `staged` at `destination`, replacing what is there, so that a reader finds
// the old tree or the new one, never a half-written one. An existing destination is only
// replaced when it is an OCI layout or empty (a mistyped output folder must not be deleted).
void replace_directory(const std::filesystem::path& staged,
                       const std::filesystem::path& destination);

}  // namespace steiger::oci
