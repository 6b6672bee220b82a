// Starting a child in a process group of its own, with nothing of ours but the three stdio fds.
#pragma once

#include "platform/child.hpp"

namespace steiger::platform {

struct SpawnRequest {
  const char* path = nullptr;  // the program itself: no PATH search happens here
  char* const* argv = nullptr;
  char* const* envp = nullptr;
  const char* cwd = nullptr;  // nullptr: the host's
  int stdin_fd = -1;
  int stdout_fd = -1;
  int stderr_fd = -1;
};

struct SpawnResult {
  Child child;
  int error = 0;  // errno when the child could not be started (exec failures included)
};

// The child's process group id is its pid. Signals the host ignores or handles are reset to
// their defaults in the child and its signal mask is emptied, so it behaves as if started by a
// shell. Thread-safe.
SpawnResult spawn_in_new_group(const SpawnRequest& request);

}  // namespace steiger::platform
