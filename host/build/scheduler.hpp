// Bounded concurrency with fail-fast: the one place that decides what runs when.
#pragma once

#include "platform/cancel.hpp"
#include "progress/event.hpp"

#include <cstddef>
#include <functional>

namespace steiger::build {

struct ScheduleOptions {
  size_t concurrency = 4;
  bool keep_going = false;  // else the first failure cancels everything still running or queued
};

// The default --concurrency: builds are mostly other programs' work, so a few more than the
// cores keeps them busy while some wait on I/O or the network.
size_t default_concurrency();

// Runs job(0) .. job(count-1) in order, at most `concurrency` at once, each job running all its
// stages before its slot frees. A job that never started because the run was cancelled gets
// not_started(i) instead.
void schedule(size_t count, const ScheduleOptions& options, platform::CancelSource& cancel,
              const std::function<progress::Outcome(size_t)>& job,
              const std::function<void(size_t)>& not_started);

}  // namespace steiger::build
