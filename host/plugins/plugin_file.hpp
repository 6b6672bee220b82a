// What counts as a plugin file on this platform, and how a loader error reads.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace steiger::plugins {

// `steiger-*.so` (`.dylib` on macOS) regular files in `dir`, sorted by name; none if no folder.
std::vector<std::filesystem::path> plugin_files_in(const std::filesystem::path& dir);

// The dynamic loader's own words, which say more than Boost's error category.
std::string shared_library_error(const std::filesystem::path& file, const std::string& fallback);

}  // namespace steiger::plugins
