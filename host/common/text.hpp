// Small string helpers shared by the host's modules.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace steiger::text {

std::vector<std::string> split(std::string_view s, char separator);
std::string join(const std::vector<std::string>& parts, std::string_view separator);
std::string_view trim(std::string_view s);
bool starts_with(std::string_view s, std::string_view prefix);

}  // namespace steiger::text
