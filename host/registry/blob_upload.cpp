#include "registry/blob_upload.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>

#include "registry/answer.hpp"
#include "registry/content_check.hpp"
#include "registry/url.hpp"

namespace steiger::registry {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::uint64_t kMinChunk = 256 * 1024;
// Blobs at least this large get periodic progress lines while they upload.
constexpr std::uint64_t kReportedSize = 8 << 20;
constexpr std::chrono::seconds kReportEvery{2};

[[noreturn]] void transient(const std::string& detail) {
  throw Failure(Failure::Kind::Transient, detail, std::chrono::milliseconds(0));
}

class Upload {
 public:
  Upload(RegistryState& state, const std::string& repository, const oci::Descriptor& blob,
         const std::filesystem::path& file, bool verified, const ProgressFn& progress)
      : state_(state),
        client_(state.client),
        repository_(repository),
        blob_(blob),
        file_(file),
        verified_(verified),
        progress_(progress),
        size_(static_cast<std::uint64_t>(blob.size)),
        check_(blob.digest, size_) {}

  // One attempt; nullopt when another push is uploading the same digest right now.
  std::optional<BlobReport> attempt() {
    Limiter::Slot slot(state_.limiter, client_.cancel());
    if (!slot.held()) throw Failure(Failure::Kind::Cancelled, "cancelled");
    if (exists()) return done(BlobOutcome::Existing);

    std::string location;
    if (std::string from = state_.ledger.holder(blob_.digest, repository_); !from.empty()) {
      if (auto mounted = mount(from, location)) return mounted;
    }
    if (!state_.ledger.claim(blob_.digest)) {
      if (!location.empty()) cancel_session(location);
      return std::nullopt;
    }
    struct Release {
      BlobLedger& ledger;
      const oci::Digest& digest;
      ~Release() { ledger.release(digest); }
    } release{state_.ledger, blob_.digest};

    if (location.empty()) location = start_session();
    check_.restart();
    try {
      if (state_.chunked.load()) {
        send_chunks(location);
      } else {
        send_whole(location);
      }
    } catch (...) {
      cancel_session(location);
      // The check stopped the transfer: say why, rather than how the request ended.
      if (check_.refused() && check_.state() == ContentCheck::State::Mismatched) {
        throw content_mismatch();
      }
      if (check_.refused()) {
        transient("lost track of the bytes sent while hashing them; starting the upload over");
      }
      throw;
    }
    BlobReport report = done(BlobOutcome::Uploaded);
    report.bytes_uploaded = size_;
    return report;
  }

 private:
  Scopes scopes(const std::string& from = {}) const {
    Scopes s{repository_scope(repository_, true)};
    if (!from.empty()) s.push_back(repository_scope(from, false));
    return s;
  }

  std::string blob_path() const { return "/v2/" + repository_ + "/blobs/"; }

  BlobReport done(BlobOutcome outcome) {
    state_.ledger.record(blob_.digest, repository_);
    return {outcome, 0};
  }

  bool exists() {
    http::Request req;
    req.method = "HEAD";
    req.url = client_.url(blob_path() + blob_.digest.str());
    http::Response r = client_.send(req, scopes());
    if (r.status == 200) return true;
    if (r.status == 404) return false;
    throw failure_from(r, "checking whether the registry has the blob");
  }

  // 201: mounted. 202: the registry would not mount but opened an upload session instead,
  // returned through `location`.
  std::optional<BlobReport> mount(const std::string& from, std::string& location) {
    http::Request req;
    req.method = "POST";
    req.url = client_.url(blob_path() + "uploads/");
    req.url = url::add_query(req.url, "mount", blob_.digest.str());
    req.url = url::add_query(req.url, "from", from);
    http::Response r = client_.send(req, scopes(from));
    if (r.status == 201) {
      if (progress_) progress_("mounted " + short_digest(blob_.digest) + " from " + from);
      return done(BlobOutcome::Mounted);
    }
    if (r.status == 202) {
      location = session_location(r);
      return std::nullopt;
    }
    throw failure_from(r, "mounting the blob from " + from);
  }

  std::string session_location(const http::Response& r) const {
    const std::string* loc = r.header("location");
    if (!loc || loc->empty()) {
      throw Failure(Failure::Kind::Permanent,
                    "the registry opened an upload session without a Location header");
    }
    return url::resolve(r.url, *loc);
  }

  std::string start_session() {
    http::Request req;
    req.method = "POST";
    req.url = client_.url(blob_path() + "uploads/");
    http::Response r = client_.send(req, scopes());
    if (r.status != 202) throw failure_from(r, "starting an upload");
    return session_location(r);
  }

  http::Request body_request(const std::string& method, const std::string& where,
                             std::uint64_t offset, std::uint64_t length) {
    http::Request req;
    req.method = method;
    req.url = where;
    req.headers.push_back("Content-Type: application/octet-stream");
    req.body = http::Body::of_file(file_, offset, length, &check_);
    if (size_ >= kReportedSize && progress_) {
      req.on_sent = [this, offset](std::uint64_t sent) { report(offset + sent); };
    }
    return req;
  }

  void report(std::uint64_t sent) {
    auto now = Clock::now();
    if (now - last_report_ < kReportEvery) return;
    last_report_ = now;
    progress_("uploading " + short_digest(blob_.digest) + " " + human_size(sent) + " / " +
              human_size(size_));
  }

  void announce() {
    if (!progress_) return;
    progress_("uploading " + short_digest(blob_.digest) + " (" + human_size(size_) + ")");
    last_report_ = Clock::now();
  }

