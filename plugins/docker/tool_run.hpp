// Running build tools so that a failure says what went wrong in one line: the tool's own error
// line, not only its exit status. Every line of output still streams to the service's log (the
// host shows its tail under the error). Shared with the railpack plugin.
#pragma once

#include <steiger/sdk/context.hpp>

#include <string>
#include <vector>

namespace steiger::tools {

// The line of a failed tool's output that says why: its last line starting with ERROR or Error
// (docker, buildah, railpack all print one), else its last non-empty line; shortened to fit.
std::string key_error_line(const sdk::ProcessResult& result);

// "<what> failed (exit status N): <key line>", then hint on a line of its own when given.
std::string failure_message(const std::string& what, const sdk::ProcessResult& result,
                            const std::string& hint = {});

// Runs argv; a non-zero exit throws sdk::Error(failure_message(what, ...)). A tool that is not
// installed throws sdk::Error naming it; a cancelled run throws sdk::Cancelled.
sdk::ProcessResult run_tool(const sdk::Context& ctx, const std::vector<std::string>& argv,
                            const std::string& what, const sdk::ProcessOptions& options = {});

}  // namespace steiger::tools
