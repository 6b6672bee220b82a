// Where the running executable is, to find the plugins installed next to it.
#pragma once

#include <filesystem>

namespace steiger::platform {

// Absolute, symlinks resolved. Throws std::filesystem::filesystem_error.
std::filesystem::path executable_path();

}  // namespace steiger::platform
