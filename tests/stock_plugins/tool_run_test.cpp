// Failure messages: the tool's own error line, short enough to read in a summary.
#include "docker/tool_run.hpp"
#include "docker/platform_hint.hpp"
#include "fake_host.hpp"

#include <catch2/catch.hpp>

#include <cerrno>
#include <filesystem>
#include <fstream>

using namespace stock_plugins_test;
namespace sdk = steiger::sdk;
using steiger::tools::failure_message;
using steiger::tools::key_error_line;

namespace {

sdk::ProcessResult result(int code, std::string out, std::string err) {
  sdk::ProcessResult r;
  r.exit_code = code;
  r.stdout_text = std::move(out);
  r.stderr_text = std::move(err);
  return r;
}

}  // namespace

TEST_CASE("buildah's failing RUN step: its Error line") {
  auto r = result(3, "STEP 2/2: RUN exit 3\n",
                  "subprocess exited with status 3\n"
                  "Error: building at STEP \"RUN exit 3\": exit status 3\n");
  CHECK(failure_message("buildah build for linux/amd64", r) ==
        "buildah build for linux/amd64 failed (exit status 3): Error: building at STEP \"RUN exit "
        "3\": exit status 3");
}

TEST_CASE("buildah's Dockerfile errors lose the parser dump and logrus lines") {
  auto r = result(125, "STEP 2/2: COPPY x /x\n",
                  "time=\"2024\" level=error msg=\"+(UNHANDLED LOGLEVEL) &imagebuilder.Step{}\"\n"
                  "Error: building at STEP \"COPPY \": Build error: Unknown instruction: \"COPPY\" "
                  "&imagebuilder.Step{Env:[]string{}}\n");
  CHECK(key_error_line(r) ==
        "Error: building at STEP \"COPPY \": Build error: Unknown instruction: \"COPPY\"");
}

TEST_CASE("a long RUN step is cut so the reason stays in sight") {
  std::string step(200, 'x');
  auto r = result(1, "", "Error: building at STEP \"RUN " + step + "\": exit status 1\n");
  std::string line = key_error_line(r);
  CHECK(line.size() < 120);
  CHECK_THAT(line, Catch::EndsWith("...\": exit status 1"));
}

TEST_CASE("buildx's ERROR line; else the last line; a signal is named") {
  CHECK(key_error_line(result(1, "",
                              "#5 [2/2] RUN false\nERROR: failed to solve: process did "
                              "not complete successfully: exit code: 1\n")) ==
        "ERROR: failed to solve: process did not complete successfully: exit code: 1");
  CHECK(key_error_line(result(1, "", "something broke\n\n")) == "something broke");
  auto killed = result(-1, "", "");
  killed.signal = 9;
  CHECK(failure_message("railpack prepare", killed) ==
        "railpack prepare failed (killed by signal 9)");
}

TEST_CASE("run_tool throws the message; a missing tool says it is not installed") {
  FakeHost failing([](const std::vector<std::string>&) { return Reply{2, "", "Error: nope\n"}; });
  CHECK_THROWS_WITH(steiger::tools::run_tool(failing.context(), {"buildah", "x"}, "buildah x"),
                    "buildah x failed (exit status 2): Error: nope");
  FakeHost missing([](const std::vector<std::string>&) { return Reply{-1, "", "", ENOENT}; });
  CHECK_THROWS_WITH(steiger::tools::run_tool(missing.context(), {"buildah", "x"}, "buildah x"),
                    Catch::Contains("buildah is not installed"));
}

TEST_CASE("a foreign platform without a qemu handler gets a hint; a native one never") {
  using steiger::docker::foreign_platform_hint;
  using steiger::docker::native_architecture;
  namespace fs = std::filesystem;
  fs::path binfmt = fs::temp_directory_path() / "steiger-binfmt-test";
  fs::remove_all(binfmt);
  fs::create_directories(binfmt);
  CHECK(foreign_platform_hint("linux/" + native_architecture(), binfmt.string()).empty());
  std::string foreign = native_architecture() == "arm64" ? "linux/amd64" : "linux/arm64";
  std::string qemu = native_architecture() == "arm64" ? "qemu-x86_64" : "qemu-aarch64";
  CHECK_THAT(foreign_platform_hint(foreign, binfmt.string()),
             Catch::Contains("install qemu-user-static") && Catch::Contains(foreign));
  std::ofstream(binfmt / qemu) << "enabled\n";
  CHECK(foreign_platform_hint(foreign, binfmt.string()).empty());
  fs::remove_all(binfmt);
}
