// The command line: global options (accepted before or after the command) and each command's.
#pragma once

#include <boost/program_options.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace steiger::cli {

struct GlobalOptions {
  std::filesystem::path working_dir;  // where steiger was started
  std::filesystem::path dir;          // -d/--dir, absolute; the working directory by default
  std::optional<std::filesystem::path> config;  // -c/--config
  std::vector<std::string> plugin_paths;        // --plugin-path
  bool verbose = false;
  // A path given on the command line: relative to where steiger was started.
  std::filesystem::path cli_path(const std::string& p) const;
};

struct ParsedCommand {
  std::string name;  // empty: no command given
  GlobalOptions global;
  boost::program_options::variables_map vars;
  bool help = false;
};

boost::program_options::options_description global_options();
boost::program_options::options_description command_options(const std::string& command);
const std::vector<std::string>& command_names();

// Throws UserError (exit 2) for unknown commands and options, with a suggestion.
ParsedCommand parse_command_line(const std::vector<std::string>& args);

std::string usage_text(const std::string& command);

}  // namespace steiger::cli
