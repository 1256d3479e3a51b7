#include "emulator/query/date_time.h"

#include <cstdio>
#include <ctime>

#include "emulator/query/text_util.h"

namespace caspio::emulator::query {
namespace {

constexpr std::int64_t kSecondsPerDay = 86400;

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

bool IsLeapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant).
std::int64_t DaysFromCivil(std::int64_t y, int m, int d) {
  y -= m <= 2;
  std::int64_t era = FloorDiv(y, 400);
  std::int64_t yoe = y - era * 400;
  std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(std::int64_t z, DateTime& out) {
  z += 719468;
  std::int64_t era = FloorDiv(z, 146097);
  std::int64_t doe = z - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  out.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  out.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  out.year = static_cast<int>(yoe + era * 400 + (out.month <= 2));
}

std::int64_t Days(const DateTime& v) {
  return DaysFromCivil(v.year, v.month, v.day);
}

std::int64_t Seconds(const DateTime& v) {
  return Days(v) * kSecondsPerDay + v.hour * 3600 + v.minute * 60 + v.second;
}

DateTime FromSeconds(std::int64_t seconds) {
  DateTime out;
  std::int64_t days = FloorDiv(seconds, kSecondsPerDay);
  std::int64_t rest = seconds - days * kSecondsPerDay;
  CivilFromDays(days, out);
  out.hour = static_cast<int>(rest / 3600);
  out.minute = static_cast<int>(rest / 60 % 60);
  out.second = static_cast<int>(rest % 60);
  return out;
}

bool Valid(const DateTime& v) {
  return v.year >= 1 && v.year <= 9999 && v.month >= 1 && v.month <= 12 &&
         v.day >= 1 && v.day <= DaysInMonth(v.year, v.month) && v.hour >= 0 &&
         v.hour <= 23 && v.minute >= 0 && v.minute <= 59 && v.second >= 0 &&
         v.second <= 59;
}

class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ == text_.size(); }

  bool Take(char c) {
    if (AtEnd() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }

  bool TakeWord(std::string_view word) {
    if (!EqualsIgnoreCase(text_.substr(pos_, word.size()), word)) return false;
    pos_ += word.size();
    return true;
  }

  void SkipSpaces() {
    while (Take(' ')) {
    }
  }

  // Reads `min` to `max` digits.
  bool Number(int min, int max, int& out) {
    int count = 0;
    out = 0;
    while (count < max && !AtEnd() && text_[pos_] >= '0' &&
           text_[pos_] <= '9') {
      out = out * 10 + (text_[pos_++] - '0');
      ++count;
    }
    return count >= min;
  }

  bool Digits() {
    std::size_t start = pos_;
    while (!AtEnd() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
    return pos_ > start;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

bool ParseDate(std::string_view text, Cursor& in, DateTime& out) {
  if (text.find('/') != std::string_view::npos) {
    return in.Number(1, 2, out.month) && in.Take('/') &&
           in.Number(1, 2, out.day) && in.Take('/') &&
           in.Number(4, 4, out.year);
  }
  if (!in.Number(4, 4, out.year)) return false;
  if (in.Take('-')) {
    return in.Number(1, 2, out.month) && in.Take('-') &&
           in.Number(1, 2, out.day);
  }
  return in.Number(2, 2, out.month) && in.Number(2, 2, out.day);
}

bool ParseTime(Cursor& in, bool us_form, DateTime& out) {
  if (!in.Number(1, 2, out.hour) || !in.Take(':') ||
      !in.Number(2, 2, out.minute)) {
    return false;
  }
  if (in.Take(':')) {
    if (!in.Number(2, 2, out.second)) return false;
    if (in.Take('.') && !in.Digits()) return false;
  }
  in.SkipSpaces();
  if (!us_form) return true;
  bool pm = in.TakeWord("PM");
  if (!pm && !in.TakeWord("AM")) return true;
  if (out.hour < 1 || out.hour > 12) return false;
  out.hour = out.hour % 12 + (pm ? 12 : 0);
  return true;
}

}  // namespace

std::optional<DateTime> ParseDateTime(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (!text.empty() && (text.back() == 'Z' || text.back() == 'z')) {
    text.remove_suffix(1);
  }

  DateTime out;
  Cursor in(text);
  if (!ParseDate(text, in, out)) return std::nullopt;
  if (!in.AtEnd()) {
    bool us_form = text.find('/') != std::string_view::npos;
    if (!in.Take('T')) {
      if (!in.Take(' ')) return std::nullopt;
      in.SkipSpaces();
    }
    if (!ParseTime(in, us_form, out) || !in.AtEnd()) return std::nullopt;
  }
  if (!Valid(out)) return std::nullopt;
  return out;
}

std::string FormatDateTime(const DateTime& v) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02dT%02d:%02d:%02d", v.year,
                v.month, v.day, v.hour, v.minute, v.second);
  return buffer;
}

DateTime Now() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return DateTime{local.tm_year + 1900, local.tm_mon + 1, local.tm_mday,
                  local.tm_hour,        local.tm_min,     local.tm_sec};
}

