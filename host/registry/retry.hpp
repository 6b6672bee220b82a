// When and how long to wait before trying a failed request again.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string_view>

#include "platform/cancel.hpp"
#include "registry/push_error.hpp"

namespace steiger::registry {

struct RetryPolicy {
  int max_attempts = 6;  // per step (a request, or one blob's whole upload), first try included
  std::chrono::milliseconds base_delay{250};
  std::chrono::milliseconds max_delay{8000};
  // A Retry-After longer than this is not waited for: the step fails instead, saying so.
  std::chrono::milliseconds max_retry_after{60000};
};

// 408, 429 and 5xx other than 501 and 505 (which no retry can fix).
bool retriable_status(long status);

// Retry-After as delay-seconds or an HTTP-date; nullopt when unreadable.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

// Full jitter: uniform in [0, min(max_delay, base_delay * 2^(retry-1))], and never less than
// what the registry asked for. `retry` counts from 1.
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry,
                                        std::optional<std::chrono::milliseconds> retry_after);

// Runs `step` until it returns, retrying each transient Failure after a backoff within the
// policy's attempts. `on_retry(failure, delay)` is told before each wait. Waits end early on
// cancellation, which throws Failure(Cancelled). When the attempts run out, the last failure's
// message (what the registry answered last) is thrown as a permanent Failure.
void with_retries(
    const RetryPolicy& policy, const platform::CancelSource* cancel,
    const std::function<void()>& step,
    const std::function<void(const Failure&, std::chrono::milliseconds)>& on_retry = {});

}  // namespace steiger::registry
