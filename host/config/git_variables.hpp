// gitCommit, gitShortCommit, gitTag and gitDirty for substitution and the default tag.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace steiger::config {

// Runs argv (argv[0] looked up in PATH) and returns its stdout when it exits 0, else nullopt.
using CommandRunner =
    std::function<std::optional<std::string>(const std::vector<std::string>& argv)>;

// The variables of the git work tree holding `dir` (any subdirectory of it works). gitTag is
// absent when no tag points at HEAD; gitDirty is "-dirty" when tracked files differ from HEAD and
// "" otherwise (untracked files do not count, as with `git describe --dirty`, so Steiger's own
// output never dirties a tree). Empty when `dir` is not in a repository, the repository has no
// commit yet, or git is not installed.
std::map<std::string, std::string> git_variables(const std::filesystem::path& dir,
                                                 const CommandRunner& run);

}  // namespace steiger::config
