#include "registry/content_check.hpp"

namespace steiger::registry {

ContentCheck::ContentCheck(oci::Digest digest, std::uint64_t size)
    : digest_(std::move(digest)), size_(size), hasher_(digest_.algorithm) {}

void ContentCheck::restart() {
  hasher_ = oci::Hasher(digest_.algorithm);
  hashed_ = 0;
  saved_.reset();
  state_ = State::Reading;
  actual_.clear();
  refused_ = false;
}

void ContentCheck::at(std::uint64_t file_offset) {
  if (file_offset == 0) return restart();
  if (file_offset == hashed_ && state_ == State::Reading) {
    saved_.emplace(file_offset, hasher_);  // the next chunk starts where the last one ended
    return;
  }
  if (saved_ && saved_->first == file_offset) {
    hasher_ = saved_->second;
    hashed_ = file_offset;
    state_ = State::Reading;
    actual_.clear();
    return;
  }
  state_ = State::Lost;
}

bool ContentCheck::take(std::uint64_t file_offset, const char* data, std::size_t size) {
  if (state_ != State::Reading || file_offset != hashed_ || size > size_ - hashed_) {
    state_ = State::Lost;
    refused_ = true;
    return false;
  }
  hasher_.update(data, size);
  hashed_ += size;
  if (hashed_ == size_) finish();
  refused_ = state_ == State::Mismatched;
  return !refused_;
}

ContentCheck::State ContentCheck::state() {
  if (state_ == State::Reading && size_ == 0) finish();
  return state_;
}

void ContentCheck::finish() {
  actual_ = hasher_.hex_final();
  state_ = actual_ == digest_.hex ? State::Matched : State::Mismatched;
}

}  // namespace steiger::registry
