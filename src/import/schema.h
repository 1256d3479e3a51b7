// Choosing a Caspio field type for each imported column without losing
// information, and converting raw values to the chosen types.
#ifndef CASPIO_IMPORT_SCHEMA_H_
#define CASPIO_IMPORT_SCHEMA_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "import/source.h"

namespace caspio::import {

enum class FieldType { kString, kText, kInteger, kNumber, kYesNo, kDateTime };

// Caspio's type token: "STRING", "TEXT", "INTEGER", "NUMBER", "YES/NO",
// "DATE/TIME".
std::string_view TypeToken(FieldType type);

struct ImportField {
  std::string heading;  // as in the file
  std::string name;     // a valid Caspio field name
  FieldType type = FieldType::kString;
};

// The rules, applied to every non-null value of a column:
// - INTEGER only if every value is an integer within 32 bits written
//   without a leading zero or sign on zero (CSV text or JSON number);
// - NUMBER for other numbers, when each is exactly representable (at most
//   15 significant digits); JSON strings never become numbers;
// - YES/NO only for JSON booleans or the text "true"/"false";
// - DATE/TIME only for ISO-8601 dates "YYYY-MM-DD" or date-times
//   "YYYY-MM-DDTHH:MM[:SS]" (no zone, no fraction: Caspio would drop them);
// - anything else, mixed or ambiguous, stays text: STRING, or TEXT when a
//   value is longer than 255 characters.
// Empty and missing values are null and do not vote.
std::vector<ImportField> InferSchema(const RawTable& table);

using Cell =
    std::variant<std::monostate, std::int64_t, double, bool, std::string>;

// The value to store for `raw` in a field of `type` (null for missing/null).
// The value must satisfy the type (as InferSchema guarantees).
Cell ConvertValue(const RawValue& raw, FieldType type);

// "2024-05-01" -> "2024-05-01T00:00:00"; nullopt unless a valid ISO date or
// date-time as InferSchema accepts it.
std::optional<std::string> NormalizeIsoDateTime(std::string_view text);

}  // namespace caspio::import

#endif  // CASPIO_IMPORT_SCHEMA_H_
