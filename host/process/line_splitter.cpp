#include "process/line_splitter.hpp"

#include <cstring>
#include <utility>

namespace steiger::process {

LineSplitter::LineSplitter(Sink sink, std::size_t max_piece)
    : sink_(std::move(sink)), max_piece_(max_piece == 0 ? 1 : max_piece) {}

void LineSplitter::feed(std::string_view data) {
  while (!data.empty()) {
    const void* nl = std::memchr(data.data(), '\n', data.size());
    if (nl == nullptr) {
      append(data);
      return;
    }
    size_t length = static_cast<size_t>(static_cast<const char*>(nl) - data.data());
    std::string_view part = data.substr(0, length);
    data.remove_prefix(length + 1);
    if (!part.empty() && part.back() == '\r') {
      part.remove_suffix(1);
    } else if (part.empty() && !pending_.empty() && pending_.back() == '\r') {
      pending_.pop_back();
    }
    if (pending_.empty() && part.size() < max_piece_) {
      // The common case: the whole line is in this read, hand it over without copying.
      if (!part.empty() || !continued_) sink_(part);
      continued_ = false;
      continue;
    }
    append(part);
    end_line();
  }
}

void LineSplitter::finish() {
  if (!pending_.empty()) end_line();
  continued_ = false;
}

void LineSplitter::append(std::string_view part) {
  while (pending_.size() + part.size() >= max_piece_) {
    size_t take = max_piece_ - pending_.size();
    if (pending_.empty()) {
      sink_(part.substr(0, take));
    } else {
      pending_.append(part.substr(0, take));
      sink_(pending_);
      pending_.clear();
    }
    part.remove_prefix(take);
    continued_ = true;
  }
  pending_.append(part);
}

void LineSplitter::end_line() {
  if (!pending_.empty() && pending_.back() == '\r') pending_.pop_back();
  // A line that ended exactly on a piece boundary has nothing left to say.
  if (!pending_.empty() || !continued_) sink_(pending_);
  pending_.clear();
  continued_ = false;
}

}  // namespace steiger::process
