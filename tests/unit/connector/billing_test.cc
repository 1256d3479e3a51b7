// Billing periods: a start day, the account's time zone, short months.
#include "cli/billing.h"

#include <gtest/gtest.h>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace caspio::cli {
namespace {

absl::TimeZone Zone(const char* name) {
  absl::StatusOr<absl::TimeZone> zone = LoadBillingTimeZone(name);
  EXPECT_TRUE(zone.ok()) << name;
  return zone.ok() ? *zone : absl::UTCTimeZone();
}

absl::Time Utc(int y, int m, int d, int hh, int mm, int ss) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, ss),
                         absl::UTCTimeZone());
}

std::string Dates(const BillingPeriod& period) {
  return absl::FormatCivilTime(period.first_day) + ".." +
         absl::FormatCivilTime(period.last_day);
}

TEST(BillingPeriodTest, CalendarMonthsInUtcByDefault) {
  const BillingSettings defaults;
  BillingPeriod period =
      BillingPeriodAt(Utc(2026, 7, 15, 12, 0, 0), defaults.start_day,
                      Zone(defaults.time_zone.c_str()));
  EXPECT_EQ(Dates(period), "2026-07-01..2026-07-31");
  EXPECT_EQ(period.start, Utc(2026, 7, 1, 0, 0, 0));
  EXPECT_EQ(period.end, Utc(2026, 8, 1, 0, 0, 0));
}

TEST(BillingPeriodTest, TheTwentySeventhToTheTwentySixth) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  EXPECT_EQ(Dates(BillingPeriodAt(Utc(2026, 7, 26, 23, 59, 59), 27, utc)),
            "2026-06-27..2026-07-26");
  EXPECT_EQ(Dates(BillingPeriodAt(Utc(2026, 7, 27, 0, 0, 0), 27, utc)),
            "2026-07-27..2026-08-26");
  // Across the new year.
  EXPECT_EQ(Dates(BillingPeriodAt(Utc(2027, 1, 3, 0, 0, 0), 27, utc)),
            "2026-12-27..2027-01-26");
}

// Caspio's usage log is on the account's clock (FIELD-CASES F13): an
// evening call in Los Angeles is the next day in UTC.
TEST(BillingPeriodTest, DaysAreTheAccountsDays) {
  const absl::TimeZone la = Zone("America/Los_Angeles");
  // 2026-07-27T00:30Z is 17:30 on the 26th in Los Angeles (PDT, UTC-7).
  EXPECT_EQ(Dates(BillingPeriodAt(Utc(2026, 7, 27, 0, 30, 0), 27, la)),
            "2026-06-27..2026-07-26");
  EXPECT_EQ(Dates(BillingPeriodAt(Utc(2026, 7, 27, 7, 0, 0), 27, la)),
            "2026-07-27..2026-08-26");
}

TEST(BillingPeriodTest, PeriodsFollowDaylightSavingTime) {
  const absl::TimeZone la = Zone("America/Los_Angeles");
  // DST ends on 2026-11-01: the period starts in PDT and ends in PST.
  BillingPeriod autumn = BillingPeriodAt(Utc(2026, 11, 10, 0, 0, 0), 27, la);
  EXPECT_EQ(Dates(autumn), "2026-10-27..2026-11-26");
  EXPECT_EQ(autumn.start, Utc(2026, 10, 27, 7, 0, 0));
  EXPECT_EQ(autumn.end, Utc(2026, 11, 27, 8, 0, 0));
  EXPECT_EQ(autumn.end - autumn.start, absl::Hours(31 * 24 + 1));
  EXPECT_EQ(Dates(BillingPeriodAt(Utc(2026, 11, 27, 7, 59, 59), 27, la)),
            "2026-10-27..2026-11-26");
  EXPECT_EQ(Dates(BillingPeriodAt(Utc(2026, 11, 27, 8, 0, 0), 27, la)),
            "2026-11-27..2026-12-26");

  // DST starts on 2026-03-08: the period is an hour short.
  BillingPeriod spring = BillingPeriodAt(Utc(2026, 3, 1, 0, 0, 0), 27, la);
  EXPECT_EQ(Dates(spring), "2026-02-27..2026-03-26");
  EXPECT_EQ(spring.start, Utc(2026, 2, 27, 8, 0, 0));
  EXPECT_EQ(spring.end, Utc(2026, 3, 27, 7, 0, 0));
  EXPECT_EQ(Dates(BillingPeriodAt(Utc(2026, 3, 27, 6, 59, 59), 27, la)),
            "2026-02-27..2026-03-26");
  EXPECT_EQ(Dates(BillingPeriodAt(Utc(2026, 3, 27, 7, 0, 0), 27, la)),
            "2026-03-27..2026-04-26");
}

// In America/Santiago clocks jump from 00:00 to 01:00 when DST starts
// (2026-09-06): the day, and a period starting on it, begins at 01:00.
TEST(BillingPeriodTest, ASkippedMidnightStartsTheDayAtTheChange) {
  const absl::TimeZone santiago = Zone("America/Santiago");
  BillingPeriod period =
      BillingPeriodAt(Utc(2026, 9, 10, 12, 0, 0), 6, santiago);
  EXPECT_EQ(Dates(period), "2026-09-06..2026-10-05");
  EXPECT_EQ(absl::FormatTime("%H:%M", period.start, santiago), "01:00");
}

TEST(BillingPeriodTest, AStartDayPastTheMonthsEndIsItsLastDay) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  EXPECT_EQ(Dates(BillingPeriodAt(Utc(2026, 2, 15, 0, 0, 0), 31, utc)),
            "2026-01-31..2026-02-27");
  EXPECT_EQ(Dates(BillingPeriodAt(Utc(2026, 2, 28, 0, 0, 0), 31, utc)),
            "2026-02-28..2026-03-30");
  EXPECT_EQ(Dates(BillingPeriodAt(Utc(2026, 3, 31, 0, 0, 0), 31, utc)),
            "2026-03-31..2026-04-29");
  EXPECT_EQ(Dates(BillingPeriodAt(Utc(2026, 4, 30, 0, 0, 0), 31, utc)),
            "2026-04-30..2026-05-30");
  // Leap year: the 30th falls on February 29.
  EXPECT_EQ(Dates(BillingPeriodAt(Utc(2028, 3, 1, 0, 0, 0), 30, utc)),
            "2028-02-29..2028-03-29");
  EXPECT_EQ(Dates(BillingPeriodAt(Utc(2027, 3, 1, 0, 0, 0), 29, utc)),
            "2027-02-28..2027-03-28");
}

TEST(BillingSettingsTest, ChecksDayZoneAndQuota) {
  EXPECT_TRUE(CheckBillingSettings({}).ok());
  EXPECT_TRUE(CheckBillingSettings({27, "America/Los_Angeles", 500000}).ok());
  EXPECT_FALSE(CheckBillingSettings({0, "UTC", 0}).ok());
  EXPECT_FALSE(CheckBillingSettings({32, "UTC", 0}).ok());
  EXPECT_FALSE(CheckBillingSettings({1, "UTC", -1}).ok());
  EXPECT_FALSE(CheckBillingSettings({1, "Mars/Olympus_Mons", 0}).ok());
  EXPECT_FALSE(CheckBillingSettings({1, "", 0}).ok());
}

}  // namespace
}  // namespace caspio::cli