  // Failure, for a blob whose bytes do not hash to its digest.
  Failure content_mismatch() {
    std::string detail = "content does not match its digest (the file hashes to " +
                         blob_.digest.algorithm + ":" + check_.actual_hex() + ")";
    if (verified_) detail += ": it changed on disk after the layout was validated";
    return Failure(Failure::Kind::Permanent, detail);
  }

  // Before the request that completes the upload: the bytes sent so far must be the blob.
  void require_match() {
    if (check_.state() == ContentCheck::State::Matched) return;
    if (check_.state() == ContentCheck::State::Mismatched) throw content_mismatch();
    transient("not every byte of the blob went through the digest check; starting over");
  }

  // A monolithic upload: the whole file in one PUT ?digest=. The check refuses its last bytes
  // when they do not match; a 0-byte body has none to refuse, so it is checked first.
  void send_whole(const std::string& location) {
    announce();
    if (size_ == 0) require_match();
    http::Request req =
        body_request("PUT", url::add_query(location, "digest", blob_.digest.str()), 0, size_);
    http::Response r = client_.send(req, scopes());
    if (r.status == 413) {
      state_.chunked = true;
      transient("the registry refused a " + human_size(size_) +
                " upload in one request (HTTP 413); sending it in chunks");
    }
    finish(r);
  }

  // PATCH chunks in order, each to the Location the previous answer gave, then PUT ?digest=.
  void send_chunks(std::string location) {
    announce();
    const std::uint64_t chunk = std::max(state_.chunk_size.load(), kMinChunk);
    for (std::uint64_t offset = 0; offset < size_;) {
      std::uint64_t n = std::min(chunk, size_ - offset);
      http::Request req = body_request("PATCH", location, offset, n);
      req.headers.push_back("Content-Range: " + std::to_string(offset) + "-" +
                            std::to_string(offset + n - 1));
      http::Response r = client_.send(req, scopes());
      if (r.status == 413 && chunk > kMinChunk) {
        state_.chunk_size = std::max(chunk / 2, kMinChunk);
        transient("the registry refused a " + human_size(n) + " chunk (HTTP 413); retrying with " +
                  human_size(state_.chunk_size.load()) + " chunks");
      }
      if (r.status != 202 && r.status != 204) check_session(r, "sending a chunk");
      if (const std::string* loc = r.header("location"); loc && !loc->empty()) {
        location = url::resolve(r.url, *loc);
      }
      offset += n;
    }
    require_match();
    http::Request req;
    req.method = "PUT";
    req.url = url::add_query(location, "digest", blob_.digest.str());
    req.body = http::Body::of_bytes({});
    finish(client_.send(req, scopes()));
  }

  void finish(const http::Response& r) {
    if (r.status != 201 && r.status != 204 && r.status != 200) check_session(r, "uploading");
    const std::string* digest = r.header("docker-content-digest");
    if (digest && *digest != blob_.digest.str()) {
      throw Failure(Failure::Kind::Permanent, "the registry stored the blob as " + *digest +
                                                  " instead of " + blob_.digest.str());
    }
  }

  // Throws the failure an unexpected answer to an upload request means.
  [[noreturn]] void check_session(const http::Response& r, const std::string& what) {
    if (r.body.find("DIGEST_INVALID") != std::string::npos) {
      throw Failure(Failure::Kind::Permanent,
                    "the registry computed another digest for the bytes sent: the blob file "
                    "changed on disk after the layout was validated (" +
                        describe(r) + ")");
    }
    // The session is gone (expired, or a previous attempt completed it): start over with HEAD.
    if (r.status == 404) transient(what + ": the upload session is gone (" + describe(r) + ")");
    throw failure_from(r, what);
  }

  void cancel_session(const std::string& location) {
    http::Request req;
    req.method = "DELETE";
    req.url = location;
    client_.send_quietly(req, scopes());
  }

  RegistryState& state_;
  RegistryClient& client_;
  const std::string& repository_;
  const oci::Descriptor& blob_;
  const std::filesystem::path& file_;
  const bool verified_;
  const ProgressFn& progress_;
  const std::uint64_t size_;
  ContentCheck check_;
  Clock::time_point last_report_;
};

}  // namespace

std::string short_digest(const oci::Digest& digest) {
  return digest.algorithm + ":" + digest.hex.substr(0, 12);
}

std::string human_size(std::uint64_t bytes) {
  char buf[32];
  if (bytes < 1024) {
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  } else if (bytes < (1ULL << 20)) {
    std::snprintf(buf, sizeof buf, "%.1f KiB", static_cast<double>(bytes) / 1024);
  } else if (bytes < (1ULL << 30)) {
    std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  } else {
    std::snprintf(buf, sizeof buf, "%.2f GiB", static_cast<double>(bytes) / (1 << 30));
  }
  return buf;
}

BlobReport push_blob(RegistryState& state, const std::string& repository,
                     const oci::Descriptor& blob, const std::filesystem::path& file, bool verified,
                     const ProgressFn& progress) {
  Upload upload(state, repository, blob, file, verified, progress);
  BlobReport report;
  with_retries(state.client.retry(), state.client.cancel(), [&] {
    while (true) {
      // Waiting for another push's upload of the same digest holds no slot.
      state.ledger.wait_until_free(blob.digest, state.client.cancel());
      if (auto r = upload.attempt()) {
        report = *r;
        return;
      }
    }
  });
  return report;
}

}  // namespace steiger::registry
