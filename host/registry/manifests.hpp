// Manifest requests: does the registry have this manifest (or tag), and pushing one byte for byte.
#pragma once

#include <optional>
#include <string>

#include "oci/descriptor.hpp"
#include "registry/client.hpp"

namespace steiger::registry {

// The digest the registry holds under `reference` (a tag or a digest) in `repository`: nullopt
// when it holds nothing there, "" when it does not say. One HEAD, retried when transient.
std::optional<std::string> head_manifest(RegistryClient& client, const std::string& repository,
                                         const std::string& reference);

// PUT /v2/<repository>/manifests/<reference> with `bytes` as they are and the descriptor's media
// type; checks the digest the registry reports. Throws Failure.
void put_manifest(RegistryClient& client, const std::string& repository,
                  const std::string& reference, const oci::Descriptor& manifest,
                  const std::string& bytes);

}  // namespace steiger::registry
