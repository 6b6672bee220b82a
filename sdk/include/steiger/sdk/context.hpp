// What a plugin sees of the host during one call: its request and the services the host lends.
#pragma once

#include <steiger/sdk/abi.h>
#include <steiger/sdk/value.hpp>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <exception>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace steiger::sdk {

inline steiger_str to_abi(std::string_view s) {
  return steiger_str{s.data(), s.size()};
}
inline std::string from_abi(steiger_str s) {
  return std::string(s.data ? s.data : "", s.size);
}

// Thrown by plugin code to fail the current service with a message for the user.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Thrown by Context::check_cancelled() and by run() when the run was cancelled.
class Cancelled : public std::runtime_error {
 public:
  Cancelled() : std::runtime_error("cancelled") {}
};

enum class Stream { Stdout = STEIGER_STREAM_STDOUT, Stderr = STEIGER_STREAM_STDERR };

struct ProcessOptions {
  std::vector<std::string> env;  // "NAME=value", added to (or replacing) the host's environment
  bool replace_env = false;
  std::string cwd;         // empty: the work directory
  std::string stdin_data;  // fed to stdin, which is then closed
  bool quiet = false;      // keep the lines out of the live progress line (still logged)
  bool capture = true;     // keep the output in ProcessResult
  std::function<void(Stream, std::string_view)> on_line;  // called per line, as it arrives
};

struct ProcessResult {
  int exit_code = -1;
  int signal = 0;
  std::string stdout_text;  // captured lines, each ending in '\n'
  std::string stderr_text;
  bool ok() const { return exit_code == 0; }
  // The last lines of stderr (or stdout when stderr is empty), for error messages.
  std::string tail(size_t max_lines = 20) const {
    const std::string& text = stderr_text.empty() ? stdout_text : stderr_text;
    size_t pos = text.size(), lines = 0;
    while (pos > 0 && lines <= max_lines) {
      pos = text.rfind('\n', pos - 1);
      if (pos == std::string::npos) return text;
      ++lines;
    }
    return text.substr(pos == 0 ? 0 : pos + 1);
  }
};

class Context {
 public:
  explicit Context(const steiger_host_api* host, std::string repo_dir = {})
      : host_(host), repo_dir_(std::move(repo_dir)) {}

  // The project directory: relative paths in the config resolve here.
  const std::string& repo_dir() const { return repo_dir_; }
  // A path from the config, resolved against the project directory.
  std::string resolve(const std::string& path) const {
    if (!path.empty() && path[0] == '/') return path;
    if (path.empty() || path == ".") return repo_dir_;
    return repo_dir_ + "/" + path;
  }

  void log(std::string_view message, int level = STEIGER_LOG_INFO) const {
    host_->log(host_->ctx, static_cast<uint32_t>(level), to_abi(message));
  }
  void warn(std::string_view message) const { log(message, STEIGER_LOG_WARN); }
  // A short name for what the service is doing now ("building", "exporting").
  void phase(std::string_view name) const { host_->set_phase(host_->ctx, to_abi(name)); }
  // fraction in [0,1], or negative when unknown.
  void progress(double fraction, std::string_view message = {}) const {
    host_->report_progress(host_->ctx, fraction, to_abi(message));
  }
  bool cancelled() const { return host_->is_cancelled(host_->ctx) != 0; }
  void check_cancelled() const {
    if (cancelled()) throw Cancelled();
  }

  // Runs argv (no shell) to completion. Throws Error when it cannot start (naming the program,
  // e.g. "docker is not installed"), Cancelled when the run was cancelled. A non-zero exit is
  // returned, not thrown: use run_checked for that.
  ProcessResult run(const std::vector<std::string>& argv,
                    const ProcessOptions& options = {}) const {
    if (argv.empty()) throw Error("run: empty command line");
    std::vector<steiger_str> args, env;
    for (const auto& a : argv) args.push_back(to_abi(a));
    for (const auto& e : options.env) env.push_back(to_abi(e));
    struct Sink {
      const ProcessOptions* options;
      ProcessResult* result;
      std::exception_ptr error;  // from on_line, rethrown once the host has returned
    };
    ProcessResult result;
    Sink sink{&options, &result, nullptr};
    steiger_process_spec spec{};
    spec.struct_size = sizeof spec;
    spec.argv = args.data();
    spec.argc = args.size();
    spec.env = env.data();
    spec.envc = env.size();
    spec.env_mode = options.replace_env ? STEIGER_ENV_REPLACE : STEIGER_ENV_INHERIT;
    spec.flags = options.quiet ? static_cast<uint32_t>(STEIGER_PROCESS_QUIET) : 0u;
    spec.cwd = to_abi(options.cwd);
    spec.stdin_data = to_abi(options.stdin_data);
    spec.user = &sink;
    spec.on_line = [](void* user, uint32_t stream, steiger_str line) {
      auto* s = static_cast<Sink*>(user);
      std::string_view text(line.data, line.size);
      if (s->options->capture) {
        std::string& out =
            stream == STEIGER_STREAM_STDERR ? s->result->stderr_text : s->result->stdout_text;
        out.append(text);
        out.push_back('\n');
      }
      // An exception must not unwind through the host's frames: keep the first one and stop
      // calling back; it is rethrown after the process ends.
      if (!s->options->on_line || s->error) return;
      try {
        s->options->on_line(static_cast<Stream>(stream), text);
      } catch (...) {
        s->error = std::current_exception();
      }
    };
    steiger_process_result r{};
    r.struct_size = sizeof r;
    int32_t err = host_->run_process(host_->ctx, &spec, &r);
    if (sink.error) std::rethrow_exception(sink.error);
    if (r.cancelled) throw Cancelled();
    if (err != 0) {
      if (err == ENOENT) throw Error(argv[0] + " is not installed (not found in PATH)");
      throw Error("cannot start " + argv[0] + ": " + std::strerror(err));
    }
    result.exit_code = r.exit_code;
    result.signal = r.signal;
    return result;
  }

