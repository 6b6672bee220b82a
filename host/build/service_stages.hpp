// One service's way through the run: build with its plugin, check what came back, export it.
#pragma once

#include "build/build_run.hpp"
#include "build/service_call.hpp"
#include "oci/layout.hpp"

#include <string>
#include <vector>

namespace steiger::build {

struct StageContext {
  const Plan& plan;
  const PlannedService& service;
  const config::Config& config;
  const RunOptions& options;
  ServiceCall& call;
};

// Each throws StageError when the service fails; the message is for the user.
class StageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Calls the builder plugin and checks it returned exactly the planned artifacts.
void run_builder(const StageContext& ctx, const std::filesystem::path& work_dir);

struct ValidatedArtifact {
  std::string artifact;
  oci::Layout layout;
};

// Validates each returned layout and checks it has every requested platform.
std::vector<ValidatedArtifact> validate_artifacts(const StageContext& ctx,
                                                  const std::filesystem::path& work_dir);

// Without a repo: exports each layout under out_dir.
std::vector<BuiltArtifact> export_artifacts(const StageContext& ctx,
                                            std::vector<ValidatedArtifact>& artifacts,
                                            const std::filesystem::path& work_dir);

// With a repo: pushes each layout to <repo>/<artifact>:<tag>.
std::vector<BuiltArtifact> push_artifacts(const StageContext& ctx,
                                          const std::vector<ValidatedArtifact>& artifacts);

}  // namespace steiger::build
