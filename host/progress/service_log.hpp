// A service's full output, kept in .steiger/logs/<service>.log, and its last lines in memory so a
// failure can show them without reading the file back.
#pragma once

#include <cstdio>
#include <deque>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace steiger::progress {

class ServiceLog {
 public:
  ServiceLog(std::filesystem::path file, size_t tail_lines = 25);
  ~ServiceLog();
  ServiceLog(const ServiceLog&) = delete;
  ServiceLog& operator=(const ServiceLog&) = delete;

  void write(std::string_view line);
  std::vector<std::string> tail() const;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  size_t tail_lines_;
  mutable std::mutex mutex_;
  std::FILE* file_ = nullptr;
  std::deque<std::string> tail_;
};

}  // namespace steiger::progress
