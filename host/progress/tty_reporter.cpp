#include "progress/tty_reporter.hpp"

#include "platform/terminal.hpp"
#include "progress/summary_printer.hpp"

#include <algorithm>

namespace steiger::progress {

namespace {

constexpr size_t kMaxRunningRows = 20;
constexpr auto kFrame = std::chrono::milliseconds(100);
const char* const kSpinner[] = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};

// Cuts to `width` display columns, counting UTF-8 continuation bytes as zero width.
std::string fit(const std::string& s, size_t width) {
  size_t cols = 0, i = 0;
  for (; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80) {
      if (cols == width) break;
      ++cols;
    }
  }
  return s.substr(0, i);
}

std::string printable(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) out.push_back((static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c);
  return out;
}

}  // namespace

TtyReporter::TtyReporter(std::FILE* out) : out_(out), thread_([this] { loop(); }) {}

TtyReporter::~TtyReporter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

TtyReporter::Row& TtyReporter::row(const std::string& service) {
  for (auto& r : rows_)
    if (r.service == service) return r;
  Row r;
  r.service = service;
  rows_.push_back(std::move(r));
  return rows_.back();
}

void TtyReporter::on_event(const Event& e) {
  std::lock_guard lock(mutex_);
  Row& r = row(e.service);
  switch (e.kind) {
    case EventKind::Queued:
      break;
    case EventKind::Started:
      r.running = true;
      r.started = std::chrono::steady_clock::now();
      r.phase = "starting";
      break;
    case EventKind::Phase:
      r.phase = e.phase;
      r.last_line.clear();
      break;
    case EventKind::Output:
      r.last_line = e.message;
      break;
    case EventKind::Progress:
      if (!e.message.empty()) r.last_line = e.message;
      break;
    case EventKind::Log:
      // Messages from plugins stay on screen, above the live block.
      clear_block();
      std::fprintf(out_, "%s: %s\n", e.service.c_str(), printable(e.message).c_str());
      redraw();
      break;
    case EventKind::Finished: {
      bool ran = r.running;
      r.running = false;
      r.done = true;
      r.outcome = e.outcome;
      auto elapsed = ran ? std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::steady_clock::now() - r.started)
                         : std::chrono::milliseconds(0);
      const char* mark = e.outcome == Outcome::Ok       ? "\x1b[32m✓\x1b[0m"
                         : e.outcome == Outcome::Failed ? "\x1b[31m✗\x1b[0m"
                                                        : "\x1b[33m-\x1b[0m";
      auto width = static_cast<size_t>(platform::terminal_width(fileno(out_)));
      clear_block();
      std::fprintf(out_, "%s %s %s %s%s%s\n", mark, e.service.c_str(), to_string(e.outcome),
                   format_duration(elapsed).c_str(), e.message.empty() ? "" : ": ",
                   fit(printable(e.message), width).c_str());
      redraw();
      break;
    }
  }
}

void TtyReporter::clear_block() {
  if (drawn_lines_ == 0) return;
  std::fprintf(out_, "\x1b[%zuF\x1b[J", drawn_lines_);
  drawn_lines_ = 0;
}

void TtyReporter::redraw() {
  clear_block();
  size_t width = static_cast<size_t>(std::max(20, platform::terminal_width(fileno(out_)) - 1));
  size_t name_width = 4;
  size_t running = 0, queued = 0, done = 0;
  for (const auto& r : rows_) {
    running += r.running;
    done += r.done;
    queued += !r.running && !r.done;
    if (r.running) name_width = std::max(name_width, r.service.size());
  }
  auto now = std::chrono::steady_clock::now();
  size_t shown = 0;
  for (const auto& r : rows_) {
    if (!r.running || shown == kMaxRunningRows) continue;
    ++shown;
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - r.started);
    char head[256];
    std::snprintf(head, sizeof head, "%s %-*s %-10s %6s ", kSpinner[frame_ % 10],
                  static_cast<int>(name_width), r.service.c_str(), r.phase.c_str(),
                  format_duration(elapsed).c_str());
    std::string line = std::string(head) + printable(r.last_line);
    // The spinner is 3 bytes but one column.
    std::fprintf(out_, "%s\x1b[K\n", fit(line, width).c_str());
    ++drawn_lines_;
  }
  if (running > shown) {
    std::fprintf(out_, "  … and %zu more running\x1b[K\n", running - shown);
    ++drawn_lines_;
  }
  std::fprintf(out_, "\x1b[2m%zu running, %zu queued, %zu done\x1b[0m\x1b[K\n", running, queued,
               done);
  ++drawn_lines_;
  std::fflush(out_);
}

void TtyReporter::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, kFrame);
    if (stopping_) break;
    ++frame_;
    redraw();
  }
}

void TtyReporter::finish(const Summary& summary) {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  clear_block();
  print_summary(out_, summary, platform::colors_enabled(fileno(out_)));
}

}  // namespace steiger::progress
