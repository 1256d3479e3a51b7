// How the client repeats failed calls.
#ifndef CASPIO_RETRY_H_
#define CASPIO_RETRY_H_

#include <chrono>
#include <memory>

namespace caspio {

// Capped, jittered exponential backoff. A call is repeated only when its
// error class allows it (rate limits, server errors, lost connections) and
// repeating is safe: never an insert that may have reached the server.
//
// The n-th wait (n from 1) is drawn uniformly from [d/2, d] where
// d = min(max_backoff, initial_backoff * multiplier^(n-1)). A Retry-After
// header (seconds or an HTTP date) replaces the computed wait. No wait
// ends past max_elapsed: the call stops with an error instead.
struct RetryPolicy {
  int max_attempts = 8;  // 1 disables retries
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{30'000};
  double multiplier = 2.0;
  // No new attempt starts once this much time has passed since the first.
  std::chrono::milliseconds max_elapsed{300'000};
  // Caspio has answered 400 IncorrectQueryParameter (not 401) for a token
  // that went stale. Such an answer, to a request that is safe to repeat
  // and passed the client's own checks, renews the token and replays the
  // request once, but only when the token is at least this old.
  std::chrono::seconds stale_token_age{3600};
};

// Waits between attempts; tests pass a fake that records and returns.
// Implementations must be thread-safe.
class Sleeper {
 public:
  virtual ~Sleeper() = default;
  virtual void Sleep(std::chrono::milliseconds duration) = 0;
};

// Blocks the calling thread (std::this_thread::sleep_for).
std::shared_ptr<Sleeper> MakeRealSleeper();

}  // namespace caspio

#endif  // CASPIO_RETRY_H_
