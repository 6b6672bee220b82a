#include "process/runner.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <memory>
#include <system_error>
#include <utility>

#include "platform/fd.hpp"
#include "platform/spawn.hpp"
#include "process/environment.hpp"
#include "process/line_splitter.hpp"
#include "process/program_search.hpp"

namespace steiger::process {
namespace {

using Clock = std::chrono::steady_clock;
using platform::UniqueFd;

constexpr size_t kReadSize = 64 * 1024;
// After SIGKILL, what is still buffered in a pipe is read, up to this much: a process outside the
// group (a daemon that called setsid) could otherwise keep us reading forever.
constexpr size_t kDrainLimit = 1024 * 1024;

// posix_spawn wants char* const[]; it does not write through them.
std::vector<char*> c_array(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (const std::string& s : strings) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

int poll_timeout(Clock::time_point deadline) {
  auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, INT_MAX));
}

// One of the child's output pipes, read end.
class Output {
 public:
  Output(UniqueFd fd, Stream stream, const Spec& spec, std::string* raw)
      : fd_(std::move(fd)), raw_(raw), lines_([stream, &spec](std::string_view line) {
          if (spec.on_line) spec.on_line(stream, line);
        }) {}

  int fd() const { return fd_.get(); }
  bool open() const { return static_cast<bool>(fd_); }

  // One read; closes on EOF or error.
  void read_once(char* buffer) {
    ssize_t n = ::read(fd_.get(), buffer, kReadSize);
    if (n > 0) {
      consume(std::string_view(buffer, static_cast<size_t>(n)));
    } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
      close();
    }
  }

  // Whatever is buffered now, without waiting for more.
  void drain(char* buffer) {
    for (size_t total = 0; open() && total < kDrainLimit;) {
      ssize_t n = ::read(fd_.get(), buffer, kReadSize);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      consume(std::string_view(buffer, static_cast<size_t>(n)));
      total += static_cast<size_t>(n);
    }
    close();
  }

  void close() {
    if (!open()) return;
    fd_.reset();
    if (raw_ == nullptr) lines_.finish();
  }

 private:
  void consume(std::string_view data) {
    if (raw_ != nullptr) {
      raw_->append(data);
    } else {
      lines_.feed(data);
    }
  }

  UniqueFd fd_;
  std::string* raw_;  // capture(): the bytes themselves instead of lines
  LineSplitter lines_;
};

// One started child, from its first byte of output to its reaping.
class Session {
 public:
  Session(const Spec& spec, const platform::CancelSource* cancel, platform::Child child,
          UniqueFd out, UniqueFd err, UniqueFd in, std::string* raw_stdout)
      : spec_(spec),
        cancel_(cancel),
        child_(std::move(child)),
        out_(std::move(out), Stream::Stdout, spec, raw_stdout),
        err_(std::move(err), Stream::Stderr, spec, nullptr),
        in_(std::move(in)),
        buffer_(std::make_unique_for_overwrite<char[]>(kReadSize)) {}

  Result finish() {
    pump_pipes();
    wait_for_leader();
    // The leader is gone but unreaped, so the group id is still ours: whatever of the group
    // outlived it after a cancellation goes now.
    if (term_sent_) child_.signal_group(SIGKILL);
    return result_from(child_.reap());
  }

 private:
  void start_cancel() {
    term_sent_ = true;
    kill_at_ = Clock::now() + spec_.kill_grace;
    child_.signal_group(SIGTERM);
    in_.reset();  // nothing more for a process we are stopping
  }

  void kill_if_due() {
    if (term_sent_ && !kill_sent_ && Clock::now() >= kill_at_) {
      kill_sent_ = true;
      child_.signal_group(SIGKILL);
    }
  }

  // Reads stdout and stderr and writes stdin until every pipe is closed, or, once cancelled,
  // until the group has been killed.
  void pump_pipes() {
    while (out_.open() || err_.open() || in_) {
      pollfd fds[4];
      nfds_t n = 0;
      int out_i = -1, err_i = -1, in_i = -1, cancel_i = -1;
      if (out_.open()) fds[out_i = static_cast<int>(n++)] = {out_.fd(), POLLIN, 0};
      if (err_.open()) fds[err_i = static_cast<int>(n++)] = {err_.fd(), POLLIN, 0};
      if (in_) fds[in_i = static_cast<int>(n++)] = {in_.get(), POLLOUT, 0};
      if (cancel_ != nullptr && !term_sent_) {
        fds[cancel_i = static_cast<int>(n++)] = {cancel_->wake_fd(), POLLIN, 0};
      }
      int rc = ::poll(fds, n, term_sent_ ? poll_timeout(kill_at_) : -1);
      if (rc < 0 && errno != EINTR) throw std::system_error(errno, std::generic_category(), "poll");
      if (rc > 0) {
        if (out_i >= 0 && fds[out_i].revents != 0) out_.read_once(buffer_.get());
        if (err_i >= 0 && fds[err_i].revents != 0) err_.read_once(buffer_.get());
        if (in_i >= 0 && fds[in_i].revents != 0) write_stdin();
        if (cancel_i >= 0 && fds[cancel_i].revents != 0) start_cancel();
      }
      kill_if_due();
      if (kill_sent_) {
        // The group is dead; anything still holding the pipes is not ours to wait for.
        out_.drain(buffer_.get());
        err_.drain(buffer_.get());
        in_.reset();
      }
    }
  }

