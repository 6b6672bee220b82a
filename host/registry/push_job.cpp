#include "registry/push_job.hpp"

#include <algorithm>
#include <map>

#include "common/error.hpp"
#include "oci/blob_store.hpp"
#include "oci/media_types.hpp"
#include "registry/manifests.hpp"
#include "registry/parallel.hpp"

namespace steiger::registry {
namespace {

constexpr size_t kMaxDocument = 4 << 20;

std::string document_kind(const oci::Descriptor& d) {
  return oci::is_index(d.media_type) ? "image index" : "manifest";
}

}  // namespace

PushJob::PushJob(RegistryState& state, RunContext& run, const oci::Layout& layout,
                 const Reference& target, size_t threads, ProgressFn progress)
    : state_(state),
      run_(run),
      layout_(layout),
      target_(target),
      image_(target.str()),
      threads_(std::max<size_t>(threads, 1)),
      progress_(std::move(progress)) {}

void PushJob::fail(const std::string& item, const Failure& failure) const {
  std::string detail = run_.redactor.redact(failure.what());
  if (failure.kind() == Failure::Kind::Cancelled) throw PushCancelled(image_, item, detail);
  throw PushError(image_, item, detail);
}

void PushJob::fail(const std::string& item, const std::string& detail) const {
  throw PushError(image_, item, run_.redactor.redact(detail));
}

std::string PushJob::tag_or_digest() const {
  return target_.tag.empty() ? target_.digest : target_.tag;
}

void PushJob::prepare() {
  try {
    plan_ = plan_push(layout_);
  } catch (const std::exception& e) {
    fail("", e.what());
  }
  if (!target_.digest.empty() && target_.digest != plan_.root.digest.str()) {
    throw UserError("cannot push " + image_ + ": the layout's image is " + plan_.root.digest.str() +
                    ", not the digest the reference names");
  }
  result_.digest = plan_.root.digest;
  Reference pinned = target_;
  pinned.digest = plan_.root.digest.str();
  result_.reference = pinned.str();
  try {
    state_.client.connect();
  } catch (const Failure& f) {
    fail("", f);
  }
}

std::optional<PushResult> PushJob::current() {
  prepare();
  if (!tag_is_current()) return std::nullopt;
  for (const auto& blob : layout_.blobs) state_.ledger.record(blob.digest, target_.repository);
  result_.already_complete = true;
  if (progress_) progress_("already up to date (" + plan_.root.digest.str() + ")");
  return result_;
}

PushResult PushJob::run() {
  if (auto done = current()) return *done;

  // Images the registry already has need none of their blobs sent again.
  std::set<oci::Digest> present = manifests_present();
  std::vector<oci::Descriptor> blobs;
  std::set<oci::Digest> seen;
  for (const auto& image : layout_.images) {
    for (const auto& blob : blobs_of(image)) {
      if (!seen.insert(blob.digest).second) continue;
      if (present.count(image.manifest.digest)) {
        state_.ledger.record(blob.digest, target_.repository);
      } else {
        blobs.push_back(blob);
      }
    }
  }
  push_blobs(blobs);

  for (const oci::Image* image : plan_.images) {
    if (!present.count(image->manifest.digest)) {
      push_document(image->manifest, image->manifest.digest.str(), read_document(image->manifest));
    }
  }
  for (const auto& index : plan_.indexes) {
    push_document(index, index.digest.str(), read_document(index));
  }
  push_document(plan_.root, tag_or_digest(), plan_.root_bytes);

  result_.bytes_uploaded = bytes_;
  result_.blobs_uploaded = uploaded_;
  result_.blobs_mounted = mounted_;
  result_.blobs_existing = existing_;
  if (progress_) {
    progress_("pushed " + plan_.root.digest.str() + " (" + std::to_string(uploaded_.load()) +
              " blobs uploaded, " + std::to_string(mounted_.load()) + " mounted, " +
              std::to_string(existing_.load()) + " already there; " + human_size(bytes_) + ")");
  }
  return result_;
}

bool PushJob::tag_is_current() {
  try {
    auto current = head_manifest(state_.client, target_.repository, tag_or_digest());
    return current && *current == plan_.root.digest.str();
  } catch (const Failure& f) {
    fail("", f);
  }
}

std::set<oci::Digest> PushJob::manifests_present() {
  std::vector<const oci::Image*> images;
  for (const auto& image : layout_.images) images.push_back(&image);
  std::vector<char> found(images.size(), 0);
  parallel_for(images.size(), threads_, [&](size_t i) {
    const oci::Digest& digest = images[i]->manifest.digest;
    try {
      Limiter::Slot slot(state_.limiter, run_.cancel);
      if (!slot.held()) throw Failure(Failure::Kind::Cancelled, "cancelled");
      auto have = head_manifest(state_.client, target_.repository, digest.str());
      found[i] = have.has_value();
    } catch (const Failure& f) {
      fail("manifest " + digest.str(), f);
    }
  });
  std::set<oci::Digest> out;
  for (size_t i = 0; i < images.size(); ++i) {
    if (found[i]) out.insert(images[i]->manifest.digest);
  }
  return out;
}

void PushJob::push_blobs(const std::vector<oci::Descriptor>& blobs_in) {
  // Largest first, so the long transfers start early and the small ones fill in around them.
  std::vector<oci::Descriptor> blobs = blobs_in;
  std::stable_sort(blobs.begin(), blobs.end(),
                   [](const auto& a, const auto& b) { return a.size > b.size; });
  if (progress_ && !blobs.empty()) {
    std::uint64_t total = 0;
    for (const auto& b : blobs) total += static_cast<std::uint64_t>(b.size);
    progress_("checking " + std::to_string(blobs.size()) + " blobs (" + human_size(total) + ")");
  }
  parallel_for(blobs.size(), threads_, [&](size_t i) {
    const oci::Descriptor& blob = blobs[i];
    try {
      BlobReport r =
          push_blob(state_, target_.repository, blob, oci::blob_path(layout_.dir, blob.digest),
                    layout_.verified(blob.digest), progress_);
      switch (r.outcome) {
        case BlobOutcome::Existing:
          ++existing_;
          break;
        case BlobOutcome::Mounted:
          ++mounted_;
          break;
        case BlobOutcome::Uploaded:
          ++uploaded_;
          break;
      }
      bytes_ += r.bytes_uploaded;
    } catch (const Failure& f) {
      fail("blob " + blob.digest.str() + " (" + human_size(static_cast<std::uint64_t>(blob.size)) +
               ")",
           f);
    }
  });
}

std::string PushJob::read_document(const oci::Descriptor& d) const {
  try {
    return oci::BlobStore(layout_.dir).read(d, "the layout", kMaxDocument);
  } catch (const std::exception& e) {
    fail(document_kind(d) + " " + d.digest.str(),
         std::string("the layout changed since it was validated: ") + e.what());
  }
}

void PushJob::push_document(const oci::Descriptor& d, const std::string& reference,
                            const std::string& bytes) {
  try {
    put_manifest(state_.client, target_.repository, reference, d, bytes);
  } catch (const Failure& f) {
    fail(document_kind(d) + " " + d.digest.str(), f);
  }
}

}  // namespace steiger::registry
