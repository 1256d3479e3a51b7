// Splits a q.* clause into T-SQL tokens.
#ifndef CASPIO_EMULATOR_QUERY_LEXER_H_
#define CASPIO_EMULATOR_QUERY_LEXER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace caspio::emulator::query {

enum class TokenKind {
  kEnd,
  kWord,        // a bare identifier or keyword: Name, AND, true
  kQuotedName,  // [Name] or "Name"
  kInteger,
  kDecimal,  // 1.5, .5, 1e3
  kString,   // 'text' or N'text'
  kSymbol,   // an operator or punctuation, or a character we do not know
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;   // as written, for error messages
  std::string value;  // names and strings unescaped
};

// Returns the tokens of `text`, ending with a kEnd token. Errors:
// InvalidArgument for an unclosed string or quoted name; Unimplemented for
// comments.
absl::StatusOr<std::vector<Token>> Tokenize(std::string_view text);

}  // namespace caspio::emulator::query

#endif  // CASPIO_EMULATOR_QUERY_LEXER_H_
