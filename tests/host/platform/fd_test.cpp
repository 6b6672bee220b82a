#include "platform/fd.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>

using namespace steiger::platform;

TEST_CASE("pipes are close-on-exec from birth and above stdio") {
  PipePair pipe = make_pipe();
  for (int fd : {pipe.read.get(), pipe.write.get()}) {
    CHECK(fd > 2);
    CHECK((::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
  }
  UniqueFd null = open_dev_null();
  CHECK(null.get() > 2);
  CHECK((::fcntl(null.get(), F_GETFD) & FD_CLOEXEC) != 0);
}

TEST_CASE("writing to a pipe nobody reads reports EPIPE instead of killing us") {
  // SIGPIPE keeps its default disposition here: without the guard in write_no_sigpipe this
  // test binary would die.
  struct sigaction current {};
  ::sigaction(SIGPIPE, nullptr, &current);
  REQUIRE(current.sa_handler == SIG_DFL);

  PipePair pipe = make_pipe();
  pipe.read.reset();
  errno = 0;
  CHECK(write_no_sigpipe(pipe.write.get(), "x", 1) == -1);
  CHECK(errno == EPIPE);
  sigset_t pending;
  sigpending(&pending);
  CHECK(sigismember(&pending, SIGPIPE) == 0);
}

TEST_CASE("UniqueFd closes what it owns") {
  int raw;
  {
    PipePair pipe = make_pipe();
    raw = pipe.read.get();
  }
  CHECK(::fcntl(raw, F_GETFD) == -1);
  CHECK(errno == EBADF);
}
