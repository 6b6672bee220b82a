// The SDK version a plugin is built against, and the host's compatibility rule.
#pragma once

#include <steiger/sdk/abi.h>

#include <cstdint>

namespace steiger::sdk {

inline constexpr std::uint32_t version_major = STEIGER_SDK_VERSION_MAJOR;
inline constexpr std::uint32_t version_minor = STEIGER_SDK_VERSION_MINOR;

// A host of major M, minor N loads plugins built against M.0 up to M.N.
constexpr bool host_accepts(std::uint32_t plugin_major, std::uint32_t plugin_minor) {
  return plugin_major == version_major && plugin_minor <= version_minor;
}

}  // namespace steiger::sdk
