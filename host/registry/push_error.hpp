// How a push fails, for the caller (PushError) and inside the engine (Failure).
#pragma once

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>

namespace steiger::registry {

// A push that did not complete. The message names the image, the blob or manifest when one was
// being sent, and what the registry (or the network) said. It never holds a credential.
class PushError : public std::runtime_error {
 public:
  PushError(std::string image, std::string item, std::string detail);

  const std::string& image() const { return image_; }
  const std::string& item() const { return item_; }  // "blob sha256:..." or "manifest ...", or ""
  const std::string& detail() const { return detail_; }

 private:
  std::string image_, item_, detail_;
};

// The run was cancelled while this push was under way.
class PushCancelled : public PushError {
 public:
  using PushError::PushError;
};

// Inside the engine: one step failed. Transient failures are retried (after `retry_after` when
// the registry asked for a delay), permanent ones end the push at once.
class Failure : public std::runtime_error {
 public:
  enum class Kind { Transient, Permanent, Cancelled };
  Failure(Kind kind, const std::string& detail,
          std::optional<std::chrono::milliseconds> retry_after = std::nullopt)
      : std::runtime_error(detail), kind_(kind), retry_after_(retry_after) {}

  Kind kind() const { return kind_; }
  std::optional<std::chrono::milliseconds> retry_after() const { return retry_after_; }

 private:
  Kind kind_;
  std::optional<std::chrono::milliseconds> retry_after_;
};

}  // namespace steiger::registry
