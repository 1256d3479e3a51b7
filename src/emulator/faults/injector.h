// Decides, request by request, which fault of the current plan to inject,
// and keeps the record of what it injected for the control interface.
#ifndef CASPIO_EMULATOR_FAULTS_INJECTOR_H_
#define CASPIO_EMULATOR_FAULTS_INJECTOR_H_

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "emulator/faults/plan.h"
#include "emulator/store/store.h"

namespace caspio::emulator {

// What the injector knows of a request. `token` is the bearer token, used
// only to recognise stale tokens; it is never stored or logged as such.
struct RequestFacts {
  std::string_view route;  // one of kRouteNames
  std::string_view method;
  std::string_view path;     // without the query string
  std::string_view profile;  // client id, or empty when unknown
  std::string_view token;
};

// A fault to apply to one request, fully resolved.
struct Injection {
  FaultKind kind = FaultKind::kError500;
  int status = 0;  // the answer's status; 0 for drops, latency, expiry
  std::optional<int> retry_after;
  bool text_body = false;
  std::chrono::milliseconds delay{0};
};

// Thread-safe: every call takes one mutex, so decisions follow the order in
// which requests reach it.
class FaultInjector {
 public:
  explicit FaultInjector(DropSupport drops) : drops_(drops) {}

  // Replaces the plan and restarts the schedule's request numbers and the
  // token buckets (not the log). Errors: InvalidArgument, plan unchanged.
  absl::Status SetPlan(const Json& json);
  // The current plan as given (with a drawn seed filled in).
  Json PlanJson() const;
  // Whether a non-empty plan is set; callers may skip work when not.
  bool active() const;

  // Counts the request and returns the fault to inject into it, if any: a
  // scheduled one, else a random one, else an empty token bucket. A token
  // marked stale earlier gives kStaleToken every time (counted apart, not
  // logged as a new injection).
  std::optional<Injection> Decide(const RequestFacts& request);

  // The order for a records read, counting shuffled reads.
  UnorderedReads ReadOrder(bool has_order_by, bool paged);

  // {"injections": [...], "counters": {...}}; see doc/emulator-faults.md.
  Json Log() const;
  // Clears the log and every counter.
  void ResetLog();

 private:
  struct Bucket {
    double window = 0;
    double burst = 0;
    std::chrono::steady_clock::time_point updated;
  };

  std::optional<FaultSpec> Scheduled(const RequestFacts& request);
  std::optional<FaultSpec> Random(const RequestFacts& request);
  std::optional<Injection> TakeFromBucket(std::string_view profile);
  std::optional<Injection> Resolve(const FaultSpec& spec,
                                   const RequestFacts& request);
  void Record(const Injection& injection, const RequestFacts& request);

  const DropSupport drops_;
  mutable std::mutex mu_;
  FaultPlan plan_;
  std::mt19937_64 random_;
  // Requests since the plan was set, by route, "resource", "token", "any".
  std::map<std::string, std::int64_t, std::less<>> seen_;
  std::map<std::string, Bucket, std::less<>> buckets_;
  // SHA-256 digests of tokens marked stale.
  std::set<std::string, std::less<>> stale_;

  // Reported by Log(), cleared by ResetLog().
  std::deque<Json> log_;
  std::int64_t log_dropped_ = 0;
  std::int64_t injection_seq_ = 0;
  std::int64_t requests_total_ = 0;
  std::map<std::string, std::int64_t, std::less<>> requests_;
  std::map<std::string, std::int64_t, std::less<>> injections_;
  std::int64_t stale_rejections_ = 0;
  std::int64_t shuffled_reads_ = 0;
};

}  // namespace caspio::emulator

#endif  // CASPIO_EMULATOR_FAULTS_INJECTOR_H_
