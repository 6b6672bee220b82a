#include "build/plan.hpp"

#include "common/error.hpp"
#include "common/text.hpp"
#include "config/did_you_mean.hpp"
#include "config/path.hpp"
#include "platform/host_platform.hpp"
#include "registry/reference.hpp"

#include <algorithm>
#include <map>
#include <regex>
#include <set>

namespace steiger::build {

namespace {

// The host api for the plan call: only add_artifact and set_error mean anything there.
struct PlanCollector {
  std::vector<std::string> artifacts;
  std::string error;
};

std::vector<std::string> planned_artifacts(const plugins::PluginType& type,
                                           const config::Block& block,
                                           const config::AbiValueTree& value) {
  if (type.descriptor->plan == nullptr) return {block.name};
  PlanCollector collector;
  steiger_host_api api{};
  api.struct_size = sizeof api;
  api.ctx = &collector;
  api.log = [](void*, uint32_t, steiger_str) {};
  api.set_phase = [](void*, steiger_str) {};
  api.report_progress = [](void*, double, steiger_str) {};
  api.is_cancelled = [](void*) -> int32_t { return 0; };
  api.run_process = [](void*, const steiger_process_spec*, steiger_process_result*) -> int32_t {
    return EPERM;  // planning must not run anything
  };
  api.add_artifact = [](void* ctx, steiger_str name, steiger_str) {
    static_cast<PlanCollector*>(ctx)->artifacts.emplace_back(name.data, name.size);
  };
  api.set_error = [](void* ctx, steiger_str message) {
    static_cast<PlanCollector*>(ctx)->error.assign(message.data, message.size);
  };
  steiger_plan_request request{};
  request.struct_size = sizeof request;
  request.service = steiger_str{block.name.data(), block.name.size()};
  request.config = value.root();
  if (type.descriptor->plan(&request, &api) != 0)
    throw UserError(config::to_string(block.mark) + ": build." + block.name + ": the " + type.name +
                    " plugin rejected this block: " + collector.error);
  return collector.artifacts;
}

bool valid_artifact_name(const std::string& name) {
  static const std::regex re("[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*");
  return std::regex_match(name, re);
}

std::string unknown_type_message(const config::Block& block, const plugins::Registry& registry) {
  auto names = registry.type_names(plugins::Kind::Builder);
  std::string msg = config::to_string(block.type_mark) + ": build." + block.name +
                    ": unknown builder type '" + block.type + "'";
  if (auto near = config::closest_name(block.type, names)) msg += "; did you mean '" + *near + "'?";
  msg += names.empty() ? "; no builder plugins are installed"
                       : "; installed builder types: " + text::join(names, ", ");
  msg +=
      ". Install the plugin that provides it, or add its folder with --plugin-path "
      "(`steiger plugins` shows what was found and what was refused)";
  return msg;
}

}  // namespace

std::string Plan::reference(const std::string& artifact) const {
  return (repo ? *repo + "/" : std::string()) + artifact + ":" + tag;
}

std::vector<std::string> parse_platforms(const std::vector<std::string>& values) {
  static const std::regex re("[a-z0-9_]+/[a-z0-9_]+(/[a-z0-9_.]+)?");
  std::vector<std::string> out;
  for (const auto& value : values) {
    for (auto part : text::split(value, ',')) {
      std::string p(text::trim(part));
      if (p.empty()) continue;
      if (!std::regex_match(p, re))
        throw UserError("--platform: '" + p +
                        "' is not a platform; write os/arch[/variant], e.g. linux/amd64 or "
                        "linux/arm64/v8");
      if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
    }
  }
  return out;
}

Plan make_plan(const config::Config& config, const plugins::Registry& registry,
               const PlanOptions& options) {
  Plan plan;
  plan.tag = config.tag;
  plan.repo = options.repo ? options.repo : config.default_repo;
  if (plan.repo) {
    while (!plan.repo->empty() && plan.repo->back() == '/') plan.repo->pop_back();
    if (plan.repo->empty())
      throw UserError("--repo: empty repository; write e.g. 127.0.0.1:5000/proj");
  }
  plan.platforms = parse_platforms(options.platforms);
  if (plan.platforms.empty()) plan.platforms.push_back(platform::host_platform());

  std::vector<std::string> names;
  for (const auto& b : config.builds) names.push_back(b.name);
  std::set<std::string> only;
  std::vector<std::string> errors;
  for (const auto& value : options.only) {
    for (auto part : text::split(value, ',')) {
      std::string name(text::trim(part));
      if (name.empty()) continue;
      if (std::find(names.begin(), names.end(), name) == names.end()) {
        std::string msg = "--only: no service named '" + name + "' in " + config.file.string();
        if (auto near = config::closest_name(name, names)) msg += "; did you mean '" + *near + "'?";
        msg += names.empty() ? "" : " (services: " + text::join(names, ", ") + ")";
        errors.push_back(msg);
      }
      only.insert(name);
    }
  }
  if (config.builds.empty())
    errors.push_back(config.file.string() +
                     ": there is nothing to build: add services under `build:`");

  std::map<std::string, std::string> artifact_owner;
  for (const auto& block : config.builds) {
    if (!only.empty() && !only.count(block.name)) continue;
    try {
      const plugins::PluginType* type = registry.find(plugins::Kind::Builder, block.type);
      if (type == nullptr) {
        errors.push_back(unknown_type_message(block, registry));
        continue;
      }
      auto schema_errors =
          type->schema.validate(block.body, config::child_path("build", block.name));
      for (const auto& e : schema_errors) errors.push_back(e.to_string());
      if (!schema_errors.empty()) continue;
      PlannedService service;
      service.block = &block;
      service.type = type;
      service.value = std::make_unique<config::AbiValueTree>(block.body);
      service.artifacts = planned_artifacts(*type, block, *service.value);
      if (service.artifacts.empty())
        errors.push_back(config::to_string(block.mark) + ": build." + block.name +
                         ": this block produces no artifacts");
      for (const auto& artifact : service.artifacts) {
        if (!valid_artifact_name(artifact))
          errors.push_back(
              config::to_string(block.mark) + ": build." + block.name + ": artifact name '" +
              artifact + "' cannot be an image name; use lowercase letters, digits, '.', '_', '-'");
        if (plan.repo) {
          try {
            registry::Reference::parse(plan.reference(artifact));
          } catch (const UserError& e) {
            errors.push_back("--repo " + *plan.repo + ": " + e.what());
          }
        }
        auto [it, inserted] = artifact_owner.emplace(artifact, block.name);
        if (!inserted)
          errors.push_back(config::to_string(block.mark) + ": build." + block.name +
                           ": artifact '" + artifact + "' is also produced by service '" +
                           it->second + "'; two images cannot share a name");
      }
      plan.services.push_back(std::move(service));
    } catch (const UserError& e) {
      errors.push_back(e.what());
    }
  }
  if (!errors.empty()) throw UserError(text::join(errors, "\n"));
  return plan;
}

}  // namespace steiger::build
