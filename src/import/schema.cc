#include "import/schema.h"

#include <charconv>
#include <cstdio>
#include <limits>

#include "import/names.h"

namespace caspio::import {
namespace {

using Kind = RawValue::Kind;

constexpr std::size_t kStringLimit = 255;
constexpr int kMaxExactDigits = 15;

// "0" or an optional minus and digits without a leading zero.
bool IsCanonicalInteger(std::string_view t) {
  if (t == "0") return true;
  if (!t.empty() && t[0] == '-') t.remove_prefix(1);
  if (t.empty() || t[0] < '1' || t[0] > '9') return false;
  for (char c : t) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::optional<std::int64_t> ParseInt32(std::string_view t) {
  if (!IsCanonicalInteger(t)) return std::nullopt;
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || end != t.data() + t.size()) return std::nullopt;
  if (v < std::numeric_limits<std::int32_t>::min() ||
      v > std::numeric_limits<std::int32_t>::max()) {
    return std::nullopt;
  }
  return v;
}

// A JSON-style decimal number whose value a double holds exactly enough to
// give the same decimal back: at most 15 significant digits, and no leading
// zero before other digits ("007" is an identifier, not a number).
std::optional<double> ParseExactNumber(std::string_view t) {
  std::size_t i = 0;
  if (i < t.size() && t[i] == '-') ++i;
  std::size_t int_start = i;
  while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
  std::size_t int_digits = i - int_start;
  if (int_digits == 0) return std::nullopt;
  if (int_digits > 1 && t[int_start] == '0') return std::nullopt;
  int significant = 0;
  bool leading = true;
  auto count = [&](char c) {
    if (c != '0') leading = false;
    if (!leading) ++significant;
  };
  for (std::size_t k = int_start; k < i; ++k) count(t[k]);
  if (i < t.size() && t[i] == '.') {
    ++i;
    std::size_t frac_start = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') count(t[i++]);
    if (i == frac_start) return std::nullopt;
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    std::size_t exp_start = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    if (i == exp_start) return std::nullopt;
  }
  if (i != t.size() || significant > kMaxExactDigits) return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || end != t.data() + t.size()) return std::nullopt;
  return v;
}

bool IsTrueFalse(std::string_view t) {
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(c));
    return out;
  };
  std::string l = lower(t);
  return l == "true" || l == "false";
}

std::size_t Utf8Length(std::string_view t) {
  std::size_t n = 0;
  for (unsigned char c : t) n += (c & 0xC0) != 0x80;
  return n;
}

int Digits(std::string_view t, std::size_t pos, std::size_t count) {
  if (pos + count > t.size()) return -1;
  int v = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (t[i] < '0' || t[i] > '9') return -1;
    v = v * 10 + (t[i] - '0');
  }
  return v;
}

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// Which types one value could be stored as without loss.
struct Fits {
  bool integer = false, number = false, yes_no = false, date_time = false;
  bool long_text = false;
};

Fits Classify(const RawValue& v) {
  Fits f;
  f.long_text = Utf8Length(v.text) > kStringLimit;
  switch (v.kind) {
    case Kind::kNumber:
      f.integer = ParseInt32(v.text).has_value();
      f.number = f.integer || ParseExactNumber(v.text).has_value();
      break;
    case Kind::kBoolean:
      f.yes_no = true;
      break;
    case Kind::kText:
      f.yes_no = IsTrueFalse(v.text);
      f.date_time = NormalizeIsoDateTime(v.text).has_value();
      break;
    default:
      break;
  }
  return f;
}

}  // namespace

std::string_view TypeToken(FieldType type) {
  switch (type) {
    case FieldType::kString:
      return "STRING";
    case FieldType::kText:
      return "TEXT";
    case FieldType::kInteger:
      return "INTEGER";
    case FieldType::kNumber:
      return "NUMBER";
    case FieldType::kYesNo:
      return "YES/NO";
    case FieldType::kDateTime:
      return "DATE/TIME";
  }
  return "STRING";
}

std::optional<std::string> NormalizeIsoDateTime(std::string_view t) {
  if (t.size() != 10 && t.size() != 16 && t.size() != 19) return std::nullopt;
  int y = Digits(t, 0, 4), mo = Digits(t, 5, 2), d = Digits(t, 8, 2);
  if (t[4] != '-' || t[7] != '-' || y < 1753 || mo < 1 || mo > 12 || d < 1) {
    return std::nullopt;
  }
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  int days = kDays[mo - 1] + (mo == 2 && IsLeapYear(y) ? 1 : 0);
  if (d > days) return std::nullopt;
  int h = 0, mi = 0, s = 0;
  if (t.size() > 10) {
    h = Digits(t, 11, 2);
    mi = Digits(t, 14, 2);
    if (t[10] != 'T' || t[13] != ':' || h < 0 || h > 23 || mi < 0 || mi > 59)
      return std::nullopt;
  }
  if (t.size() == 19) {
    s = Digits(t, 17, 2);
    if (t[16] != ':' || s < 0 || s > 59) return std::nullopt;
  }
  char out[20];
  std::snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, h,
                mi, s);
  return std::string(out);
}

std::vector<ImportField> InferSchema(const RawTable& table) {
  std::vector<std::string> names = NormalizeNames(table.headings);
  bool csv = !table.typed;

  std::vector<ImportField> fields;
  for (std::size_t c = 0; c < table.headings.size(); ++c) {
    bool any = false, integer = true, number = true, yes_no = true,
         date_time = true, long_text = false;
    for (const auto& row : table.rows) {
      RawValue v = row[c];
      if (v.kind == Kind::kMissing || v.kind == Kind::kNull) continue;
      if (csv && v.kind == Kind::kText) {
        Fits as_number = Classify({Kind::kNumber, v.text});
        Fits as_text = Classify(v);
        integer &= as_number.integer;
        number &= as_number.number;
        yes_no &= as_text.yes_no;
        date_time &= as_text.date_time;
        long_text |= as_text.long_text;
      } else {
        Fits f = Classify(v);
        integer &= f.integer;
        number &= f.number;
        yes_no &= f.yes_no;
        date_time &= f.date_time;
        long_text |= f.long_text;
      }
      any = true;
    }
    FieldType type = long_text ? FieldType::kText : FieldType::kString;
    if (any && integer) {
      type = FieldType::kInteger;
    } else if (any && number) {
      type = FieldType::kNumber;
    } else if (any && yes_no) {
      type = FieldType::kYesNo;
    } else if (any && date_time) {
      type = FieldType::kDateTime;
    }
    fields.push_back({table.headings[c], names[c], type});
  }
  return fields;
}

Cell ConvertValue(const RawValue& raw, FieldType type) {
  if (raw.kind == Kind::kMissing || raw.kind == Kind::kNull) return {};
  switch (type) {
    case FieldType::kInteger:
      return *ParseInt32(raw.text);
    case FieldType::kNumber:
      return *ParseExactNumber(raw.text);
    case FieldType::kYesNo:
      // InferSchema admitted only "true"/"false" in some letter case.
      return raw.text[0] == 't' || raw.text[0] == 'T';
    case FieldType::kDateTime:
      return *NormalizeIsoDateTime(raw.text);
    default:
      return raw.text;
  }
}

}  // namespace caspio::import
