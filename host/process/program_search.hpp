// Finding the program a command line names, the way execvp() would.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace steiger::process {

struct ProgramLookup {
  std::string path;
  int error = 0;  // ENOENT: nowhere; EACCES: found, but not executable
};

// `name` as is when it contains a slash; else the first executable regular file `name` in the
// ':'-separated `search_path` (empty entries, which would mean the working directory, are
// skipped).
ProgramLookup find_program(std::string_view name, std::string_view search_path);

// The PATH a child's program is looked up in: its own environment's, as with `env PATH=... prog`
// (and Rust's Command), else the host's, else the system default.
std::string search_path_for(const std::vector<std::string>& child_env);

}  // namespace steiger::process
