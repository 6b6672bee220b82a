// The docker builder plugin: `type: docker` builds a Dockerfile into one OCI image layout per
// service, with every requested platform in it.
//
//   build:
//     api:
//       type: docker
//       context: ./api            # default: the project folder
//       dockerfile: Dockerfile    # relative to the context
//       target: runtime
//       buildArgs: {VERSION: 1.2}
//       hosts: {db.local: 10.0.0.5}
//       driver: auto              # auto | buildx | buildah
//       builder: my-remote        # an existing buildx builder; default `steiger`, created
//       secrets: [{id: npm, src: .npmrc}, {id: token, env: API_TOKEN}]
//       ssh: [default]
//       cacheFrom: [type=registry,ref=registry.example/api:cache]
//       labels: {team: payments}
//       network: none
//       noCache: false
//       pull: true
//
// With docker buildx (the Rust Steiger's command line, unchanged for its keys):
//   docker buildx build [--target T] [--build-arg K=V]... [--add-host H:IP]... [--secret ...]...
//     [--ssh S]... [--cache-from C]... [--cache-to C]... [--label K=V]... [--network N]
//     [--no-cache] [--pull] --builder steiger --platform P1,P2
//     --output type=oci,dest=DIR,tar=false --file DOCKERFILE CONTEXT
// Buildx's provenance attestations stay in the layout; the host knows them from images.
// Without buildx (or with driver: buildah): see buildah_build.hpp. The config's
// insecureRegistries reach buildah (through a registries.conf of the work folder); a BuildKit
// builder reads its own buildkitd.toml (`[registry."host:port"] http = true`), given when it is
// created (`docker buildx create --buildkitd-config`), so name such a builder in `builder:`.
#include "buildah_build.hpp"
#include "buildx.hpp"
#include "docker_flags.hpp"
#include "driver.hpp"
#include "options.hpp"
#include "tool_run.hpp"

#include <steiger/sdk/plugin.hpp>

#include <filesystem>

namespace sdk = steiger::sdk;
namespace fs = std::filesystem;

namespace steiger::docker {

namespace {

// Before any tool runs: a missing folder is the user's to fix, and docker's message for it is
// less clear than this one.
void check_inputs(const DockerOptions& o) {
  std::error_code ec;
  if (!fs::is_directory(o.context, ec))
    throw sdk::Error("the build context " + o.context + " does not exist (check `context`)");
  if (!fs::is_regular_file(o.dockerfile, ec))
    throw sdk::Error("there is no Dockerfile at " + o.dockerfile +
                     " (check `dockerfile`: it is relative to the context)");
}

void build_with_buildx(const sdk::BuildContext& ctx, const DockerOptions& o,
                       const std::string& dest) {
  std::string builder = o.builder.empty() ? buildx::kDefaultBuilder : o.builder;
  if (o.builder.empty()) {
    ctx.phase("preparing builder");
    buildx::ensure_builder(ctx, builder);
  }
  ctx.phase("building");
  buildx::BuildCommand command{buildx_flags(o), builder,  ctx.platforms(), dest,
                               o.dockerfile,    o.context};
  tools::run_tool(ctx, buildx::build_argv(command), "docker buildx build");
}

class DockerBuilder : public sdk::Builder {
 public:
  std::vector<std::string> artifacts(const std::string& service,
                                     const sdk::Value& config) override {
    check_docker_options(config);
    return {service};
  }

  void build(sdk::BuildContext& ctx) override {
    DockerOptions o =
        read_docker_options(ctx.config(), [&](const std::string& p) { return ctx.resolve(p); });
    check_inputs(o);
    std::string dest = ctx.work_dir() + "/layout";
    if (choose_driver(ctx, o) == Driver::Buildx)
      build_with_buildx(ctx, o, dest);
    else
      build_with_buildah(ctx, o, dest);
    ctx.add_artifact(ctx.service(), dest);
  }
};

}  // namespace

}  // namespace steiger::docker

STEIGER_PLUGIN("docker", "1.0.0",
               "Dockerfile builds with docker buildx, or daemonless with buildah",
               sdk::builder<steiger::docker::DockerBuilder>(
                   "docker", "Builds a Dockerfile (docker buildx, or buildah without Docker)",
                   steiger::docker::kDockerSchema))
