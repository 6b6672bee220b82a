// The railpack builder plugin: `type: railpack` builds an app without a Dockerfile.
//
//   build:
//     web:
//       type: railpack
//       context: ./web     # default: the project folder
//       nonroot: true      # default false: run as user railpack (UID/GID 1000)
//       frontend: ghcr.io/railwayapp/railpack-frontend:v0.17.1   # default :latest
//       builder: my-remote # an existing buildx builder; default `steiger`, created
//
// 1. The plan: the context's railpack.json when it is one (see plan.hpp), else
//      railpack prepare CONTEXT --plan-out WORK/railpack-plan.json
// 2. BuildKit builds it with Railpack's frontend, as Railpack documents for docker:
//      docker buildx build --build-arg BUILDKIT_SYNTAX=FRONTEND --builder steiger
//        --platform P1,P2 --output type=oci,dest=DIR,tar=false --file PLAN CONTEXT
// 3. nonroot: true builds a second stage on that image (see nonroot.hpp):
//      docker buildx build --build-context base=oci-layout://DIR:base --builder steiger
//        --platform P1,P2 --output type=oci,dest=DIR2,tar=false --file WORK/nonroot.Dockerfile
//        WORK/nonroot-context
// There is no daemonless path: Railpack's frontend runs inside BuildKit.
#include "../docker/buildx.hpp"
#include "../docker/tool_run.hpp"
#include "nonroot.hpp"
#include "options.hpp"
#include "plan.hpp"

#include <steiger/sdk/plugin.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace sdk = steiger::sdk;
namespace fs = std::filesystem;

namespace steiger::railpack {

namespace {

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out.flush()) throw sdk::Error("cannot write " + path.string());
}

// The plan file BuildKit gets.
std::string plan_for(const sdk::BuildContext& ctx, const RailpackOptions& o) {
  fs::path existing = fs::path(o.context) / kPlanFile;
  std::error_code ec;
  if (fs::is_regular_file(existing, ec)) {
    if (looks_like_plan(read_text(existing))) {
      ctx.log("using the build plan " + existing.string());
      return existing.string();
    }
    ctx.log(existing.string() + " is a Railpack config: railpack prepare reads it");
  }
  ctx.phase("preparing plan");
  sdk::ProcessOptions quiet;
  quiet.quiet = true;
  try {
    ctx.run({"railpack", "--version"}, quiet);  // its version goes to the service's log
  } catch (const sdk::Cancelled&) {
    throw;
  } catch (const sdk::Error& e) {
    throw sdk::Error(std::string(e.what()) + ": install the railpack CLI (railpack.com), or " +
                     "commit a plan it wrote as " + kPlanFile + " in the context");
  }
  std::string plan = ctx.work_dir() + "/railpack-plan.json";
  tools::run_tool(ctx, prepare_argv(o.context, plan), "railpack prepare");
  return plan;
}

void buildx_build(const sdk::BuildContext& ctx, std::vector<std::string> flags,
                  const std::string& builder, const std::string& dest, const std::string& file,
                  const std::string& context, const std::string& what) {
  buildx::BuildCommand command{std::move(flags), builder, ctx.platforms(), dest, file, context};
  tools::run_tool(ctx, buildx::build_argv(command), what);
}

class RailpackBuilder : public sdk::Builder {
 public:
  void build(sdk::BuildContext& ctx) override {
    RailpackOptions o =
        read_railpack_options(ctx.config(), [&](const std::string& p) { return ctx.resolve(p); });
    std::error_code ec;
    if (!fs::is_directory(o.context, ec))
      throw sdk::Error("the app folder " + o.context + " does not exist (check `context`)");
    if (!buildx::available(ctx))
      throw sdk::Error(
          buildx::missing_buildx_message("type: railpack (Railpack's frontend runs in BuildKit)"));

    std::string plan = plan_for(ctx, o);
    std::string builder = o.builder.empty() ? buildx::kDefaultBuilder : o.builder;
    if (o.builder.empty()) {
      ctx.phase("preparing builder");
      buildx::ensure_builder(ctx, builder);
    }

    ctx.phase("building");
    std::string image = ctx.work_dir() + (o.nonroot ? "/railpack-image" : "/layout");
    buildx_build(ctx, {"--build-arg", "BUILDKIT_SYNTAX=" + o.frontend}, builder, image, plan,
                 o.context, "docker buildx build of the railpack plan");
    if (o.nonroot) {
      ctx.phase("adding user railpack");
      tag_base_layout(image);
      std::string dockerfile = ctx.work_dir() + "/nonroot.Dockerfile";
      write_text(dockerfile, nonroot_dockerfile());
      // The stage copies nothing from its context: an empty one spares sending the app again.
      std::string empty_context = ctx.work_dir() + "/nonroot-context";
      fs::create_directories(empty_context);
      std::string dest = ctx.work_dir() + "/layout";
      buildx_build(ctx, {"--build-context", base_context_flag(image)}, builder, dest, dockerfile,
                   empty_context, "docker buildx build of the nonroot stage");
      image = dest;
    }
    ctx.add_artifact(ctx.service(), image);
  }
};

}  // namespace

}  // namespace steiger::railpack

STEIGER_PLUGIN("railpack", "1.0.0",
               "Railpack builds (railpack prepare + BuildKit's Railpack frontend)",
               sdk::builder<steiger::railpack::RailpackBuilder>(
                   "railpack", "Builds an app without a Dockerfile with Railpack",
                   steiger::railpack::kRailpackSchema))
