// A whole `steiger build` run after planning: every service through its stages (build,
// validate, export), under the scheduler, reported as it goes.
#pragma once

#include "build/plan.hpp"
#include "build/scheduler.hpp"
#include "platform/cancel.hpp"
#include "progress/reporter.hpp"
#include "registry/pusher.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace steiger::build {

struct RunOptions {
  std::filesystem::path state_dir;  // .steiger: logs/ and work/ live here
  std::filesystem::path out_dir;    // where layouts land when there is no repo
  ScheduleOptions schedule;
  std::string profile;
  registry::Pusher* pusher = nullptr;  // set when the plan has a repo
};

struct BuiltArtifact {
  std::string service;
  std::string artifact;
  std::string reference;         // "<repo>/<artifact>:<tag>" or "<artifact>:<tag>"
  std::string digest;            // of the manifest or index the reference points at
  std::filesystem::path layout;  // the exported layout (local output only)
};

struct RunResult {
  progress::Summary summary;
  std::vector<BuiltArtifact> artifacts;  // in plan order
};

RunResult run_build(const Plan& plan, const config::Config& config, progress::Reporter& reporter,
                    platform::CancelSource& cancel, const RunOptions& options);

}  // namespace steiger::build
