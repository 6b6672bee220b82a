#include "platform/signals.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "platform/child_groups.hpp"

using namespace steiger::platform;

namespace {

void (*handler_of(int sig))(int) {
  struct sigaction current {};
  ::sigaction(sig, nullptr, &current);
  return current.sa_handler;
}

// waitpid with a deadline, so a broken guard fails the test instead of hanging it.
bool wait_exit(pid_t pid, int& status) {
  for (int i = 0; i < 500; ++i) {
    if (::waitpid(pid, &status, WNOHANG) == pid) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return false;
}

}  // namespace

TEST_CASE("SIGINT cancels the source and is recorded") {
  CancelSource source;
  InterruptGuard guard(source);
  CHECK(guard.signal_received() == 0);
  ::raise(SIGINT);
  CHECK(source.cancelled());
  CHECK(guard.signal_received() == SIGINT);
}

TEST_CASE("SIGTERM cancels the source too, and a second SIGTERM changes nothing") {
  CancelSource source;
  InterruptGuard guard(source);
  ::raise(SIGTERM);
  ::raise(SIGTERM);
  CHECK(source.cancelled());
  CHECK(guard.signal_received() == SIGTERM);
}

TEST_CASE("SIGPIPE is ignored only while a guard lives, and handlers come back") {
  // Catch2 has handlers of its own on SIGINT and SIGTERM: those must be back afterwards.
  auto old_int = handler_of(SIGINT);
  auto old_term = handler_of(SIGTERM);
  REQUIRE(handler_of(SIGPIPE) == SIG_DFL);
  {
    CancelSource source;
    InterruptGuard guard(source);
    CHECK(handler_of(SIGPIPE) == SIG_IGN);
    CHECK(handler_of(SIGINT) != old_int);
    CHECK(handler_of(SIGTERM) != old_term);
  }
  CHECK(handler_of(SIGPIPE) == SIG_DFL);
  CHECK(handler_of(SIGINT) == old_int);
  CHECK(handler_of(SIGTERM) == old_term);
}

TEST_CASE("only one guard at a time") {
  CancelSource a;
  CancelSource b;
  InterruptGuard guard(a);
  CHECK_THROWS_AS(InterruptGuard(b), std::logic_error);
}

TEST_CASE("a second SIGINT force-quits, taking registered child groups along") {
  // A child group standing in for a running build step.
  pid_t victim = ::fork();
  REQUIRE(victim >= 0);
  if (victim == 0) {
    ::setpgid(0, 0);
    ::pause();
    ::_exit(0);
  }
  ::setpgid(victim, victim);  // both sides set it, so it holds whoever runs first

  // The "host", in a process of its own since it is meant to die.
  pid_t host = ::fork();
  REQUIRE(host >= 0);
  if (host == 0) {
    try {
      CancelSource source;
      InterruptGuard guard(source);
      child_groups::add(victim);
      ::raise(SIGINT);
      if (!source.cancelled() || guard.signal_received() != SIGINT) ::_exit(2);
      ::raise(SIGINT);
      ::_exit(3);
    } catch (...) {
      ::_exit(4);
    }
  }
  int status = 0;
  REQUIRE(wait_exit(host, status));
  CHECK(WIFSIGNALED(status));
  if (WIFSIGNALED(status)) CHECK(WTERMSIG(status) == SIGINT);
  if (WIFEXITED(status)) FAIL("host exited with " << WEXITSTATUS(status));

  int victim_status = 0;
  REQUIRE(wait_exit(victim, victim_status));
  CHECK(WIFSIGNALED(victim_status));
  CHECK(WTERMSIG(victim_status) == SIGKILL);
}
