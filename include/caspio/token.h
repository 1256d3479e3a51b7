// Access tokens: obtaining them with OAuth 2.0 client credentials and
// caching them until shortly before they expire.
#ifndef CASPIO_TOKEN_H_
#define CASPIO_TOKEN_H_

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "caspio/credentials.h"
#include "caspio/transport.h"

namespace caspio {

struct AccessToken {
  std::string value;          // secret: never log it
  std::string refresh_token;  // secret: never log it
  std::chrono::system_clock::time_point expires_at;
};

// Time as the token cache sees it; tests pass a fake.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point Now() = 0;
};
std::shared_ptr<Clock> MakeSystemClock();

// Something that hands out access tokens. Thread-safe.
class TokenSource {
 public:
  virtual ~TokenSource() = default;
  // A token believed to be valid now.
  virtual absl::StatusOr<AccessToken> GetToken() = 0;
  // Tells the source that `token_value` was refused (401): a later GetToken
  // returns another one. Calls naming an older token are ignored.
  virtual void Invalidate(std::string_view token_value) = 0;
};

// Asks POST {integration_url}/oauth/token on every GetToken: grant
// refresh_token when it holds one from an earlier answer, falling back to
// client_credentials. Errors: kAuth when the credentials are refused.
std::shared_ptr<TokenSource> MakeOAuthTokenSource(
    Credentials credentials, std::shared_ptr<Transport> transport,
    std::shared_ptr<Clock> clock);

// Reuses the token of `inner` until `skew` before it expires. Concurrent
// callers that find no valid token share one request to `inner`.
std::shared_ptr<TokenSource> MakeCachingTokenSource(
    std::shared_ptr<TokenSource> inner, std::shared_ptr<Clock> clock,
    std::chrono::seconds skew = std::chrono::seconds(300));

}  // namespace caspio

#endif  // CASPIO_TOKEN_H_
