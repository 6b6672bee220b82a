#include "progress/event.hpp"

namespace steiger::progress {

const char* to_string(Outcome o) {
  switch (o) {
    case Outcome::Ok:
      return "ok";
    case Outcome::Failed:
      return "failed";
    case Outcome::Cancelled:
      return "cancelled";
    case Outcome::Skipped:
      return "skipped";
  }
  return "unknown";
}

const char* to_string(EventKind k) {
  switch (k) {
    case EventKind::Queued:
      return "queued";
    case EventKind::Started:
      return "started";
    case EventKind::Phase:
      return "phase";
    case EventKind::Output:
      return "output";
    case EventKind::Log:
      return "log";
    case EventKind::Progress:
      return "progress";
    case EventKind::Finished:
      return "finished";
  }
  return "unknown";
}

bool Summary::ok() const {
  for (const auto& s : services)
    if (s.outcome == Outcome::Failed || s.outcome == Outcome::Cancelled) return false;
  return true;
}

}  // namespace steiger::progress
