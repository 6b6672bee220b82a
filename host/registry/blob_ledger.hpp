// What the run knows about the blobs of one registry: which of our repositories hold each
// digest (so a second repository mounts instead of uploading) and which digests are being
// uploaded right now (so two pushes sharing a base layer upload it once).
#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "oci/digest.hpp"
#include "platform/cancel.hpp"

namespace steiger::registry {

class BlobLedger {
 public:
  void record(const oci::Digest& digest, const std::string& repository);
  // A repository other than `repository` known to hold the digest, or "".
  std::string holder(const oci::Digest& digest, const std::string& repository) const;

  // True: the caller uploads the digest and must release() it after, whatever happens.
  // False: another push is uploading it; wait_until_free() and look again.
  bool claim(const oci::Digest& digest);
  void release(const oci::Digest& digest);
  // Returns when nobody uploads the digest (or when cancelled).
  void wait_until_free(const oci::Digest& digest, const platform::CancelSource* cancel);

 private:
  mutable std::mutex mutex_;
  std::condition_variable released_;
  std::map<oci::Digest, std::set<std::string>> holders_;
  std::set<oci::Digest> uploading_;
};

}  // namespace steiger::registry
