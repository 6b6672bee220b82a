#include "config/variables.hpp"

#include <cstdlib>

namespace steiger::config {

Lookup make_lookup(const std::map<std::string, std::string>& profile,
                   const std::map<std::string, std::string>& git, bool use_environment) {
  return [profile, git, use_environment](std::string_view name) -> std::optional<std::string> {
    // std::map<std::string, ...>::find needs a std::string without a transparent comparator.
    std::string key(name);
    if (auto it = profile.find(key); it != profile.end()) return it->second;
    if (auto it = git.find(key); it != git.end()) return it->second;
    if (use_environment) {
      if (const char* value = std::getenv(key.c_str())) return std::string(value);
    }
    return std::nullopt;
  };
}

}  // namespace steiger::config
