#include "progress/reporter.hpp"

#include "common/error.hpp"
#include "platform/terminal.hpp"
#include "progress/json_reporter.hpp"
#include "progress/plain_reporter.hpp"
#include "progress/tty_reporter.hpp"

namespace steiger::progress {

Mode parse_mode(const std::string& text) {
  if (text == "auto") return Mode::Auto;
  if (text == "tty") return Mode::Tty;
  if (text == "plain") return Mode::Plain;
  if (text == "json") return Mode::Json;
  throw UserError("--progress: unknown mode '" + text + "'; use auto, tty, plain or json");
}

std::unique_ptr<Reporter> make_reporter(Mode mode, std::FILE* out, std::FILE* json_out) {
  if (mode == Mode::Auto) mode = platform::is_terminal(fileno(out)) ? Mode::Tty : Mode::Plain;
  switch (mode) {
    case Mode::Tty:
      return std::make_unique<TtyReporter>(out);
    case Mode::Json:
      return std::make_unique<JsonReporter>(json_out);
    default:
      return std::make_unique<PlainReporter>(out);
  }
}

}  // namespace steiger::progress
