#include "registry/blob_ledger.hpp"

#include <chrono>

namespace steiger::registry {

void BlobLedger::record(const oci::Digest& digest, const std::string& repository) {
  std::lock_guard lock(mutex_);
  holders_[digest].insert(repository);
}

std::string BlobLedger::holder(const oci::Digest& digest, const std::string& repository) const {
  std::lock_guard lock(mutex_);
  auto it = holders_.find(digest);
  if (it == holders_.end()) return {};
  for (const auto& repo : it->second) {
    if (repo != repository) return repo;
  }
  return {};
}

bool BlobLedger::claim(const oci::Digest& digest) {
  std::lock_guard lock(mutex_);
  return uploading_.insert(digest).second;
}

void BlobLedger::release(const oci::Digest& digest) {
  {
    std::lock_guard lock(mutex_);
    uploading_.erase(digest);
  }
  released_.notify_all();
}

void BlobLedger::wait_until_free(const oci::Digest& digest, const platform::CancelSource* cancel) {
  std::unique_lock lock(mutex_);
  while (uploading_.count(digest) && !(cancel && cancel->cancelled())) {
    released_.wait_for(lock, std::chrono::milliseconds(100));
  }
}

}  // namespace steiger::registry
