// run() and the processes around the child: cancellation, grandchildren, fds, parallel runs.
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "process/runner.hpp"

using namespace steiger::process;
using namespace std::chrono_literals;
using steiger::platform::CancelSource;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;
using V = std::vector<std::string>;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/steiger-run-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path); }
};

std::vector<int> read_pids(const fs::path& file) {
  std::vector<int> pids;
  std::ifstream in(file);
  for (int pid; in >> pid;) pids.push_back(pid);
  return pids;
}

// "pid (comm) state ppid pgrp ..." from /proc (Linux, where the tests run).
bool proc_stat(int pid, char& state, int& pgrp) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t paren = text.rfind(')');
  if (paren == std::string::npos) return false;
  int ppid = 0;
  return std::sscanf(text.c_str() + paren + 1, " %c %d %d", &state, &ppid, &pgrp) == 3;
}

// Zombies count as dead: orphans are reaped by init, whenever it gets to them.
bool alive(int pid) {
  char state = 0;
  int pgrp = 0;
  return proc_stat(pid, state, pgrp) && state != 'Z' && state != 'X';
}

int live_members(int pgid) {
  int count = 0;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    char state = 0;
    int pgrp = 0;
    if (proc_stat(std::stoi(name), state, pgrp) && pgrp == pgid && state != 'Z' && state != 'X') {
      ++count;
    }
  }
  return count;
}

