#include "registry/retry.hpp"

#include <time.h>

#include <algorithm>
#include <random>
#include <string>
#include <thread>

namespace steiger::registry {

bool retriable_status(long status) {
  return status == 408 || status == 429 || (status >= 500 && status != 501 && status != 505);
}

std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (value.size() > 9) return std::chrono::milliseconds(std::chrono::hours(24 * 365));
    return std::chrono::seconds(std::stoll(std::string(value)));
  }
  // IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
  std::tm tm{};
  std::string text(value);
  const char* end = ::strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (!end || *end != '\0') return std::nullopt;
  auto when = std::chrono::system_clock::from_time_t(::timegm(&tm));
  auto delay = std::chrono::duration_cast<std::chrono::milliseconds>(when - now);
  return std::max(delay, std::chrono::milliseconds(0));
}

std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry,
                                        std::optional<std::chrono::milliseconds> retry_after) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  int shift = std::clamp(retry - 1, 0, 30);
  auto cap = std::min<long long>(policy.max_delay.count(),
                                 policy.base_delay.count() * (1LL << std::min(shift, 20)));
  std::uniform_int_distribution<long long> pick(0, std::max<long long>(cap, 0));
  std::chrono::milliseconds delay(pick(rng));
  if (retry_after) delay = std::max(delay, *retry_after);
  return delay;
}

void with_retries(const RetryPolicy& policy, const platform::CancelSource* cancel,
                  const std::function<void()>& step,
                  const std::function<void(const Failure&, std::chrono::milliseconds)>& on_retry) {
  for (int attempt = 1;; ++attempt) {
    if (cancel && cancel->cancelled()) throw Failure(Failure::Kind::Cancelled, "cancelled");
    try {
      step();
      return;
    } catch (const Failure& f) {
      if (f.kind() != Failure::Kind::Transient) throw;
      if (attempt >= policy.max_attempts) {
        throw Failure(Failure::Kind::Permanent, std::string(f.what()) + " (gave up after " +
                                                    std::to_string(attempt) + " attempts)");
      }
      if (f.retry_after() && *f.retry_after() > policy.max_retry_after) {
        throw Failure(Failure::Kind::Permanent,
                      std::string(f.what()) + "; it asked to retry after " +
                          std::to_string(f.retry_after()->count() / 1000) + " s, longer than the " +
                          std::to_string(policy.max_retry_after.count() / 1000) + " s we wait");
      }
      auto delay = backoff_delay(policy, attempt, f.retry_after());
      if (on_retry) on_retry(f, delay);
      if (cancel ? cancel->wait_for(delay) : (std::this_thread::sleep_for(delay), false)) {
        throw Failure(Failure::Kind::Cancelled, "cancelled");
      }
    }
  }
}

}  // namespace steiger::registry
