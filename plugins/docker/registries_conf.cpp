#include "registries_conf.hpp"

#include <sstream>

namespace steiger::docker {

namespace {

// Whether some line, ignoring leading blanks and comments, starts with `key` followed by '='.
bool sets_key(const std::string& text, const std::string& key) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    auto start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    if (line.compare(start, key.size(), key) != 0) continue;
    auto rest = line.find_first_not_of(" \t", start + key.size());
    if (rest != std::string::npos && line[rest] == '=') return true;
  }
  return false;
}

bool mentions_location(const std::string& text, const std::string& registry) {
  return text.find("\"" + registry + "\"") != std::string::npos;
}

}  // namespace

std::string registries_conf(const std::string& base, const std::vector<std::string>& insecure) {
  if (base.find("[registries.") != std::string::npos) return base;  // v1 format
  std::string out;
  if (!sets_key(base, "unqualified-search-registries"))
    out +=
        "# Added by steiger: short names mean Docker Hub, as they do for docker.\n"
        "unqualified-search-registries = [\"docker.io\"]\n\n";
  out += base;
  if (!out.empty() && out.back() != '\n') out += '\n';
  for (const auto& registry : insecure) {
    if (registry.empty() || mentions_location(base, registry)) continue;
    out += "\n# Added by steiger from insecureRegistries.\n[[registry]]\nlocation = \"" + registry +
           "\"\ninsecure = true\n";
  }
  return out;
}

}  // namespace steiger::docker
