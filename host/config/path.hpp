// Paths that name a place in the config in messages: build.api.buildArgs.ENV,
// build.x.targets[2], platforms["linux/amd64"].
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace steiger::config {

// Keys of letters, digits, '_' and '-' join with a dot; any other key is quoted in brackets.
std::string child_path(std::string_view parent, std::string_view key);
std::string item_path(std::string_view parent, size_t index);

}  // namespace steiger::config