std::optional<DatePart> ParseDatePart(std::string_view name) {
  static constexpr std::pair<std::string_view, DatePart> kNames[] = {
      {"year", DatePart::kYear},     {"yy", DatePart::kYear},
      {"yyyy", DatePart::kYear},     {"quarter", DatePart::kQuarter},
      {"qq", DatePart::kQuarter},    {"q", DatePart::kQuarter},
      {"month", DatePart::kMonth},   {"mm", DatePart::kMonth},
      {"m", DatePart::kMonth},       {"day", DatePart::kDay},
      {"dd", DatePart::kDay},        {"d", DatePart::kDay},
      {"week", DatePart::kWeek},     {"wk", DatePart::kWeek},
      {"ww", DatePart::kWeek},       {"hour", DatePart::kHour},
      {"hh", DatePart::kHour},       {"minute", DatePart::kMinute},
      {"mi", DatePart::kMinute},     {"n", DatePart::kMinute},
      {"second", DatePart::kSecond}, {"ss", DatePart::kSecond},
      {"s", DatePart::kSecond}};
  for (const auto& [written, part] : kNames) {
    if (EqualsIgnoreCase(name, written)) return part;
  }
  return std::nullopt;
}

std::string_view DatePartName(DatePart part) {
  switch (part) {
    case DatePart::kYear:
      return "year";
    case DatePart::kQuarter:
      return "quarter";
    case DatePart::kMonth:
      return "month";
    case DatePart::kDay:
      return "day";
    case DatePart::kWeek:
      return "week";
    case DatePart::kHour:
      return "hour";
    case DatePart::kMinute:
      return "minute";
    case DatePart::kSecond:
      return "second";
  }
  return "";
}

std::optional<DateTime> DateAdd(DatePart part, std::int64_t amount,
                                const DateTime& value) {
  // Larger amounts overflow every part; refusing them early keeps the
  // arithmetic below inside int64.
  constexpr std::int64_t kLimit = 400'000'000'000;
  if (amount > kLimit || amount < -kLimit) return std::nullopt;

  DateTime out = value;
  std::int64_t months = 0;
  std::int64_t seconds = 0;
  switch (part) {
    case DatePart::kYear:
      months = amount * 12;
      break;
    case DatePart::kQuarter:
      months = amount * 3;
      break;
    case DatePart::kMonth:
      months = amount;
      break;
    case DatePart::kWeek:
      seconds = amount * 7 * kSecondsPerDay;
      break;
    case DatePart::kDay:
      seconds = amount * kSecondsPerDay;
      break;
    case DatePart::kHour:
      seconds = amount * 3600;
      break;
    case DatePart::kMinute:
      seconds = amount * 60;
      break;
    case DatePart::kSecond:
      seconds = amount;
      break;
  }
  if (months != 0) {
    std::int64_t total =
        value.year * std::int64_t{12} + value.month - 1 + months;
    if (total < 12 || total >= 10000 * 12) return std::nullopt;
    out.year = static_cast<int>(total / 12);
    out.month = static_cast<int>(total % 12 + 1);
    if (out.day > DaysInMonth(out.year, out.month)) {
      out.day = DaysInMonth(out.year, out.month);
    }
  } else if (seconds != 0) {
    out = FromSeconds(Seconds(value) + seconds);
  }
  if (!Valid(out)) return std::nullopt;
  return out;
}

std::int64_t DateDiff(DatePart part, const DateTime& start,
                      const DateTime& end) {
  auto months = [](const DateTime& v) { return v.year * 12 + v.month - 1; };
  // 1970-01-01 was a Thursday; shifting by 4 days puts boundaries on Sundays.
  auto weeks = [](const DateTime& v) { return FloorDiv(Days(v) + 4, 7); };
  switch (part) {
    case DatePart::kYear:
      return end.year - start.year;
    case DatePart::kQuarter:
      return months(end) / 3 - months(start) / 3;
    case DatePart::kMonth:
      return months(end) - months(start);
    case DatePart::kWeek:
      return weeks(end) - weeks(start);
    case DatePart::kDay:
      return Days(end) - Days(start);
    case DatePart::kHour:
      return FloorDiv(Seconds(end), 3600) - FloorDiv(Seconds(start), 3600);
    case DatePart::kMinute:
      return FloorDiv(Seconds(end), 60) - FloorDiv(Seconds(start), 60);
    case DatePart::kSecond:
      return Seconds(end) - Seconds(start);
  }
  return 0;
}

std::int64_t DatePartOf(DatePart part, const DateTime& value) {
  switch (part) {
    case DatePart::kYear:
      return value.year;
    case DatePart::kQuarter:
      return (value.month - 1) / 3 + 1;
    case DatePart::kMonth:
      return value.month;
    case DatePart::kWeek:
      return DateDiff(DatePart::kWeek, DateTime{value.year, 1, 1}, value) + 1;
    case DatePart::kDay:
      return value.day;
    case DatePart::kHour:
      return value.hour;
    case DatePart::kMinute:
      return value.minute;
    case DatePart::kSecond:
      return value.second;
  }
  return 0;
}

}  // namespace caspio::emulator::query
