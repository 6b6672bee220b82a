#include "platform/cancel.hpp"

#include <poll.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using steiger::platform::CancelSource;
using Clock = std::chrono::steady_clock;

namespace {

bool readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) == 1 && (p.revents & POLLIN) != 0;
}

}  // namespace

TEST_CASE("a fresh source is not cancelled and sleeps the whole timeout") {
  CancelSource source;
  CHECK_FALSE(source.cancelled());
  CHECK_FALSE(readable(source.wake_fd()));
  auto start = Clock::now();
  CHECK_FALSE(source.wait_for(60ms));
  CHECK(Clock::now() - start >= 60ms);
}

TEST_CASE("cancel wakes every waiter early") {
  CancelSource source;
  std::vector<std::thread> waiters;
  std::vector<char> woke(4, 0);
  std::vector<Clock::duration> took(4);
  for (size_t i = 0; i < woke.size(); ++i) {
    waiters.emplace_back([&, i] {
      auto start = Clock::now();
      woke[i] = source.wait_for(10s) ? 1 : 0;
      took[i] = Clock::now() - start;
    });
  }
  std::this_thread::sleep_for(100ms);
  source.cancel();
  for (auto& t : waiters) t.join();
  for (size_t i = 0; i < woke.size(); ++i) {
    CHECK(woke[i] == 1);
    CHECK(took[i] < 2s);
  }
}

TEST_CASE("the wake fd stays readable once cancelled, and cancelling twice is harmless") {
  CancelSource source;
  source.cancel();
  source.cancel();
  CHECK(source.cancelled());
  CHECK(readable(source.wake_fd()));
  CHECK(readable(source.wake_fd()));
  CHECK(source.wait_for(0ms));
}
