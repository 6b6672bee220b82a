// The OCI platform ("os/arch[/variant]") of the machine the host runs on.
#pragma once

#include <string>
#include <string_view>

namespace steiger::platform {

// From uname(): "linux/amd64", "darwin/arm64", "linux/arm/v7", ... Throws std::system_error.
std::string host_platform();

// uname's sysname and machine in OCI's spelling (GOOS/GOARCH); unknown machines pass through
// lowercased.
std::string normalize_platform(std::string_view sysname, std::string_view machine);

}  // namespace steiger::platform
