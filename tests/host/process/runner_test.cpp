// run() and capture(): exit statuses, output, environment, working directory, stdin.
#include "process/runner.hpp"

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <filesystem>
#include <string>
#include <vector>

using namespace steiger::process;
namespace fs = std::filesystem;
using V = std::vector<std::string>;

namespace {

struct Output {
  V out;
  V err;
  Result result;
};

Output run_collect(Spec spec) {
  Output o;
  spec.on_line = [&o](Stream s, std::string_view line) {
    (s == Stream::Stdout ? o.out : o.err).emplace_back(line);
  };
  o.result = run(spec);
  return o;
}

Output sh(const std::string& script) {
  Spec spec;
  spec.argv = {"sh", "-c", script};
  return run_collect(spec);
}

}  // namespace

TEST_CASE("exit codes come back") {
  for (int code : {0, 1, 42}) {
    Result r = sh("exit " + std::to_string(code)).result;
    CHECK(r.exit_code == code);
    CHECK(r.signal == 0);
    CHECK_FALSE(r.cancelled);
    CHECK(r.spawn_errno == 0);
    CHECK(r.ok() == (code == 0));
  }
}

TEST_CASE("a child killed by a signal reports the signal") {
  Result r = sh("kill -9 $$").result;
  CHECK(r.exit_code == -1);
  CHECK(r.signal == SIGKILL);
  CHECK_FALSE(r.ok());
}

TEST_CASE("stdout and stderr lines arrive in order, each on its stream") {
  Output o = sh("echo o1; echo e1 >&2; echo o2; echo e2 >&2; echo o3");
  CHECK(o.out == V{"o1", "o2", "o3"});
  CHECK(o.err == V{"e1", "e2"});
}

TEST_CASE("a last line without newline is delivered; CRLF loses its CR") {
  CHECK(sh("printf 'a\\nb'").out == V{"a", "b"});
  CHECK(sh("printf 'x\\r\\ny\\r\\n'").out == V{"x", "y"});
}

TEST_CASE("a 200 KiB line arrives in 64 KiB pieces") {
  Output o = sh("head -c 204800 /dev/zero | tr '\\000' x; echo; echo after");
  REQUIRE(o.out.size() == 5);
  for (int i = 0; i < 3; ++i) CHECK(o.out[static_cast<size_t>(i)] == std::string(65536, 'x'));
  CHECK(o.out[3] == std::string(204800 - 3 * 65536, 'x'));
  CHECK(o.out[4] == "after");
}

TEST_CASE("10,000 lines stream through in order") {
  Spec spec;
  spec.argv = {"seq", "1", "10000"};
  Output o = run_collect(spec);
  REQUIRE(o.result.ok());
  REQUIRE(o.out.size() == 10000);
  for (size_t i = 0; i < o.out.size(); ++i) {
    if (o.out[i] != std::to_string(i + 1)) FAIL("line " << i << ": " << o.out[i]);
  }
}

TEST_CASE("env overlays the host's environment, or replaces it") {
  REQUIRE(std::getenv("HOME") != nullptr);
  Spec spec;
  spec.argv = {"sh", "-c", "echo \"$STEIGER_TEST_NEW|$HOME|${PATH:+has-path}\""};
  spec.env = {"STEIGER_TEST_NEW=hello", "HOME=/custom/home"};
  CHECK(run_collect(spec).out == V{"hello|/custom/home|has-path"});

  Spec replaced;
  replaced.argv = {"env"};  // found through the host's PATH though the child has none
  replaced.env = {"ONLY=1"};
  replaced.replace_env = true;
  Output o = run_collect(replaced);
  CHECK(o.result.ok());
  CHECK(o.out == V{"ONLY=1"});
}

TEST_CASE("cwd sets the working directory; a missing one fails to start") {
  char tmpl[] = "/tmp/steiger-cwd-XXXXXX";
  fs::path dir = fs::canonical(::mkdtemp(tmpl));
  Spec spec;
  spec.argv = {"sh", "-c", "pwd -P"};
  spec.cwd = dir;
  CHECK(run_collect(spec).out == V{dir.string()});

  spec.cwd = dir / "missing";
  Result r = run_collect(spec).result;
  CHECK(r.spawn_errno == ENOENT);
  fs::remove_all(dir);
}

