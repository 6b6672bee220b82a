// The live terminal view: one line per running service (phase, elapsed time, last output line),
// redrawn in place a few times a second, then the summary.
#pragma once

#include "progress/reporter.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace steiger::progress {

class TtyReporter final : public Reporter {
 public:
  explicit TtyReporter(std::FILE* out);
  ~TtyReporter() override;
  void on_event(const Event& event) override;
  void finish(const Summary& summary) override;

 private:
  struct Row {
    std::string service;
    std::string phase = "queued";
    std::string last_line;
    std::chrono::steady_clock::time_point started{};
    bool running = false;
    bool done = false;
    Outcome outcome = Outcome::Ok;
  };

  Row& row(const std::string& service);  // mutex_ held
  void redraw();                         // mutex_ held
  void clear_block();                    // mutex_ held
  void loop();

  std::FILE* out_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Row> rows_;
  size_t drawn_lines_ = 0;
  bool stopping_ = false;
  size_t frame_ = 0;
  std::thread thread_;
};

}  // namespace steiger::progress
