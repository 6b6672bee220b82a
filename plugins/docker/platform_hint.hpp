// What a failed build for another CPU architecture most likely lacks: RUN steps of a foreign
// image execute under qemu, through a binfmt_misc handler the kernel must have registered.
#pragma once

#include <string>

namespace steiger::docker {

// The architecture this plugin was compiled for, as OCI names it (amd64, arm64, ...).
std::string native_architecture();

// For a platform ("linux/arm64") whose architecture is not the native one and for which no qemu
// binfmt handler is registered: a sentence saying so and what to install. Otherwise empty.
// binfmt_dir is where the kernel lists its handlers.
std::string foreign_platform_hint(const std::string& platform,
                                  const std::string& binfmt_dir = "/proc/sys/fs/binfmt_misc");

}  // namespace steiger::docker
