#include "build/service_call.hpp"

#include "process/runner.hpp"

#include <cerrno>

namespace steiger::build {

namespace {

std::string str(steiger_str s) {
  return std::string(s.data ? s.data : "", s.size);
}

const char* level_prefix(uint32_t level) {
  switch (level) {
    case STEIGER_LOG_DEBUG:
      return "debug: ";
    case STEIGER_LOG_WARN:
      return "warning: ";
    case STEIGER_LOG_ERROR:
      return "error: ";
    default:
      return "";
  }
}

// Shell-like quoting for the log's record of a command line.
std::string quoted_command(const std::vector<std::string>& argv) {
  std::string out = "$";
  for (const auto& a : argv) {
    out += ' ';
    bool plain = !a.empty() && a.find_first_of(" \t\n'\"\\$`*?;&|<>()") == std::string::npos;
    if (plain) {
      out += a;
      continue;
    }
    out += '\'';
    for (char c : a) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    out += '\'';
  }
  return out;
}

}  // namespace

ServiceCall::ServiceCall(std::string service, progress::Reporter* reporter,
                         progress::ServiceLog* log, const platform::CancelSource* cancel,
                         std::filesystem::path work_dir)
    : service_(std::move(service)),
      reporter_(reporter),
      log_(log),
      cancel_(cancel),
      work_dir_(std::move(work_dir)) {
  api_.struct_size = sizeof api_;
  api_.ctx = this;
  api_.log = [](void* ctx, uint32_t level, steiger_str message) {
    auto& s = self(ctx);
    s.log(level_prefix(level) + str(message));
  };
  api_.set_phase = [](void* ctx, steiger_str phase) { self(ctx).phase(str(phase)); };
  api_.report_progress = [](void* ctx, double fraction, steiger_str message) {
    auto& s = self(ctx);
    s.emit(progress::EventKind::Progress, s.phase_, str(message), fraction);
  };
  api_.is_cancelled = [](void* ctx) -> int32_t { return self(ctx).cancelled() ? 1 : 0; };
  api_.run_process = [](void* ctx, const steiger_process_spec* spec,
                        steiger_process_result* result) -> int32_t {
    auto& s = self(ctx);
    process::Spec p;
    for (size_t i = 0; i < spec->argc; ++i) p.argv.push_back(str(spec->argv[i]));
    for (size_t i = 0; i < spec->envc; ++i) p.env.push_back(str(spec->env[i]));
    p.replace_env = spec->env_mode == STEIGER_ENV_REPLACE;
    p.cwd = spec->cwd.size ? std::filesystem::path(str(spec->cwd)) : s.work_dir_;
    p.stdin_data = str(spec->stdin_data);
    bool quiet = (spec->flags & STEIGER_PROCESS_QUIET) != 0;
    p.on_line = [&s, spec, quiet](process::Stream stream, std::string_view line) {
      if (s.log_) s.log_->write(line);
      if (!quiet) s.emit(progress::EventKind::Output, s.phase_, std::string(line));
      if (spec->on_line)
        spec->on_line(spec->user, static_cast<uint32_t>(stream),
                      steiger_str{line.data(), line.size()});
    };
    if (p.argv.empty()) return EINVAL;
    if (s.log_) s.log_->write(quoted_command(p.argv));
    process::Result r = process::run(p, s.cancel_);
    result->exit_code = r.exit_code;
    result->signal = r.signal;
    result->cancelled = r.cancelled ? 1 : 0;
    result->spawn_errno = r.spawn_errno;
    if (r.spawn_errno && s.log_) s.log_->write(p.argv[0] + ": cannot start");
    return r.spawn_errno;
  };
  api_.add_artifact = [](void* ctx, steiger_str artifact, steiger_str layout_dir) {
    self(ctx).artifacts_.emplace_back(str(artifact), str(layout_dir));
  };
  api_.set_error = [](void* ctx, steiger_str message) { self(ctx).error_ = str(message); };
}

void ServiceCall::emit(progress::EventKind kind, std::string phase, std::string message,
                       double fraction) {
  if (!reporter_) return;
  progress::Event e;
  e.kind = kind;
  e.service = service_;
  e.phase = std::move(phase);
  e.message = std::move(message);
  e.fraction = fraction;
  reporter_->on_event(e);
}

void ServiceCall::check_cancelled() const {
  if (cancelled()) throw std::runtime_error("cancelled");
}

void ServiceCall::phase(const std::string& name) {
  phase_ = name;
  if (log_) log_->write("== " + name);
  emit(progress::EventKind::Phase, name, {});
}

void ServiceCall::progress(const std::string& message) {
  if (log_) log_->write(message);
  emit(progress::EventKind::Output, phase_, message);
}

void ServiceCall::record(const std::string& message) {
  if (log_) log_->write(message);
}

void ServiceCall::log(const std::string& message) {
  if (log_) log_->write(message);
  emit(progress::EventKind::Log, phase_, message);
}

}  // namespace steiger::build
