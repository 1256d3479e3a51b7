#include "cli/call_meter.h"

namespace caspio::cli {

void CallMeter::OnCall(const caspio::CallRecord& call) {
  std::lock_guard<std::mutex> lock(mu_);
  Tally& tally = tallies_[{call.operation, call.table}];
  if (call.attempt <= 1) ++tally.calls;
  ++tally.attempts;
  ++tally.statuses[call.http_status];
}

std::int64_t CallMeter::AnsweredExchanges() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::int64_t answered = 0;
  for (const auto& [key, tally] : tallies_) {
    for (const auto& [status, count] : tally.statuses) {
      if (status != 0) answered += count;
    }
  }
  return answered;
}

nlohmann::ordered_json CallMeter::Summary() const {
  std::lock_guard<std::mutex> lock(mu_);
  nlohmann::ordered_json calls = nlohmann::ordered_json::array();
  std::int64_t exchanges = 0;
  for (const auto& [key, tally] : tallies_) {
    nlohmann::ordered_json statuses = nlohmann::ordered_json::object();
    for (const auto& [status, count] : tally.statuses) {
      statuses[status == 0 ? "none" : std::to_string(status)] = count;
    }
    calls.push_back({{"operation", key.first},
                     {"table", key.second},
                     {"calls", tally.calls},
                     {"attempts", tally.attempts},
                     {"statuses", std::move(statuses)}});
    exchanges += tally.attempts;
  }
  return {{"stats", {{"exchanges", exchanges}, {"calls", std::move(calls)}}}};
}

}  // namespace caspio::cli
