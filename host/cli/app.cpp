#include "cli/commands.hpp"
#include "common/error.hpp"
#include "platform/paths.hpp"
#include "plugins/search_path.hpp"

#include <steiger/sdk/version.hpp>

#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>

#ifndef STEIGER_VERSION
#define STEIGER_VERSION "0.0.0"
#endif

namespace steiger::cli {

plugins::Registry discover_plugins(const GlobalOptions& global) {
  plugins::SearchPathInputs inputs;
  inputs.cli_paths = global.plugin_paths;
  if (const char* env = std::getenv("STEIGER_PLUGIN_PATH")) inputs.env_path = env;
  inputs.executable = platform::executable_path();
  inputs.working_dir = global.working_dir;
  auto path = plugins::plugin_search_path(inputs);
  for (const auto& dir : path) spdlog::debug("plugin folder: {}", dir.string());
  auto registry = plugins::Registry::discover(path);
  for (const auto& r : registry.refused())
    spdlog::debug("refused plugin {}: {}", r.path.string(), r.reason);
  return registry;
}

int run(int argc, char** argv) {
  spdlog::set_pattern("%^%l%$: %v");
  spdlog::set_level(spdlog::level::warn);
  try {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() == 1 && args[0] == "--version") args[0] = "version";
    ParsedCommand command = parse_command_line(args);
    if (command.global.verbose) spdlog::set_level(spdlog::level::debug);
    if (command.name.empty() || command.name == "help" || command.help) {
      std::fputs(usage_text(command.name).c_str(), stdout);
      return command.name.empty() && !command.help ? kUsage : kOk;
    }
    if (command.name == "version") {
      std::printf("steiger %s (plugin SDK %u.%u)\n", STEIGER_VERSION, sdk::version_major,
                  sdk::version_minor);
      return kOk;
    }
    if (command.name == "plugins") return plugins_command(command);
    if (command.name == "push") return push_command(command);
    return build_command(command);
  } catch (const UserError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return kUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return kFailed;
  }
}

}  // namespace steiger::cli
