// Making one blob present in one repository: HEAD, else a cross-repository mount, else an upload
// streamed from the file (monolithic, or in chunks where the registry demands it).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "oci/descriptor.hpp"
#include "registry/registry_state.hpp"

namespace steiger::registry {

enum class BlobOutcome { Existing, Mounted, Uploaded };

struct BlobReport {
  BlobOutcome outcome = BlobOutcome::Existing;
  std::uint64_t bytes_uploaded = 0;  // this blob's size when uploaded, else 0
};

using ProgressFn = std::function<void(const std::string& message)>;

// Retries transient failures as a whole (an interrupted session is cancelled with DELETE and a
// new one started, after a HEAD in case the last attempt did land). Holds one of the registry's
// blob slots while it talks to it. Throws Failure.
//
// An upload hashes the bytes as it reads them and holds back the last ones unless they hash to
// the blob's digest (see ContentCheck), so the file is read once and a blob whose content is
// wrong is never committed: the session is deleted and a permanent Failure says "content does
// not match its digest". `verified`: validation already hashed the file, so a mismatch means it
// changed since, and the message says so. A blob the registry already has, or mounts, is not
// read at all: what it holds under that digest is right whatever the local file says.
BlobReport push_blob(RegistryState& state, const std::string& repository,
                     const oci::Descriptor& blob, const std::filesystem::path& file, bool verified,
                     const ProgressFn& progress);

// "sha256:0123456789ab" (12 hex digits), for progress lines.
std::string short_digest(const oci::Digest& digest);
// "12.3 MiB", "512 B".
std::string human_size(std::uint64_t bytes);

}  // namespace steiger::registry
