#include "platform/child_groups.hpp"

#include <signal.h>

#include <array>
#include <atomic>

namespace steiger::platform::child_groups {
namespace {

// Far more than the runs a host keeps alive at once (its concurrency limit).
std::array<std::atomic<pid_t>, 1024> slots{};
static_assert(std::atomic<pid_t>::is_always_lock_free, "kill_all() runs in signal handlers");

}  // namespace

void add(pid_t pgid) noexcept {
  for (auto& slot : slots) {
    pid_t empty = 0;
    if (slot.compare_exchange_strong(empty, pgid)) return;
  }
}

void remove(pid_t pgid) noexcept {
  for (auto& slot : slots) {
    pid_t expected = pgid;
    if (slot.compare_exchange_strong(expected, 0)) return;
  }
}

void kill_all(int sig) noexcept {
  for (auto& slot : slots) {
    pid_t pgid = slot.load();
    if (pgid > 0) ::kill(-pgid, sig);
  }
}

}  // namespace steiger::platform::child_groups
