// For CI logs: every line prefixed with its service, in the order things happen.
#pragma once

#include "progress/reporter.hpp"

#include <mutex>

namespace steiger::progress {

class PlainReporter final : public Reporter {
 public:
  explicit PlainReporter(std::FILE* out) : out_(out) {}
  void on_event(const Event& event) override;
  void finish(const Summary& summary) override;

 private:
  std::FILE* out_;
  std::mutex mutex_;
};

}  // namespace steiger::progress
