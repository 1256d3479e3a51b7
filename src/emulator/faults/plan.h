// A fault plan: which faults the emulator injects into which requests, as
// set through `PUT /_emulator/faults`. The JSON format is documented in
// doc/emulator-faults.md; in short:
//
//   {
//     "schedule": [                       // deterministic faults
//       {"at": 3, "kind": "rate_limit_429", "retry_after": 2},
//       {"on": "records.insert", "at": 1, "kind": "drop_after"},
//       {"on": "token", "at": 2, "count": 3, "kind": "error_503"}
//     ],
//     "random": {                         // "about 10% mixed"
//       "rate": 0.1, "seed": 42, "token_endpoint": false,
//       "faults": [{"kind": "rate_limit_400", "weight": 2},
//                  {"kind": "latency", "weight": 1, "min_ms": 50,
//                   "max_ms": 200}]
//     },
//     "token_bucket": {"capacity": 2000, "window_seconds": 300,
//                      "burst_per_second": 20, "status": 429},
//     "shuffle_unordered": true,          // F06
//     "limit_from_end": true              // F05
//   }
//
// `{}` is the empty plan: no faults. Unknown keys are errors, so that a
// typo in a test's plan fails loudly instead of injecting nothing.
#ifndef CASPIO_EMULATOR_FAULTS_PLAN_H_
#define CASPIO_EMULATOR_FAULTS_PLAN_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"

namespace caspio::emulator {

using Json = nlohmann::ordered_json;

// The routes the emulator counts, by the names plans and the fault log use.
inline constexpr std::string_view kTokenRoute = "token";
inline constexpr std::array<std::string_view, 11> kRouteNames = {
    kTokenRoute,      "tables.list",    "tables.create", "table.get",
    "fields.list",    "fields.create",  "field.get",     "records.read",
    "records.insert", "records.update", "records.delete"};

enum class FaultKind {
  kRateLimit429,  // 429 with the api-calls-rate array body
  kRateLimit400,  // the same body with 400, as Caspio also answers
  kError500,      // 500 with {Code, Message, Resource, RequestId}
  kError503,      // 503 with an empty or plain-text body
  kDropBefore,    // connection closed, request not processed
  kDropAfter,     // request processed, connection closed before the answer
  kLatency,       // answer delayed, otherwise normal
  kTokenExpiry,   // every access token issued so far expires
  kStaleToken,    // the request's token answers 400 IncorrectQueryParameter
  kTokenBucket,   // the profile's token bucket is empty (not in plans)
};

// The name of `kind` in plans, the log and counters ("rate_limit_429", ...).
std::string_view KindName(FaultKind kind);

// One fault and its parameters.
struct FaultSpec {
  FaultKind kind = FaultKind::kError500;
  std::optional<int> retry_after;  // seconds; rate limits and 503 only
  bool text_body = false;          // 503: "Service Unavailable" as text
  int min_ms = 0;                  // latency: a fixed delay has min == max
  int max_ms = 0;
};

// A fault for requests number `at` .. `at + count - 1` among those `on`
// names: "resource" (any route under /integrations/rest/v3, the default),
// "token", "any", or one route of kRouteNames. Counting starts when the
// plan is set.
struct ScheduledFault {
  std::string on = "resource";
  std::int64_t at = 1;
  std::int64_t count = 1;
  FaultSpec fault;
};

struct WeightedFault {
  double weight = 1;
  FaultSpec fault;
};

// Each resource request (and token request with `token_endpoint`) draws a
// fault with probability `rate`, then picks one of `faults` by weight.
struct RandomFaults {
  double rate = 0;
  std::uint64_t seed = 0;
  bool token_endpoint = false;
  std::vector<WeightedFault> faults;
};

// Caspio's per-profile limits as a pair of token buckets: `capacity`
// requests per `window_seconds`, and `burst_per_second`. Either may be 0
// (not limited). An empty bucket answers `status` (429 or 400) with the
// api-calls-rate body and Retry-After: `retry_after`, or the seconds until
// the buckets refill enough when it is not given.
struct TokenBucketPlan {
  double capacity = 0;
  double window_seconds = 0;
  double burst_per_second = 0;
  int status = 429;
  std::optional<int> retry_after;
};

struct FaultPlan {
  std::vector<ScheduledFault> schedule;
  std::optional<RandomFaults> random;
  std::optional<TokenBucketPlan> token_bucket;
  // Reads without q.orderBy come back in a new random order every time.
  bool shuffle_unordered = false;
  // Reads that are not paged (q.limit, or no paging parameter) and have no
  // q.orderBy take the records with the highest PK_IDs, so they differ
  // from page 1.
  bool limit_from_end = false;
  // The plan as given, with the random seed filled in when it was drawn.
  Json source = Json::object();

  bool empty() const {
    return schedule.empty() && !random && !token_bucket && !shuffle_unordered &&
           !limit_from_end;
  }
};

// Whether the server can cut connections (it can only behind its proxy).
enum class DropSupport { kSupported, kUnsupported };

// Parses and checks a plan. A missing "random.seed" is drawn at random and
// recorded in `source`. Errors: InvalidArgument naming the offending member,
// including drop faults when `drops` is kUnsupported.
absl::StatusOr<FaultPlan> ParsePlan(const Json& json, DropSupport drops);

}  // namespace caspio::emulator

#endif  // CASPIO_EMULATOR_FAULTS_PLAN_H_
