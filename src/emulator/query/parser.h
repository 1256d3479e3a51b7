// The syntax tree of q.* clauses and the parser that builds it. The parser
// knows T-SQL's grammar only; names are checked later by the compiler.
#ifndef CASPIO_EMULATOR_QUERY_PARSER_H_
#define CASPIO_EMULATOR_QUERY_PARSER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "emulator/query/query.h"

namespace caspio::emulator::query {

// Deeper nesting (parentheses, NOT/minus chains, operator chains) is
// refused, which bounds the recursion of every pass over the tree.
inline constexpr int kMaxNestingDepth = 200;
// Caspio refuses URIs over 2047 characters, so no real clause is longer.
inline constexpr std::size_t kMaxClauseLength = 4096;

enum class NodeKind {
  kLiteral,     // value; text is the token as written
  kColumn,      // text: the name as written, unquoted
  kNegate,      // -children[0]
  kArithmetic,  // text: + - * / %
  kComparison,  // text: = <> < > <= >=
  kLike,        // value LIKE pattern [ESCAPE escape]; negated
  kIn,          // children[0] IN (children[1..]); negated
  kBetween,     // children[0] BETWEEN [1] AND [2]; negated
  kIsNull,      // negated for IS NOT NULL
  kNot,
  kAnd,   // any number of children
  kOr,    // any number of children
  kCall,  // text: the function name as written; star for COUNT(*)
};

struct Node {
  NodeKind kind = NodeKind::kLiteral;
  std::string text;
  Param value;            // kLiteral only
  bool national = false;  // N'...'
  bool negated = false;
  bool distinct = false;  // aggregate(DISTINCT x)
  bool star = false;      // COUNT(*)
  int height = 1;
  std::vector<std::unique_ptr<Node>> children;
};

struct SelectItem {
  std::unique_ptr<Node> expr;  // null for *
  std::string alias;           // empty when none was given
};

struct OrderItem {
  std::unique_ptr<Node> expr;
  bool descending = false;
};

// Each returns InvalidArgument ("Incorrect syntax near 'X'.") for bad
// syntax and input that is too long or too deeply nested, Unimplemented for
// T-SQL the emulator does not support. An empty or blank clause parses to
// an empty list (or a null condition).
absl::StatusOr<std::unique_ptr<Node>> ParseCondition(std::string_view text);
absl::StatusOr<std::vector<SelectItem>> ParseSelectList(std::string_view text);
absl::StatusOr<std::vector<std::unique_ptr<Node>>> ParseGroupBy(
    std::string_view text);
absl::StatusOr<std::vector<OrderItem>> ParseOrderBy(std::string_view text);

}  // namespace caspio::emulator::query

#endif  // CASPIO_EMULATOR_QUERY_PARSER_H_
