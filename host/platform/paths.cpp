#include "platform/paths.hpp"

#if defined(__APPLE__)
#include <mach-o/dyld.h>

#include <cerrno>
#include <cstdint>
#include <string>
#include <system_error>
#endif

namespace steiger::platform {

std::filesystem::path executable_path() {
#if defined(__APPLE__)
  // macOS has no /proc; dyld knows the path the executable was started from.
  uint32_t size = 0;
  _NSGetExecutablePath(nullptr, &size);
  std::string buffer(size, '\0');
  if (_NSGetExecutablePath(buffer.data(), &size) != 0) {
    throw std::filesystem::filesystem_error("_NSGetExecutablePath",
                                            std::make_error_code(std::errc::invalid_argument));
  }
  buffer.resize(buffer.find('\0'));
  return std::filesystem::canonical(buffer);
#else
  return std::filesystem::read_symlink("/proc/self/exe");
#endif
}

}  // namespace steiger::platform
