#include "build/build_run.hpp"

#include "build/service_call.hpp"
#include "build/service_stages.hpp"
#include "progress/service_log.hpp"

#include <chrono>
#include <memory>

namespace steiger::build {

namespace fs = std::filesystem;
using progress::Event;
using progress::EventKind;
using progress::Outcome;

namespace {

void emit(progress::Reporter& reporter, EventKind kind, const std::string& service,
          Outcome outcome = Outcome::Ok, std::string message = {}) {
  Event e;
  e.kind = kind;
  e.service = service;
  e.outcome = outcome;
  e.message = std::move(message);
  reporter.on_event(e);
}

// The first line says what went wrong; the rest (a tool's output) is in the log tail.
std::string first_line(const std::string& s) {
  return s.substr(0, s.find('\n'));
}

void reset_dir(const fs::path& dir) {
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir);
}

}  // namespace

RunResult run_build(const Plan& plan, const config::Config& config, progress::Reporter& reporter,
                    platform::CancelSource& cancel, const RunOptions& options) {
  auto started = std::chrono::steady_clock::now();
  size_t n = plan.services.size();
  std::vector<progress::ServiceSummary> summaries(n);
  std::vector<std::vector<BuiltArtifact>> built(n);
  for (size_t i = 0; i < n; ++i) {
    summaries[i].service = plan.services[i].block->name;
    emit(reporter, EventKind::Queued, summaries[i].service);
  }

  auto job = [&](size_t i) -> Outcome {
    const PlannedService& service = plan.services[i];
    const std::string& name = service.block->name;
    auto& summary = summaries[i];
    auto t0 = std::chrono::steady_clock::now();
    emit(reporter, EventKind::Started, name);
    fs::path work_dir = options.state_dir / "work" / name;
    std::unique_ptr<progress::ServiceLog> log;
    Outcome outcome = Outcome::Ok;
    std::string error;
    try {
      log = std::make_unique<progress::ServiceLog>(options.state_dir / "logs" / (name + ".log"));
      summary.log_file = log->path().string();
      reset_dir(work_dir);
    } catch (const std::exception& e) {
      outcome = Outcome::Failed;
      error = e.what();
    }
    if (outcome == Outcome::Ok) {
      ServiceCall call(name, &reporter, log.get(), &cancel, work_dir);
      StageContext ctx{plan, service, config, options, call};
      try {
        run_builder(ctx, work_dir);
        call.check_cancelled();
        auto artifacts = validate_artifacts(ctx, work_dir);
        built[i] = options.pusher ? push_artifacts(ctx, artifacts)
                                  : export_artifacts(ctx, artifacts, work_dir);
      } catch (const std::exception& e) {
        // A stage that fails because the run was cancelled was not the cause of anything.
        outcome = call.cancelled() ? Outcome::Cancelled : Outcome::Failed;
        error = outcome == Outcome::Cancelled ? "cancelled" : e.what();
        log->write("error: " + error);
      }
    }
    summary.outcome = outcome;
    summary.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - t0);
    if (outcome == Outcome::Ok) {
      std::error_code ec;
      fs::remove_all(work_dir, ec);
      for (const auto& a : built[i]) summary.artifacts.push_back(a.reference);
    } else {
      summary.error = error;
      if (log) summary.log_tail = log->tail();
    }
    emit(reporter, EventKind::Finished, name, outcome,
         outcome == Outcome::Failed ? first_line(error) : std::string());
    return outcome;
  };
  auto not_started = [&](size_t i) {
    summaries[i].outcome = Outcome::Cancelled;
    summaries[i].error = "not started: the run was cancelled";
    emit(reporter, EventKind::Finished, summaries[i].service, Outcome::Cancelled);
  };
  schedule(n, options.schedule, cancel, job, not_started);

  RunResult result;
  result.summary.services = std::move(summaries);
  result.summary.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  for (auto& b : built)
    for (auto& a : b) result.artifacts.push_back(std::move(a));
  return result;
}

}  // namespace steiger::build
