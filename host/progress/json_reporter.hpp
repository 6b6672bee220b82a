// One JSON object per line, for machines: time, service, event, phase, message, result.
#pragma once

#include "progress/reporter.hpp"

#include <mutex>

namespace steiger::progress {

class JsonReporter final : public Reporter {
 public:
  explicit JsonReporter(std::FILE* out) : out_(out) {}
  void on_event(const Event& event) override;
  void finish(const Summary& summary) override;

 private:
  std::FILE* out_;
  std::mutex mutex_;
};

std::string iso8601(std::chrono::system_clock::time_point t);

}  // namespace steiger::progress
