#include "e2e_support.hpp"

#include "process/runner.hpp"

#include <signal.h>
#include <unistd.h>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace e2e {

namespace fs = std::filesystem;

namespace {
Output run_command(const std::vector<std::string>& argv, const fs::path& cwd,
                   const std::vector<std::string>& env);
}  // namespace

fs::path fixture(const std::string& name, const TempDir& into) {
  fs::path dest = into.path() / name;
  fs::copy(fs::path(STEIGER_E2E_FIXTURES) / name, dest, fs::copy_options::recursive);
  return dest;
}

fs::path write_config(const fs::path& dir, const std::string& text) {
  fs::create_directories(dir);
  std::ofstream(dir / "steiger.yml") << text;
  return dir;
}

std::string plugin_dir(const std::string& name) {
  return (fs::path(STEIGER_TEST_PLUGIN_DIR) / name).string();
}

Output run_steiger(const std::vector<std::string>& args, const fs::path& cwd,
                   const std::vector<std::string>& env) {
  std::vector<std::string> argv = {STEIGER_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, cwd, env);
}

Output run_ok_output(const std::vector<std::string>& argv, const fs::path& cwd) {
  return run_command(argv, cwd, {});
}

namespace {
Output run_command(const std::vector<std::string>& argv, const fs::path& cwd,
                   const std::vector<std::string>& env) {
  steiger::process::Spec spec;
  spec.argv = argv;
  spec.env = env;
  spec.cwd = cwd;
  Output out;
  spec.on_line = [&](steiger::process::Stream s, std::string_view line) {
    std::string& target = s == steiger::process::Stream::Stdout ? out.out : out.err;
    target.append(line);
    target.push_back('\n');
  };
  auto r = steiger::process::run(spec);
  out.exit_code = r.exit_code;
  return out;
}
}  // namespace

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool process_alive(int pid) {
  // A SIGKILLed process takes a moment to go: look again for up to two seconds.
  for (int i = 0; i < 200 && process_running(pid); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return process_running(pid);
}

bool process_running(int pid) {
  // A killed orphan stays a zombie until PID 1 reaps it, and some containers' PID 1 never does.
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) return false;
  std::string line;
  std::getline(stat, line);
  auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] != 'Z';
}

std::string run_ok(const std::vector<std::string>& argv, const fs::path& cwd) {
  Output out = run_command(argv, cwd, {});
  if (out.exit_code != 0)
    throw std::runtime_error(argv[0] + " failed (" + std::to_string(out.exit_code) +
                             "): " + out.err);
  return out.out;
}

}  // namespace e2e
