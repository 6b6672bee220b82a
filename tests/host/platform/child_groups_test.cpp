#include "platform/child_groups.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

using namespace steiger::platform;

namespace {

pid_t start_group() {
  // SIGTERM stays blocked across fork until the child has dropped Catch2's inherited handler,
  // which would report the signal as a crash (and deadlock in the fork).
  sigset_t term;
  sigset_t old;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  ::pthread_sigmask(SIG_BLOCK, &term, &old);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::signal(SIGTERM, SIG_DFL);
    ::setpgid(0, 0);
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
    ::pause();
    ::_exit(0);
  }
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  ::setpgid(pid, pid);
  return pid;
}

}  // namespace

TEST_CASE("kill_all signals registered groups and only those") {
  pid_t tracked = start_group();
  pid_t untracked = start_group();
  REQUIRE(tracked > 0);
  REQUIRE(untracked > 0);
  child_groups::add(tracked);
  child_groups::add(untracked);
  child_groups::remove(untracked);

  child_groups::kill_all(SIGTERM);
  int status = 0;
  REQUIRE(::waitpid(tracked, &status, 0) == tracked);
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGTERM);
  child_groups::remove(tracked);

  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(::waitpid(untracked, &status, WNOHANG) == 0);
  ::kill(untracked, SIGKILL);
  ::waitpid(untracked, &status, 0);
}
