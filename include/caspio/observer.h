// Seeing every HTTP exchange the library makes, for call metering.
#ifndef CASPIO_OBSERVER_H_
#define CASPIO_OBSERVER_H_

#include <string>

namespace caspio {

// One HTTP exchange with Caspio (every attempt, retries included).
struct CallRecord {
  // "token" for POST /oauth/token, else the v3 operationId, e.g.
  // "ListTableRecords", "CreateTableRecord".
  std::string operation;
  std::string table;   // the table named in the path, or ""
  std::string method;  // "GET", "POST", ...
  int http_status = 0;  // 0 when no answer arrived
  int attempt = 1;      // 1 for the first try of a call
};

// Receives a CallRecord after each exchange. Implementations must be
// thread-safe and fast; they must not call back into the client.
class CallObserver {
 public:
  virtual ~CallObserver() = default;
  virtual void OnCall(const CallRecord& call) = 0;
};

}  // namespace caspio

#endif  // CASPIO_OBSERVER_H_
