// Safe building blocks for q.where and q.orderBy text.
#ifndef CASPIO_QUERY_H_
#define CASPIO_QUERY_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace caspio {

// 'O''Brien': a T-SQL string literal with every quote doubled.
std::string QuoteText(std::string_view text);

// Escapes %, _ and [ for use inside a LIKE pattern ("50[%][_]off").
std::string EscapeLike(std::string_view text);

// [Name] after checking that `name` is a Caspio field name (letters, digits,
// underscore, starting with a letter, at most 32 characters).
absl::StatusOr<std::string> QuoteFieldName(std::string_view name);

}  // namespace caspio

#endif  // CASPIO_QUERY_H_
