#include "platform/host_platform.hpp"

#include <sys/utsname.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <system_error>

namespace steiger::platform {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string oci_arch(std::string_view machine) {
  std::string m = lower(machine);
  if (m == "x86_64" || m == "amd64") return "amd64";
  // macOS on Apple silicon says "arm64", Linux says "aarch64".
  if (m == "aarch64" || m == "arm64") return "arm64";
  if (m == "armv7l" || m == "armv7") return "arm/v7";
  if (m == "armv6l" || m == "armv6") return "arm/v6";
  if (m == "i386" || m == "i486" || m == "i586" || m == "i686") return "386";
  return m;  // ppc64le, s390x, riscv64 are already OCI's spelling
}

}  // namespace

std::string normalize_platform(std::string_view sysname, std::string_view machine) {
  return lower(sysname) + "/" + oci_arch(machine);
}

std::string host_platform() {
  utsname u{};
  if (::uname(&u) != 0) throw std::system_error(errno, std::generic_category(), "uname");
  return normalize_platform(u.sysname, u.machine);
}

}  // namespace steiger::platform
