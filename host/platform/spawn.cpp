#include "platform/spawn.hpp"

#include <signal.h>
#include <spawn.h>

#include <cerrno>

// __GLIBC_PREREQ cannot appear in an #if where glibc is absent, hence these two.
#if defined(__GLIBC__)
#define STEIGER_GLIBC_AT_LEAST(major, minor) __GLIBC_PREREQ(major, minor)
#else
#define STEIGER_GLIBC_AT_LEAST(major, minor) 0
#endif

namespace steiger::platform {
namespace {

class Attributes {
 public:
  Attributes() { ::posix_spawnattr_init(&attr_); }
  ~Attributes() { ::posix_spawnattr_destroy(&attr_); }
  Attributes(const Attributes&) = delete;
  Attributes& operator=(const Attributes&) = delete;
  posix_spawnattr_t* get() { return &attr_; }

 private:
  posix_spawnattr_t attr_;
};

class FileActions {
 public:
  FileActions() { ::posix_spawn_file_actions_init(&actions_); }
  ~FileActions() { ::posix_spawn_file_actions_destroy(&actions_); }
  FileActions(const FileActions&) = delete;
  FileActions& operator=(const FileActions&) = delete;
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

int set_attributes(posix_spawnattr_t* attr) {
  short flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
#if defined(__APPLE__)
  // Closes every fd not named in the file actions, however it was opened (macOS has no pipe2).
  flags |= POSIX_SPAWN_CLOEXEC_DEFAULT;
#endif
  if (int rc = ::posix_spawnattr_setflags(attr, flags)) return rc;
  if (int rc = ::posix_spawnattr_setpgroup(attr, 0)) return rc;
  // The spawning thread may block signals; a child must not inherit that.
  sigset_t none;
  sigemptyset(&none);
  if (int rc = ::posix_spawnattr_setsigmask(attr, &none)) return rc;
  // SIG_IGN survives exec: undo what InterruptGuard (or whoever started us) set to ignore.
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  return ::posix_spawnattr_setsigdefault(attr, &defaults);
}

int set_file_actions(posix_spawn_file_actions_t* actions, const SpawnRequest& r) {
  // Our fds are all above 2 (see make_pipe), so each dup2 really copies and clears
  // close-on-exec on the target.
  if (int rc = ::posix_spawn_file_actions_adddup2(actions, r.stdin_fd, 0)) return rc;
  if (int rc = ::posix_spawn_file_actions_adddup2(actions, r.stdout_fd, 1)) return rc;
  if (int rc = ::posix_spawn_file_actions_adddup2(actions, r.stderr_fd, 2)) return rc;
#if STEIGER_GLIBC_AT_LEAST(2, 34)
  // Our own fds are close-on-exec already; this also catches fds some library opened without
  // it. (macOS: POSIX_SPAWN_CLOEXEC_DEFAULT above.)
  if (int rc = ::posix_spawn_file_actions_addclosefrom_np(actions, 3)) return rc;
#endif
  if (r.cwd != nullptr && *r.cwd != '\0') {
#if defined(__GLIBC__) && !STEIGER_GLIBC_AT_LEAST(2, 29)
    return ENOSYS;  // addchdir_np came with glibc 2.29 (macOS 10.15, musl 1.1.24)
#else
    if (int rc = ::posix_spawn_file_actions_addchdir_np(actions, r.cwd)) return rc;
#endif
  }
  return 0;
}

}  // namespace

SpawnResult spawn_in_new_group(const SpawnRequest& request) {
  SpawnResult result;
  Attributes attr;
  FileActions actions;
  if ((result.error = set_attributes(attr.get())) != 0) return result;
  if ((result.error = set_file_actions(actions.get(), request)) != 0) return result;
  pid_t pid = -1;
  // glibc (>= 2.24) and macOS report exec failures (ENOENT, EACCES, ENOEXEC) here, not as a
  // child exiting with 127.
  result.error =
      ::posix_spawn(&pid, request.path, actions.get(), attr.get(), request.argv, request.envp);
  if (result.error == 0) result.child = Child(pid);
  return result;
}

}  // namespace steiger::platform
