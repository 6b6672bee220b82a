// What happens to a service during a run, as the reporters and the event stream see it.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace steiger::progress {

enum class Outcome { Ok, Failed, Cancelled, Skipped };
const char* to_string(Outcome);

enum class EventKind {
  Queued,    // planned, waiting for a slot
  Started,   // got a slot
  Phase,     // entered a phase ("building", "validating", "exporting", "pushing")
  Output,    // one line of a process's output
  Log,       // a message from the plugin or the host
  Progress,  // fraction done of the current phase
  Finished   // the service ended; `outcome` says how
};
const char* to_string(EventKind);

struct Event {
  EventKind kind = EventKind::Log;
  std::string service;
  std::string phase;
  std::string message;
  double fraction = -1;           // Progress only; negative when unknown
  Outcome outcome = Outcome::Ok;  // Finished only
  std::chrono::system_clock::time_point time = std::chrono::system_clock::now();
};

// One service's line in the final summary.
struct ServiceSummary {
  std::string service;
  Outcome outcome = Outcome::Ok;
  std::chrono::milliseconds elapsed{0};
  std::vector<std::string> artifacts;  // references or layout folders
  std::string error;                   // first line(s) of what went wrong
  std::vector<std::string> log_tail;   // last output lines, for failures
  std::string log_file;
};

struct Summary {
  std::vector<ServiceSummary> services;
  std::chrono::milliseconds elapsed{0};
  bool ok() const;
};

}  // namespace steiger::progress
