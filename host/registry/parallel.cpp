#include "registry/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace steiger::registry {

void parallel_for(size_t count, size_t threads, const std::function<void(size_t)>& job) {
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  std::exception_ptr first;
  std::mutex first_mutex;
  auto worker = [&] {
    while (!stop.load()) {
      size_t i = next.fetch_add(1);
      if (i >= count) return;
      try {
        job(i);
      } catch (...) {
        std::lock_guard lock(first_mutex);
        if (!first) first = std::current_exception();
        stop = true;
      }
    }
  };
  size_t extra = std::min(count, std::max<size_t>(threads, 1)) - (count ? 1 : 0);
  std::vector<std::thread> pool;
  pool.reserve(extra);
  try {
    for (size_t t = 0; t < extra; ++t) pool.emplace_back(worker);
  } catch (...) {
    stop = true;  // no thread to spare: end those started, then report
    for (auto& t : pool) t.join();
    throw;
  }
  worker();
  for (auto& t : pool) t.join();
  if (first) std::rethrow_exception(first);
}

}  // namespace steiger::registry
