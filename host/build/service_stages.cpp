#include "build/service_stages.hpp"

#include "common/text.hpp"
#include "oci/export.hpp"
#include "oci/layout.hpp"
#include "registry/pusher.hpp"
#include "registry/reference.hpp"

#include <algorithm>
#include <set>

namespace steiger::build {

namespace fs = std::filesystem;

namespace {

steiger_str view(const std::string& s) {
  return steiger_str{s.data(), s.size()};
}

bool inside(const fs::path& path, const fs::path& dir) {
  auto p = fs::weakly_canonical(path), d = fs::weakly_canonical(dir);
  auto [di, pi] = std::mismatch(d.begin(), d.end(), p.begin(), p.end());
  return di == d.end();
}

}  // namespace

void run_builder(const StageContext& ctx, const fs::path& work_dir) {
  const config::Block& block = *ctx.service.block;
  std::vector<steiger_str> platforms;
  for (const auto& p : ctx.plan.platforms) platforms.push_back(view(p));
  std::string repo_dir = ctx.config.dir.string(), work = work_dir.string();
  std::string profile = ctx.options.profile;
  steiger_build_request request{};
  request.struct_size = sizeof request;
  request.service = view(block.name);
  request.config = ctx.service.value->root();
  request.platforms = platforms.data();
  request.platform_count = platforms.size();
  request.repo_dir = view(repo_dir);
  request.work_dir = view(work);
  request.tag = view(ctx.plan.tag);
  request.profile = view(profile);
  std::vector<steiger_str> insecure;
  for (const auto& r : ctx.config.insecure_registries) insecure.push_back(view(r));
  request.insecure_registries = insecure.data();
  request.insecure_registry_count = insecure.size();

  ctx.call.phase("building");
  int32_t rc;
  try {
    rc = ctx.service.type->descriptor->build(&request, ctx.call.api());
  } catch (const std::exception& e) {
    // A plugin not built with the SDK's trampolines may let one through.
    throw StageError("the " + ctx.service.type->plugin->name + " plugin threw: " + e.what());
  } catch (...) {
    throw StageError("the " + ctx.service.type->plugin->name +
                     " plugin threw an unknown exception");
  }
  if (rc != 0) {
    std::string error =
        ctx.call.error().empty() ? "the builder failed without saying why" : ctx.call.error();
    throw StageError(error);
  }

  std::set<std::string> returned;
  for (const auto& [artifact, dir] : ctx.call.artifacts()) {
    if (std::find(ctx.service.artifacts.begin(), ctx.service.artifacts.end(), artifact) ==
        ctx.service.artifacts.end())
      throw StageError(
          "the builder returned an artifact '" + artifact +
          "' that was not planned (planned: " + text::join(ctx.service.artifacts, ", ") + ")");
    if (!returned.insert(artifact).second)
      throw StageError("the builder returned artifact '" + artifact + "' twice");
    if (dir.empty())
      throw StageError("the builder returned artifact '" + artifact + "' without a layout folder");
  }
  for (const auto& artifact : ctx.service.artifacts)
    if (!returned.count(artifact))
      throw StageError("the builder returned no OCI layout for artifact '" + artifact + "'");
}

std::vector<ValidatedArtifact> validate_artifacts(const StageContext& ctx,
                                                  const fs::path& work_dir) {
  ctx.call.phase("validating");
  // An export copies blobs without reading them, so they are hashed here. A push first asks the
  // registry (an unchanged image sends nothing and needs no hashing), then validates again with
  // the content checks a push needs (push_artifacts).
  const oci::Check check = ctx.options.pusher ? oci::Check::Structure : oci::Check::Everything;
  std::vector<ValidatedArtifact> validated;
  for (const auto& [artifact, dir] : ctx.call.artifacts()) {
    oci::Layout layout;
    try {
      layout =
          oci::validate_layout(fs::path(dir).is_absolute() ? fs::path(dir) : work_dir / dir, check);
    } catch (const oci::LayoutError& e) {
      throw StageError("artifact '" + artifact + "': invalid OCI layout: " + e.what());
    }
    std::vector<std::string> found;
    for (const auto* image : layout.platform_images())
      if (image->platform) found.push_back(image->platform->str());
    for (const auto& wanted : ctx.plan.platforms)
      if (std::find(found.begin(), found.end(), wanted) == found.end())
        throw StageError("artifact '" + artifact + "': the layout has no image for " + wanted +
                         " (it has: " + (found.empty() ? "no platform" : text::join(found, ", ")) +
                         ")");
    validated.push_back({artifact, std::move(layout)});
  }
  return validated;
}

std::vector<BuiltArtifact> export_artifacts(const StageContext& ctx,
                                            std::vector<ValidatedArtifact>& artifacts,
                                            const fs::path& work_dir) {
  ctx.call.phase("exporting");
  std::vector<BuiltArtifact> built;
  for (auto& [artifact, layout] : artifacts) {
    ctx.call.check_cancelled();
    fs::path dest = ctx.options.out_dir / artifact;
    // Layouts in our private work folder may be moved; anything else (a nix store path, a bazel
    // output) belongs to someone else and is copied.
    bool movable = inside(layout.dir, work_dir);
    oci::ExportResult result;
    try {
      result = oci::export_layout(layout, dest, ctx.plan.tag, movable);
    } catch (const std::exception& e) {
      throw StageError("artifact '" + artifact + "': cannot write " + dest.string() + ": " +
                       e.what());
    }
    built.push_back({ctx.service.block->name, artifact, ctx.plan.reference(artifact),
                     result.root.digest.str(), dest});
    ctx.call.record(artifact + " -> " + dest.string() + " (" + result.root.digest.str() + ")");
  }
  return built;
}

std::vector<BuiltArtifact> push_artifacts(const StageContext& ctx,
                                          const std::vector<ValidatedArtifact>& artifacts) {
  ctx.call.phase("pushing");
  std::vector<BuiltArtifact> built;
  for (const auto& [artifact, layout] : artifacts) {
    ctx.call.check_cancelled();
    std::string reference = ctx.plan.reference(artifact);
    auto progress = [&](const std::string& line) { ctx.call.progress(line); };
    registry::PushResult result;
    try {
      result =
          ctx.options.pusher->push_layout(layout, registry::Reference::parse(reference), progress);
    } catch (const oci::LayoutError& e) {
      throw StageError("artifact '" + artifact + "': invalid OCI layout: " + e.what());
    } catch (const std::exception& e) {
      throw StageError("artifact '" + artifact + "': push to " + reference +
                       " failed: " + e.what());
    }
    built.push_back({ctx.service.block->name, artifact, reference, result.digest.str(), {}});
    ctx.call.record(result.reference + (result.already_complete ? " (already there)" : "") + ": " +
                    std::to_string(result.blobs_uploaded) + " blobs uploaded, " +
                    std::to_string(result.blobs_mounted) + " mounted, " +
                    std::to_string(result.blobs_existing) + " already there");
  }
  return built;
}

}  // namespace steiger::build
