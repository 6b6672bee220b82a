#include "oci/file_ops.hpp"

#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <system_error>

#include "oci/export.hpp"

namespace fs = std::filesystem;

namespace steiger::oci {

namespace {

void make_owner_writable(const fs::path& file) {
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::add);
}

bool replaceable(const fs::path& destination) {
  std::error_code ec;
  if (!fs::is_directory(fs::symlink_status(destination, ec))) return false;
  return fs::exists(destination / "oci-layout", ec) || fs::is_empty(destination, ec);
}

}  // namespace

void place_file(const fs::path& from, const fs::path& to, bool move) {
  std::error_code ec;
  if (move && !fs::is_symlink(fs::symlink_status(from, ec))) {
    fs::rename(from, to, ec);
    if (!ec) {
      make_owner_writable(to);
      return;
    }
  }
  fs::copy_file(from, to);
  make_owner_writable(to);
}

void write_file(const fs::path& file, std::string_view bytes) {
  errno = 0;
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) {
    // iostreams keep no error code; errno from the failed call is the best there is.
    int error = errno ? errno : EIO;
    throw fs::filesystem_error("cannot write", file,
                               std::error_code(error, std::generic_category()));
  }
}

fs::path sibling(const fs::path& path, std::string_view purpose) {
  return path.parent_path() / ("." + path.filename().string() + "." + std::string(purpose) + "-" +
                               std::to_string(::getpid()));
}

void replace_directory(const fs::path& staged, const fs::path& destination) {
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(destination, ec))) {
    fs::rename(staged, destination);
    return;
  }
  if (!replaceable(destination)) {
    throw ExportError("refusing to replace " + destination.string() +
                      ": it exists and is neither an OCI image layout nor empty");
  }
  // Set aside rather than delete first, so a failed rename can put the old layout back.
  const fs::path old = sibling(destination, "old");
  fs::remove_all(old);
  fs::rename(destination, old);
  try {
    fs::rename(staged, destination);
  } catch (...) {
    fs::rename(old, destination, ec);
    throw;
  }
  fs::remove_all(old, ec);  // a leftover is only wasted space
}

}  // namespace steiger::oci
