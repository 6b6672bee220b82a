#include "platform/child.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif

#include <cerrno>
#include <utility>

#include "platform/child_groups.hpp"

namespace steiger::platform {
namespace {

// Linux >= 5.3 only (hence the raw syscall); -1 elsewhere, and callers fall back to exited().
int open_exit_fd(pid_t pid) {
#if defined(__linux__) && defined(SYS_pidfd_open)
  long fd = ::syscall(SYS_pidfd_open, pid, 0);  // close-on-exec by definition
  return fd >= 0 ? static_cast<int>(fd) : -1;
#else
  (void)pid;
  return -1;
#endif
}

}  // namespace

Child::Child(pid_t pid) : pid_(pid), exit_fd_(open_exit_fd(pid)) {
  child_groups::add(pid);
}

Child::Child(Child&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      exited_(other.exited_),
      exit_fd_(std::move(other.exit_fd_)) {}

Child& Child::operator=(Child&& other) noexcept {
  if (this != &other) {
    if (pid_ > 0) {
      signal_group(SIGKILL);
      reap();
    }
    pid_ = std::exchange(other.pid_, -1);
    exited_ = other.exited_;
    exit_fd_ = std::move(other.exit_fd_);
  }
  return *this;
}

Child::~Child() {
  if (pid_ > 0) {
    signal_group(SIGKILL);
    reap();
  }
}

bool Child::exited() {
  if (exited_ || pid_ <= 0) return true;
  siginfo_t info{};
  int rc;
  do {
    rc = ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT);
  } while (rc < 0 && errno == EINTR);
  // ECHILD: someone else reaped it (a SIGCHLD handler set to SIG_IGN, say); it is gone anyway.
  exited_ = (rc == 0 && info.si_pid != 0) || (rc < 0 && errno == ECHILD);
  return exited_;
}

void Child::signal_group(int sig) noexcept {
  if (pid_ > 0) ::kill(-pid_, sig);
}

int Child::reap() {
  if (pid_ <= 0) return 0;
  child_groups::remove(pid_);
  int status = 0;
  pid_t rc;
  do {
    rc = ::waitpid(pid_, &status, 0);
  } while (rc < 0 && errno == EINTR);
  pid_ = -1;
  exit_fd_.reset();
  return rc < 0 ? 0 : status;
}

}  // namespace steiger::platform
