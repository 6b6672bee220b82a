// Loads steiger.yml: finds it, reads it, checks its top level, substitutes variables and hands
// back each build and deploy block. Block bodies are checked later, against the schema of the
// plugin that provides the block's type.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/git_variables.hpp"
#include "config/mark.hpp"
#include "config/node.hpp"

namespace steiger::config {

struct Block {
  std::string name;  // the key under build: or deploy:
  std::string type;
  Mark mark;       // of the name key
  Mark type_mark;  // of the type value
  Node body;       // the block's map without `type`, substituted
};

struct Config {
  std::filesystem::path file;  // absolute path of the config file
  std::filesystem::path dir;   // project directory (--dir or the working directory), absolute
  std::vector<Block> builds;   // file order
  std::vector<Block> deploys;
  std::vector<std::string> insecure_registries;
  std::optional<std::string> default_repo;
  std::string tag_format;  // as written, or the default
  std::string tag;         // resolved
  std::optional<std::string> profile;
  std::map<std::string, std::map<std::string, std::string>> profiles;
  std::map<std::string, std::string> git;  // the git variables found
};

struct LoadOptions {
  std::filesystem::path dir;                         // empty: the working directory
  std::optional<std::filesystem::path> config_file;  // -c, relative to dir
  std::optional<std::string> profile;                // -p
  CommandRunner run_command;                         // runs git; unset: no git variables
  bool use_environment = true;
};

inline constexpr const char* kDefaultTagFormat = "${gitTag:${gitShortCommit:unknown}}${gitDirty:}";

// `explicit_file` (relative to `dir`) when given, else steiger.yml, else steiger.yaml in `dir`.
// Throws UserError when there is none.
std::filesystem::path find_config_file(const std::filesystem::path& dir,
                                       const std::optional<std::filesystem::path>& explicit_file);

// Throws ConfigError (a UserError) for anything wrong in the file, UserError when it is missing.
Config load_config(const LoadOptions& options);

// [a-z0-9]+([._-][a-z0-9]+)*: service and release names become image and file names.
bool is_valid_block_name(std::string_view name);

// [A-Za-z0-9_][A-Za-z0-9._-]{0,127}, the OCI distribution spec's tag grammar.
bool is_valid_tag(std::string_view tag);

}  // namespace steiger::config
