// The pieces of the retry loop that are not the loop itself: computed
// waits, Retry-After, and the throttle a connection's calls share
// (internal).
#ifndef CASPIO_SRC_CLIENT_RETRY_INTERNAL_H_
#define CASPIO_SRC_CLIENT_RETRY_INTERNAL_H_

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>

#include "caspio/retry.h"
#include "caspio/token.h"

namespace caspio {

// The upper bound of the n-th wait (n from 1): initial_backoff *
// multiplier^(n-1), capped at max_backoff.
std::chrono::milliseconds BackoffCeiling(const RetryPolicy& policy, int n);

// The n-th wait, drawn uniformly from [ceiling/2, ceiling]. Thread-safe.
std::chrono::milliseconds JitteredBackoff(const RetryPolicy& policy, int n);

// What a Retry-After header asks for: delta seconds ("120") or an HTTP
// date ("Wed, 21 Oct 2015 07:28:00 GMT", compared with `now`). nullopt
// when absent or unreadable; a date in the past gives zero.
std::optional<std::chrono::milliseconds> ParseRetryAfter(
    std::string_view value, std::chrono::system_clock::time_point now);

// Slows down every call of one connection after any of them was rate
// limited: no attempt starts before the last backoff has passed. The
// backoff grows with each new burst of rate limits (answers that arrive
// while a backoff is already running belong to the same burst) and shrinks
// again with each success. Thread-safe.
class Throttle {
 public:
  Throttle(RetryPolicy policy, std::shared_ptr<Clock> clock,
           std::shared_ptr<Sleeper> sleeper);

  // Sleeps until the current backoff has passed (not at all when none).
  void Wait();
  // Records a rate-limit answer before the `retry`-th retry of a call
  // (from 1). The backoff is `retry_after` when the server gave one, else a
  // jittered backoff for the larger of `retry` and the connection's level.
  // Returns how long from now Wait() will sleep (which includes longer
  // backoffs other calls started).
  std::chrono::milliseconds OnRateLimited(
      int retry, std::optional<std::chrono::milliseconds> retry_after);
  void OnSuccess();

 private:
  RetryPolicy policy_;
  std::shared_ptr<Clock> clock_;
  std::shared_ptr<Sleeper> sleeper_;

  std::mutex mu_;
  std::chrono::system_clock::time_point not_before_;  // guarded by mu_
  int level_ = 0;                                     // guarded by mu_
};

}  // namespace caspio

#endif  // CASPIO_SRC_CLIENT_RETRY_INTERNAL_H_
