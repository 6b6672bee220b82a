// Concurrency bound, fail-fast cancellation that kills processes, --keep-going, interrupts.
#include "e2e_support.hpp"

#include "process/runner.hpp"

#include <catch2/catch.hpp>

#include <signal.h>
#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

using namespace e2e;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> with_plugins(std::vector<std::string> args) {
  args.insert(args.begin(), {"--plugin-path", plugin_dir("good")});
  return args;
}

// A service whose build appends "start"/"end" with a nanosecond clock to `trace`.
std::string traced_service(const std::string& name, const fs::path& trace, double seconds) {
  std::ostringstream s;
  s << "  " << name << ":\n    type: test\n    run: [sh, -c, 'echo \"$(date +%s%N) +1\" >> "
    << trace.string() << "; sleep " << seconds << "; echo \"$(date +%s%N) -1\" >> "
    << trace.string() << "']\n";
  return s.str();
}

// The most services that were inside their build at the same moment.
int max_overlap(const fs::path& trace) {
  std::ifstream in(trace);
  std::vector<std::pair<long long, int>> events;
  long long t;
  int delta;
  while (in >> t >> delta) events.emplace_back(t, delta);
  std::sort(events.begin(), events.end());  // at equal times, ends (-1) sort before starts
  int now = 0, best = 0;
  for (auto [time, d] : events) best = std::max(best, now += d);
  return best;
}

int read_pid(const fs::path& file) {
  for (int i = 0; i < 100 && !fs::exists(file); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::ifstream in(file);
  int pid = 0;
  in >> pid;
  return pid;
}

}  // namespace

TEST_CASE("no more services run at once than --concurrency allows, and all of them run") {
  TempDir tmp;
  fs::path trace = tmp.path() / "trace";
  std::string config = "build:\n";
  for (int i = 0; i < 6; ++i) config += traced_service("s" + std::to_string(i), trace, 0.3);
  auto repo = write_config(tmp.path() / "repo", config);

  auto out = run_steiger(with_plugins({"build", "-j", "2", "--progress", "plain"}), repo);
  INFO(out.err);
  REQUIRE(out.exit_code == 0);
  CHECK(max_overlap(trace) == 2);

  fs::remove(trace);
  out = run_steiger(with_plugins({"build", "--concurrency", "6", "--progress", "plain"}), repo);
  REQUIRE(out.exit_code == 0);
  CHECK(max_overlap(trace) == 6);
}

TEST_CASE("a failure cancels the running builds and kills their processes (fail-fast)") {
  TempDir tmp;
  fs::path pid_file = tmp.path() / "sleeper.pid";
  auto repo =
      write_config(tmp.path() / "repo",
                   "build:\n"
                   "  slow:\n    type: test\n    run: [sh, -c, 'sleep 60 & echo $! > " +
                       pid_file.string() +
                       "; wait']\n"
                       "  broken:\n    type: test\n    sleep: 0.5\n    fail: compiler said no\n"
                       "  queued:\n    type: test\n");
  auto t0 = std::chrono::steady_clock::now();
  auto out = run_steiger(with_plugins({"build", "-j", "2", "--progress", "plain"}), repo);
  auto elapsed = std::chrono::steady_clock::now() - t0;
  INFO(out.err);
  CHECK(out.exit_code == 1);
  CHECK(elapsed < std::chrono::seconds(20));
  CHECK(out.err.find("[broken] failed: compiler said no") != std::string::npos);
  CHECK(out.err.find("[slow] cancelled") != std::string::npos);
  CHECK(out.err.find("[queued] cancelled") != std::string::npos);
  int pid = read_pid(pid_file);
  REQUIRE(pid > 0);
  CHECK_FALSE(process_alive(pid));
}

TEST_CASE("--keep-going lets the other services finish after a failure") {
  TempDir tmp;
  auto repo = write_config(tmp.path() / "repo",
                           "build:\n  broken:\n    type: test\n    fail: no\n"
                           "  slow:\n    type: test\n    sleep: 0.5\n  other:\n    type: test\n");
  auto out =
      run_steiger(with_plugins({"build", "-j", "1", "--keep-going", "--progress", "plain"}), repo);
  CHECK(out.exit_code == 1);
  CHECK(out.err.find("[slow] ok") != std::string::npos);
  CHECK(out.err.find("[other] ok") != std::string::npos);
  CHECK(out.err.find("2 ok, 1 failed, 0 cancelled") != std::string::npos);
  CHECK(fs::exists(repo / ".steiger/out/other/index.json"));
}

TEST_CASE("an interrupt cancels the run, kills the builds' processes and exits 130") {
  TempDir tmp;
  fs::path pid_file = tmp.path() / "sleeper.pid";
  auto repo =
      write_config(tmp.path() / "repo",
                   "build:\n  slow:\n    type: test\n    run: [sh, -c, 'sleep 60 & echo $! > " +
                       pid_file.string() + "; wait']\n");
  steiger::process::Spec spec;
  spec.argv = {STEIGER_BINARY, "--plugin-path", plugin_dir("good"), "build", "--progress", "plain"};
  spec.cwd = repo;
  int exit_code = -1;
  std::thread runner([&] { exit_code = steiger::process::run(spec).exit_code; });
  int sleeper = read_pid(pid_file);
  REQUIRE(sleeper > 0);
  // The sleeper's parent is the plugin's sh, whose parent is steiger.
  std::ifstream stat("/proc/" + std::to_string(sleeper) + "/stat");
  std::string ignored;
  int ppid = 0;
  stat >> ignored >> ignored >> ignored >> ppid;  // sh
  std::ifstream stat2("/proc/" + std::to_string(ppid) + "/stat");
  int gpid = 0;
  stat2 >> ignored >> ignored >> ignored >> gpid;  // steiger
  REQUIRE(gpid > 0);
  ::kill(gpid, SIGINT);
  runner.join();
  CHECK(exit_code == 130);
  CHECK_FALSE(process_alive(sleeper));
}
