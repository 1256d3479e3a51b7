#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "caspio/retry.h"
#include "client/retry_internal.h"

namespace caspio {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

class RealSleeper : public Sleeper {
 public:
  void Sleep(milliseconds duration) override {
    std::this_thread::sleep_for(duration);
  }
};

// Levels past this no longer change the capped wait.
constexpr int kMaxLevel = 32;

}  // namespace

std::shared_ptr<Sleeper> MakeRealSleeper() {
  return std::make_shared<RealSleeper>();
}

milliseconds BackoffCeiling(const RetryPolicy& policy, int n) {
  double ceiling = static_cast<double>(policy.initial_backoff.count()) *
                   std::pow(policy.multiplier, std::max(0, n - 1));
  double cap = static_cast<double>(policy.max_backoff.count());
  return milliseconds(static_cast<milliseconds::rep>(std::min(ceiling, cap)));
}

milliseconds JitteredBackoff(const RetryPolicy& policy, int n) {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  milliseconds ceiling = BackoffCeiling(policy, n);
  std::uniform_int_distribution<milliseconds::rep> pick(ceiling.count() / 2,
                                                        ceiling.count());
  return milliseconds(pick(generator));
}

std::optional<milliseconds> ParseRetryAfter(std::string_view value,
                                            system_clock::time_point now) {
  std::string text(value);
  absl::StripAsciiWhitespace(&text);
  if (text.empty()) return std::nullopt;
  std::int64_t seconds = 0;
  if (absl::SimpleAtoi(text, &seconds)) {
    if (seconds < 0) return std::nullopt;
    return milliseconds(seconds * 1000);
  }

  // IMF-fixdate, the only form RFC 9110 asks senders to use.
  struct tm parts = {};
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &parts);
  if (end == nullptr || *end != '\0') return std::nullopt;
  auto at = system_clock::from_time_t(timegm(&parts));
  if (at <= now) return milliseconds(0);
  return std::chrono::duration_cast<milliseconds>(at - now);
}

Throttle::Throttle(RetryPolicy policy, std::shared_ptr<Clock> clock,
                   std::shared_ptr<Sleeper> sleeper)
    : policy_(std::move(policy)),
      clock_(std::move(clock)),
      sleeper_(std::move(sleeper)) {}

void Throttle::Wait() {
  system_clock::time_point not_before;
  {
    std::lock_guard<std::mutex> lock(mu_);
    not_before = not_before_;
  }
  auto now = clock_->Now();
  if (now >= not_before) return;
  sleeper_->Sleep(std::chrono::ceil<milliseconds>(not_before - now));
}

milliseconds Throttle::OnRateLimited(int retry,
                                     std::optional<milliseconds> retry_after) {
  auto now = clock_->Now();
  std::lock_guard<std::mutex> lock(mu_);
  if (now >= not_before_) level_ = std::min(level_ + 1, kMaxLevel);
  milliseconds wait = retry_after
                          ? *retry_after
                          : JitteredBackoff(policy_, std::max(retry, level_));
  not_before_ = std::max(not_before_, now + wait);
  return std::chrono::ceil<milliseconds>(not_before_ - now);
}

void Throttle::OnSuccess() {
  std::lock_guard<std::mutex> lock(mu_);
  level_ = std::max(0, level_ - 1);
}

}  // namespace caspio
