// The registries.conf buildah gets (through CONTAINERS_REGISTRIES_CONF): the user's own file,
// plus what a Dockerfile written for Docker expects, plus the config's insecureRegistries.
#pragma once

#include <string>
#include <vector>

namespace steiger::docker {

// base: the registries.conf in force (may be empty). Returns it with
//  - `unqualified-search-registries = ["docker.io"]` in front when it sets none, so that
//    `FROM myorg/tool` means Docker Hub, as it does for docker;
//  - a [[registry]] table with `insecure = true` appended for each insecure registry (host or
//    host:port) it does not mention yet: plain HTTP or unverified TLS for those alone.
// A file in the old v1 format cannot take v2 tables: it is returned unchanged.
std::string registries_conf(const std::string& base, const std::vector<std::string>& insecure);

}  // namespace steiger::docker
