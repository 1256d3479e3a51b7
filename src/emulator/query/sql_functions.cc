// The SQLite functions that compiled queries call. Each returns NULL when a
// value argument is NULL, as SQL Server's functions do.
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "emulator/query/date_time.h"
#include "emulator/query/like_pattern.h"
#include "emulator/query/query.h"
#include "emulator/query/text_util.h"

namespace caspio::emulator::query {
namespace {

constexpr char kDateConversionFailed[] =
    "Conversion failed when converting date and/or time from character "
    "string.";

std::string_view Text(sqlite3_value* value) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(value));
  return text == nullptr ? std::string_view()
                         : std::string_view(text, sqlite3_value_bytes(value));
}

bool AnyNull(int argc, sqlite3_value** argv) {
  for (int i = 0; i < argc; ++i) {
    if (sqlite3_value_type(argv[i]) == SQLITE_NULL) return true;
  }
  return false;
}

void ResultText(sqlite3_context* context, const std::string& text) {
  sqlite3_result_text(context, text.data(), static_cast<int>(text.size()),
                      SQLITE_TRANSIENT);
}

std::optional<DateTime> DateArgument(sqlite3_context* context,
                                     sqlite3_value* value) {
  std::optional<DateTime> date = ParseDateTime(Text(value));
  if (!date) sqlite3_result_error(context, kDateConversionFailed, -1);
  return date;
}

std::optional<DatePart> PartArgument(sqlite3_context* context,
                                     sqlite3_value* value) {
  std::optional<DatePart> part = ParseDatePart(Text(value));
  if (!part) sqlite3_result_error(context, "Invalid datepart.", -1);
  return part;
}

// caspio_like(value, pattern[, escape]). The compiled pattern is cached
// while the pattern argument stays the same.
void Like(sqlite3_context* context, int argc, sqlite3_value** argv) {
  if (AnyNull(argc, argv)) return sqlite3_result_null(context);
  if (argc == 3) {
    std::u32string escape = DecodeUtf8(Text(argv[2]));
    if (escape.size() != 1) {
      return sqlite3_result_error(
          context, "The escape character must be a single character.", -1);
    }
    LikePattern pattern(Text(argv[1]), escape[0]);
    return sqlite3_result_int(context, pattern.Matches(Text(argv[0])));
  }
  if (auto* cached =
          static_cast<LikePattern*>(sqlite3_get_auxdata(context, 1))) {
    return sqlite3_result_int(context, cached->Matches(Text(argv[0])));
  }
  auto pattern = std::make_unique<LikePattern>(Text(argv[1]));
  sqlite3_result_int(context, pattern->Matches(Text(argv[0])));
  // SQLite may free the pattern at once, so nothing may use it after this.
  sqlite3_set_auxdata(context, 1, pattern.release(),
                      [](void* p) { delete static_cast<LikePattern*>(p); });
}

// LEN: characters, not counting trailing spaces.
void Len(sqlite3_context* context, int argc, sqlite3_value** argv) {
  if (AnyNull(argc, argv)) return sqlite3_result_null(context);
  std::string_view text = Text(argv[0]);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  sqlite3_result_int64(context,
                       static_cast<std::int64_t>(DecodeUtf8(text).size()));
}

// SUBSTRING(s, start, length): positions before 1 count towards length.
void Substring(sqlite3_context* context, int argc, sqlite3_value** argv) {
  if (AnyNull(argc, argv)) return sqlite3_result_null(context);
  std::int64_t start = sqlite3_value_int64(argv[1]);
  std::int64_t length = sqlite3_value_int64(argv[2]);
  if (length < 0) {
    return sqlite3_result_error(
        context, "Invalid length parameter passed to the substring function.",
        -1);
  }
  std::u32string text = DecodeUtf8(Text(argv[0]));
  // 128 bits keep start - 1 + length from overflowing.
  auto size = static_cast<__int128>(text.size());
  __int128 first = static_cast<__int128>(start) - 1;
  __int128 begin = std::clamp<__int128>(first, 0, size);
  __int128 end = std::clamp<__int128>(first + length, 0, size);
  if (end <= begin) return ResultText(context, "");
  ResultText(context, EncodeUtf8(std::u32string_view(text).substr(
                          static_cast<std::size_t>(begin),
                          static_cast<std::size_t>(end - begin))));
}

// CHARINDEX(needle, haystack[, start]): 1-based, 0 when absent.
void CharIndex(sqlite3_context* context, int argc, sqlite3_value** argv) {
  if (AnyNull(argc, argv)) return sqlite3_result_null(context);
  std::u32string needle = DecodeUtf8(Text(argv[0]));
  std::u32string haystack = DecodeUtf8(Text(argv[1]));
  for (char32_t& c : needle) c = FoldCase(c);
  for (char32_t& c : haystack) c = FoldCase(c);
  std::int64_t start = argc == 3 ? sqlite3_value_int64(argv[2]) : 1;
  if (start < 1) start = 1;
  if (needle.empty() || start > static_cast<std::int64_t>(haystack.size())) {
    return sqlite3_result_int64(context, 0);
  }
  std::size_t found = haystack.find(needle, start - 1);
  sqlite3_result_int64(context, found == std::u32string::npos
                                    ? 0
                                    : static_cast<std::int64_t>(found + 1));
}

