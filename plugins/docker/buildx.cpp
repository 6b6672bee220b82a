#include "buildx.hpp"

#include "tool_run.hpp"

#include <mutex>
#include <optional>
#include <set>

namespace steiger::buildx {

namespace {

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

sdk::ProcessOptions quiet() {
  sdk::ProcessOptions options;
  options.quiet = true;
  return options;
}

}  // namespace

std::vector<std::string> build_argv(const BuildCommand& c) {
  std::vector<std::string> argv = {"docker", "buildx", "build"};
  argv.insert(argv.end(), c.flags.begin(), c.flags.end());
  argv.insert(argv.end(), {"--builder", c.builder, "--platform", join(c.platforms, ","), "--output",
                           "type=oci,dest=" + c.dest + ",tar=false", "--file", c.file, c.context});
  return argv;
}

bool available(const sdk::Context& ctx) {
  static std::mutex mutex;
  static std::optional<bool> answer;
  std::lock_guard<std::mutex> lock(mutex);
  if (!answer) {
    try {
      answer = ctx.run({"docker", "buildx", "version"}, quiet()).ok();
    } catch (const sdk::Cancelled&) {
      throw;
    } catch (const sdk::Error&) {
      answer = false;  // docker is not installed
    }
  }
  return *answer;
}

void ensure_builder(const sdk::Context& ctx, const std::string& name) {
  // Services of one run wait here for the first one's answer instead of racing to create.
  static std::mutex mutex;
  static std::set<std::string> ready;
  std::lock_guard<std::mutex> lock(mutex);
  if (ready.count(name)) return;
  auto inspect = [&] { return ctx.run({"docker", "buildx", "inspect", name}, quiet()).ok(); };
  if (!inspect()) {
    ctx.log("creating the buildx builder " + name + " (docker-container driver)");
    auto created =
        ctx.run({"docker", "buildx", "create", "--name", name, "--driver", "docker-container"});
    // Another steiger run may have created it meanwhile: then it is there now.
    if (!created.ok() && !inspect())
      throw sdk::Error(tools::failure_message("creating the buildx builder " + name, created));
  }
  ready.insert(name);
}

std::string missing_buildx_message(const std::string& what) {
  return what + " needs docker buildx, but `docker buildx version` does not work here: install " +
         "Docker with its buildx plugin (docker-buildx-plugin from Docker's repository, or " +
         "docker-buildx on Debian 13 and later)";
}

}  // namespace steiger::buildx
