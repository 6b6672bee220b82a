// Measures how much resident memory a piece of code adds at its peak, for constant-memory tests.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>

namespace steiger::oci::testing {

// A field of /proc/self/status in KiB ("VmRSS", "VmHWM").
inline long proc_status_kib(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) {
      std::istringstream values(line.substr(field.size() + 1));
      long kib = -1;
      values >> kib;
      return kib;
    }
  }
  return -1;
}

// Peak resident growth (KiB) while `fn` runs. It runs in a forked child with its high-water mark
// reset (Linux /proc/self/clear_refs), so the test process's earlier peaks cannot hide it.
// Throws when the measurement itself fails or `fn` throws.
inline long peak_growth_kib(const std::function<void()>& fn) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::close(fds[0]);
    long growth = -1;
    try {
      std::ofstream("/proc/self/clear_refs") << "5";
      long start = proc_status_kib("VmRSS");
      fn();
      long peak = proc_status_kib("VmHWM");
      if (start >= 0 && peak >= 0) growth = peak - start;
    } catch (...) {
    }
    if (::write(fds[1], &growth, sizeof growth) != sizeof growth) ::_exit(2);
    ::_exit(0);
  }
  ::close(fds[1]);
  long growth = -1;
  auto n = ::read(fds[0], &growth, sizeof growth);
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (n != sizeof growth || growth < 0) throw std::runtime_error("memory measurement failed");
  return growth;
}

}  // namespace steiger::oci::testing
