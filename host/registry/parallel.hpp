// Running independent steps of one push on a few threads.
#pragma once

#include <cstddef>
#include <functional>

namespace steiger::registry {

// Calls job(0..count-1) on up to `threads` threads (the caller's among them). After the first
// exception no new job starts; that exception is rethrown once every running job has ended.
void parallel_for(size_t count, size_t threads, const std::function<void(size_t)>& job);

}  // namespace steiger::registry
