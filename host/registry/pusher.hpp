// Pushing validated OCI image layouts to registries: the engine behind `steiger push` and the
// push stage of `steiger build --repo`.
//
//   registry::Pusher pusher(options);                       // one per run
//   oci::Layout layout = oci::validate_layout(dir);         // never an unvalidated layout
//   registry::PushResult r = pusher.push(layout,
//   registry::Reference::parse("reg:5000/team/api:v1")); std::cout << r.reference << "\n"; //
//   reg:5000/team/api:v1@sha256:...
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "oci/digest.hpp"
#include "oci/layout.hpp"
#include "platform/cancel.hpp"
#include "registry/push_error.hpp"
#include "registry/reference.hpp"
#include "registry/retry.hpp"

namespace steiger::registry {

struct PushOptions {
  // host or host:port: plain HTTP or an unverified certificate allowed for these alone.
  std::vector<std::string> insecure_registries;
  // Blob transfers at once per registry host, shared by every push of the run.
  size_t blob_concurrency = 8;
  // Human progress lines ("team/api:v1: uploading sha256:0123456789ab (40.0 MiB)"); called
  // from several threads, one call at a time. Never carries a credential.
  std::function<void(const std::string& message)> on_progress;
  const platform::CancelSource* cancel = nullptr;

  // Attempts and backoff for each request, and for each blob's upload as a whole.
  RetryPolicy retry;
  std::chrono::milliseconds connect_timeout{10000};
  // A transfer moving no byte for this long is abandoned (and retried). Whole seconds.
  std::chrono::milliseconds stall_timeout{30000};
  // Chunk size for registries that refuse whole-blob uploads (HTTP 413).
  std::uint64_t chunk_size = 16ULL << 20;
  // The folder of Docker's config.json; empty: $DOCKER_CONFIG, else ~/.docker.
  std::filesystem::path docker_config_dir;
  // Docker's per-registry certificate folder (<dir>/<host:port>/ca.crt); empty:
  // $STEIGER_CERTS_D, else /etc/docker/certs.d and /etc/containers/certs.d.
  std::filesystem::path certs_dir;
};

struct PushResult {
  std::string reference;  // "registry/repository:tag@sha256:..."
  oci::Digest digest;     // of what the tag points at: the manifest, or the image index
  std::uint64_t bytes_uploaded = 0;
  size_t blobs_uploaded = 0;
  size_t blobs_mounted = 0;
  size_t blobs_existing = 0;
  bool already_complete = false;  // the tag already pointed at this digest: one request
};

struct RunContext;
struct RegistryState;
using ProgressFn = std::function<void(const std::string& message)>;

// One per run: owns the connection pools, the per-registry concurrency limits, the token cache,
// and what this run already pushed (for cross-repository mounts).
class Pusher {
 public:
  explicit Pusher(PushOptions options);
  ~Pusher();
  Pusher(const Pusher&) = delete;
  Pusher& operator=(const Pusher&) = delete;

  // Pushes one validated layout (all its platforms) to `target`. One top-level manifest or
  // image index goes as it is, byte for byte; several top-level manifests become an OCI image
  // index (the same bytes oci::export_layout writes). Blobs first, then manifests, then indexes,
  // then the tag. With no tag nor digest in `target`, the tag is "latest"; with a digest, it must
  // be the pushed one. Thread-safe: many services push at once. Throws PushError (PushCancelled
  // when cancelled) naming the image, the blob or manifest, and what the registry said; a
  // UserError for a digest in `target` that is not the layout's.
  // `progress`, when given, receives this push's lines instead of PushOptions::on_progress (so
  // each service of a build sees its own); redacted all the same.
  PushResult push(const oci::Layout& layout, const Reference& target, ProgressFn progress = {});

  // Whether `target` already holds exactly the image push() would send (one HEAD of the tag, and
  // the run's first contact with the registry): the result when it does, nullopt otherwise.
  // Reads only index.json and the documents, never the blobs, so a caller may ask this before
  // spending time hashing every blob of the layout, and skip that when the answer is yes.
  // Throws like push().
  std::optional<PushResult> already_pushed(const oci::Layout& layout, const Reference& target,
                                           ProgressFn progress = {});

 private:
  RegistryState& state_for(const Reference& target);
  Reference normalized(const Reference& target) const;
  ProgressFn progress_for(const Reference& target, ProgressFn sink);
  void progress(const ProgressFn& sink, const std::string& image, const std::string& message);

  PushOptions options_;
  std::unique_ptr<RunContext> run_;
  std::mutex registries_mutex_;
  std::map<std::string, std::unique_ptr<RegistryState>> registries_;
  std::mutex progress_mutex_;
};

}  // namespace steiger::registry
