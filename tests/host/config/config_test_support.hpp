// Helpers shared by the config tests: scratch directories and a command runner for git.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/git_variables.hpp"
#include "config/substitution.hpp"

namespace steiger::config::test {

// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "steiger-config-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  std::filesystem::path write(const std::filesystem::path& relative,
                              const std::string& text) const {
    const std::filesystem::path file = path_ / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }

 private:
  std::filesystem::path path_;
};

inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

// Test-only stand-in for the host's process runner (the host wires the real one).
inline std::optional<std::string> popen_runner(const std::vector<std::string>& argv) {
  std::string command;
  for (const std::string& arg : argv) command += shell_quote(arg) + " ";
  command += "2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return std::nullopt;
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  const int status = pclose(pipe);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  return out;
}

// Runs a shell command in `dir` with a throwaway git identity; fails the test setup on error.
inline void sh(const std::filesystem::path& dir, const std::string& command) {
  const std::string full = "cd " + shell_quote(dir.string()) +
                           " && export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 "
                           "GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com "
                           "GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com && (" +
                           command + ") >/dev/null 2>&1";
  if (std::system(full.c_str()) != 0) throw std::runtime_error("setup command failed: " + command);
}

inline Lookup map_lookup(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace steiger::config::test
