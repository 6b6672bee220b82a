#include "process/program_search.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "process/environment.hpp"

namespace steiger::process {

ProgramLookup find_program(std::string_view name, std::string_view search_path) {
  ProgramLookup result;
  if (name.empty()) {
    result.error = ENOENT;
    return result;
  }
  if (name.find('/') != std::string_view::npos) {
    result.path = name;  // posix_spawn reports whether it exists
    return result;
  }
  result.error = ENOENT;
  std::string candidate;
  while (!search_path.empty()) {
    size_t colon = search_path.find(':');
    std::string_view dir = search_path.substr(0, colon);
    search_path.remove_prefix(colon == std::string_view::npos ? search_path.size() : colon + 1);
    if (dir.empty()) continue;
    candidate.assign(dir);
    if (candidate.back() != '/') candidate += '/';
    candidate.append(name);
    struct stat st {};
    if (::stat(candidate.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    if (::access(candidate.c_str(), X_OK) == 0) {
      result.path = std::move(candidate);
      result.error = 0;
      return result;
    }
    result.error = EACCES;  // keep looking, as execvp does, but remember why it failed
  }
  return result;
}

std::string search_path_for(const std::vector<std::string>& child_env) {
  if (auto path = find_variable(child_env, "PATH")) return std::string(*path);
  if (const char* host = std::getenv("PATH")) return host;
  return "/usr/local/bin:/usr/bin:/bin";
}

}  // namespace steiger::process
