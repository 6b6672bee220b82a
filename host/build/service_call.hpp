// The host's side of one plugin call: the steiger_host_api a plugin gets, wired to the
// service's progress, log, cancellation and work directory.
#pragma once

#include "platform/cancel.hpp"
#include "progress/reporter.hpp"
#include "progress/service_log.hpp"

#include <steiger/sdk/abi.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace steiger::build {

class ServiceCall {
 public:
  ServiceCall(std::string service, progress::Reporter* reporter, progress::ServiceLog* log,
              const platform::CancelSource* cancel, std::filesystem::path work_dir);
  ServiceCall(const ServiceCall&) = delete;
  ServiceCall& operator=(const ServiceCall&) = delete;

  // Valid while this object lives; `ctx` points back here.
  const steiger_host_api* api() const { return &api_; }

  const std::vector<std::pair<std::string, std::string>>& artifacts() const { return artifacts_; }
  const std::string& error() const { return error_; }
  bool cancelled() const { return cancel_ && cancel_->cancelled(); }
  // Between the host's own stages: stops a cancelled service before its next step.
  void check_cancelled() const;

  // For the host's own stages, so they show up like a plugin's.
  void phase(const std::string& name);
  void log(const std::string& message);
  // A progress line for the live view (and the log), like a process's output.
  void progress(const std::string& message);
  // Into the service's log file only: details a reader of the live view does not need.
  void record(const std::string& message);

 private:
  static ServiceCall& self(void* ctx) { return *static_cast<ServiceCall*>(ctx); }
  void emit(progress::EventKind kind, std::string phase, std::string message, double fraction = -1);

  std::string service_;
  progress::Reporter* reporter_;
  progress::ServiceLog* log_;
  const platform::CancelSource* cancel_;
  std::filesystem::path work_dir_;
  std::vector<std::pair<std::string, std::string>> artifacts_;
  std::string error_;
  std::string phase_;
  steiger_host_api api_{};
};

}  // namespace steiger::build
