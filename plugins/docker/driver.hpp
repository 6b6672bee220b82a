// Which tool builds a docker block: `driver: auto` picks docker buildx where it works (BuildKit,
// remote builders), else buildah, so CI runners without Docker build the same Dockerfiles.
#pragma once

#include "options.hpp"

#include <steiger/sdk/context.hpp>

namespace steiger::docker {

// Never Driver::Auto. Throws sdk::Error saying what to install when the driver cannot run here.
Driver choose_driver(const sdk::Context& ctx, const DockerOptions& options);

}  // namespace steiger::docker
