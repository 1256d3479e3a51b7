// Counting the HTTP exchanges of one run of the `caspio` command, for
// `--stats` and the per-profile call count.
#ifndef CASPIO_CLI_CALL_METER_H_
#define CASPIO_CLI_CALL_METER_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "caspio/observer.h"

namespace caspio::cli {

// A ClientOptions::observer that tallies exchanges by operation and table.
// Thread-safe; OnCall only takes a mutex and updates a map.
class CallMeter : public caspio::CallObserver {
 public:
  void OnCall(const caspio::CallRecord& call) override;

  // Exchanges that got an HTTP answer (any status): what Caspio may bill.
  // A request that got no answer may or may not have reached Caspio; it is
  // not counted.
  std::int64_t AnsweredExchanges() const;

  // {"stats": {"exchanges": N, "calls": [{"operation": "token",
  //   "table": "", "calls": 1, "attempts": 1, "statuses": {"200": 1}},
  //   ...]}}: "calls" counts first attempts, "attempts" every exchange,
  // and "statuses" the HTTP status of each ("none" without an answer).
  nlohmann::ordered_json Summary() const;

 private:
  struct Tally {
    std::int64_t calls = 0;
    std::int64_t attempts = 0;
    std::map<int, std::int64_t> statuses;
  };

  mutable std::mutex mu_;
  // (operation, table) -> tally; guarded by mu_
  std::map<std::pair<std::string, std::string>, Tally> tallies_;
};

}  // namespace caspio::cli

#endif  // CASPIO_CLI_CALL_METER_H_
