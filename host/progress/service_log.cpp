#include "progress/service_log.hpp"

#include "common/error.hpp"

#include <cerrno>
#include <cstring>

namespace steiger::progress {

ServiceLog::ServiceLog(std::filesystem::path file, size_t tail_lines)
    : path_(std::move(file)), tail_lines_(tail_lines) {
  std::error_code ec;
  std::filesystem::create_directories(path_.parent_path(), ec);
  file_ = std::fopen(path_.c_str(), "w");
  if (!file_)
    throw UserError("cannot write the log file " + path_.string() + ": " + std::strerror(errno));
}

ServiceLog::~ServiceLog() {
  if (file_) std::fclose(file_);
}

void ServiceLog::write(std::string_view line) {
  std::lock_guard lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), file_);
  std::fputc('\n', file_);
  if (tail_.size() == tail_lines_) tail_.pop_front();
  tail_.emplace_back(line);
}

std::vector<std::string> ServiceLog::tail() const {
  std::lock_guard lock(mutex_);
  std::fflush(file_);
  return {tail_.begin(), tail_.end()};
}

}  // namespace steiger::progress