// Rounds half away from zero. A product within rounding noise of .5 counts
// as .5, so ROUND(2.675, 2) is 2.68 as with SQL Server's decimals.
double RoundHalfAway(double value) {
  double whole = std::trunc(value);
  double fraction = std::fabs(value - whole);
  double noise = 1e-9 * std::max(1.0, std::fabs(value));
  if (fraction + noise >= 0.5) return whole + (value < 0 ? -1 : 1);
  return whole;
}

void Round(sqlite3_context* context, int argc, sqlite3_value** argv) {
  if (AnyNull(argc, argv)) return sqlite3_result_null(context);
  std::int64_t digits = sqlite3_value_int64(argv[1]);
  if (sqlite3_value_numeric_type(argv[0]) == SQLITE_INTEGER) {
    std::int64_t value = sqlite3_value_int64(argv[0]);
    if (digits >= 0) return sqlite3_result_int64(context, value);
    if (digits < -18) return sqlite3_result_int64(context, 0);
    std::int64_t unit = 1;
    for (std::int64_t i = 0; i < -digits; ++i) unit *= 10;
    std::int64_t quotient = value / unit;
    std::int64_t remainder = value % unit;
    if (remainder * 2 >= unit) ++quotient;
    if (remainder * 2 <= -unit) --quotient;
    return sqlite3_result_int64(context, quotient * unit);
  }
  double value = sqlite3_value_double(argv[0]);
  if (digits > 15 || !std::isfinite(value)) {
    return sqlite3_result_double(context, value);
  }
  if (digits < -308) return sqlite3_result_double(context, 0);
  double scale = std::pow(10.0, static_cast<double>(digits));
  sqlite3_result_double(context, RoundHalfAway(value * scale) / scale);
}

// caspio_datetime(text): the stored form of a date written as text.
void ToDateTime(sqlite3_context* context, int argc, sqlite3_value** argv) {
  if (AnyNull(argc, argv)) return sqlite3_result_null(context);
  if (std::optional<DateTime> date = DateArgument(context, argv[0])) {
    ResultText(context, FormatDateTime(*date));
  }
}

// caspio_datepart(part, date)
void DatePartFunction(sqlite3_context* context, int argc,
                      sqlite3_value** argv) {
  if (AnyNull(argc, argv)) return sqlite3_result_null(context);
  std::optional<DatePart> part = PartArgument(context, argv[0]);
  if (!part) return;
  if (std::optional<DateTime> date = DateArgument(context, argv[1])) {
    sqlite3_result_int64(context, DatePartOf(*part, *date));
  }
}

// caspio_dateadd(part, amount, date)
void DateAddFunction(sqlite3_context* context, int argc, sqlite3_value** argv) {
  if (AnyNull(argc, argv)) return sqlite3_result_null(context);
  std::optional<DatePart> part = PartArgument(context, argv[0]);
  if (!part) return;
  std::optional<DateTime> date = DateArgument(context, argv[2]);
  if (!date) return;
  // SQL Server truncates a fractional amount.
  double amount = std::trunc(sqlite3_value_double(argv[1]));
  std::optional<DateTime> sum;
  if (std::fabs(amount) < 9e18) {
    sum = DateAdd(*part, static_cast<std::int64_t>(amount), *date);
  }
  if (!sum) {
    return sqlite3_result_error(
        context, "Adding a value to a 'datetime' column caused an overflow.",
        -1);
  }
  ResultText(context, FormatDateTime(*sum));
}

// caspio_datediff(part, start, end)
void DateDiffFunction(sqlite3_context* context, int argc,
                      sqlite3_value** argv) {
  if (AnyNull(argc, argv)) return sqlite3_result_null(context);
  std::optional<DatePart> part = PartArgument(context, argv[0]);
  if (!part) return;
  std::optional<DateTime> start = DateArgument(context, argv[1]);
  if (!start) return;
  std::optional<DateTime> end = DateArgument(context, argv[2]);
  if (!end) return;
  sqlite3_result_int64(context, DateDiff(*part, *start, *end));
}

void GetDate(sqlite3_context* context, int, sqlite3_value**) {
  ResultText(context, FormatDateTime(Now()));
}

using Implementation = void (*)(sqlite3_context*, int, sqlite3_value**);

struct Function {
  const char* name;
  int arguments;
  Implementation implementation;
  bool deterministic;
};

constexpr Function kFunctions[] = {
    {"caspio_like", 2, Like, true},
    {"caspio_like", 3, Like, true},
    {"caspio_len", 1, Len, true},
    {"caspio_substring", 3, Substring, true},
    {"caspio_charindex", 2, CharIndex, true},
    {"caspio_charindex", 3, CharIndex, true},
    {"caspio_round", 2, Round, true},
    {"caspio_datetime", 1, ToDateTime, true},
    {"caspio_datepart", 2, DatePartFunction, true},
    {"caspio_dateadd", 3, DateAddFunction, true},
    {"caspio_datediff", 3, DateDiffFunction, true},
    {"caspio_getdate", 0, GetDate, false},
};

}  // namespace

absl::Status RegisterSqlFunctions(sqlite3* db) {
  for (const Function& function : kFunctions) {
    int flags = SQLITE_UTF8 | SQLITE_INNOCUOUS;
    if (function.deterministic) flags |= SQLITE_DETERMINISTIC;
    int rc = sqlite3_create_function_v2(db, function.name, function.arguments,
                                        flags, nullptr, function.implementation,
                                        nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
      return absl::InternalError(std::string("cannot register ") +
                                 function.name + ": " + sqlite3_errmsg(db));
    }
  }
  return absl::OkStatus();
}

}  // namespace caspio::emulator::query
