// `nonroot: true`: the Rust Steiger's second stage, built FROM the railpack image (passed to
// BuildKit as the named context `base`, from its OCI image layout) that creates user railpack
// (UID/GID 1000), gives it a copy of root's home directory (where Railpack's tools keep their
// state) and runs as it.
#pragma once

#include <string>

namespace steiger::railpack {

// The named build context the generated Dockerfile starts FROM, and the tag it is found under
// in the first stage's layout.
inline constexpr const char* kBaseContext = "base";

// The Dockerfile of the second stage: groupadd/useradd as the Rust Steiger did (Railpack's images
// are Debian), or plain /etc/passwd and /etc/group lines where those tools are missing.
std::string nonroot_dockerfile();

// --build-context base=oci-layout://LAYOUT:base
std::string base_context_flag(const std::string& layout);

// Tags the one image index.json of `layout` lists as kBaseContext, so BuildKit can find it by
// tag (digest-only oci-layout references are broken in some buildx releases). Throws sdk::Error.
void tag_base_layout(const std::string& layout);

}  // namespace steiger::railpack
