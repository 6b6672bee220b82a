// Where events go: a live terminal view, plain prefixed lines for CI logs, or JSON lines.
#pragma once

#include "progress/event.hpp"

#include <cstdio>
#include <memory>
#include <string>

namespace steiger::progress {

class Reporter {
 public:
  virtual ~Reporter() = default;
  // Called from any thread; implementations serialize.
  virtual void on_event(const Event& event) = 0;
  // Called once, after every service has finished.
  virtual void finish(const Summary& summary) = 0;
};

enum class Mode { Auto, Tty, Plain, Json };
Mode parse_mode(const std::string& text);  // throws UserError on anything else

// Auto picks Tty when `out` is a terminal, else Plain. Json writes to `json_out`.
std::unique_ptr<Reporter> make_reporter(Mode mode, std::FILE* out, std::FILE* json_out);

}  // namespace steiger::progress
