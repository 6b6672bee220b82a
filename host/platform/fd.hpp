// File descriptors owned by RAII, and pipes that never leak into children.
#pragma once

#include <sys/types.h>

#include <cstddef>

namespace steiger::platform {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) noexcept : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const noexcept { return fd_; }
  explicit operator bool() const noexcept { return fd_ >= 0; }
  int release() noexcept;
  void reset(int fd = -1) noexcept;

 private:
  int fd_ = -1;
};

struct PipePair {
  UniqueFd read;
  UniqueFd write;
};

// Both ends are close-on-exec from the moment they exist (other threads spawn concurrently) and
// numbered above 2, so that dup2() onto a child's stdio never meets an fd equal to its target.
// Throws std::system_error.
PipePair make_pipe();

// /dev/null for reading, close-on-exec, above 2. Throws std::system_error.
UniqueFd open_dev_null();

// Throws std::system_error.
void set_nonblocking(int fd);

// write() that reports EPIPE instead of raising SIGPIPE, whatever the process's disposition: a
// child that stops reading its stdin must not kill the host. Returns what write() returns.
ssize_t write_no_sigpipe(int fd, const void* data, std::size_t size);

}  // namespace steiger::platform
