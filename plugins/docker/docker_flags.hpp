// The flags a docker block adds to `docker buildx build`, in the order the Rust Steiger used for
// the keys it knew (target, build args, hosts), then the newer ones.
#pragma once

#include "options.hpp"

#include <string>
#include <vector>

namespace steiger::docker {

std::vector<std::string> buildx_flags(const DockerOptions& options);

}  // namespace steiger::docker
