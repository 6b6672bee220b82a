// "Did you mean ...?" for misspelt keys, profiles and enum values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace steiger::config {

// The candidate closest to `name`, ignoring case, when it is close enough to be a likely typo
// (edit distance with adjacent transpositions, at most about 2/5 of the longer word); the first
// one wins a tie. nullopt when nothing is close.
std::optional<std::string> closest_name(std::string_view name,
                                        const std::vector<std::string>& candidates);

// Case-insensitive optimal string alignment distance (Levenshtein plus adjacent swaps).
size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace steiger::config
