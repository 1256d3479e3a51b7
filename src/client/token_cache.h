// The in-memory caching token source behind MakeCachingTokenSource
// (internal).
#ifndef CASPIO_SRC_CLIENT_TOKEN_CACHE_H_
#define CASPIO_SRC_CLIENT_TOKEN_CACHE_H_

#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "caspio/token.h"

namespace caspio {

// Keeps the last token of `inner` until `skew` before it expires (at most
// half its lifetime, so short-lived tokens are still reused). Callers that
// find no valid token share one request to `inner`, and its error.
// Invalidate and Refresh go to `inner` too. Thread-safe.
class CachingTokenSource : public TokenSource {
 public:
  CachingTokenSource(std::shared_ptr<TokenSource> inner,
                     std::shared_ptr<Clock> clock, std::chrono::seconds skew);

  absl::StatusOr<AccessToken> GetToken() override;
  void Invalidate(std::string_view token_value) override;

  // A token from inner's Refresh, newer than any cached one; joins a
  // request to `inner` already under way.
  absl::StatusOr<AccessToken> Refresh() override;

 private:
  using SharedResult = std::shared_future<absl::StatusOr<AccessToken>>;

  bool IsFresh(std::chrono::system_clock::time_point now) const;
  // Which call of `inner` a fetch makes.
  enum class Ask { kGetToken, kRefresh };

  absl::StatusOr<AccessToken> Fetch(std::unique_lock<std::mutex> lock, Ask ask);

  std::shared_ptr<TokenSource> inner_;
  std::shared_ptr<Clock> clock_;
  std::chrono::seconds skew_;

  std::mutex mu_;
  std::optional<AccessToken> cached_;            // guarded by mu_
  std::chrono::system_clock::time_point renew_;  // guarded by mu_
  SharedResult in_flight_;                       // guarded by mu_
};

}  // namespace caspio

#endif  // CASPIO_SRC_CLIENT_TOKEN_CACHE_H_
