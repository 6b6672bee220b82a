#include "platform/signals.hpp"

#include <signal.h>

#include <atomic>
#include <cerrno>
#include <stdexcept>
#include <thread>

#include "platform/child_groups.hpp"

namespace steiger::platform {
namespace {

// The handler reaches the guard's state only through lock-free atomics (async-signal-safety).
std::atomic<CancelSource*> g_source{nullptr};
std::atomic<int> g_received{0};
// Handlers still running, so that the destructor does not free the source under one of them.
std::atomic<int> g_in_handler{0};
std::atomic<bool> g_alive{false};

struct sigaction g_old_int;
struct sigaction g_old_term;
struct sigaction g_old_pipe;

void restore_default_and_reraise(int sig) {
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  ::sigaction(sig, &dfl, nullptr);
  // The signal is blocked while its handler runs: it is delivered, with the default action, as
  // soon as this handler returns.
  ::raise(sig);
}

void on_signal(int sig) {
  int saved = errno;
  g_in_handler.fetch_add(1);
  int none = 0;
  if (!g_received.compare_exchange_strong(none, sig) && sig == SIGINT) {
    child_groups::kill_all(SIGKILL);
    restore_default_and_reraise(sig);
  } else if (CancelSource* source = g_source.load()) {
    source->cancel();
  }
  g_in_handler.fetch_sub(1);
  errno = saved;
}

}  // namespace

InterruptGuard::InterruptGuard(CancelSource& source) {
  if (g_alive.exchange(true)) throw std::logic_error("only one InterruptGuard may be alive");
  g_received.store(0);
  g_source.store(&source);

  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  // SA_RESTART: a Ctrl-C must not turn into EINTR in code that does not expect it; the runners
  // notice cancellation through the source's wake fd.
  sa.sa_flags = SA_RESTART;
  ::sigaction(SIGINT, &sa, &g_old_int);
  ::sigaction(SIGTERM, &sa, &g_old_term);

  struct sigaction ign {};
  ign.sa_handler = SIG_IGN;
  sigemptyset(&ign.sa_mask);
  ::sigaction(SIGPIPE, &ign, &g_old_pipe);
}

InterruptGuard::~InterruptGuard() {
  ::sigaction(SIGINT, &g_old_int, nullptr);
  ::sigaction(SIGTERM, &g_old_term, nullptr);
  ::sigaction(SIGPIPE, &g_old_pipe, nullptr);
  g_source.store(nullptr);
  while (g_in_handler.load() != 0) std::this_thread::yield();
  g_alive.store(false);
}

int InterruptGuard::signal_received() const {
  return g_received.load();
}

}  // namespace steiger::platform
