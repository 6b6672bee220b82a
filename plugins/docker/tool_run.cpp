#include "tool_run.hpp"

#include <string_view>

namespace steiger::tools {

namespace {

constexpr std::size_t kMaxLine = 400;
constexpr std::size_t kMaxStep = 60;

bool is_error_line(std::string_view line) {
  for (std::string_view prefix : {"ERROR", "Error:", "error:", "Error "})
    if (line.substr(0, prefix.size()) == prefix) return true;
  return false;
}

std::string shorten(std::string line) {
  // buildah appends a dump of its parser's state to Dockerfile errors: noise for a reader.
  if (auto dump = line.find(" &imagebuilder."); dump != std::string::npos) line.resize(dump);
  // A long RUN step quoted in full would push the reason out of sight: keep its start.
  if (auto step = line.find("STEP \""); step != std::string::npos) {
    auto start = step + 6, end = line.find("\": ", start);
    if (end != std::string::npos && end - start > kMaxStep)
      line.replace(start + kMaxStep, end - start - kMaxStep, "...");
  }
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
  if (line.size() > kMaxLine) line = line.substr(0, kMaxLine) + "...";
  return line;
}

}  // namespace

std::string key_error_line(const sdk::ProcessResult& result) {
  std::string last_error, last_line;
  for (const std::string* text : {&result.stdout_text, &result.stderr_text}) {
    std::string_view rest(*text);
    while (!rest.empty()) {
      auto nl = rest.find('\n');
      std::string_view line = rest.substr(0, nl);
      rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      // logrus-style lines of buildah ("time=... level=error msg=...") are not what the user needs.
      if (line.substr(0, 5) == "time=") continue;
      last_line = line;
      if (is_error_line(line)) last_error = line;
    }
    // stderr is read second, so its lines win: that is where tools say why they failed.
  }
  return shorten(last_error.empty() ? last_line : last_error);
}

std::string failure_message(const std::string& what, const sdk::ProcessResult& result,
                            const std::string& hint) {
  std::string message = what + " failed (" +
                        (result.signal ? "killed by signal " + std::to_string(result.signal)
                                       : "exit status " + std::to_string(result.exit_code)) +
                        ")";
  std::string line = key_error_line(result);
  if (!line.empty()) message += ": " + line;
  if (!hint.empty()) message += "\n" + hint;
  return message;
}

sdk::ProcessResult run_tool(const sdk::Context& ctx, const std::vector<std::string>& argv,
                            const std::string& what, const sdk::ProcessOptions& options) {
  sdk::ProcessResult result = ctx.run(argv, options);
  if (!result.ok()) throw sdk::Error(failure_message(what, result));
  return result;
}

}  // namespace steiger::tools
