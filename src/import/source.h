// Reading a data file (CSV, a JSON array of objects, or JSON lines) into
// rows of raw values, keeping each value's original text.
#ifndef CASPIO_IMPORT_SOURCE_H_
#define CASPIO_IMPORT_SOURCE_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace caspio::import {

struct RawValue {
  enum class Kind {
    kMissing,  // the key was absent (JSON) or the row was short (CSV)
    kNull,     // JSON null, or an empty CSV cell / empty JSON string
    kText,     // CSV cell or JSON string
    kNumber,   // JSON number; `text` is its exact source text
    kBoolean,  // JSON true/false; `text` is "true" or "false"
    kJson,     // JSON object or array, serialised
  };
  Kind kind = Kind::kMissing;
  std::string text;
};

struct RawTable {
  std::vector<std::string> headings;        // in order of first appearance
  std::vector<std::vector<RawValue>> rows;  // one value per heading
  // JSON values say whether they are strings, numbers or booleans; CSV
  // cells are all text, and a numeric-looking cell may be a number.
  bool typed = false;
};

// RFC 4180 CSV with a heading row; quoted cells may hold commas, quotes and
// line breaks. A row with more cells than headings is an error naming it.
absl::StatusOr<RawTable> ParseCsv(std::string_view text);

// A JSON array of objects, or one object per line (JSON lines). Keys become
// headings in order of first appearance.
absl::StatusOr<RawTable> ParseJson(std::string_view text);

// Reads `path` and parses it by content: JSON when the first non-space
// character is '[' or '{', CSV otherwise.
absl::StatusOr<RawTable> ReadDataFile(const std::string& path);

}  // namespace caspio::import

#endif  // CASPIO_IMPORT_SOURCE_H_
