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
#include "caspio/observer.h"
#include "caspio/transport.h"

namespace caspio {

struct AccessToken {
  std::string value;          // secret: never log it
  std::string refresh_token;  // secret: never log it
  std::chrono::system_clock::time_point expires_at;
  // When the token endpoint answered (the source's clock); decides whether
  // a 400 IncorrectQueryParameter may mean a stale token (RetryPolicy).
  // A source that cannot tell leaves the epoch: the token counts as old.
  std::chrono::system_clock::time_point issued_at;
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
  // Obtains a new token now, bypassing any cache, and stores it in the
  // caches it passes through (`caspio auth test`). The default suits a
  // source that keeps no token: GetToken.
  virtual absl::StatusOr<AccessToken> Refresh() { return GetToken(); }
};

// Asks POST {integration_url}/oauth/token on every GetToken: grant
// refresh_token when it holds one from an earlier answer, falling back to
// client_credentials. Errors: kAuth when the credentials are refused.
// Each token request is reported to `observer` (when not null) as
// operation "token".
std::shared_ptr<TokenSource> MakeOAuthTokenSource(
    Credentials credentials, std::shared_ptr<Transport> transport,
    std::shared_ptr<Clock> clock,
    std::shared_ptr<CallObserver> observer = nullptr);

// Reuses the token of `inner` until `skew` before it expires. Concurrent
// callers that find no valid token share one request to `inner`.
// Invalidate and Refresh are passed to `inner` (Invalidate first, so that
// a cache below cannot hand the refused token back).
std::shared_ptr<TokenSource> MakeCachingTokenSource(
    std::shared_ptr<TokenSource> inner, std::shared_ptr<Clock> clock,
    std::chrono::seconds skew = std::chrono::seconds(300));

// Shares the tokens of `inner` with the user's other processes through
// files in `directory` (created 0700 when missing; files 0600). A profile's
// file is named by a SHA-256 digest of the integration URL (as given;
// Client::Create normalises it), Client ID and Client Secret: the name
// reveals none of them, and a changed secret never finds an old token.
// A caller that finds no valid token locks the profile's file (flock),
// looks again, and only then asks `inner`, so processes starting together
// share one token request. Tokens are reused until `skew` before they
// expire, at most half their lifetime, as in MakeCachingTokenSource.
// Invalidate removes the file only while it still holds that token.
// Corrupt or foreign files are ignored and replaced; when the directory
// cannot be used every call goes to `inner`. Only access tokens are written
// (no refresh token, no secret). Thread-safe and safe across processes; put
// MakeCachingTokenSource above it so that a process reads the file once.
std::shared_ptr<TokenSource> MakeFileTokenCache(
    std::shared_ptr<TokenSource> inner, const Credentials& credentials,
    std::string directory, std::shared_ptr<Clock> clock,
    std::chrono::seconds skew = std::chrono::seconds(300));

}  // namespace caspio

#endif  // CASPIO_TOKEN_H_
