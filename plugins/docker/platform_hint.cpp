#include "platform_hint.hpp"

#include <filesystem>
#include <map>

namespace steiger::docker {

std::string native_architecture() {
#if defined(__x86_64__)
  return "amd64";
#elif defined(__aarch64__)
  return "arm64";
#elif defined(__arm__)
  return "arm";
#elif defined(__i386__)
  return "386";
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return "ppc64le";
#elif defined(__s390x__)
  return "s390x";
#elif defined(__riscv) && __riscv_xlen == 64
  return "riscv64";
#else
  return "unknown";
#endif
}

std::string foreign_platform_hint(const std::string& platform, const std::string& binfmt_dir) {
  auto first = platform.find('/');
  if (first == std::string::npos) return {};
  auto second = platform.find('/', first + 1);
  std::string arch =
      platform.substr(first + 1, second == std::string::npos ? second : second - first - 1);
  if (arch == native_architecture()) return {};
  // qemu names its handlers after the kernel's architecture names, not OCI's.
  static const std::map<std::string, std::string> qemu_names = {
      {"amd64", "x86_64"},    {"arm64", "aarch64"}, {"arm", "arm"},        {"386", "i386"},
      {"ppc64le", "ppc64le"}, {"s390x", "s390x"},   {"riscv64", "riscv64"}};
  auto known = qemu_names.find(arch);
  std::string qemu = known == qemu_names.end() ? arch : known->second;
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::path(binfmt_dir) / ("qemu-" + qemu), ec)) return {};
  return "building " + platform + " on this linux/" + native_architecture() +
         " machine runs its RUN steps under emulation, and no qemu binfmt handler for " + qemu +
         " is registered: install qemu-user-static (Debian registers its handlers through " +
         "binfmt-support), or build " + platform + " on a native machine";
}

}  // namespace steiger::docker
