// Calendar arithmetic for DATE/TIME values, which the emulator stores as
// naive text "YYYY-MM-DDTHH:MM:SS" (no zone, no fraction).
#ifndef CASPIO_EMULATOR_QUERY_DATE_TIME_H_
#define CASPIO_EMULATOR_QUERY_DATE_TIME_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace caspio::emulator::query {

struct DateTime {
  int year = 1900;
  int month = 1;
  int day = 1;
  int hour = 0;
  int minute = 0;
  int second = 0;
};

enum class DatePart {
  kYear,
  kQuarter,
  kMonth,
  kDay,
  kWeek,
  kHour,
  kMinute,
  kSecond
};

// Parses what SQL Server converts implicitly: "2024-01-31", "20240131",
// "1/31/2024", each optionally followed by a time "10:00", "10:00:05",
// "10:00:05.123" (after 'T' or a space; AM/PM after the US form). A
// trailing Z is dropped and fractions of a second are truncated. Returns
// nullopt for anything else, including impossible dates.
std::optional<DateTime> ParseDateTime(std::string_view text);

// The stored form, "YYYY-MM-DDTHH:MM:SS".
std::string FormatDateTime(const DateTime& value);

// The local wall-clock time, as GETDATE() returns it.
DateTime Now();

// Accepts SQL Server's names and abbreviations (year, yy, yyyy, quarter,
// qq, q, month, mm, m, day, dd, d, week, wk, ww, hour, hh, minute, mi, n,
// second, ss, s), case-insensitively.
std::optional<DatePart> ParseDatePart(std::string_view name);
std::string_view DatePartName(DatePart part);

// DATEADD: months clamp to the end of a shorter month. Returns nullopt when
// the result is outside years 1..9999.
std::optional<DateTime> DateAdd(DatePart part, std::int64_t amount,
                                const DateTime& value);

// DATEDIFF: the number of `part` boundaries crossed from `start` to `end`
// (weeks start on Sunday), negative when `end` is earlier.
std::int64_t DateDiff(DatePart part, const DateTime& start,
                      const DateTime& end);

// DATEPART, YEAR(), MONTH(), DAY(). Week 1 is the week holding January 1.
std::int64_t DatePartOf(DatePart part, const DateTime& value);

}  // namespace caspio::emulator::query

#endif  // CASPIO_EMULATOR_QUERY_DATE_TIME_H_
