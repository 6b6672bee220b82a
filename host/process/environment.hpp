// The environment a child process starts with.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace steiger::process {

// The host's own environment (environ), as a NULL-terminated array.
const char* const* host_environment();

// `overlay` over `base` ("NAME=value" entries; a bare "NAME" removes the variable), or `overlay`
// alone when `replace`. Variables keep their order in `base`; new ones follow in overlay order.
std::vector<std::string> merge_environment(const char* const* base,
                                           const std::vector<std::string>& overlay, bool replace);

// The value of `name` in an environment of "NAME=value" entries.
std::optional<std::string_view> find_variable(const std::vector<std::string>& env,
                                              std::string_view name);

}  // namespace steiger::process
