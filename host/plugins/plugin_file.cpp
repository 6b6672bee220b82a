#include "plugins/plugin_file.hpp"

#include <dlfcn.h>

#include <algorithm>

namespace steiger::plugins {

namespace fs = std::filesystem;

namespace {
#ifdef __APPLE__
constexpr const char* kSuffix = ".dylib";
#else
constexpr const char* kSuffix = ".so";
#endif
}  // namespace

std::vector<fs::path> plugin_files_in(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    auto name = entry.path().filename().string();
    if (name.rfind("steiger-", 0) != 0 || entry.path().extension() != kSuffix) continue;
    if (!entry.is_regular_file(ec)) continue;
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string shared_library_error(const fs::path& file, const std::string& fallback) {
  // Boost has already called dlopen and lost the message; one more try recovers it.
  void* handle = dlopen(file.c_str(), RTLD_LAZY | RTLD_LOCAL);
  if (handle) {
    dlclose(handle);
    return fallback;
  }
  const char* message = dlerror();
  return message ? message : fallback;
}

}  // namespace steiger::plugins
