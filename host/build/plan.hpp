// Planning: which services run, with which plugin, for which platforms, producing which
// artifacts and references. Everything a user can get wrong is found here, before anything runs.
#pragma once

#include "config/abi_value.hpp"
#include "config/loader.hpp"
#include "plugins/registry.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace steiger::build {

struct PlannedService {
  const config::Block* block = nullptr;
  const plugins::PluginType* type = nullptr;
  std::unique_ptr<config::AbiValueTree> value;  // the block as the plugin receives it
  std::vector<std::string> artifacts;
};

struct Plan {
  std::vector<PlannedService> services;
  std::vector<std::string> platforms;
  std::string tag;
  std::optional<std::string> repo;  // --repo, else defaultRepo; none: local layouts only

  // "<repo>/<artifact>:<tag>", or "<artifact>:<tag>" without a repo.
  std::string reference(const std::string& artifact) const;
};

struct PlanOptions {
  std::vector<std::string> only;       // --only; empty: every service
  std::vector<std::string> platforms;  // --platform; empty: the host's
  std::optional<std::string> repo;     // --repo
};

// Throws UserError with every problem found (one per line), each naming file:line:col.
Plan make_plan(const config::Config& config, const plugins::Registry& registry,
               const PlanOptions& options);

// "os/arch[/variant]", lowercase; throws UserError naming the bad entry.
std::vector<std::string> parse_platforms(const std::vector<std::string>& values);

}  // namespace steiger::build
