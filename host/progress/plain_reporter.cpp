#include "progress/plain_reporter.hpp"

#include "progress/summary_printer.hpp"

namespace steiger::progress {

void PlainReporter::on_event(const Event& e) {
  std::lock_guard lock(mutex_);
  const char* s = e.service.c_str();
  switch (e.kind) {
    case EventKind::Queued:
    case EventKind::Progress:
      return;  // too chatty for a log; the phases say enough
    case EventKind::Started:
      std::fprintf(out_, "[%s] started\n", s);
      break;
    case EventKind::Phase:
      std::fprintf(out_, "[%s] %s\n", s, e.phase.c_str());
      break;
    case EventKind::Output:
    case EventKind::Log:
      std::fprintf(out_, "[%s] %s\n", s, e.message.c_str());
      break;
    case EventKind::Finished:
      if (e.message.empty())
        std::fprintf(out_, "[%s] %s\n", s, to_string(e.outcome));
      else
        std::fprintf(out_, "[%s] %s: %s\n", s, to_string(e.outcome), e.message.c_str());
      break;
  }
  std::fflush(out_);
}

void PlainReporter::finish(const Summary& summary) {
  std::lock_guard lock(mutex_);
  print_summary(out_, summary, false);
}

}  // namespace steiger::progress
