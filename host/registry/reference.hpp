// Image references as users write them (`registry/name:tag`), normalized the way Docker does.
#pragma once

#include <string>
#include <string_view>

namespace steiger::registry {

struct Reference {
  // host[:port] as the user means it: "docker.io" for Docker Hub whichever alias was written
  // (index.docker.io, registry-1.docker.io, or no registry at all).
  std::string registry;
  std::string repository;  // "library/" prefixed for Docker Hub single names
  std::string tag;         // may be empty when `digest` is set, or when neither was written
  std::string digest;      // "sha256:..." or empty

  // "registry/repository[:tag][@digest]", the canonical form.
  std::string str() const;
  // The host[:port] requests go to: "registry-1.docker.io" for Docker Hub.
  std::string api_host() const;

  // Throws UserError saying what is wrong with the text and what a valid one looks like.
  static Reference parse(std::string_view text);
};

inline constexpr std::string_view kDockerHub = "docker.io";
inline constexpr std::string_view kDockerHubApiHost = "registry-1.docker.io";

// "docker.io" for every Docker Hub alias, the host otherwise.
std::string canonical_registry(std::string_view host);

}  // namespace steiger::registry
