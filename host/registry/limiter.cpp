#include "registry/limiter.hpp"

#include <chrono>

namespace steiger::registry {

bool Limiter::acquire(const platform::CancelSource* cancel) {
  std::unique_lock lock(mutex_);
  while (free_ == 0) {
    if (cancel && cancel->cancelled()) return false;
    // The cancel source cannot notify a condition variable; polling it now and then is enough
    // for a wait that normally ends when a transfer does.
    freed_.wait_for(lock, std::chrono::milliseconds(100));
  }
  if (cancel && cancel->cancelled()) return false;
  --free_;
  return true;
}

void Limiter::release() {
  {
    std::lock_guard lock(mutex_);
    ++free_;
  }
  freed_.notify_one();
}

}  // namespace steiger::registry
