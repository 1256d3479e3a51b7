#include "cli/usage_report.h"

#include <cstdlib>
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"

namespace caspio::cli {
namespace {

// 500000 -> "500,000".
std::string Grouped(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) {
    digits.insert(static_cast<std::size_t>(i), ",");
  }
  return n < 0 ? "-" + digits : digits;
}

std::string Dates(const BillingPeriod& period) {
  return absl::FormatCivilTime(period.first_day) + " to " +
         absl::FormatCivilTime(period.last_day);
}

// The period holding `now`; an unknown zone (a hand-edited file) counts
// in UTC rather than not at all.
BillingPeriod PeriodOf(const BillingSettings& billing, absl::Time now) {
  absl::StatusOr<absl::TimeZone> zone = LoadBillingTimeZone(billing.time_zone);
  return BillingPeriodAt(now, billing.start_day,
                         zone.ok() ? *zone : absl::UTCTimeZone());
}

// True when `before` < `mark` percent of `quota` <= `after`.
bool Crosses(std::int64_t before, std::int64_t after, std::int64_t quota,
             int mark) {
  auto reached = [&](std::int64_t count) {
    return count * 100 >= quota * mark;
  };
  return !reached(before) && reached(after);
}

}  // namespace

std::string TokenCacheDirectory() {
  std::filesystem::path base;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) {
    base = xdg;
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    base = std::filesystem::path(home) / ".cache";
  } else {
    return "";
  }
  return (base / "caspio" / "tokens").string();
}

void RecordCalls(UsageStore& store, const MeteredProfile& profile,
                 std::int64_t calls, absl::Time now, std::ostream& err) {
  if (calls <= 0) return;
  const BillingPeriod period = PeriodOf(profile.billing, now);
  absl::StatusOr<std::int64_t> after =
      store.Add(profile.id, period.first_day, calls);
  if (!after.ok()) {
    err << "caspio: warning: the call count was not updated: "
        << after.status().message() << "\n";
    return;
  }

  const std::int64_t quota = profile.billing.quota;
  if (quota <= 0) return;
  const std::int64_t before = *after - calls;
  const std::string used = Grouped(*after) + " of " + Grouped(quota) +
                           " calls in the billing period " + Dates(period) +
                           " (counted on this machine only; see `caspio "
                           "usage`)";
  if (Crosses(before, *after, quota, 100)) {
    err << "caspio: warning: " << profile.label
        << " has used its quota: " << used
        << "; Caspio bills calls beyond the quota\n";
  } else if (Crosses(before, *after, quota, 80)) {
    err << "caspio: warning: " << profile.label
        << " is near its quota: " << used << "\n";
  }
}

absl::Status ReportUsage(const UsageStore& store, const MeteredProfile& profile,
                         absl::Time now, std::ostream& out) {
  const BillingPeriod period = PeriodOf(profile.billing, now);
  absl::StatusOr<std::int64_t> calls =
      store.Count(profile.id, period.first_day);
  if (!calls.ok()) return calls.status();

  out << profile.label << ": " << profile.id.integration_url << ", Client ID "
      << profile.id.client_id << "\n";
  out << "  billing period: " << Dates(period) << " ("
      << profile.billing.time_zone << ", starting on day "
      << profile.billing.start_day << ")\n";
  out << "  calls from this machine: " << Grouped(*calls);
  if (profile.billing.quota > 0) {
    const double percent = 100.0 * static_cast<double>(*calls) /
                           static_cast<double>(profile.billing.quota);
    out << " of a " << Grouped(profile.billing.quota) << " quota ("
        << absl::StrCat(static_cast<std::int64_t>(percent * 10) / 10.0) << "%)";
  } else {
    out << " (no quota set)";
  }
  out << "\n";
  return absl::OkStatus();
}

}  // namespace caspio::cli