  void write_stdin() {
    const std::string& data = spec_.stdin_data;
    ssize_t n =
        platform::write_no_sigpipe(in_.get(), data.data() + written_, data.size() - written_);
    if (n > 0) written_ += static_cast<size_t>(n);
    // EPIPE: the child stopped reading, which is its business.
    if (written_ == data.size() || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
      in_.reset();
    }
  }

  // The pipes are closed; the leader may still run (it closed its stdio, or is exiting).
  void wait_for_leader() {
    auto backoff = std::chrono::milliseconds(1);
    while (!child_.exited()) {
      pollfd fds[2];
      nfds_t n = 0;
      int cancel_i = -1;
      if (child_.exit_fd() >= 0) fds[n++] = {child_.exit_fd(), POLLIN, 0};
      if (cancel_ != nullptr && !term_sent_) {
        fds[cancel_i = static_cast<int>(n++)] = {cancel_->wake_fd(), POLLIN, 0};
      }
      int timeout = -1;
      if (child_.exit_fd() < 0) {
        // No pidfd to wait on: look again, less and less often.
        timeout = static_cast<int>(backoff.count());
        backoff = std::min(backoff * 2, std::chrono::milliseconds(100));
      }
      if (term_sent_ && !kill_sent_) {
        int until_kill = poll_timeout(kill_at_);
        timeout = timeout < 0 ? until_kill : std::min(timeout, until_kill);
      }
      int rc = ::poll(fds, n, timeout);
      if (rc < 0 && errno != EINTR) throw std::system_error(errno, std::generic_category(), "poll");
      if (rc > 0 && cancel_i >= 0 && fds[cancel_i].revents != 0) start_cancel();
      kill_if_due();
    }
  }

  Result result_from(int status) const {
    Result r;
    r.cancelled = term_sent_;
    if (WIFEXITED(status)) {
      r.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
      r.signal = WTERMSIG(status);
    }
    return r;
  }

  const Spec& spec_;
  const platform::CancelSource* cancel_;
  platform::Child child_;
  Output out_;
  Output err_;
  UniqueFd in_;
  size_t written_ = 0;
  std::unique_ptr<char[]> buffer_;
  bool term_sent_ = false;
  bool kill_sent_ = false;
  Clock::time_point kill_at_{};
};

Result run_impl(const Spec& spec, const platform::CancelSource* cancel, std::string* raw_stdout) {
  Result result;
  if (spec.argv.empty()) {
    result.spawn_errno = EINVAL;
    return result;
  }
  if (cancel != nullptr && cancel->cancelled()) {
    result.cancelled = true;
    return result;
  }

  std::vector<std::string> env = merge_environment(host_environment(), spec.env, spec.replace_env);
  ProgramLookup program = find_program(spec.argv[0], search_path_for(env));
  if (program.error != 0) {
    result.spawn_errno = program.error;
    return result;
  }

  platform::PipePair out, err, in;
  UniqueFd child_stdin;
  try {
    out = platform::make_pipe();
    err = platform::make_pipe();
    if (spec.stdin_data.empty()) {
      child_stdin = platform::open_dev_null();
    } else {
      in = platform::make_pipe();
      child_stdin = std::move(in.read);
    }
    platform::set_nonblocking(out.read.get());
    platform::set_nonblocking(err.read.get());
    if (in.write) platform::set_nonblocking(in.write.get());
  } catch (const std::system_error& e) {
    result.spawn_errno = e.code().value();  // EMFILE, ENFILE: reported like a failed start
    return result;
  }

  std::vector<char*> argv = c_array(spec.argv);
  std::vector<char*> envp = c_array(env);
  std::string cwd = spec.cwd.string();
  platform::SpawnRequest request;
  request.path = program.path.c_str();
  request.argv = argv.data();
  request.envp = envp.data();
  request.cwd = cwd.empty() ? nullptr : cwd.c_str();
  request.stdin_fd = child_stdin.get();
  request.stdout_fd = out.write.get();
  request.stderr_fd = err.write.get();
  platform::SpawnResult spawned = platform::spawn_in_new_group(request);
  // Only the child may hold these ends, or we would never see EOF.
  child_stdin.reset();
  out.write.reset();
  err.write.reset();
  if (spawned.error != 0) {
    result.spawn_errno = spawned.error;
    return result;
  }

  Session session(spec, cancel, std::move(spawned.child), std::move(out.read), std::move(err.read),
                  std::move(in.write), raw_stdout);
  return session.finish();
}

}  // namespace

Result run(const Spec& spec, const platform::CancelSource* cancel) {
  return run_impl(spec, cancel, nullptr);
}

std::optional<std::string> capture(const std::vector<std::string>& argv,
                                   const std::filesystem::path& cwd) {
  Spec spec;
  spec.argv = argv;
  spec.cwd = cwd;
  std::string out;
  Result result = run_impl(spec, nullptr, &out);
  if (!result.ok()) return std::nullopt;
  return out;
}

}  // namespace steiger::process
