#include <steiger/sdk/context.hpp>

#include <catch2/catch.hpp>

#include <cerrno>

#include "support.hpp"

using namespace steiger;
using namespace steiger::test;

namespace {

// A runner that plays back lines and an exit status without starting anything.
FakeHost::Runner scripted(std::vector<FakeHost::Line> lines, int exit_code) {
  return [=](const steiger_process_spec& spec, steiger_process_result& result) -> int32_t {
    for (const auto& l : lines)
      if (spec.on_line) spec.on_line(spec.user, l.stream, sdk::to_abi(l.text));
    result.exit_code = exit_code;
    return 0;
  };
}

}  // namespace

TEST_CASE("Context forwards logs, phases and progress", "[context]") {
  FakeHost host;
  auto api = host.api();
  sdk::Context ctx(&api);
  ctx.log("hello");
  ctx.warn("careful");
  ctx.log("details", STEIGER_LOG_DEBUG);
  ctx.phase("building");
  ctx.progress(0.5, "half");
  ctx.progress(-1);
  REQUIRE(host.logs.size() == 3);
  CHECK(host.logs[0] == std::pair<std::uint32_t, std::string>{STEIGER_LOG_INFO, "hello"});
  CHECK(host.logs[1].first == STEIGER_LOG_WARN);
  CHECK(host.logs[2].first == STEIGER_LOG_DEBUG);
  CHECK(host.phases == std::vector<std::string>{"building"});
  REQUIRE(host.progress.size() == 2);
  CHECK(host.progress[0] == std::pair<double, std::string>{0.5, "half"});
  CHECK(host.progress[1].first < 0);
  CHECK_FALSE(ctx.cancelled());
  CHECK_NOTHROW(ctx.check_cancelled());
  host.cancelled = true;
  CHECK(ctx.cancelled());
  CHECK_THROWS_AS(ctx.check_cancelled(), sdk::Cancelled);
}

TEST_CASE("run passes the spec and delivers lines and captured output", "[context]") {
  FakeHost host;
  std::string seen_cwd, seen_stdin;
  std::vector<std::string> seen_env;
  uint32_t seen_flags = 99, seen_env_mode = 99;
  auto play = scripted({{STEIGER_STREAM_STDOUT, "one"},
                        {STEIGER_STREAM_STDERR, "warning: two"},
                        {STEIGER_STREAM_STDOUT, "three"}},
                       0);
  host.runner = [&](const steiger_process_spec& spec, steiger_process_result& result) {
    CHECK(spec.struct_size == sizeof(steiger_process_spec));
    seen_cwd = sdk::from_abi(spec.cwd);
    seen_stdin = sdk::from_abi(spec.stdin_data);
    for (size_t i = 0; i < spec.envc; ++i) seen_env.push_back(sdk::from_abi(spec.env[i]));
    seen_flags = spec.flags;
    seen_env_mode = spec.env_mode;
    return play(spec, result);
  };
  auto api = host.api();
  sdk::Context ctx(&api);
  std::vector<std::pair<sdk::Stream, std::string>> lines;
  sdk::ProcessOptions options;
  options.cwd = "/src";
  options.stdin_data = "input";
  options.env = {"A=1", "B=2"};
  options.quiet = true;
  options.on_line = [&](sdk::Stream s, std::string_view text) { lines.emplace_back(s, text); };
  sdk::ProcessResult r = ctx.run({"tool", "--flag", "arg"}, options);

  CHECK(host.commands == std::vector<std::vector<std::string>>{{"tool", "--flag", "arg"}});
  CHECK(seen_cwd == "/src");
  CHECK(seen_stdin == "input");
  CHECK(seen_env == std::vector<std::string>{"A=1", "B=2"});
  CHECK(seen_flags == STEIGER_PROCESS_QUIET);
  CHECK(seen_env_mode == STEIGER_ENV_INHERIT);
  REQUIRE(lines.size() == 3);
  CHECK(lines[1] == std::pair<sdk::Stream, std::string>{sdk::Stream::Stderr, "warning: two"});
  CHECK(r.ok());
  CHECK(r.stdout_text == "one\nthree\n");
  CHECK(r.stderr_text == "warning: two\n");
}

TEST_CASE("run without capture keeps nothing; a callback's exception waits for the process",
          "[context]") {
  FakeHost host;
  host.runner = scripted({{STEIGER_STREAM_STDOUT, "a"}, {STEIGER_STREAM_STDOUT, "b"}}, 3);
  auto api = host.api();
  sdk::Context ctx(&api);
  sdk::ProcessOptions options;
  options.capture = false;
  options.replace_env = true;
  int calls = 0;
  options.on_line = [&](sdk::Stream, std::string_view) {
    ++calls;
    throw std::runtime_error("must not unwind through the host");
  };
  // The host sees no exception (the fake host would not survive one); it is rethrown after the
  // run, and the callback is not called again once it threw.
  CHECK_THROWS_WITH(ctx.run({"tool"}, options), "must not unwind through the host");
  CHECK(calls == 1);
  options.on_line = [&](sdk::Stream, std::string_view) { ++calls; };
  sdk::ProcessResult r = ctx.run({"tool"}, options);
  CHECK(calls == 3);
  CHECK(r.stdout_text.empty());
  CHECK(r.exit_code == 3);
  CHECK_FALSE(r.ok());
}

