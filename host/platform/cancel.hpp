// A cancellation flag that threads can poll, sleep on, or wait for inside their own poll() loops.
#pragma once

#include <atomic>
#include <chrono>

namespace steiger::platform {

class CancelSource {
 public:
  CancelSource();  // throws std::system_error when no pipe can be made
  ~CancelSource();
  CancelSource(const CancelSource&) = delete;
  CancelSource& operator=(const CancelSource&) = delete;

  // Async-signal-safe (an atomic exchange and one write), so signal handlers may call it.
  void cancel() noexcept;
  bool cancelled() const noexcept { return cancelled_.load(std::memory_order_acquire); }
  // Becomes readable once cancelled and stays so: add it to a poll() set with POLLIN.
  int wake_fd() const noexcept { return read_fd_; }
  // Sleeps up to `timeout`; returns true (early) once cancelled. Any number of threads may wait.
  bool wait_for(std::chrono::milliseconds timeout) const;

 private:
  static_assert(std::atomic<bool>::is_always_lock_free, "cancel() must be async-signal-safe");
  std::atomic<bool> cancelled_{false};
  int read_fd_ = -1;
  int write_fd_ = -1;
};

}  // namespace steiger::platform
