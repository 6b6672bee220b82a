#include "cli/dry_run.hpp"

#include "common/text.hpp"

#include <algorithm>
#include <cstdio>

namespace steiger::cli {

void print_plan(const build::Plan& plan, const config::Config& config,
                const build::ScheduleOptions& schedule) {
  std::printf("config:      %s\n", config.file.c_str());
  if (config.profile) std::printf("profile:     %s\n", config.profile->c_str());
  std::printf("tag:         %s\n", plan.tag.c_str());
  std::printf("platforms:   %s\n", text::join(plan.platforms, ", ").c_str());
  std::printf("destination: %s\n", plan.repo ? plan.repo->c_str() : "local OCI layouts (no repo)");
  std::printf("concurrency: %zu%s\n", schedule.concurrency,
              schedule.keep_going ? ", keep going" : "");
  std::printf("\n%zu service%s:\n", plan.services.size(), plan.services.size() == 1 ? "" : "s");
  for (const auto& s : plan.services) {
    const auto* plugin = s.type->plugin;
    std::printf("  %s  (type %s, plugin %s %s, %s)\n", s.block->name.c_str(), s.type->name.c_str(),
                plugin->name.c_str(), plugin->version.c_str(), plugin->path.c_str());
    for (const auto& artifact : s.artifacts)
      std::printf("    %s -> %s\n", artifact.c_str(), plan.reference(artifact).c_str());
  }
}

}  // namespace steiger::cli
