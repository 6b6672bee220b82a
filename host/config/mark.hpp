// Where something is in a config file, and the error that points there.
#pragma once

#include <string>

#include "common/error.hpp"

namespace steiger::config {

// 1-based; line 0 means the position is unknown (only the file is).
struct Mark {
  std::string file;
  int line = 0;
  int column = 0;
};

// "file:line:col", or just "file" when the position is unknown.
std::string to_string(const Mark& mark);

// A config problem the user fixes in the file; what() leads with the position so editors and
// terminals can jump to it.
class ConfigError : public steiger::UserError {
 public:
  ConfigError(const Mark& mark, const std::string& message);

  const Mark& mark() const { return mark_; }
  // The message without the position.
  const std::string& message() const { return message_; }

 private:
  Mark mark_;
  std::string message_;
};

}  // namespace steiger::config
