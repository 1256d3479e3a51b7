#include "emulator/query/date_time.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace caspio::emulator::query {
namespace {

std::string Normalise(const std::string& text) {
  std::optional<DateTime> value = ParseDateTime(text);
  return value ? FormatDateTime(*value) : "invalid";
}

DateTime At(const std::string& text) { return ParseDateTime(text).value(); }

TEST(DateTimeTest, ParsesWhatSqlServerConvertsImplicitly) {
  EXPECT_EQ(Normalise("2024-01-05"), "2024-01-05T00:00:00");
  EXPECT_EQ(Normalise("2024-1-5"), "2024-01-05T00:00:00");
  EXPECT_EQ(Normalise("2024-01-05 10:00"), "2024-01-05T10:00:00");
  EXPECT_EQ(Normalise("2024-01-05T10:00:07"), "2024-01-05T10:00:07");
  EXPECT_EQ(Normalise("2024-01-05T10:00:07.123"), "2024-01-05T10:00:07");
  EXPECT_EQ(Normalise("2024-01-05T10:00:07Z"), "2024-01-05T10:00:07");
  EXPECT_EQ(Normalise(" 20240105 "), "2024-01-05T00:00:00");
  EXPECT_EQ(Normalise("1/5/2024"), "2024-01-05T00:00:00");
  EXPECT_EQ(Normalise("1/5/2024 7:14:50 AM"), "2024-01-05T07:14:50");
  EXPECT_EQ(Normalise("1/5/2024 12:00 AM"), "2024-01-05T00:00:00");
  EXPECT_EQ(Normalise("1/5/2024 12:30 PM"), "2024-01-05T12:30:00");
  EXPECT_EQ(Normalise("2024-02-29"), "2024-02-29T00:00:00");
}

TEST(DateTimeTest, RefusesEverythingElse) {
  for (const char* bad :
       {"", "2024", "2024-02-30", "2023-02-29", "2024-13-01",
        "2024-01-01T24:00", "2024-01-01 10", "2024-01-01 10:60", "yesterday",
        "2024-01-01+02:00", "2024-01-01T10:00:00.", "13/1/2024",
        "1/1/2024 13:00 PM"}) {
    EXPECT_EQ(Normalise(bad), "invalid") << bad;
  }
}

TEST(DateTimeTest, DateAddClampsMonthEnds) {
  auto add = [](DatePart part, std::int64_t n, const std::string& from) {
    std::optional<DateTime> sum = DateAdd(part, n, At(from));
    return sum ? FormatDateTime(*sum) : "overflow";
  };
  EXPECT_EQ(add(DatePart::kMonth, 1, "2024-01-31"), "2024-02-29T00:00:00");
  EXPECT_EQ(add(DatePart::kMonth, -1, "2024-03-31"), "2024-02-29T00:00:00");
  EXPECT_EQ(add(DatePart::kYear, 1, "2024-02-29"), "2025-02-28T00:00:00");
  EXPECT_EQ(add(DatePart::kQuarter, 1, "2024-11-30"), "2025-02-28T00:00:00");
  EXPECT_EQ(add(DatePart::kDay, 1, "2024-12-31 10:00"), "2025-01-01T10:00:00");
  EXPECT_EQ(add(DatePart::kWeek, -1, "2024-01-03"), "2023-12-27T00:00:00");
  EXPECT_EQ(add(DatePart::kSecond, -1, "2024-01-01"), "2023-12-31T23:59:59");
  EXPECT_EQ(add(DatePart::kYear, 8000, "2024-01-01"), "overflow");
  EXPECT_EQ(add(DatePart::kSecond, 400000000000, "2024-01-01"), "overflow");
}

TEST(DateTimeTest, DateDiffCountsBoundaries) {
  auto diff = [](DatePart part, const std::string& a, const std::string& b) {
    return DateDiff(part, At(a), At(b));
  };
  EXPECT_EQ(diff(DatePart::kYear, "2023-12-31 23:59:59", "2024-01-01"), 1);
  EXPECT_EQ(diff(DatePart::kYear, "2024-01-01", "2024-12-31"), 0);
  EXPECT_EQ(diff(DatePart::kQuarter, "2024-01-01", "2024-12-31"), 3);
  EXPECT_EQ(diff(DatePart::kMonth, "2024-03-01", "2024-01-31"), -2);
  EXPECT_EQ(diff(DatePart::kDay, "2024-01-01 23:00", "2024-01-02 01:00"), 1);
  EXPECT_EQ(diff(DatePart::kDay, "2000-01-01", "2024-01-01"), 8766);
  EXPECT_EQ(diff(DatePart::kWeek, "2024-01-06", "2024-01-07"), 1);  // Sat-Sun
  EXPECT_EQ(diff(DatePart::kWeek, "2024-01-07", "2024-01-13"), 0);  // Sun-Sat
  EXPECT_EQ(diff(DatePart::kWeek, "1969-12-27", "1969-12-28"), 1);
  EXPECT_EQ(diff(DatePart::kHour, "2024-01-01 10:59:59", "2024-01-01 11:00"),
            1);
  EXPECT_EQ(diff(DatePart::kMinute, "2024-01-01 10:00:59", "2024-01-01 10:01"),
            1);
  EXPECT_EQ(diff(DatePart::kSecond, "0001-01-01", "9999-12-31 23:59:59"),
            315537897599);
}

TEST(DateTimeTest, DatePartsAndNames) {
  DateTime value = At("2024-08-07 13:14:15");
  EXPECT_EQ(DatePartOf(DatePart::kYear, value), 2024);
  EXPECT_EQ(DatePartOf(DatePart::kQuarter, value), 3);
  EXPECT_EQ(DatePartOf(DatePart::kMonth, value), 8);
  EXPECT_EQ(DatePartOf(DatePart::kDay, value), 7);
  EXPECT_EQ(DatePartOf(DatePart::kHour, value), 13);
  EXPECT_EQ(DatePartOf(DatePart::kMinute, value), 14);
  EXPECT_EQ(DatePartOf(DatePart::kSecond, value), 15);
  EXPECT_EQ(DatePartOf(DatePart::kWeek, At("2024-01-06")), 1);
  EXPECT_EQ(DatePartOf(DatePart::kWeek, At("2024-01-07")), 2);
  EXPECT_EQ(ParseDatePart("YYYY"), DatePart::kYear);
  EXPECT_EQ(ParseDatePart("n"), DatePart::kMinute);
  EXPECT_EQ(ParseDatePart("mi"), DatePart::kMinute);
  EXPECT_EQ(ParseDatePart("m"), DatePart::kMonth);
  EXPECT_EQ(ParseDatePart("wk"), DatePart::kWeek);
  EXPECT_EQ(ParseDatePart("fortnight"), std::nullopt);
  EXPECT_EQ(DatePartName(DatePart::kQuarter), "quarter");
}

}  // namespace
}  // namespace caspio::emulator::query
