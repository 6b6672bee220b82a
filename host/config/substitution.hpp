// Variable substitution in config strings: $NAME, ${NAME}, ${NAME:default} (the default may
// itself hold substitutions, to any depth) and backslash escapes (\$ \\ \{ \} \:).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "config/mark.hpp"
#include "config/node.hpp"

namespace steiger::config {

// A variable's value, or nullopt when it is not set.
using Lookup = std::function<std::optional<std::string>(std::string_view name)>;

// Throws ConfigError at `where` for an unset variable without a default, an unterminated "${"
// and a bad name inside "${...}". A default applies when the variable is unset or empty.
std::string substitute(std::string_view text, const Lookup& lookup, const Mark& where);

// Substitutes every string scalar and every map key under `node`. A plain (unquoted) scalar
// takes the type its new text reads as (`port: ${PORT}` becomes an integer), except that an empty
// result stays an empty string; quoted scalars stay strings. Keys that collide after substitution
// are a ConfigError.
void substitute_tree(Node& node, const Lookup& lookup);

// [A-Za-z_][A-Za-z0-9_]*
bool is_variable_name(std::string_view name);

}  // namespace steiger::config
