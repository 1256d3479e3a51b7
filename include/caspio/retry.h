// How the client repeats failed calls.
#ifndef CASPIO_RETRY_H_
#define CASPIO_RETRY_H_

#include <chrono>
#include <memory>

namespace caspio {

// Capped, jittered exponential backoff. A call is repeated only when its
// error class allows it (rate limits, server errors, lost connections) and
// repeating is safe: never an insert that may have reached the server.
struct RetryPolicy {
  int max_attempts = 8;  // 1 disables retries
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{30'000};
  double multiplier = 2.0;
  // No new attempt starts once this much time has passed since the first.
  std::chrono::milliseconds max_elapsed{300'000};
};

// Waits between attempts; tests pass a fake that records and returns.
class Sleeper {
 public:
  virtual ~Sleeper() = default;
  virtual void Sleep(std::chrono::milliseconds duration) = 0;
};
std::shared_ptr<Sleeper> MakeRealSleeper();

}  // namespace caspio

#endif  // CASPIO_RETRY_H_
