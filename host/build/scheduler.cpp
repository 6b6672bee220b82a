#include "build/scheduler.hpp"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace steiger::build {

size_t default_concurrency() {
  return std::max<size_t>(4, std::thread::hardware_concurrency());
}

void schedule(size_t count, const ScheduleOptions& options, platform::CancelSource& cancel,
              const std::function<progress::Outcome(size_t)>& job,
              const std::function<void(size_t)>& not_started) {
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < count; i = next++) {
      if (cancel.cancelled()) {
        not_started(i);
        continue;
      }
      if (job(i) == progress::Outcome::Failed && !options.keep_going) cancel.cancel();
    }
  };
  size_t threads = std::min(std::max<size_t>(1, options.concurrency), count);
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  if (threads > 0) worker();  // the calling thread is one of the workers
  for (auto& t : pool) t.join();
}

}  // namespace steiger::build
