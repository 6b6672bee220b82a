#include "progress/summary_printer.hpp"

#include <algorithm>
#include <string>

namespace steiger::progress {

std::string format_duration(std::chrono::milliseconds elapsed) {
  char buf[32];
  long long ms = elapsed.count();
  if (ms < 60'000) {
    std::snprintf(buf, sizeof buf, "%.1fs", static_cast<double>(ms) / 1000.0);
  } else {
    std::snprintf(buf, sizeof buf, "%lldm%02llds", ms / 60'000, (ms / 1000) % 60);
  }
  return buf;
}

namespace {

const char* color_of(Outcome o) {
  switch (o) {
    case Outcome::Ok:
      return "\x1b[32m";
    case Outcome::Failed:
      return "\x1b[31m";
    case Outcome::Cancelled:
      return "\x1b[33m";
    case Outcome::Skipped:
      return "\x1b[2m";
  }
  return "";
}

}  // namespace

void print_summary(std::FILE* out, const Summary& summary, bool colors) {
  size_t width = 7;
  for (const auto& s : summary.services) width = std::max(width, s.service.size());
  // Failures first get their log tails, so the table stays together at the very end.
  for (const auto& s : summary.services) {
    if (s.outcome != Outcome::Failed) continue;
    std::fprintf(out, "\n%s--- %s failed: %s%s\n", colors ? "\x1b[1;31m" : "", s.service.c_str(),
                 s.error.c_str(), colors ? "\x1b[0m" : "");
    if (!s.log_tail.empty()) {
      std::fprintf(out, "last lines of its output:\n");
      for (const auto& line : s.log_tail) std::fprintf(out, "  | %s\n", line.c_str());
    }
    if (!s.log_file.empty()) std::fprintf(out, "full log: %s\n", s.log_file.c_str());
  }
  std::fprintf(out, "\n");
  size_t ok = 0, failed = 0, cancelled = 0;
  for (const auto& s : summary.services) {
    ok += s.outcome == Outcome::Ok;
    failed += s.outcome == Outcome::Failed;
    cancelled += s.outcome == Outcome::Cancelled;
    std::fprintf(out, "%-*s  %s%-9s%s %7s", static_cast<int>(width), s.service.c_str(),
                 colors ? color_of(s.outcome) : "", to_string(s.outcome), colors ? "\x1b[0m" : "",
                 format_duration(s.elapsed).c_str());
    for (size_t i = 0; i < s.artifacts.size(); ++i)
      std::fprintf(out, "%s%s", i ? ", " : "  ", s.artifacts[i].c_str());
    std::fprintf(out, "\n");
  }
  std::fprintf(out, "%zu ok, %zu failed, %zu cancelled in %s\n", ok, failed, cancelled,
               format_duration(summary.elapsed).c_str());
  std::fflush(out);
}

}  // namespace steiger::progress
