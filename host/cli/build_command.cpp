#include "build/build_run.hpp"
#include "build/output_file.hpp"
#include "build/plan.hpp"
#include "cli/commands.hpp"
#include "cli/dry_run.hpp"
#include "common/error.hpp"
#include "config/loader.hpp"
#include "platform/cancel.hpp"
#include "platform/signals.hpp"
#include "process/runner.hpp"
#include "progress/reporter.hpp"
#include "registry/pusher.hpp"

#include <cstdio>
#include <memory>

namespace steiger::cli {

namespace fs = std::filesystem;

namespace {

config::Config load(const GlobalOptions& global, const std::optional<std::string>& profile) {
  std::error_code ec;
  if (!fs::is_directory(global.dir, ec))
    throw UserError("--dir: " + global.dir.string() + " is not a directory");
  config::LoadOptions options;
  options.dir = global.dir;
  options.config_file = global.config;
  options.profile = profile;
  options.run_command = [](const std::vector<std::string>& argv) { return process::capture(argv); };
  return config::load_config(options);
}

}  // namespace

int build_command(const ParsedCommand& command) {
  const auto& v = command.vars;
  const GlobalOptions& global = command.global;
  auto opt = [&](const char* name) -> std::optional<std::string> {
    if (!v.count(name)) return std::nullopt;
    return v[name].as<std::string>();
  };
  auto list = [&](const char* name) {
    return v.count(name) ? v[name].as<std::vector<std::string>>() : std::vector<std::string>{};
  };

  auto mode = progress::parse_mode(v["progress"].as<std::string>());
  build::ScheduleOptions schedule;
  schedule.concurrency =
      v.count("concurrency") ? v["concurrency"].as<size_t>() : build::default_concurrency();
  if (schedule.concurrency == 0) throw UserError("--concurrency must be at least 1");
  schedule.keep_going = v["keep-going"].as<bool>();

  auto registry = discover_plugins(global);
  config::Config config = load(global, opt("profile"));
  build::PlanOptions plan_options;
  plan_options.only = list("only");
  plan_options.platforms = list("platform");
  plan_options.repo = opt("repo");
  build::Plan plan = build::make_plan(config, registry, plan_options);

  if (v["dry-run"].as<bool>()) {
    print_plan(plan, config, schedule);
    return kOk;
  }
  build::RunOptions run_options;
  run_options.state_dir = config.dir / ".steiger";
  run_options.out_dir = v.count("out-dir") ? global.cli_path(v["out-dir"].as<std::string>())
                                           : run_options.state_dir / "out";
  run_options.schedule = schedule;
  run_options.profile = config.profile.value_or("");
  std::optional<fs::path> output_file;
  if (auto o = opt("output")) output_file = global.cli_path(*o);

  platform::CancelSource cancel;
  platform::InterruptGuard interrupts(cancel);
  std::unique_ptr<registry::Pusher> pusher;
  if (plan.repo) {
    registry::PushOptions push_options;
    push_options.insecure_registries = config.insecure_registries;
    push_options.cancel = &cancel;
    pusher = std::make_unique<registry::Pusher>(std::move(push_options));
    run_options.pusher = pusher.get();
  }
  auto reporter = progress::make_reporter(mode, stderr, stdout);
  auto result = build::run_build(plan, config, *reporter, cancel, run_options);
  reporter->finish(result.summary);

  bool ok = result.summary.ok();
  if (ok && output_file) build::write_output_file(*output_file, result.artifacts);
  if (mode != progress::Mode::Json) {
    for (const auto& a : result.artifacts)
      std::printf("%s@%s%s%s\n", a.reference.c_str(), a.digest.c_str(),
                  a.layout.empty() ? "" : "  ", a.layout.c_str());
    if (ok && !result.artifacts.empty()) {
      const auto& first = result.artifacts.front();
      if (first.layout.empty())
        // skopeo takes a tag or a digest, not both.
        std::fprintf(stderr, "inspect with: skopeo inspect docker://%s@%s\n",
                     first.reference.substr(0, first.reference.rfind(':')).c_str(),
                     first.digest.c_str());
      else
        std::fprintf(stderr, "inspect with: skopeo inspect oci:%s\n", first.layout.c_str());
    }
    if (!ok && output_file)
      std::fprintf(stderr, "the build output file %s was not written because the build failed\n",
                   output_file->c_str());
  }
  if (interrupts.signal_received()) return kInterrupted;
  return ok ? kOk : kFailed;
}

}  // namespace steiger::cli
