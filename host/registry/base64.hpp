// Base64 (RFC 4648, standard alphabet) for Basic credentials and config.json "auth" fields.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace steiger::registry::base64 {

std::string encode(std::string_view bytes);
// Padding optional; whitespace is not accepted. nullopt on any other character.
std::optional<std::string> decode(std::string_view text);

}  // namespace steiger::registry::base64
