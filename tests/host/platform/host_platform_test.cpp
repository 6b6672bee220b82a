#include "platform/host_platform.hpp"

#include <sys/utsname.h>

#include <catch2/catch.hpp>

using steiger::platform::host_platform;
using steiger::platform::normalize_platform;

TEST_CASE("uname's names become OCI platforms") {
  struct Row {
    const char* sysname;
    const char* machine;
    const char* platform;
  };
  const Row rows[] = {
      {"Linux", "x86_64", "linux/amd64"},    {"Linux", "aarch64", "linux/arm64"},
      {"Darwin", "arm64", "darwin/arm64"},   {"Darwin", "x86_64", "darwin/amd64"},
      {"Linux", "armv7l", "linux/arm/v7"},   {"Linux", "armv6l", "linux/arm/v6"},
      {"Linux", "i686", "linux/386"},        {"Linux", "i386", "linux/386"},
      {"Linux", "ppc64le", "linux/ppc64le"}, {"Linux", "s390x", "linux/s390x"},
      {"Linux", "riscv64", "linux/riscv64"},
  };
  for (const Row& row : rows) {
    INFO(row.sysname << " " << row.machine);
    CHECK(normalize_platform(row.sysname, row.machine) == row.platform);
  }
}

TEST_CASE("the host platform is this machine's") {
  utsname u{};
  REQUIRE(::uname(&u) == 0);
  CHECK(host_platform() == normalize_platform(u.sysname, u.machine));
#if defined(__linux__) && defined(__x86_64__)
  CHECK(host_platform() == "linux/amd64");
#endif
}
