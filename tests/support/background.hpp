// A server process the tests start and stop by PID, whose output goes to a log file.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace steiger::testing {

class BackgroundProcess {
 public:
  // Starts argv[0] (looked up in PATH) with stdout and stderr appended to `log`. On Linux the
  // child is killed when the test process dies, so no server outlives a crashed test.
  BackgroundProcess(const std::vector<std::string>& argv, const std::filesystem::path& log);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  // SIGTERM, then SIGKILL after two seconds; waits for it.
  void stop();

 private:
  pid_t pid_ = -1;
};

}  // namespace steiger::testing
