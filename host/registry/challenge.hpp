// WWW-Authenticate challenges (RFC 7235) as registries send them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace steiger::registry {

struct Challenge {
  std::string scheme;                         // lowercase: "basic", "bearer"
  std::map<std::string, std::string> params;  // lowercase names: realm, service, scope, error

  const std::string* param(const std::string& name) const;
};

// The first challenge of a WWW-Authenticate value, or nullopt when it cannot be read.
std::optional<Challenge> parse_challenge(std::string_view header);

}  // namespace steiger::registry
