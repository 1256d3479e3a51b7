// Caspio's billing period: the month of calls an account's quota counts,
// which starts on a day of the account's choosing (e.g. the 27th) at
// midnight in the account's time zone.
#ifndef CASPIO_CLI_BILLING_H_
#define CASPIO_CLI_BILLING_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace caspio::cli {

// How an account's calls are billed. Defaults: calendar months in UTC, no
// quota.
struct BillingSettings {
  int start_day = 1;              // 1..31
  std::string time_zone = "UTC";  // IANA name, e.g. America/Los_Angeles
  std::int64_t quota = 0;         // calls per period; 0 when unknown
};

struct BillingPeriod {
  absl::CivilDay first_day;  // in the account's zone
  absl::CivilDay last_day;   // inclusive
  absl::Time start;          // first_day's first instant
  absl::Time end;            // the next period's start (exclusive)
};

// The period holding `now`. A start day past the end of a month means that
// month's last day (day 31: January 31, February 28 or 29, March 31, ...).
// Days are the zone's civil days, so periods follow daylight saving time;
// a midnight skipped by a DST change starts the day at the change.
BillingPeriod BillingPeriodAt(absl::Time now, int start_day,
                              const absl::TimeZone& zone);

// Loads an IANA time zone from the system's tzdata. InvalidArgument names
// the zone when it is unknown.
absl::StatusOr<absl::TimeZone> LoadBillingTimeZone(std::string_view name);

// InvalidArgument unless the day is 1..31, the zone loads and the quota is
// not negative.
absl::Status CheckBillingSettings(const BillingSettings& settings);

}  // namespace caspio::cli

#endif  // CASPIO_CLI_BILLING_H_
