// Safe building blocks for q.where and q.orderBy text.
#ifndef CASPIO_QUERY_H_
#define CASPIO_QUERY_H_

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"

namespace caspio {

// 'O''Brien': a T-SQL string literal with every quote doubled.
std::string QuoteText(std::string_view text);

// The T-SQL literal of a JSON value: text through QuoteText, true/false as
// 1/0 (Caspio refuses `Flag=true`), numbers as their JSON text. Null,
// arrays and objects have no literal: InvalidArgument (kUserInput).
absl::StatusOr<std::string> SqlLiteral(const nlohmann::ordered_json& value);

// Escapes %, _ and [ for use inside a LIKE pattern ("50[%][_]off").
std::string EscapeLike(std::string_view text);

// [Name] after checking that `name` is a Caspio field name (letters, digits,
// underscore, starting with a letter, at most 32 characters).
absl::StatusOr<std::string> QuoteFieldName(std::string_view name);

}  // namespace caspio

#endif  // CASPIO_QUERY_H_
