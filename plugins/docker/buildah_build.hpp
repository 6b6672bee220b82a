// Daemonless Dockerfile builds: buildah writes the same Dockerfile's image, for each requested
// platform, into one OCI image layout. Its storage lives in the service's work folder and goes
// away afterwards, unless STEIGER_BUILDAH_ROOT names a folder to keep it in across runs (base
// images pulled once, RUN steps cached; reclaim space with
// `buildah --root $STEIGER_BUILDAH_ROOT/root --storage-driver vfs rmi --prune`).
#pragma once

#include "options.hpp"

#include <steiger/sdk/context.hpp>

#include <string>

namespace steiger::docker {

// Whether `buildah --version` works here. Asked once per process.
bool buildah_available(const sdk::Context& ctx);

// Builds every platform of ctx into the OCI image layout `dest`. Throws sdk::Error with buildah's
// own error line (and a hint when a foreign platform's RUN step cannot execute).
void build_with_buildah(const sdk::BuildContext& ctx, const DockerOptions& options,
                        const std::string& dest);

}  // namespace steiger::docker
