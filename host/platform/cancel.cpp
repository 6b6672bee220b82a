#include "platform/cancel.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>

#include "platform/fd.hpp"

namespace steiger::platform {

CancelSource::CancelSource() {
  // A pipe rather than a condition variable: poll() loops (the process runner) can wait on it
  // together with their own fds, and a signal handler can set it.
  PipePair pipe = make_pipe();
  set_nonblocking(pipe.write.get());
  read_fd_ = pipe.read.release();
  write_fd_ = pipe.write.release();
}

CancelSource::~CancelSource() {
  ::close(read_fd_);
  ::close(write_fd_);
}

void CancelSource::cancel() noexcept {
  if (cancelled_.exchange(true, std::memory_order_acq_rel)) return;
  int saved = errno;
  char byte = 1;
  // One byte that nobody reads: the read end stays readable for every later poll().
  while (::write(write_fd_, &byte, 1) < 0 && errno == EINTR) {
  }
  errno = saved;
}

bool CancelSource::wait_for(std::chrono::milliseconds timeout) const {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + timeout;
  while (!cancelled()) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) break;
    pollfd p{read_fd_, POLLIN, 0};
    ::poll(&p, 1, static_cast<int>(std::min<long long>(left, INT_MAX)));
  }
  return cancelled();
}

}  // namespace steiger::platform
