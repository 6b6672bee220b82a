#include "platform/fd.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>
#include <system_error>

namespace steiger::platform {
namespace {

[[noreturn]] void throw_errno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// Moves an fd that landed on 0..2 (the host was started with stdio closed) out of the way.
int above_stdio(int fd) {
  if (fd > 2) return fd;
  int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
  int saved = errno;
  ::close(fd);
  if (moved < 0) {
    errno = saved;
    throw_errno("fcntl(F_DUPFD_CLOEXEC)");
  }
  return moved;
}

#if !defined(__linux__)
// Without pipe2() (macOS), pipe() and fcntl(FD_CLOEXEC) are two steps; spawns on macOS also set
// POSIX_SPAWN_CLOEXEC_DEFAULT (see spawn.cpp), so this lock only orders our own pipe creation.
std::mutex pipe_mutex;
#endif

}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) reset(other.release());
  return *this;
}

int UniqueFd::release() noexcept {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

void UniqueFd::reset(int fd) noexcept {
  // close() is not retried on EINTR: on Linux the fd is gone either way.
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

PipePair make_pipe() {
  int fds[2];
#if defined(__linux__)
  if (::pipe2(fds, O_CLOEXEC) != 0) throw_errno("pipe2");
#else
  {
    std::lock_guard lock(pipe_mutex);
    if (::pipe(fds) != 0) throw_errno("pipe");
    ::fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    ::fcntl(fds[1], F_SETFD, FD_CLOEXEC);
  }
#endif
  PipePair pair{UniqueFd(fds[0]), UniqueFd(fds[1])};
  pair.read.reset(above_stdio(pair.read.release()));
  pair.write.reset(above_stdio(pair.write.release()));
  return pair;
}

UniqueFd open_dev_null() {
  int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw_errno("open /dev/null");
  return UniqueFd(above_stdio(fd));
}

void set_nonblocking(int fd) {
  int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) throw_errno("fcntl(O_NONBLOCK)");
}

ssize_t write_no_sigpipe(int fd, const void* data, std::size_t size) {
  // SIGPIPE for a pipe write is sent to the writing thread, so blocking it here and consuming
  // the one this write raised leaves other threads and the process disposition alone.
  sigset_t pipe_set;
  sigset_t old_mask;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old_mask);
  sigset_t pending;
  sigpending(&pending);
  const bool was_pending = sigismember(&pending, SIGPIPE) == 1;

  ssize_t n;
  do {
    n = ::write(fd, data, size);
  } while (n < 0 && errno == EINTR);
  int saved = errno;

  if (n < 0 && saved == EPIPE && !was_pending) {
    sigpending(&pending);
    if (sigismember(&pending, SIGPIPE) == 1) {
      int sig;
      sigwait(&pipe_set, &sig);  // does not block: it is pending
    }
  }
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  errno = saved;
  return n;
}

}  // namespace steiger::platform
