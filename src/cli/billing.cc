#include "cli/billing.h"

#include <algorithm>
#include <string>

namespace caspio::cli {
namespace {

absl::CivilDay PeriodStartIn(absl::CivilMonth month, int start_day) {
  const int days_in_month =
      static_cast<int>(absl::CivilDay(month + 1) - absl::CivilDay(month));
  return absl::CivilDay(month.year(), month.month(),
                        std::min(start_day, days_in_month));
}

absl::Time StartOfDay(absl::CivilDay day, const absl::TimeZone& zone) {
  const absl::TimeZone::TimeInfo info = zone.At(absl::CivilSecond(day));
  return info.kind == absl::TimeZone::TimeInfo::SKIPPED ? info.trans : info.pre;
}

}  // namespace

BillingPeriod BillingPeriodAt(absl::Time now, int start_day,
                              const absl::TimeZone& zone) {
  start_day = std::clamp(start_day, 1, 31);
  const absl::CivilDay today = absl::ToCivilDay(now, zone);
  const absl::CivilMonth month(today);
  absl::CivilDay first = PeriodStartIn(month, start_day);
  if (today < first) first = PeriodStartIn(month - 1, start_day);
  const absl::CivilDay next =
      PeriodStartIn(absl::CivilMonth(first) + 1, start_day);
  return BillingPeriod{.first_day = first,
                       .last_day = next - 1,
                       .start = StartOfDay(first, zone),
                       .end = StartOfDay(next, zone)};
}

absl::StatusOr<absl::TimeZone> LoadBillingTimeZone(std::string_view name) {
  absl::TimeZone zone;
  // LoadTimeZone also accepts "Fixed/UTC+..." forms; an empty name would
  // quietly mean UTC.
  if (name.empty() || !absl::LoadTimeZone(std::string(name), &zone)) {
    return absl::InvalidArgumentError(
        "unknown time zone \"" + std::string(name) +
        "\"; use an IANA name such as America/Los_Angeles or UTC");
  }
  return zone;
}

absl::Status CheckBillingSettings(const BillingSettings& settings) {
  if (settings.start_day < 1 || settings.start_day > 31) {
    return absl::InvalidArgumentError("the billing day is 1..31");
  }
  if (settings.quota < 0) {
    return absl::InvalidArgumentError("the quota cannot be negative");
  }
  return LoadBillingTimeZone(settings.time_zone).status();
}

}  // namespace caspio::cli
