// One HTTP exchange, and nothing else: no tokens, no retries.
#ifndef CASPIO_TRANSPORT_H_
#define CASPIO_TRANSPORT_H_

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace caspio {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Whether sending a request twice could do its work twice.
enum class Repeatable { kYes, kNo };

struct HttpRequest {
  std::string method;  // "GET", "POST", "PUT", "DELETE"
  std::string url;     // absolute, already percent-encoded
  Headers headers;
  std::string body;
  // kNo for an insert: the transport must not send it twice on its own.
  Repeatable repeatable = Repeatable::kYes;
};

struct HttpResponse {
  int status = 0;
  Headers headers;  // names as received; look up case-insensitively
  std::string body;

  // The first header named `name` (case-insensitive), or "".
  std::string Header(std::string_view name) const;
};

struct TransportOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{120'000};
  // Extra CA certificates trusted besides the system bundle: PEM text, or
  // the path of a PEM file. Taken from CASPIO_CA_BUNDLE when empty.
  std::string ca_bundle;
};

// Sends one request and returns whatever HTTP answer came back (any
// status). Errors are only for exchanges without an answer, reported with
// ErrorClass::kTransport and, when known, ErrorInfo::code kConnectFailed
// (the request never left) or kConnectionLost (it may have been received);
// see caspio/error.h. Implementations are thread-safe.
class Transport {
 public:
  virtual ~Transport() = default;
  virtual absl::StatusOr<HttpResponse> Send(const HttpRequest& request) = 0;
};

// libcurl with connection reuse, TLS verified against the system's CA bundle
// (plus TransportOptions::ca_bundle), proxies from the usual environment
// variables.
std::shared_ptr<Transport> MakeCurlTransport(TransportOptions options = {});

}  // namespace caspio

#endif  // CASPIO_TRANSPORT_H_
