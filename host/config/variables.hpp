// Where substituted variables come from.
#pragma once

#include <map>
#include <string>

#include "config/substitution.hpp"

namespace steiger::config {

// The selected profile's variables first, then the git variables, then (when use_environment)
// the process environment. The maps are copied into the lookup.
Lookup make_lookup(const std::map<std::string, std::string>& profile,
                   const std::map<std::string, std::string>& git, bool use_environment);

}  // namespace steiger::config