// Signals just sent take a moment to finish their work.
template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds within = 1000ms) {
  auto end = Clock::now() + within;
  while (!pred()) {
    if (Clock::now() > end) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

}  // namespace

TEST_CASE("cancel stops the whole group, grandchildren included, promptly") {
  TempDir dir;
  fs::path pids = dir.path / "pids";
  Spec spec;
  spec.argv = {"sh", "-c", "echo $$ > \"$0\"; sleep 30 & echo $! >> \"$0\"; sleep 30; wait",
               pids.string()};
  CancelSource cancel;
  int members_before = 0;
  std::thread canceller([&] {
    std::this_thread::sleep_for(200ms);
    if (read_pids(pids).size() == 2) members_before = live_members(read_pids(pids)[0]);
    cancel.cancel();
  });
  auto start = Clock::now();
  Result r = run(spec, &cancel);
  auto took = Clock::now() - start;
  canceller.join();

  CHECK(r.cancelled);
  CHECK_FALSE(r.ok());
  CHECK(took < 1500ms);
  CHECK(members_before == 3);  // sh and both sleeps were running
  std::vector<int> recorded = read_pids(pids);
  REQUIRE(recorded.size() == 2);
  CHECK(eventually([&] { return live_members(recorded[0]) == 0; }));
  CHECK_FALSE(alive(recorded[1]));
}

TEST_CASE("a group that ignores SIGTERM is killed after kill_grace") {
  Spec spec;
  spec.argv = {"sh", "-c", "trap '' TERM; echo ready; sleep 30"};
  spec.kill_grace = 300ms;
  CancelSource cancel;
  spec.on_line = [&](Stream, std::string_view line) {
    if (line == "ready") cancel.cancel();
  };
  auto start = Clock::now();
  Result r = run(spec, &cancel);
  auto took = Clock::now() - start;
  CHECK(r.cancelled);
  CHECK(r.signal == SIGKILL);
  CHECK(r.exit_code == -1);
  CHECK(took >= 300ms);
  CHECK(took < 2s);
}

TEST_CASE("a background grandchild's output is read to the end after the leader exits") {
  Spec spec;
  spec.argv = {"sh", "-c", "(sleep 0.3; echo late) & echo early"};
  V lines;
  spec.on_line = [&](Stream, std::string_view line) { lines.emplace_back(line); };
  Result r = run(spec);
  CHECK(r.ok());
  CHECK(lines == V{"early", "late"});
}

TEST_CASE("cancel ends a run whose leader is gone but whose grandchild holds the pipes") {
  Spec spec;
  spec.argv = {"sh", "-c", "sleep 30 & echo started"};
  CancelSource cancel;
  spec.on_line = [&](Stream, std::string_view) { cancel.cancel(); };
  auto start = Clock::now();
  Result r = run(spec, &cancel);
  CHECK(r.cancelled);
  CHECK(Clock::now() - start < 1500ms);
}

TEST_CASE("a process that left the group cannot hold run() past the kill") {
  TempDir dir;
  fs::path pids = dir.path / "pids";
  Spec spec;
  // setsid: a new session, out of the group's reach, still holding stdout.
  spec.argv = {"sh", "-c", "setsid sleep 30 & echo $! > \"$0\"; echo started; wait", pids.string()};
  spec.kill_grace = 300ms;
  CancelSource cancel;
  spec.on_line = [&](Stream, std::string_view) { cancel.cancel(); };
  auto start = Clock::now();
  Result r = run(spec, &cancel);
  auto took = Clock::now() - start;
  for (int pid : read_pids(pids)) ::kill(pid, SIGKILL);
  CHECK(r.cancelled);
  CHECK(took < 2s);
}

TEST_CASE("a leader that closed its stdio is still waited for, and still cancellable") {
  Result done = [] {
    Spec spec;
    spec.argv = {"sh", "-c", "exec >&- 2>&-; sleep 0.3; exit 7"};
    return run(spec);
  }();
  CHECK(done.exit_code == 7);

  Spec spec;
  spec.argv = {"sh", "-c", "exec >/dev/null 2>&1; exec sleep 30"};
  CancelSource cancel;
  std::thread canceller([&] {
    std::this_thread::sleep_for(200ms);
    cancel.cancel();
  });
  auto start = Clock::now();
  Result r = run(spec, &cancel);
  canceller.join();
  CHECK(r.cancelled);
  CHECK(r.signal == SIGTERM);
  CHECK(Clock::now() - start < 1500ms);
}

TEST_CASE("nothing starts once cancelled") {
  TempDir dir;
  CancelSource cancel;
  cancel.cancel();
  Spec spec;
  spec.argv = {"touch", (dir.path / "started").string()};
  Result r = run(spec, &cancel);
  CHECK(r.cancelled);
  CHECK_FALSE(fs::exists(dir.path / "started"));
}

TEST_CASE("the child has exactly fds 0, 1 and 2, even while other runs are in flight") {
  // A library somewhere opened this without O_CLOEXEC; it must not reach children either.
  int stray = ::open("/dev/null", O_RDONLY);
  REQUIRE(stray > 2);
  std::atomic<bool> stop{false};
  std::vector<std::thread> busy;
  for (int i = 0; i < 3; ++i) {
    busy.emplace_back([&] {
      while (!stop) {
        Spec spec;
        spec.argv = {"sh", "-c", "echo x; sleep 0.05"};
        spec.stdin_data = "input";
        spec.on_line = [](Stream, std::string_view) {};
        run(spec);
      }
    });
  }
  std::vector<V> listings;
  for (int i = 0; i < 20; ++i) {
    Spec spec;
    spec.argv = {"ls", "/proc/self/fd"};
    V fds;
    spec.on_line = [&](Stream, std::string_view line) { fds.emplace_back(line); };
    run(spec);
    listings.push_back(fds);
  }
  stop = true;
  for (auto& t : busy) t.join();
  ::close(stray);
  for (const V& fds : listings) CHECK(fds == V{"0", "1", "2", "3"});  // 3: ls's own directory
}

TEST_CASE("32 runs in parallel keep their output apart") {
  constexpr int kRuns = 32;
  std::vector<std::thread> threads;
  std::vector<V> outs(kRuns), errs(kRuns);
  std::vector<Result> results(kRuns);
  for (int k = 0; k < kRuns; ++k) {
    threads.emplace_back([&, k] {
      Spec spec;
      spec.argv = {"sh", "-c",
                   "i=0; while [ $i -lt 300 ]; do echo \"$ID $i\"; echo \"e$ID $i\" >&2; "
                   "i=$((i+1)); done; exit $CODE"};
      spec.env = {"ID=" + std::to_string(k), "CODE=" + std::to_string(k % 5)};
      auto idx = static_cast<size_t>(k);
      spec.on_line = [&, idx](Stream s, std::string_view line) {
        (s == Stream::Stdout ? outs[idx] : errs[idx]).emplace_back(line);
      };
      results[idx] = run(spec);
    });
  }
  for (auto& t : threads) t.join();
  for (int k = 0; k < kRuns; ++k) {
    auto idx = static_cast<size_t>(k);
    INFO("run " << k);
    CHECK(results[idx].exit_code == k % 5);
    REQUIRE(outs[idx].size() == 300);
    REQUIRE(errs[idx].size() == 300);
    for (size_t i = 0; i < 300; ++i) {
      if (outs[idx][i] != std::to_string(k) + " " + std::to_string(i) ||
          errs[idx][i] != "e" + std::to_string(k) + " " + std::to_string(i)) {
        FAIL("line " << i << ": " << outs[idx][i] << " / " << errs[idx][i]);
      }
    }
  }
}
