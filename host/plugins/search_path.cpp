#include "plugins/search_path.hpp"

#include "common/text.hpp"

#include <algorithm>

namespace steiger::plugins {

namespace fs = std::filesystem;

namespace {

void add(std::vector<fs::path>& out, const fs::path& base, const std::string& entry) {
  if (entry.empty()) return;
  fs::path p = fs::path(entry).is_absolute() ? fs::path(entry) : base / entry;
  p = p.lexically_normal();
  if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
}

bool is_inside(const fs::path& child, const fs::path& parent) {
  auto c = child.lexically_normal(), p = parent.lexically_normal();
  auto [pi, ci] = std::mismatch(p.begin(), p.end(), c.begin(), c.end());
  return pi == p.end() || (std::next(pi) == p.end() && pi->empty());
}

}  // namespace

std::vector<fs::path> plugin_search_path(const SearchPathInputs& in) {
  std::vector<fs::path> out;
  for (const auto& cli : in.cli_paths)
    for (const auto& entry : text::split(cli, ':')) add(out, in.working_dir, entry);
  for (const auto& entry : text::split(in.env_path, ':')) add(out, in.working_dir, entry);
  if (!in.executable.empty()) {
    fs::path prefix = in.executable.parent_path().parent_path();
    add(out, prefix, STEIGER_PLUGIN_INSTALL_DIR);
    fs::path build_dir = fs::path(STEIGER_BUILD_PLUGIN_DIR).parent_path();
    if (is_inside(in.executable, build_dir)) add(out, build_dir, STEIGER_BUILD_PLUGIN_DIR);
  }
  return out;
}

}  // namespace steiger::plugins
