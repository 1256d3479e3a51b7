// Turning a non-2xx Caspio answer into an ErrorInfo (internal).
#ifndef CASPIO_SRC_CLIENT_HTTP_ERROR_H_
#define CASPIO_SRC_CLIENT_HTTP_ERROR_H_

#include <string_view>

#include <nlohmann/json.hpp>

#include "caspio/error.h"
#include "caspio/transport.h"
#include "client/json_util.h"

namespace caspio {

// What a 404 without a Caspio error body means: the URL is wrong, not the
// table or record.
inline constexpr char kNoSuchEndpoint[] =
    "no such endpoint: check the integration URL and API version";

// The class an HTTP status implies before the body is read.
ErrorClass ClassForHttpStatus(int status);

// Caspio's burst limiter answers `[{"message": ..., "name":
// "api-calls-rate"}]` with status 400 or 429 (and proxies have passed it on
// with 200).
template <typename Json>
bool IsRateLimitBody(const Json& body) {
  if (!body.is_array()) return false;
  for (const auto& item : body) {
    if (StringMember(item, "name") == "api-calls-rate") return true;
  }
  return false;
}

// The error for `response`, which did not succeed. `what` names the call
// ("GET /tables/Orders/records") and starts the message; the body supplies
// Caspio's Code and Message, the RequestId comes from the body or the
// X-Caspio-Request-ID header.
ErrorInfo ErrorFromResponse(std::string_view what,
                            const HttpResponse& response);

}  // namespace caspio

#endif  // CASPIO_SRC_CLIENT_HTTP_ERROR_H_
