// A host for unit tests of the stock plugins' code that runs tools: it answers each command line
// from a script instead of running anything, and records what was asked.
#pragma once

#include <steiger/sdk/abi.h>
#include <steiger/sdk/context.hpp>

#include <functional>
#include <string>
#include <vector>

namespace stock_plugins_test {

struct Reply {
  int exit_code = 0;
  std::string out, err;  // lines, each ending in '\n'
  int spawn_errno = 0;   // ENOENT: "not installed"
};

class FakeHost {
 public:
  using Script = std::function<Reply(const std::vector<std::string>& argv)>;
  explicit FakeHost(Script script);
  FakeHost(const FakeHost&) = delete;
  FakeHost& operator=(const FakeHost&) = delete;

  const steiger::sdk::Context& context() const { return context_; }
  // Each command line run, joined with spaces.
  std::vector<std::string> commands;
  std::vector<std::string> logs;

 private:
  Script script_;
  steiger_host_api api_{};
  steiger::sdk::Context context_;
};

std::string join(const std::vector<std::string>& argv);

}  // namespace stock_plugins_test
