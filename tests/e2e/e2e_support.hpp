// Running the real steiger binary on fixture repositories.
#pragma once

#include "support/servers.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace e2e {

struct Output {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// A temporary folder removed at the end of the test.
using TempDir = steiger::testing::ScratchDir;

// Copies tests/e2e/fixtures/<name> into `into` and returns the copy.
std::filesystem::path fixture(const std::string& name, const TempDir& into);

// Writes `text` to dir/steiger.yml and returns dir.
std::filesystem::path write_config(const std::filesystem::path& dir, const std::string& text);

// The test plugins' folder of that name: good, bad-major, newer-minor, not-a-plugin, ...
std::string plugin_dir(const std::string& name);

// Runs steiger with `args` in `cwd`; env entries are added to the environment.
Output run_steiger(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                   const std::vector<std::string>& env = {});

std::string read_file(const std::filesystem::path& file);

// Is the process still alive two seconds from now? For checking that cancelled builds left
// nothing running (zombies count as gone).
bool process_alive(int pid);
bool process_running(int pid);

// Runs any command, capturing both streams.
Output run_ok_output(const std::vector<std::string>& argv, const std::filesystem::path& cwd);

// Runs a command and returns its stdout when it exits 0 (for skopeo and git).
std::string run_ok(const std::vector<std::string>& argv, const std::filesystem::path& cwd = {});

}  // namespace e2e
