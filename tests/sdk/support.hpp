// Test doubles for the SDK's C boundary: a fake host (steiger_host_api over a C++ object), owned
// steiger_value trees, a small process runner, and temporary directories.
#pragma once

#include <steiger/sdk/abi.h>
#include <steiger/sdk/context.hpp>
#include <steiger/sdk/value.hpp>

#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace steiger::test {

// Owns a steiger_value tree built from an sdk::Value, as the host would lend it.
class AbiValue {
 public:
  explicit AbiValue(const sdk::Value& v) { root_ = convert(v); }
  const steiger_value* get() const { return &root_; }

 private:
  steiger_str str(const std::string& s) {
    const std::string& kept = strings_.emplace_back(s);
    return steiger_str{kept.data(), kept.size()};
  }
  steiger_value convert(const sdk::Value& v);

  std::deque<std::string> strings_;
  std::deque<std::vector<steiger_value>> arrays_;
  std::deque<std::vector<steiger_str>> keys_;
  steiger_value root_{};
};

// Shorthands for building sdk::Value trees in tests.
inline sdk::Value str(std::string s) {
  return sdk::Value(std::move(s));
}
inline sdk::Value num(std::int64_t i) {
  return sdk::Value(i);
}
inline sdk::Value arr(std::vector<sdk::Value> items) {
  return sdk::Value(std::move(items));
}
inline sdk::Value obj(sdk::Value::Object members) {
  return sdk::Value(std::move(members));
}
std::string dump(const sdk::Value& v);  // compact JSON-like text, for comparisons

// A host whose services record what the plugin did. run_process is pluggable; run_real() is a
// real (fork/exec) runner that reports lines the way the host does.
struct FakeHost {
  struct Line {
    std::uint32_t stream;
    std::string text;
  };
  using Runner = std::function<int32_t(const steiger_process_spec&, steiger_process_result&)>;

  std::vector<std::pair<std::uint32_t, std::string>> logs;
  std::vector<std::string> phases;
  std::vector<std::pair<double, std::string>> progress;
  std::vector<std::pair<std::string, std::string>> artifacts;
  std::vector<std::string> errors;
  std::vector<std::vector<std::string>> commands;  // argv of each run_process call
  std::vector<Line> lines;                         // every line of every process, in order
  bool cancelled = false;
  std::string work_dir;
  Runner runner;

  steiger_host_api api();
  static int32_t run_real(const steiger_process_spec& spec, steiger_process_result& result,
                          const std::string& default_cwd);
};

// A build request over owned storage.
struct BuildRequest {
  BuildRequest(std::string service, const sdk::Value& config, std::vector<std::string> platforms,
               std::string work_dir);
  const steiger_build_request* get() const { return &request; }

  std::string service_name, work, repo, tag_value, profile_value;
  AbiValue config;
  std::vector<std::string> platform_names;
  std::vector<steiger_str> platform_strs;
  steiger_build_request request{};
};

// A fresh directory under the system temp folder, removed with the object.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Runs a shell command; returns its exit status and stdout.
std::pair<int, std::string> shell(const std::string& command);
bool have_tool(const std::string& name);
std::string read_file(const std::filesystem::path& path);
std::string quote(const std::string& s);  // for the shell

}  // namespace steiger::test

namespace steiger::test {

// Checks an OCI image layout the way a strict reader would: oci-layout, index.json, and for each
// manifest (nested indexes too) that every blob exists, is a regular file and matches its
// descriptor's digest and size. Returns "" when valid, else the first problem.
std::string check_layout(const std::filesystem::path& dir);

}  // namespace steiger::test