TEST_CASE("1 MiB of stdin goes through cat while its output is read") {
  std::string data;
  for (int i = 0; data.size() < 1024 * 1024; ++i) data += "line " + std::to_string(i) + "\n";
  Spec spec;
  spec.argv = {"cat"};
  spec.stdin_data = data;
  Output o = run_collect(spec);
  REQUIRE(o.result.ok());
  std::string echoed;
  for (const auto& line : o.out) echoed += line + "\n";
  CHECK(echoed.size() == data.size());
  CHECK(echoed == data);
}

TEST_CASE("a child that does not read its stdin neither blocks nor kills the host") {
  Spec spec;
  spec.argv = {"true"};
  spec.stdin_data = std::string(4 * 1024 * 1024, 'x');
  Result r = run_collect(spec).result;
  CHECK(r.ok());
}

TEST_CASE("stdin is /dev/null when no data is given") {
  CHECK(sh("cat; echo end").out == V{"end"});
}

TEST_CASE("a program that does not exist is ENOENT, not an exception") {
  Spec spec;
  spec.argv = {"steiger-no-such-program-4711"};
  Result r;
  REQUIRE_NOTHROW(r = run_collect(spec).result);
  CHECK(r.spawn_errno == ENOENT);
  CHECK(r.exit_code == -1);
  CHECK_FALSE(r.ok());

  spec.argv = {"/nonexistent/dir/tool"};
  CHECK(run_collect(spec).result.spawn_errno == ENOENT);

  spec.argv = {};
  CHECK(run_collect(spec).result.spawn_errno == EINVAL);
}

TEST_CASE("children get default signal dispositions and an empty signal mask") {
  // Ignored signals and blocked masks survive exec; the host ignores SIGPIPE while it runs.
  struct sigaction ignore {};
  struct sigaction old {};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &old);
  sigset_t usr1;
  sigset_t old_mask;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  ::pthread_sigmask(SIG_BLOCK, &usr1, &old_mask);

  Spec spec;
  spec.argv = {"grep", "-E", "^Sig(Ign|Blk)", "/proc/self/status"};  // no shell: dash resets both
  Output o = run_collect(spec);

  ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  ::sigaction(SIGPIPE, &old, nullptr);
  REQUIRE(o.out.size() == 2);
  auto mask = [](const std::string& line) { return std::stoull(line.substr(7), nullptr, 16); };
  CHECK((mask(o.out[0]) & (1ull << (SIGUSR1 - 1))) == 0);  // SigBlk
  CHECK((mask(o.out[1]) & (1ull << (SIGPIPE - 1))) == 0);  // SigIgn
}

TEST_CASE("capture returns stdout byte for byte, only on success") {
  CHECK(capture({"printf", "a\\r\\nb\\n"}) == std::optional<std::string>("a\r\nb\n"));
  CHECK_FALSE(capture({"sh", "-c", "echo out; exit 3"}).has_value());
  CHECK_FALSE(capture({"steiger-no-such-program-4711"}).has_value());
  CHECK(capture({"pwd"}, "/") == std::optional<std::string>("/\n"));
}

TEST_CASE("an exception from on_line propagates and leaves no child behind") {
  char tmpl[] = "/tmp/steiger-throw-XXXXXX";
  fs::path dir = ::mkdtemp(tmpl);
  Spec spec;
  spec.argv = {"sh", "-c", "echo $$ > \"$0\"; echo hi; exec sleep 30", (dir / "pid").string()};
  spec.on_line = [](Stream, std::string_view) { throw std::runtime_error("callback failed"); };
  auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_WITH(run(spec), "callback failed");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  FILE* f = std::fopen((dir / "pid").c_str(), "r");
  REQUIRE(f != nullptr);
  int pid = 0;
  REQUIRE(std::fscanf(f, "%d", &pid) == 1);
  std::fclose(f);
  // Reaped by run(): the pid is gone, not merely a zombie.
  CHECK(::kill(pid, 0) == -1);
  fs::remove_all(dir);
}
