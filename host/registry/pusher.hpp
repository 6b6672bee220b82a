// Pushing validated OCI image layouts to registries: the engine behind `steiger push` and the
// push stage of `steiger build --repo`.
//
//   registry::Pusher pusher(options);                                    // one per run
//   auto target = registry::Reference::parse("reg:5000/team/api:v1");
//   auto layout = oci::validate_layout(dir, oci::Check::Structure);      // documents only
//   auto r = pusher.push_layout(layout, target);    // asks first, hashes and sends only if needed
//   std::cout << r.reference << "\n";                     // reg:5000/team/api:v1@sha256:...
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

// Blobs at least this large are not hashed when a layout is validated for a push: the upload
// hashes them from the very buffers it sends and refuses to complete one whose content does not
// match, so each is read once, not twice (hashing a 512 MiB layer first added 0.3-0.45 s to its
// upload, which kept a push behind a plain curl of the same bytes). Smaller blobs are still hashed
// first so a corrupt one is refused before anything is sent; below 64 MiB that pass costs at most
// ~40 ms a blob, and mostly reads what the builder just wrote, still in the page cache.
inline constexpr std::uint64_t kHashBeforePushBelow = 64ULL << 20;

// How to validate a layout before push(): oci::ValidateOptions hashing blobs below
// kHashBeforePushBelow, or below $STEIGER_PUSH_HASH_BELOW bytes when that is set (tests use it
// to reach the hashed-while-sent path with small files). Whatever the threshold, no blob whose
// content is wrong is committed; it only moves where the mismatch is found.
oci::ValidateOptions validation_for_push();

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

  // Pushes one validated layout (all its platforms) to `target`. Blobs the layout lists as
  // unverified are hashed as they are uploaded, and one that does not match its digest fails
  // the push (no manifest, no tag) with "content does not match its digest". One top-level manifest
  // or image index goes as it is, byte for byte; several top-level manifests become an OCI image
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

  // The way `steiger push` and `steiger build --repo` send a layout checked only for structure
  // (oci::Check::Structure): already_pushed() first; only when the registry lacks the image,
  // validate again with validation_for_push() (small blobs hashed now, big ones while they are
  // sent, so each is read once) and push(). Throws oci::LayoutError for a corrupt layout, with
  // nothing sent; otherwise like push().
  PushResult push_layout(const oci::Layout& structure_checked, const Reference& target,
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
