#include "process/environment.hpp"

#include <algorithm>

#if defined(__APPLE__)
#include <crt_externs.h>
#endif

extern "C" char** environ;

namespace steiger::process {
namespace {

std::string_view name_of(std::string_view entry) {
  return entry.substr(0, entry.find('='));
}

}  // namespace

const char* const* host_environment() {
#if defined(__APPLE__)
  // `environ` is not reachable from shared libraries on macOS; this works everywhere there.
  return *_NSGetEnviron();
#else
  return environ;
#endif
}

std::vector<std::string> merge_environment(const char* const* base,
                                           const std::vector<std::string>& overlay, bool replace) {
  std::vector<std::string> env;
  if (!replace && base != nullptr) {
    for (const char* const* p = base; *p != nullptr; ++p) env.emplace_back(*p);
  }
  for (const std::string& entry : overlay) {
    std::string_view name = name_of(entry);
    if (name.empty()) continue;
    const bool set = entry.size() > name.size();
    auto it = std::find_if(env.begin(), env.end(),
                           [&](const std::string& e) { return name_of(e) == name; });
    if (it == env.end()) {
      if (set) env.push_back(entry);
    } else if (set) {
      *it = entry;
    } else {
      env.erase(it);
    }
  }
  return env;
}

std::optional<std::string_view> find_variable(const std::vector<std::string>& env,
                                              std::string_view name) {
  for (const std::string& entry : env) {
    std::string_view e = entry;
    if (e.size() > name.size() && e[name.size()] == '=' && e.substr(0, name.size()) == name) {
      return e.substr(name.size() + 1);
    }
  }
  return std::nullopt;
}

}  // namespace steiger::process
