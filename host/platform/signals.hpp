// Ctrl-C and SIGTERM turned into cancellation, for as long as a guard lives.
#pragma once

#include "platform/cancel.hpp"

namespace steiger::platform {

// While alive: SIGINT and SIGTERM cancel `source` (the first one is recorded); a second SIGINT
// kills every child group still running and then the host itself, so a user can always
// force-quit; SIGPIPE is ignored, so a peer closing a socket shows up as EPIPE, not death.
// The previous dispositions come back on destruction. One guard at a time (std::logic_error).
class InterruptGuard {
 public:
  explicit InterruptGuard(CancelSource& source);
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  // SIGINT or SIGTERM once one arrived, else 0.
  int signal_received() const;
};

}  // namespace steiger::platform
