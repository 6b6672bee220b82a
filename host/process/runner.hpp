// Running an external program to completion, streaming its output line by line.
//
// This is what sits under steiger_host_api::run_process: plugins' builders and deployers (docker,
// bazel, helm, ...) and the host's own git calls go through it.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/cancel.hpp"

namespace steiger::process {

// Same numbers as STEIGER_STREAM_STDOUT / STEIGER_STREAM_STDERR.
enum class Stream { Stdout = 1, Stderr = 2 };

struct Spec {
  // argv[0] is looked up in PATH (the child's PATH when `env` sets one) when it has no slash.
  // No shell is involved.
  std::vector<std::string> argv;
  // "NAME=value" entries laid over the host's environment (a bare "NAME" removes it), or the
  // whole environment when `replace_env`.
  std::vector<std::string> env;
  bool replace_env = false;
  std::filesystem::path cwd;  // empty: the host's
  // Written to the child's stdin while its output is read, then stdin is closed. Empty: stdin
  // is /dev/null.
  std::string stdin_data;
  // Each line without "\n" (nor a "\r" before it), on the calling thread, as output arrives;
  // the last line is delivered even without "\n". Lines over 64 KiB come in 64 KiB pieces. The
  // view is valid only during the call. May be empty.
  std::function<void(Stream, std::string_view line)> on_line;
  // On cancellation the child's process group gets SIGTERM, then SIGKILL after this long.
  std::chrono::milliseconds kill_grace{2000};
};

struct Result {
  int exit_code = -1;  // -1 when killed by a signal or never started
  int signal = 0;      // the signal that ended it
  bool cancelled = false;
  int spawn_errno = 0;  // it could not be started: ENOENT when the program is not installed
  bool ok() const { return exit_code == 0 && signal == 0 && !cancelled && spawn_errno == 0; }
};

// Runs the program in a process group of its own, reading its output until every process
// holding it has let go (like a shell, a background grandchild is waited for). Once `cancel`
// fires the whole group is stopped and run() returns within about kill_grace, whatever the
// processes do. If cancel has fired already, nothing is started. Thread-safe; an exception from
// on_line kills the group and propagates.
Result run(const Spec& spec, const platform::CancelSource* cancel = nullptr);

// The program's stdout, byte for byte, when it exits 0; nullopt otherwise. Stderr is dropped.
std::optional<std::string> capture(const std::vector<std::string>& argv,
                                   const std::filesystem::path& cwd = {});

}  // namespace steiger::process
