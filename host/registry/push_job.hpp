// One push of one layout to one repository, step by step (see Pusher::push).
#pragma once

#include <atomic>
#include <optional>
#include <set>
#include <string>

#include "oci/layout.hpp"
#include "registry/blob_upload.hpp"
#include "registry/push_plan.hpp"
#include "registry/pusher.hpp"
#include "registry/registry_state.hpp"

namespace steiger::registry {

class PushJob {
 public:
  PushJob(RegistryState& state, RunContext& run, const oci::Layout& layout, const Reference& target,
          size_t threads, ProgressFn progress);

  PushResult run();
  // The result when the registry already has exactly this image under the target; sends
  // nothing else. Reads only the layout's documents, never its blobs.
  std::optional<PushResult> current();

 private:
  // Throws PushError (PushCancelled) for `item`, with the detail redacted.
  [[noreturn]] void fail(const std::string& item, const Failure& failure) const;
  [[noreturn]] void fail(const std::string& item, const std::string& detail) const;

  void prepare();
  bool tag_is_current();
  std::set<oci::Digest> manifests_present();
  void push_blobs(const std::vector<oci::Descriptor>& blobs);
  void push_document(const oci::Descriptor& d, const std::string& reference,
                     const std::string& bytes);
  std::string read_document(const oci::Descriptor& d) const;
  std::string tag_or_digest() const;

  RegistryState& state_;
  RunContext& run_;
  const oci::Layout& layout_;
  const Reference& target_;
  const std::string image_;
  const size_t threads_;
  const ProgressFn progress_;
  PushPlan plan_;
  PushResult result_;
  std::atomic<std::uint64_t> bytes_{0};
  std::atomic<size_t> uploaded_{0}, mounted_{0}, existing_{0};
};

}  // namespace steiger::registry
