#include "registry/pusher.hpp"

#include <cstdlib>
#include <cstring>

#include "registry/client.hpp"
#include "registry/push_job.hpp"
#include "registry/registry_state.hpp"

namespace steiger::registry {

oci::ValidateOptions validation_for_push() {
  oci::ValidateOptions options{kHashBeforePushBelow};
  const char* env = std::getenv("STEIGER_PUSH_HASH_BELOW");
  if (env && *env && std::strspn(env, "0123456789") == std::strlen(env)) {
    options.hash_below = std::strtoull(env, nullptr, 10);
  }
  return options;
}

Pusher::Pusher(PushOptions options) : options_(std::move(options)) {
  http::global_init();
  http::Timeouts timeouts;
  timeouts.connect = options_.connect_timeout;
  timeouts.stall = options_.stall_timeout;
  run_ = std::make_unique<RunContext>(options_.insecure_registries, options_.certs_dir,
                                      options_.docker_config_dir, timeouts, options_.retry,
                                      options_.cancel);
}

Pusher::~Pusher() = default;

RegistryState& Pusher::state_for(const Reference& target) {
  std::lock_guard lock(registries_mutex_);
  const std::string host = target.api_host();
  auto& slot = registries_[host];
  if (!slot) {
    slot = std::make_unique<RegistryState>(target.registry, host, *run_, options_.blob_concurrency,
                                           options_.chunk_size);
  }
  return *slot;
}

void Pusher::progress(const ProgressFn& sink, const std::string& image,
                      const std::string& message) {
  std::string line = run_->redactor.redact(image + ": " + message);
  std::lock_guard lock(progress_mutex_);
  sink(line);
}

Reference Pusher::normalized(const Reference& target) const {
  Reference out = target;
  if (out.tag.empty() && out.digest.empty()) out.tag = "latest";
  return out;
}

ProgressFn Pusher::progress_for(const Reference& target, ProgressFn sink) {
  if (!sink) sink = options_.on_progress;
  if (!sink) return {};
  const std::string image =
      target.registry + "/" + target.repository + (target.tag.empty() ? "" : ":" + target.tag);
  return [this, image, sink](const std::string& m) { this->progress(sink, image, m); };
}

PushResult Pusher::push(const oci::Layout& layout, const Reference& target_in,
                        ProgressFn progress) {
  const Reference target = normalized(target_in);
  PushJob job(state_for(target), *run_, layout, target, options_.blob_concurrency,
              progress_for(target, std::move(progress)));
  return job.run();
}

std::optional<PushResult> Pusher::already_pushed(const oci::Layout& layout,
                                                 const Reference& target_in, ProgressFn progress) {
  const Reference target = normalized(target_in);
  PushJob job(state_for(target), *run_, layout, target, options_.blob_concurrency,
              progress_for(target, std::move(progress)));
  return job.current();
}

PushResult Pusher::push_layout(const oci::Layout& structure_checked, const Reference& target,
                               ProgressFn progress) {
  if (auto done = already_pushed(structure_checked, target, progress)) return *done;
  return push(oci::validate_layout(structure_checked.dir, validation_for_push()), target,
              std::move(progress));
}

}  // namespace steiger::registry
