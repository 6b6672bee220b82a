#include "registry/redactor.hpp"

namespace steiger::registry {

namespace {
// Shorter strings would mangle ordinary words without protecting anything real.
constexpr size_t kMinSecretLength = 3;
constexpr std::string_view kMask = "<redacted>";
}  // namespace

void Redactor::add(std::string_view secret) {
  if (secret.size() < kMinSecretLength) return;
  std::lock_guard lock(mutex_);
  secrets_.emplace(secret);
}

std::string Redactor::redact(std::string text) const {
  std::lock_guard lock(mutex_);
  for (const auto& secret : secrets_) {
    for (size_t pos = text.find(secret); pos != std::string::npos;
         pos = text.find(secret, pos + kMask.size())) {
      text.replace(pos, secret.size(), kMask);
    }
  }
  return text;
}

}  // namespace steiger::registry
