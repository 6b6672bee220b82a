// The commands; each returns the process exit status.
#pragma once

#include "cli/options.hpp"
#include "plugins/registry.hpp"

namespace steiger::cli {

// Exit statuses, the same for every command.
enum ExitCode { kOk = 0, kFailed = 1, kUsage = 2, kInterrupted = 130 };

plugins::Registry discover_plugins(const GlobalOptions& global);

int build_command(const ParsedCommand& command);
int plugins_command(const ParsedCommand& command);
int push_command(const ParsedCommand& command);

// Entry point for main(): parses, dispatches, turns errors into messages and exit codes.
int run(int argc, char** argv);

}  // namespace steiger::cli
