#include "driver.hpp"

#include "buildah_build.hpp"
#include "buildx.hpp"

namespace steiger::docker {

namespace {

const char* const kInstallBuildah = "install buildah (Debian: apt-get install buildah runc)";

}  // namespace

Driver choose_driver(const sdk::Context& ctx, const DockerOptions& o) {
  switch (o.driver) {
    case Driver::Buildx:
      if (!buildx::available(ctx))
        throw sdk::Error(buildx::missing_buildx_message("driver: buildx"));
      return Driver::Buildx;
    case Driver::Buildah:
      if (!buildah_available(ctx))
        throw sdk::Error(std::string("driver: buildah, but buildah is not installed: ") +
                         kInstallBuildah);
      return Driver::Buildah;
    case Driver::Auto:
      break;
  }
  if (buildx::available(ctx)) return Driver::Buildx;
  // A named builder is BuildKit's: building elsewhere would quietly ignore it.
  if (!o.builder.empty()) throw sdk::Error(buildx::missing_buildx_message("builder: " + o.builder));
  if (buildah_available(ctx)) {
    ctx.log("docker buildx is not available here: building with buildah");
    return Driver::Buildah;
  }
  throw sdk::Error(std::string("neither docker buildx nor buildah works here: ") + kInstallBuildah +
                   " for daemonless builds, or Docker with its buildx plugin");
}

}  // namespace steiger::docker
