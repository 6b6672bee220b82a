#include "config/mark.hpp"

namespace steiger::config {

std::string to_string(const Mark& mark) {
  if (mark.line <= 0) return mark.file;
  return mark.file + ":" + std::to_string(mark.line) + ":" + std::to_string(mark.column);
}

ConfigError::ConfigError(const Mark& mark, const std::string& message)
    : steiger::UserError(mark.file.empty() ? message : to_string(mark) + ": " + message),
      mark_(mark),
      message_(message) {}

}  // namespace steiger::config
