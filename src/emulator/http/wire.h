// Caspio's shapes on the wire, shared by the emulator's routes: the
// credentials in a request, and answers with Caspio's headers and bodies.
#ifndef CASPIO_EMULATOR_HTTP_WIRE_H_
#define CASPIO_EMULATOR_HTTP_WIRE_H_

#include <httplib.h>

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "emulator/store/store.h"

namespace caspio::emulator {

inline constexpr char kRequestIdHeader[] = "X-Caspio-Request-ID";

// The form fields of a token request (any content type is read as a form).
std::map<std::string, std::string> ParseForm(const std::string& body);

// The client id and secret of a token request: from Basic authorization
// when present, else from the form.
std::pair<std::string, std::string> ReadClientCredentials(
    const httplib::Request& req,
    const std::map<std::string, std::string>& form);

// The token of an "Authorization: Bearer" header (any case), if any.
std::optional<std::string> BearerToken(const httplib::Request& req);

// An upper-case GUID, as Caspio's request ids are.
std::string NewRequestId();

void SendJson(httplib::Response& res, int status, const Json& body);

// Caspio's error body: {Code, Message, Resource, RequestId}, the request id
// taken from the answer's X-Caspio-Request-ID header.
void SendError(const httplib::Request& req, httplib::Response& res,
               const ApiError& error);

// Caspio's rate-limit answer, an array rather than the error object:
// [{"message":"You have exceeded your API call rate limits.",
//   "name":"api-calls-rate"}], with Retry-After when `retry_after` is set.
void SendRateLimit(httplib::Response& res, int status,
                   std::optional<int> retry_after);

}  // namespace caspio::emulator

#endif  // CASPIO_EMULATOR_HTTP_WIRE_H_
