// At most N blob transfers at once to one registry, whichever push they belong to.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>

#include "platform/cancel.hpp"

namespace steiger::registry {

class Limiter {
 public:
  explicit Limiter(size_t slots) : free_(slots == 0 ? 1 : slots) {}

  // Blocks until a slot is free; false when cancelled first.
  bool acquire(const platform::CancelSource* cancel);
  void release();

  class Slot {
   public:
    Slot(Limiter& limiter, const platform::CancelSource* cancel)
        : limiter_(limiter), held_(limiter.acquire(cancel)) {}
    ~Slot() {
      if (held_) limiter_.release();
    }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    bool held() const { return held_; }

   private:
    Limiter& limiter_;
    bool held_;
  };

 private:
  std::mutex mutex_;
  std::condition_variable freed_;
  size_t free_;
};

}  // namespace steiger::registry