TEST_CASE("run reports programs that cannot start", "[context]") {
  FakeHost host;
  int32_t err = ENOENT;
  host.runner = [&](const steiger_process_spec&, steiger_process_result& result) {
    result.spawn_errno = err;
    result.exit_code = -1;
    return err;
  };
  auto api = host.api();
  sdk::Context ctx(&api);
  CHECK_THROWS_WITH(ctx.run({"docker", "version"}), "docker is not installed (not found in PATH)");
  err = EACCES;
  CHECK_THROWS_WITH(ctx.run({"docker"}), Catch::StartsWith("cannot start docker: "));
  CHECK_THROWS_AS(ctx.run({}), sdk::Error);
}

TEST_CASE("run throws Cancelled when the host cancelled the process", "[context]") {
  FakeHost host;
  host.runner = [](const steiger_process_spec&, steiger_process_result& result) {
    result.cancelled = 1;
    result.exit_code = -1;
    result.signal = 15;
    return 0;
  };
  auto api = host.api();
  sdk::Context ctx(&api);
  CHECK_THROWS_AS(ctx.run({"sleep", "30"}), sdk::Cancelled);
  CHECK_THROWS_AS(ctx.run_checked({"sleep", "30"}), sdk::Cancelled);
}

TEST_CASE("run_checked names the command and keeps the tail of its output", "[context]") {
  FakeHost host;
  std::vector<FakeHost::Line> lines;
  for (int i = 1; i <= 30; ++i)
    lines.push_back({STEIGER_STREAM_STDERR, "err " + std::to_string(i)});
  lines.push_back({STEIGER_STREAM_STDOUT, "out"});
  host.runner = scripted(lines, 2);
  auto api = host.api();
  sdk::Context ctx(&api);
  try {
    ctx.run_checked({"make", "all"});
    FAIL("run_checked did not throw");
  } catch (const sdk::Error& e) {
    std::string what = e.what();
    CHECK_THAT(what, Catch::StartsWith("make exited with status 2:\n"));
    CHECK_THAT(what, Catch::Contains("err 11\n") && Catch::Contains("err 30"));
    CHECK_THAT(what, !Catch::Contains("err 10\n") && !Catch::Contains("out"));
  }

  host.runner = [](const steiger_process_spec& spec, steiger_process_result& result) {
    spec.on_line(spec.user, STEIGER_STREAM_STDOUT, sdk::to_abi("only stdout"));
    result.exit_code = -1;
    result.signal = 9;
    return 0;
  };
  CHECK_THROWS_WITH(ctx.run_checked({"tool"}), "tool was killed by signal 9:\nonly stdout");

  host.runner = scripted({}, 1);
  CHECK_THROWS_WITH(ctx.run_checked({"quiet"}), "quiet exited with status 1");
  host.runner = scripted({{STEIGER_STREAM_STDOUT, "fine"}}, 0);
  CHECK(ctx.run_checked({"ok"}).stdout_text == "fine\n");
}

TEST_CASE("ProcessResult::tail", "[context]") {
  sdk::ProcessResult r;
  CHECK(r.tail().empty());
  r.stdout_text = "a\nb\nc\n";
  CHECK(r.tail() == "a\nb\nc\n");
  CHECK(r.tail(2) == "b\nc\n");
  r.stderr_text = "e\n";
  CHECK(r.tail() == "e\n");  // stderr wins when there is any
}

TEST_CASE("BuildContext reads its request", "[context]") {
  FakeHost host;
  auto api = host.api();
  BuildRequest req("api", obj({{"context", str("app")}}), {"linux/amd64", "linux/arm64/v8"},
                   "/work/api");
  sdk::BuildContext ctx(req.get(), &api);
  CHECK(ctx.service() == "api");
  CHECK(ctx.config().string_or("context", "") == "app");
  CHECK(ctx.platforms() == std::vector<std::string>{"linux/amd64", "linux/arm64/v8"});
  CHECK(ctx.work_dir() == "/work/api");
  CHECK(ctx.repo_dir() == "/repo");
  CHECK(ctx.tag() == "v1");
  CHECK(ctx.profile() == "dev");
  CHECK(ctx.resolve("app") == "/repo/app");
  CHECK(ctx.resolve("/abs") == "/abs");
  CHECK(ctx.resolve(".") == "/repo");
  CHECK(ctx.resolve("") == "/repo");
  ctx.add_artifact("api", "/work/api/layout");
  CHECK(host.artifacts ==
        std::vector<std::pair<std::string, std::string>>{{"api", "/work/api/layout"}});
}

TEST_CASE("DeployContext reads its request", "[context]") {
  FakeHost host;
  auto api = host.api();
  AbiValue config(obj({{"namespace", str("prod")}}));
  std::string release = "web", repo = "/repo", work = "/work/web", profile;
  std::string a1 = "api", r1 = "reg/api:v1@sha256:00";
  steiger_image_ref images[1] = {{sdk::to_abi(a1), sdk::to_abi(r1)}};
  steiger_deploy_request req{};
  req.struct_size = sizeof req;
  req.release = sdk::to_abi(release);
  req.config = config.get();
  req.images = images;
  req.image_count = 1;
  req.repo_dir = sdk::to_abi(repo);
  req.work_dir = sdk::to_abi(work);
  req.profile = steiger_str{nullptr, 0};
  sdk::DeployContext ctx(&req, &api);
  CHECK(ctx.release() == "web");
  CHECK(ctx.config().string_or("namespace", "") == "prod");
  REQUIRE(ctx.images().size() == 1);
  CHECK(ctx.images()[0].artifact == "api");
  CHECK(ctx.images()[0].reference == "reg/api:v1@sha256:00");
  CHECK(ctx.profile().empty());
}
