// Everything a run keeps per registry host: the client (scheme, auth, connections), the blob
// concurrency limit shared by all its pushes, and what the run knows of its blobs.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "registry/blob_ledger.hpp"
#include "registry/client.hpp"
#include "registry/limiter.hpp"

namespace steiger::registry {

struct RegistryState {
  RegistryState(std::string registry, std::string api_host, RunContext& run, size_t slots,
                std::uint64_t chunk)
      : client(std::move(registry), std::move(api_host), run), limiter(slots), chunk_size(chunk) {}

  RegistryClient client;
  Limiter limiter;
  BlobLedger ledger;
  // Set once the registry refuses a monolithic upload (413): blobs go in chunks from then on.
  std::atomic<bool> chunked{false};
  std::atomic<std::uint64_t> chunk_size;
};

}  // namespace steiger::registry