  // Like run, but a non-zero exit throws Error with the command and its last output lines.
  ProcessResult run_checked(const std::vector<std::string>& argv,
                            const ProcessOptions& options = {}) const {
    ProcessResult r = run(argv, options);
    if (!r.ok()) {
      std::string what =
          argv[0] + (r.signal ? " was killed by signal " + std::to_string(r.signal)
                              : " exited with status " + std::to_string(r.exit_code));
      std::string tail = r.tail();
      while (!tail.empty() && tail.back() == '\n') tail.pop_back();
      throw Error(tail.empty() ? what : what + ":\n" + tail);
    }
    return r;
  }

 protected:
  const steiger_host_api* host_;
  std::string repo_dir_;
};

class BuildContext : public Context {
 public:
  BuildContext(const steiger_build_request* request, const steiger_host_api* host)
      : Context(host, from_abi(request->repo_dir)),
        service_(from_abi(request->service)),
        config_(Value::from_abi(request->config)),
        work_dir_(from_abi(request->work_dir)),
        tag_(from_abi(request->tag)),
        profile_(from_abi(request->profile)) {
    for (size_t i = 0; i < request->platform_count; ++i)
      platforms_.push_back(from_abi(request->platforms[i]));
    // A field appended after 1.0's first cut: read it only when the host's struct has it.
    if (request->struct_size >= offsetof(steiger_build_request, insecure_registry_count) +
                                    sizeof(request->insecure_registry_count))
      for (size_t i = 0; i < request->insecure_registry_count; ++i)
        insecure_registries_.push_back(from_abi(request->insecure_registries[i]));
  }

  const std::string& service() const { return service_; }
  const Value& config() const { return config_; }
  // "os/arch[/variant]", at least one; several when the user asked for a multi-platform build.
  const std::vector<std::string>& platforms() const { return platforms_; }
  const std::string& work_dir() const { return work_dir_; }
  const std::string& tag() const { return tag_; }
  const std::string& profile() const { return profile_; }
  // Registries (host or host:port) the user allows over plain HTTP or unverified TLS.
  const std::vector<std::string>& insecure_registries() const { return insecure_registries_; }

  // Hands the host one OCI image layout directory for an artifact (one per artifact).
  void add_artifact(std::string_view artifact, std::string_view layout_dir) const {
    host_->add_artifact(host_->ctx, to_abi(artifact), to_abi(layout_dir));
  }

 private:
  std::string service_;
  Value config_;
  std::vector<std::string> platforms_;
  std::vector<std::string> insecure_registries_;
  std::string work_dir_, tag_, profile_;
};

struct ImageRef {
  std::string artifact;
  std::string reference;  // repo/name:tag@sha256:...
};

class DeployContext : public Context {
 public:
  DeployContext(const steiger_deploy_request* request, const steiger_host_api* host)
      : Context(host, from_abi(request->repo_dir)),
        release_(from_abi(request->release)),
        config_(Value::from_abi(request->config)),
        work_dir_(from_abi(request->work_dir)),
        profile_(from_abi(request->profile)) {
    for (size_t i = 0; i < request->image_count; ++i)
      images_.push_back(
          {from_abi(request->images[i].artifact), from_abi(request->images[i].reference)});
  }

  const std::string& release() const { return release_; }
  const Value& config() const { return config_; }
  const std::vector<ImageRef>& images() const { return images_; }
  const std::string& work_dir() const { return work_dir_; }
  const std::string& profile() const { return profile_; }

 private:
  std::string release_;
  Value config_;
  std::vector<ImageRef> images_;
  std::string work_dir_, profile_;
};

}  // namespace steiger::sdk
