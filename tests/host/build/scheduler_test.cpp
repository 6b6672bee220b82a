#include "build/scheduler.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

using namespace steiger;
using progress::Outcome;

namespace {

struct Tracker {
  std::atomic<int> running{0};
  std::atomic<int> peak{0};
  void enter() {
    int now = ++running;
    int seen = peak.load();
    while (now > seen && !peak.compare_exchange_weak(seen, now)) {
    }
  }
  void leave() { --running; }
};

}  // namespace

TEST_CASE("never more jobs at once than the concurrency limit, and every job runs once") {
  for (size_t limit : {1u, 3u, 8u}) {
    Tracker t;
    std::vector<std::atomic<int>> runs(20);
    platform::CancelSource cancel;
    build::schedule(
        20, {limit, false}, cancel,
        [&](size_t i) {
          t.enter();
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
          ++runs[i];
          t.leave();
          return Outcome::Ok;
        },
        [](size_t) { FAIL("nothing is cancelled"); });
    CHECK(t.peak == static_cast<int>(limit));
    for (auto& r : runs) CHECK(r == 1);
  }
}

TEST_CASE("a failure cancels the run: running jobs see it, queued ones never start") {
  platform::CancelSource cancel;
  std::mutex m;
  std::vector<size_t> not_started, saw_cancel;
  std::atomic<bool> second_started{false};
  build::schedule(
      10, {2, false}, cancel,
      [&](size_t i) {
        if (i == 0) {
          while (!second_started) std::this_thread::yield();
          return Outcome::Failed;
        }
        second_started = true;
        // Job 1 runs alongside the failure and waits to be cancelled.
        if (cancel.wait_for(std::chrono::seconds(5))) {
          std::lock_guard lock(m);
          saw_cancel.push_back(i);
          return Outcome::Cancelled;
        }
        return Outcome::Ok;
      },
      [&](size_t i) {
        std::lock_guard lock(m);
        not_started.push_back(i);
      });
  CHECK(cancel.cancelled());
  CHECK(saw_cancel == std::vector<size_t>{1});
  CHECK(not_started.size() == 8);
}

TEST_CASE("keep-going runs everything despite failures") {
  platform::CancelSource cancel;
  std::atomic<int> ran{0};
  build::schedule(
      6, {2, true}, cancel,
      [&](size_t i) {
        ++ran;
        return i % 2 ? Outcome::Failed : Outcome::Ok;
      },
      [](size_t) { FAIL("keep-going starts everything"); });
  CHECK(ran == 6);
  CHECK_FALSE(cancel.cancelled());
}

TEST_CASE("an outside cancel (an interrupt) stops jobs from starting") {
  platform::CancelSource cancel;
  cancel.cancel();
  int started = 0, skipped = 0;
  build::schedule(
      3, {1, false}, cancel, [&](size_t) { return ++started, Outcome::Ok; },
      [&](size_t) { ++skipped; });
  CHECK(started == 0);
  CHECK(skipped == 3);
}
