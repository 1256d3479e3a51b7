// Turning arbitrary column headings into Caspio field and table names.
#ifndef CASPIO_IMPORT_NAMES_H_
#define CASPIO_IMPORT_NAMES_H_

#include <string>
#include <string_view>
#include <vector>

namespace caspio::import {

// The longest name Caspio accepts for a table or a field.
inline constexpr std::size_t kMaxNameLength = 32;

// True when `name` is a SQL Server reserved word (case-insensitive). "date",
// "time" and "name" are not reserved; "order", "key" and "user" are.
bool IsReservedWord(std::string_view name);

// True when `name` is already a valid Caspio name: ASCII letters, digits and
// underscore, starting with a letter, at most 32 characters, not reserved.
bool IsValidName(std::string_view name);

// Maps one heading to a valid name: runs of other characters become one
// underscore, a leading digit or underscore gets an "F" prefix, the result
// is cut to 32 characters, and a reserved word gets a "_" suffix. An empty
// result becomes "Field".
std::string NormalizeName(std::string_view heading);

// Normalises every heading and numbers collisions (compared without regard
// to case, as Caspio compares names): "Name", "name" -> "Name", "name_2".
// Names in `taken` (e.g. "PK_ID") are never produced.
std::vector<std::string> NormalizeNames(
    const std::vector<std::string>& headings,
    const std::vector<std::string>& taken = {"PK_ID"});

}  // namespace caspio::import

#endif  // CASPIO_IMPORT_NAMES_H_
