// The command's side of call metering: where tokens and counts are kept,
// adding a run's calls to its profile's count with quota warnings, and the
// `caspio usage` report.
#ifndef CASPIO_CLI_USAGE_REPORT_H_
#define CASPIO_CLI_USAGE_REPORT_H_

#include <cstdint>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "cli/billing.h"
#include "cli/usage_store.h"

namespace caspio::cli {

// A profile the command talks to, as metering sees it.
struct MeteredProfile {
  std::string label;  // "authentication prod" or "the CASPIO_* credentials"
  ProfileId id;
  BillingSettings billing;
};

// Where the command shares access tokens between runs:
// $XDG_CACHE_HOME/caspio/tokens, falling back to ~/.cache/caspio/tokens;
// "" (no sharing) when neither variable is set.
std::string TokenCacheDirectory();

// Adds `calls` to the profile's count for the billing period holding `now`
// and, when the profile has a quota, warns on `err` as the count reaches
// 80% and again 100% of it (once each per period: only the run that
// crosses the mark warns). A count that cannot be kept is reported on `err`
// and is otherwise harmless.
void RecordCalls(UsageStore& store, const MeteredProfile& profile,
                 std::int64_t calls, absl::Time now, std::ostream& err);

// Writes the profile's calls in the period holding `now`, the period's
// dates and the quota to `out`. Errors: the store's.
absl::Status ReportUsage(const UsageStore& store, const MeteredProfile& profile,
                         absl::Time now, std::ostream& out);

// What `caspio usage` says once, after the reports.
constexpr char kUsageCaveat[] =
    "These counts are of the calls the caspio command made from this "
    "machine only. Caspio's own meter (Account > Usage) also counts calls "
    "from other machines, webhooks and integrations, so it can be higher.";

}  // namespace caspio::cli

#endif  // CASPIO_CLI_USAGE_REPORT_H_
