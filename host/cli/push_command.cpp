#include "cli/commands.hpp"
#include "common/error.hpp"
#include "oci/layout.hpp"
#include "platform/cancel.hpp"
#include "platform/signals.hpp"
#include "registry/pusher.hpp"

#include <cstdio>

namespace steiger::cli {

int push_command(const ParsedCommand& command) {
  const auto& v = command.vars;
  if (!v.count("layout") || !v.count("reference"))
    throw UserError("usage: steiger push LAYOUT_DIR REFERENCE (e.g. 127.0.0.1:5000/proj/api:v1)");
  auto layout_dir = command.global.cli_path(v["layout"].as<std::string>());
  auto target = registry::Reference::parse(v["reference"].as<std::string>());

  platform::CancelSource cancel;
  platform::InterruptGuard interrupts(cancel);
  registry::PushOptions options;
  if (v.count("insecure-registry"))
    options.insecure_registries = v["insecure-registry"].as<std::vector<std::string>>();
  options.cancel = &cancel;
  if (!v["quiet"].as<bool>())
    options.on_progress = [](const std::string& line) {
      std::fprintf(stderr, "%s\n", line.c_str());
    };
  registry::Pusher pusher(std::move(options));

  try {
    // An unchanged image costs one request: ask before hashing any layer of the layout.
    auto result =
        pusher.push_layout(oci::validate_layout(layout_dir, oci::Check::Structure), target);
    std::printf("%s\n", result.reference.c_str());
  } catch (const oci::LayoutError& e) {
    std::fprintf(stderr, "error: nothing was pushed: %s\n", e.what());
    return kFailed;
  } catch (const registry::PushError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return interrupts.signal_received() ? kInterrupted : kFailed;
  }
  return kOk;
}

}  // namespace steiger::cli
