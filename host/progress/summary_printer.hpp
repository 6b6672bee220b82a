// The end-of-run table both human reporters print.
#pragma once

#include "progress/event.hpp"

#include <cstdio>

namespace steiger::progress {

void print_summary(std::FILE* out, const Summary& summary, bool colors);
std::string format_duration(std::chrono::milliseconds elapsed);

}  // namespace steiger::progress
