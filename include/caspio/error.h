// Errors reported by the client library. Every failure is an absl::Status
// that carries an ErrorInfo: what class of problem it is, and what Caspio
// said (HTTP status, Code, Message, RequestId) when it said anything.
#ifndef CASPIO_ERROR_H_
#define CASPIO_ERROR_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace caspio {

// What kind of problem a failure is, which decides what a caller can do.
enum class ErrorClass {
  kUserInput,    // the request is wrong: fix the input
  kAuth,         // credentials refused, token invalid, profile disabled
  kPermission,   // the profile may not do this
  kNotFound,     // the table, field, record or endpoint does not exist
  kConflict,     // the object already exists or is in the wrong state
  kRateLimited,  // Caspio throttled the account
  kServer,       // Caspio failed
  kTransport,    // no usable HTTP answer: DNS, TLS, connect, timeout
};

// The literal names used in output and documentation: "user_input", "auth",
// "permission", "not_found", "conflict", "rate_limited", "server",
// "transport".
std::string_view ErrorClassName(ErrorClass error_class);

struct ErrorInfo {
  ErrorClass error_class = ErrorClass::kServer;
  int http_status = 0;     // 0 when there was no HTTP answer
  std::string code;        // Caspio's Code, e.g. "SqlServerError"
  std::string message;     // human readable; never holds a secret
  std::string request_id;  // X-Caspio-Request-ID, when known
};

// ErrorInfo::code of a kTransport error whose request certainly never left
// (no address, no connection, no TLS): even an insert may be sent again.
inline constexpr char kConnectFailed[] = "ConnectFailed";
// ErrorInfo::code of a kTransport error after the request may have been
// sent (the connection dropped, or no answer came in time): the server may
// have carried it out.
inline constexpr char kConnectionLost[] = "ConnectionLost";

// Builds a non-OK status carrying `info`. The status code follows the class
// (kUserInput -> InvalidArgument, kAuth -> Unauthenticated, ...).
absl::Status MakeError(ErrorInfo info);

// The ErrorInfo of a non-OK status. A status made elsewhere (without the
// payload) gets a class derived from its status code.
ErrorInfo GetErrorInfo(const absl::Status& status);

}  // namespace caspio

#endif  // CASPIO_ERROR_H_
