// A child process that leads its own process group, watched without being reaped.
//
// Keeping the leader unreaped until the very end keeps its pid, which is also the group id,
// reserved: signalling the group can then never hit an unrelated process that reused the id.
#pragma once

#include <sys/types.h>

#include "platform/fd.hpp"

namespace steiger::platform {

class Child {
 public:
  Child() = default;
  // Takes ownership of a group leader `pid`: registers its group for force-quit.
  explicit Child(pid_t pid);
  Child(Child&& other) noexcept;
  Child& operator=(Child&& other) noexcept;
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  // A child never reaped (an exception unwound past it) is killed, with its group, and reaped.
  ~Child();

  pid_t pid() const noexcept { return pid_; }
  // Readable once the leader exited (a Linux pidfd). -1 when there is none (macOS, old kernels):
  // then call exited() from time to time. A kqueue EVFILT_PROC would be the macOS equivalent.
  int exit_fd() const noexcept { return exit_fd_.get(); }
  // Whether the leader has exited; does not reap it.
  bool exited();
  // Signals every process of the group; a no-op once reaped.
  void signal_group(int sig) noexcept;
  // Waits for the leader (EINTR-safe) and returns its wait status.
  int reap();

 private:
  pid_t pid_ = -1;
  bool exited_ = false;
  UniqueFd exit_fd_;
};

}  // namespace steiger::platform
