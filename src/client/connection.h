// One Caspio REST v3 call: URL, access token, retries, error mapping.
// Shared by Client and RecordPager (internal).
#ifndef CASPIO_SRC_CLIENT_CONNECTION_H_
#define CASPIO_SRC_CLIENT_CONNECTION_H_

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "caspio/error.h"
#include "caspio/observer.h"
#include "caspio/retry.h"
#include "caspio/token.h"
#include "caspio/transport.h"
#include "client/retry_internal.h"
#include "client/url.h"

namespace caspio {

// Caspio answers 414 to a longer request URI (scheme, host, path, query).
inline constexpr std::size_t kMaxUriLength = 2047;

struct ApiRequest {
  std::string method;  // "GET", "POST", "PUT", "DELETE"
  std::string path;    // under /integrations/rest/v3, built with EncodePath
  QueryParams query;   // sent percent-encoded, in this order
  std::optional<nlohmann::ordered_json> body;
  std::string operation;  // v3 operationId for the observer, e.g. "GetTable"
  std::string table;      // the table named in the path, or ""
  // The client checked every query parameter it could (page bounds, a
  // non-empty where), so a 400 IncorrectQueryParameter may mean a stale
  // token rather than a bad request. Requests without a query need not
  // set it.
  bool query_checked = false;
};

struct ApiResponse {
  int status = 0;
  std::optional<nlohmann::ordered_json> body;  // nullopt for an empty body
  // An earlier attempt of this PUT or DELETE may have been applied (it
  // got a 5xx or lost its connection) before this one succeeded.
  bool replayed = false;
};

struct ConnectionOptions {
  std::string integration_url;  // normalised (NormalizeIntegrationUrl)
  std::shared_ptr<TokenSource> tokens;
  std::shared_ptr<Transport> transport;
  std::shared_ptr<Clock> clock;            // system clock when null
  std::shared_ptr<Sleeper> sleeper;        // real sleeping when null
  std::shared_ptr<CallObserver> observer;  // optional
  RetryPolicy retry;
};

// Thread-safe. Calls of one Connection share a rate-limit throttle.
class Connection {
 public:
  explicit Connection(ConnectionOptions options);

  // Sends `request` with a bearer token, repeating it as RetryPolicy and
  // safety allow:
  //  - rate limits (429, or the api-calls-rate body at any status) are
  //    repeated for every method, after Retry-After or a backoff that all
  //    calls of this connection observe;
  //  - 500/502/503/504 and lost connections are repeated for GET, PUT and
  //    DELETE (PUT and DELETE then answer with `replayed`), never for a
  //    POST, which may have been processed; a connection that failed
  //    before sending is repeated for every method;
  //  - a 401, or a stale-token 400 (see RetryPolicy::stale_token_age),
  //    renews the token and replays once per call;
  //  - everything else fails at once.
  // Errors: kUserInput for a URI over kMaxUriLength (nothing is sent);
  // otherwise the last attempt's error, whose message then says what was
  // called, how many attempts were made over how long and why they
  // stopped.
  absl::StatusOr<ApiResponse> Call(const ApiRequest& request);

  // The full URI `request` would be sent to, and its length.
  std::string Url(const ApiRequest& request) const;

  // Obtains a new access token, bypassing any cached one.
  absl::Status RefreshToken();

 private:
  struct Attempt;
  struct CallState;

  absl::StatusOr<HttpRequest> BuildHttpRequest(const ApiRequest& request) const;
  Attempt Exchange(const ApiRequest& request, const HttpRequest& http,
                   int attempt);
  absl::StatusOr<ApiResponse> Parse(const ApiRequest& request,
                                    const HttpResponse& response);
  bool IsStaleToken(const ApiRequest& request, const ErrorInfo& info,
                    std::chrono::system_clock::time_point issued_at);
  absl::Status GiveUp(const ApiRequest& request, const CallState& state,
                      const absl::Status& last, std::string_view reason);

  ConnectionOptions options_;
  Throttle throttle_;
};

// "GET /tables/Orders/records": how errors name a call (never the query).
std::string DescribeCall(const ApiRequest& request);

}  // namespace caspio

#endif  // CASPIO_SRC_CLIENT_CONNECTION_H_
