// The process groups of children still running, for a force-quit to take them along.
//
// Children run in their own process groups, so a terminal's Ctrl-C never reaches them: only the
// host can stop them. Normally cancellation does (process::run); when the user force-quits with a
// second Ctrl-C the signal handler kills every group registered here before the host dies.
#pragma once

#include <sys/types.h>

namespace steiger::platform::child_groups {

// Lock-free and bounded; a group that finds no free slot is simply not tracked.
void add(pid_t pgid) noexcept;
// Call before reaping the group leader: once reaped, its pid (the group id) may be reused.
void remove(pid_t pgid) noexcept;
// Async-signal-safe.
void kill_all(int sig) noexcept;

}  // namespace steiger::platform::child_groups
