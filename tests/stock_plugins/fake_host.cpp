#include "fake_host.hpp"

#include <sstream>

namespace stock_plugins_test {

namespace sdk = steiger::sdk;

std::string join(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) out += (out.empty() ? "" : " ") + a;
  return out;
}

namespace {

FakeHost& self(void* ctx) {
  return *static_cast<FakeHost*>(ctx);
}

void send_lines(const steiger_process_spec* spec, uint32_t stream, const std::string& text) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (spec->on_line) spec->on_line(spec->user, stream, sdk::to_abi(line));
}

}  // namespace

FakeHost::FakeHost(Script script) : script_(std::move(script)), context_(&api_) {
  api_.struct_size = sizeof api_;
  api_.ctx = this;
  api_.log = [](void* ctx, uint32_t, steiger_str message) {
    self(ctx).logs.push_back(sdk::from_abi(message));
  };
  api_.set_phase = [](void*, steiger_str) {};
  api_.report_progress = [](void*, double, steiger_str) {};
  api_.is_cancelled = [](void*) -> int32_t { return 0; };
  api_.run_process = [](void* ctx, const steiger_process_spec* spec,
                        steiger_process_result* result) -> int32_t {
    std::vector<std::string> argv;
    for (size_t i = 0; i < spec->argc; ++i) argv.push_back(sdk::from_abi(spec->argv[i]));
    self(ctx).commands.push_back(join(argv));
    Reply reply = self(ctx).script_(argv);
    if (reply.spawn_errno != 0) {
      result->spawn_errno = reply.spawn_errno;
      return reply.spawn_errno;
    }
    send_lines(spec, STEIGER_STREAM_STDOUT, reply.out);
    send_lines(spec, STEIGER_STREAM_STDERR, reply.err);
    result->exit_code = reply.exit_code;
    return 0;
  };
  api_.add_artifact = [](void*, steiger_str, steiger_str) {};
  api_.set_error = [](void*, steiger_str) {};
}

}  // namespace stock_plugins_test
