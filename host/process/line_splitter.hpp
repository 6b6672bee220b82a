// Cuts a byte stream into lines as it arrives, copying only what straddles two reads.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace steiger::process {

class LineSplitter {
 public:
  static constexpr std::size_t kMaxPiece = 64 * 1024;
  using Sink = std::function<void(std::string_view line)>;

  // Lines reach `sink` without "\n" and without a "\r" before it. A line longer than
  // `max_piece` arrives in pieces of exactly `max_piece` bytes, so one runaway line cannot grow
  // memory without bound (a "\r" that ended a piece sent before its "\n" arrived stays in it).
  explicit LineSplitter(Sink sink, std::size_t max_piece = kMaxPiece);

  void feed(std::string_view data);
  // Delivers the last line when the stream did not end with "\n".
  void finish();

 private:
  void append(std::string_view part);
  void end_line();

  Sink sink_;
  std::size_t max_piece_;
  std::string pending_;     // the start of a line whose end has not arrived yet
  bool continued_ = false;  // the current line already went out in pieces
};

}  // namespace steiger::process
