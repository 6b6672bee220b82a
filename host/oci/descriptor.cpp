#include "oci/descriptor.hpp"

#include <algorithm>

namespace steiger::oci {

std::string Platform::str() const {
  std::string out = os + "/" + architecture;
  if (!variant.empty()) out += "/" + variant;
  return out;
}

std::optional<Platform> Platform::parse(std::string_view text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    auto slash = text.find('/', start);
    parts.emplace_back(text.substr(start, slash == std::string_view::npos ? slash : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (parts.size() < 2 || parts.size() > 3) return std::nullopt;
  for (const auto& part : parts) {
    if (part.empty() || part.find_first_of(" \t\r\n") != std::string::npos) return std::nullopt;
  }
  Platform p{parts[0], parts[1], parts.size() == 3 ? parts[2] : std::string()};
  return p;
}

const std::string* Descriptor::annotation(std::string_view key) const {
  auto it = std::find_if(annotations.begin(), annotations.end(),
                         [&](const auto& kv) { return kv.first == key; });
  return it == annotations.end() ? nullptr : &it->second;
}

}  // namespace steiger::oci
