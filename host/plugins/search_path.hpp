// Where plugins are looked for, in order. Never the working directory: a repository must not be
// able to plant code that `steiger build` would load.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace steiger::plugins {

struct SearchPathInputs {
  std::vector<std::string> cli_paths;  // --plugin-path, each possibly colon-separated
  std::string env_path;                // STEIGER_PLUGIN_PATH
  std::filesystem::path executable;    // the running steiger
  std::filesystem::path working_dir;   // to make explicit relative entries absolute
};

// --plugin-path, then STEIGER_PLUGIN_PATH, then <prefix>/lib/steiger/plugins next to the
// executable, then the build tree's plugin folder when the executable is the build tree's.
// Empty entries are dropped (in PATH they would mean the working directory); duplicates too.
std::vector<std::filesystem::path> plugin_search_path(const SearchPathInputs& inputs);

}  // namespace steiger::plugins
