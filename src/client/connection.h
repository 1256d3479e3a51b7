// One Caspio REST v3 call: URL, access token, 401 replay, error mapping.
// Shared by Client and RecordPager (internal).
#ifndef CASPIO_SRC_CLIENT_CONNECTION_H_
#define CASPIO_SRC_CLIENT_CONNECTION_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "caspio/token.h"
#include "caspio/transport.h"
#include "client/url.h"

namespace caspio {

struct ApiRequest {
  std::string method;  // "GET", "POST", "PUT", "DELETE"
  std::string path;    // under /integrations/rest/v3, built with EncodePath
  QueryParams query;   // sent percent-encoded, in this order
  std::optional<nlohmann::ordered_json> body;
};

struct ApiResponse {
  int status = 0;
  std::optional<nlohmann::ordered_json> body;  // nullopt for an empty body
};

// Thread-safe.
class Connection {
 public:
  // `integration_url` is normalised (NormalizeIntegrationUrl).
  Connection(std::string integration_url, std::shared_ptr<TokenSource> tokens,
             std::shared_ptr<Transport> transport);

  // Sends `request` with a bearer token. A 401 invalidates the token and
  // replays the request once with a new one. Errors: whatever the token
  // source or transport reports; a non-2xx answer as ErrorFromResponse
  // classifies it; a 2xx body that is not JSON (or is Caspio's rate-limit
  // array) as kServer (kRateLimited).
  absl::StatusOr<ApiResponse> Call(const ApiRequest& request);

  // Obtains a new access token, bypassing any cached one.
  absl::Status RefreshToken();

 private:
  absl::StatusOr<HttpRequest> BuildHttpRequest(const ApiRequest& request) const;
  absl::StatusOr<HttpResponse> SendWithToken(const HttpRequest& http);
  absl::StatusOr<HttpResponse> Send(const HttpRequest& base,
                                    const std::string& token);
  absl::StatusOr<ApiResponse> Parse(const ApiRequest& request,
                                    const HttpResponse& response);

  std::string integration_url_;
  std::shared_ptr<TokenSource> tokens_;
  std::shared_ptr<Transport> transport_;
};

// "GET /tables/Orders/records": how errors name a call (never the query).
std::string DescribeCall(const ApiRequest& request);

}  // namespace caspio

#endif  // CASPIO_SRC_CLIENT_CONNECTION_H_
