#include "buildah_build.hpp"

#include "buildah_argv.hpp"
#include "platform_hint.hpp"
#include "registries_conf.hpp"
#include "tool_run.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>

namespace steiger::docker {

namespace fs = std::filesystem;

namespace {

BuildahStorage storage_for(const sdk::BuildContext& ctx) {
  if (const char* shared = std::getenv("STEIGER_BUILDAH_ROOT"); shared && *shared) {
    std::string dir = fs::absolute(shared).string();
    return {dir + "/root", dir + "/runroot", true};
  }
  std::string dir = ctx.work_dir() + "/buildah";
  return {dir + "/root", dir + "/runroot", false};
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Written into the work folder; buildah reads it through CONTAINERS_REGISTRIES_CONF.
std::string write_registries_conf(const sdk::BuildContext& ctx) {
  const char* own = std::getenv("CONTAINERS_REGISTRIES_CONF");
  std::string base = read_text(own && *own ? own : "/etc/containers/registries.conf");
  std::string path = ctx.work_dir() + "/registries.conf";
  std::ofstream out(path);
  out << registries_conf(base, ctx.insecure_registries());
  if (!out.flush()) throw sdk::Error("cannot write " + path);
  return path;
}

// Images of concurrent runs sharing a storage must not meet in one manifest list.
std::string random_suffix() {
  std::random_device random;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(random()));
  return buf;
}

bool run_step_failed(const sdk::ProcessResult& r) {
  for (const std::string* text : {&r.stdout_text, &r.stderr_text})
    if (text->find("exec format error") != std::string::npos ||
        text->find("building at STEP \"RUN") != std::string::npos)
      return true;
  return false;
}

// Drops what buildah stored for this build, whatever happened to it.
class StorageCleanup {
 public:
  StorageCleanup(const sdk::BuildContext& ctx, BuildahStorage storage, std::string image,
                 bool manifest)
      : ctx_(ctx), storage_(std::move(storage)), image_(std::move(image)), manifest_(manifest) {}
  StorageCleanup(const StorageCleanup&) = delete;
  StorageCleanup& operator=(const StorageCleanup&) = delete;
  ~StorageCleanup() {
    try {
      storage_.shared ? untag() : remove();
    } catch (...) {  // cleaning up must not hide why the build stopped
    }
  }

 private:
  sdk::ProcessResult buildah(std::vector<std::string> args) const {
    std::vector<std::string> argv = buildah_base(storage_);
    argv.insert(argv.end(), args.begin(), args.end());
    sdk::ProcessOptions options;
    options.quiet = true;
    return ctx_.run(argv, options);
  }

  // A shared storage keeps the images as the next run's cache, under a stable name: removing
  // them would drop their intermediate layers too.
  void untag() const {
    if (manifest_) {
      buildah({"manifest", "rm", image_});
      return;
    }
    std::string keep =
        "localhost/steiger-cache/" + image_repository_part(ctx_.service()) + ":latest";
    if (buildah({"tag", image_, keep}).ok()) buildah({"rmi", image_});
  }

  void remove() const {
    fs::path dir = fs::path(storage_.root).parent_path();
    std::error_code ec;
    fs::remove_all(dir, ec);
    if (!ec) return;
    // Rootless buildah stores files owned by other users of its namespace: it removes them.
    buildah({"rmi", "--all", "--force"});
    fs::remove_all(dir, ec);
    if (ec) ctx_.warn("could not remove buildah's storage " + dir.string() + ": " + ec.message());
  }

  const sdk::BuildContext& ctx_;
  BuildahStorage storage_;
  std::string image_;
  bool manifest_;
};

}  // namespace

bool buildah_available(const sdk::Context& ctx) {
  static std::mutex mutex;
  static std::optional<bool> answer;
  std::lock_guard<std::mutex> lock(mutex);
  if (!answer) {
    sdk::ProcessOptions options;
    options.quiet = true;
    try {
      answer = ctx.run({"buildah", "--version"}, options).ok();
    } catch (const sdk::Cancelled&) {
      throw;
    } catch (const sdk::Error&) {
      answer = false;
    }
  }
  return *answer;
}

void build_with_buildah(const sdk::BuildContext& ctx, const DockerOptions& o,
                        const std::string& dest) {
  BuildahStorage storage = storage_for(ctx);
  sdk::ProcessOptions options;
  options.env = {"CONTAINERS_REGISTRIES_CONF=" + write_registries_conf(ctx)};
  const std::vector<std::string>& platforms = ctx.platforms();
  const bool manifest = platforms.size() > 1;
  const std::string tag = ctx.tag().empty() ? "latest" : ctx.tag();
  const std::string image = "localhost/steiger-tmp/" + image_repository_part(ctx.service()) + "-" +
                            random_suffix() + ":" + tag;
  StorageCleanup cleanup(ctx, storage, image, manifest);
  bool warned = false;
  for (const auto& platform : platforms) {
    ctx.check_cancelled();
    ctx.phase(manifest ? "building " + platform : "building");
    std::vector<std::string> warnings;
    auto argv = buildah_build_argv(storage, o, platform, image, manifest, &warnings);
    if (!warned)
      for (const auto& w : warnings) ctx.warn(w);
    warned = true;
    sdk::ProcessResult r = ctx.run(argv, options);
    if (!r.ok())
      throw sdk::Error(tools::failure_message(
          "buildah build for " + platform, r,
          run_step_failed(r) ? foreign_platform_hint(platform) : std::string()));
  }
  ctx.check_cancelled();
  ctx.phase("writing layout");
  tools::run_tool(ctx, buildah_push_argv(storage, image, dest, tag, manifest), "buildah push",
                  options);
}

}  // namespace steiger::docker
