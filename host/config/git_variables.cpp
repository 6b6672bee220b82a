#include "config/git_variables.hpp"

#include "common/text.hpp"

namespace steiger::config {

namespace {

std::optional<std::string> git(const CommandRunner& run, const std::filesystem::path& dir,
                               std::vector<std::string> args) {
  std::vector<std::string> argv{"git", "-C", dir.string()};
  argv.insert(argv.end(), std::make_move_iterator(args.begin()),
              std::make_move_iterator(args.end()));
  return run(argv);
}

std::string first_line(std::string_view s) {
  return std::string(text::trim(s.substr(0, s.find('\n'))));
}

}  // namespace

std::map<std::string, std::string> git_variables(const std::filesystem::path& dir,
                                                 const CommandRunner& run) {
  std::map<std::string, std::string> vars;
  if (!run) return vars;
  auto commit = git(run, dir, {"rev-parse", "--verify", "HEAD"});
  if (!commit) return vars;
  vars["gitCommit"] = first_line(*commit);
  if (auto short_commit = git(run, dir, {"rev-parse", "--short", "HEAD"}))
    vars["gitShortCommit"] = first_line(*short_commit);
  // Highest version first, so v1.10 beats v1.9 when both point at HEAD.
  if (auto tags = git(run, dir, {"tag", "--points-at", "HEAD", "--sort=-version:refname"})) {
    std::string tag = first_line(*tags);
    if (!tag.empty()) vars["gitTag"] = tag;
  }
  auto status = git(run, dir, {"status", "--porcelain", "--untracked-files=no"});
  vars["gitDirty"] = status && !text::trim(*status).empty() ? "-dirty" : "";
  return vars;
}

}  // namespace steiger::config
