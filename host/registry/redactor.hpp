// Keeps credentials out of every message the engine produces.
#pragma once

#include <mutex>
#include <set>
#include <string>
#include <string_view>

namespace steiger::registry {

// Every secret the engine learns (passwords, identity tokens, bearer tokens, encoded Basic
// credentials) is registered here; each message leaving the engine goes through redact(). Errors
// are built from registry answers and helper output we do not control, so filtering at the exit
// is the one place that holds whatever a message was built from.
class Redactor {
 public:
  void add(std::string_view secret);
  std::string redact(std::string text) const;

 private:
  // Longest first, so a secret that contains another is masked whole.
  struct LongestFirst {
    bool operator()(const std::string& a, const std::string& b) const {
      return a.size() != b.size() ? a.size() > b.size() : a < b;
    }
  };
  mutable std::mutex mutex_;
  std::set<std::string, LongestFirst> secrets_;
};

}  // namespace steiger::registry
