#include "emulator/query/parser.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <set>
#include <utility>

#include "absl/status/status.h"
#include "emulator/query/lexer.h"
#include "emulator/query/status_macros.h"
#include "emulator/query/text_util.h"

namespace caspio::emulator::query {
namespace {

using NodePtr = std::unique_ptr<Node>;

// T-SQL reserved words that can appear near our clauses. They are never
// column names unless quoted; `true` and `false` are not among them.
bool IsReserved(std::string_view word) {
  static const std::set<std::string, std::less<>> kReserved = {
      "ADD",     "ALL",    "ALTER",  "AND",   "ANY",      "AS",     "ASC",
      "BETWEEN", "BY",     "CASE",   "CHECK", "COLLATE",  "COLUMN", "CONVERT",
      "CREATE",  "CROSS",  "DELETE", "DESC",  "DISTINCT", "DROP",   "ELSE",
      "END",     "ESCAPE", "EXCEPT", "EXEC",  "EXECUTE",  "EXISTS", "FROM",
      "FULL",    "GROUP",  "HAVING", "IN",    "INNER",    "INSERT", "INTERSECT",
      "INTO",    "IS",     "JOIN",   "LEFT",  "LIKE",     "NOT",    "NULL",
      "OF",      "ON",     "OR",     "ORDER", "OUTER",    "OVER",   "RIGHT",
      "SELECT",  "SET",    "SOME",   "TABLE", "THEN",     "TOP",    "UNION",
      "UPDATE",  "VALUES", "WHEN",   "WHERE", "WITH"};
  return kReserved.count(ToUpperAscii(word)) > 0;
}

absl::Status Unsupported(std::string_view what) {
  return absl::UnimplementedError(std::string(what) +
                                  " not supported by the emulator");
}

absl::Status TooDeep() {
  return absl::InvalidArgumentError(
      "Some part of your SQL statement is nested too deeply. Rewrite the "
      "query or break it up into smaller queries.");
}

// Builds a node over `children`, refusing trees taller than the limit.
absl::StatusOr<NodePtr> Combine(NodeKind kind, std::string text,
                                std::vector<NodePtr> children) {
  auto node = std::make_unique<Node>();
  node->kind = kind;
  node->text = std::move(text);
  for (const NodePtr& child : children) {
    node->height = std::max(node->height, child->height + 1);
  }
  if (node->height > kMaxNestingDepth) return TooDeep();
  node->children = std::move(children);
  return node;
}

NodePtr Literal(const Token& token, Param value) {
  auto node = std::make_unique<Node>();
  node->kind = NodeKind::kLiteral;
  node->text = token.text;
  node->value = std::move(value);
  return node;
}

NodePtr NumberLiteral(const Token& token) {
  const std::string& s = token.value;
  if (token.kind == TokenKind::kInteger) {
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec == std::errc() && end == s.data() + s.size()) {
      return Literal(token, n);
    }
  }
  double d = 0;
  std::from_chars(s.data(), s.data() + s.size(), d);
  return Literal(token, d);
}

class DepthGuard {
 public:
  explicit DepthGuard(int& depth) : depth_(depth) { ++depth_; }
  ~DepthGuard() { --depth_; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;
  bool Exceeded() const { return depth_ > kMaxNestingDepth; }

 private:
  int& depth_;
};

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  bool AtEnd() const { return Peek().kind == TokenKind::kEnd; }

  absl::Status ExpectEnd() const {
    return AtEnd() ? absl::OkStatus() : SyntaxError();
  }

  absl::StatusOr<NodePtr> Expression() {
    DepthGuard guard(depth_);
    if (guard.Exceeded()) return TooDeep();
    return Or();
  }

  absl::StatusOr<std::vector<SelectItem>> SelectList() {
    if (IsWord("TOP")) return Unsupported("TOP is");
    if (IsWord("DISTINCT")) return Unsupported("SELECT DISTINCT is");
    if (IsWord("ALL")) Take();
    std::vector<SelectItem> items;
    do {
      ASSIGN_OR_RETURN(item, SelectListItem());
      items.push_back(std::move(item));
    } while (TakeSymbol(","));
    RETURN_IF_ERROR(ExpectEnd());
    return items;
  }

  absl::StatusOr<std::vector<NodePtr>> GroupBy() {
    if (IsWord("ALL")) return Unsupported("GROUP BY ALL is");
    std::vector<NodePtr> items;
    do {
      ASSIGN_OR_RETURN(item, Expression());
      items.push_back(std::move(item));
    } while (TakeSymbol(","));
    RETURN_IF_ERROR(ExpectEnd());
    return items;
  }

  absl::StatusOr<std::vector<OrderItem>> OrderBy() {
    std::vector<OrderItem> items;
    do {
      OrderItem item;
      ASSIGN_OR_RETURN(expr, Expression());
      item.expr = std::move(expr);
      if (IsWord("DESC")) {
        Take();
        item.descending = true;
      } else if (IsWord("ASC")) {
        Take();
      }
      items.push_back(std::move(item));
    } while (TakeSymbol(","));
    if (IsWord("OFFSET")) return Unsupported("OFFSET/FETCH is");
    RETURN_IF_ERROR(ExpectEnd());
    return items;
  }

 private:
  const Token& Peek(std::size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }

  const Token& Take() {
    const Token& token = Peek();
    if (pos_ < tokens_.size() - 1) ++pos_;
    return token;
  }

  bool IsWord(std::string_view word, std::size_t ahead = 0) const {
    const Token& token = Peek(ahead);
    return token.kind == TokenKind::kWord && EqualsIgnoreCase(token.text, word);
  }

  bool IsSymbol(std::string_view symbol, std::size_t ahead = 0) const {
    const Token& token = Peek(ahead);
    return token.kind == TokenKind::kSymbol && token.text == symbol;
  }

  bool TakeSymbol(std::string_view symbol) {
    if (!IsSymbol(symbol)) return false;
    Take();
    return true;
  }

  absl::Status ExpectSymbol(std::string_view symbol) {
    return TakeSymbol(symbol) ? absl::OkStatus() : SyntaxError();
  }

  absl::Status ExpectWord(std::string_view word) {
    if (!IsWord(word)) return SyntaxError();
    Take();
    return absl::OkStatus();
  }

  // SQL Server names the token where parsing failed, or the last one when
  // the text ended too early.
  absl::Status SyntaxError() const {
    const Token& token =
        AtEnd() && pos_ > 0 ? tokens_[pos_ - 1] : tokens_[pos_];
    if (token.kind == TokenKind::kWord && IsReserved(token.text)) {
      return absl::InvalidArgumentError("Incorrect syntax near the keyword '" +
                                        token.text + "'.");
    }
    bool quoted = token.kind == TokenKind::kString ||
                  token.kind == TokenKind::kQuotedName;
    return absl::InvalidArgumentError(
        "Incorrect syntax near '" + (quoted ? token.value : token.text) + "'.");
  }

  absl::StatusOr<SelectItem> SelectListItem() {
    SelectItem item;
    if (TakeSymbol("*")) return item;
    ASSIGN_OR_RETURN(expr, Expression());
    item.expr = std::move(expr);
    bool as = IsWord("AS");
    if (as) Take();
    const Token& next = Peek();
    bool alias = next.kind == TokenKind::kQuotedName ||
                 next.kind == TokenKind::kString ||
                 (next.kind == TokenKind::kWord && !IsReserved(next.text));
    if (alias) {
      item.alias = Take().value;
      if (item.alias.empty()) {
        return absl::InvalidArgumentError(
            "An object or column name is missing or empty.");
      }
    } else if (as) {
      return SyntaxError();
    }
    return item;
  }

  absl::StatusOr<NodePtr> Or() { return Logical(NodeKind::kOr, "OR"); }

  absl::StatusOr<NodePtr> And() { return Logical(NodeKind::kAnd, "AND"); }

  absl::StatusOr<NodePtr> Logical(NodeKind kind, std::string_view word) {
    auto operand = [&]() { return kind == NodeKind::kOr ? And() : Not(); };
    ASSIGN_OR_RETURN(first, operand());
    if (!IsWord(word)) return first;
    std::vector<NodePtr> children;
    children.push_back(std::move(first));
    while (IsWord(word)) {
      Take();
      ASSIGN_OR_RETURN(next, operand());
      children.push_back(std::move(next));
    }
    return Combine(kind, std::string(word), std::move(children));
  }

  absl::StatusOr<NodePtr> Not() {
    if (!IsWord("NOT")) return Predicate();
    DepthGuard guard(depth_);
    if (guard.Exceeded()) return TooDeep();
    Take();
    ASSIGN_OR_RETURN(operand, Not());
    return Unary(NodeKind::kNot, "NOT", std::move(operand));
  }

  absl::StatusOr<NodePtr> Unary(NodeKind kind, std::string text,
                                NodePtr operand) {
    std::vector<NodePtr> children;
    children.push_back(std::move(operand));
    return Combine(kind, std::move(text), std::move(children));
  }

  absl::StatusOr<NodePtr> Predicate() {
    ASSIGN_OR_RETURN(left, Additive());
    if (std::optional<std::string> op = ComparisonOperator()) {
      return Comparison(*op, std::move(left));
    }
    bool negated = IsWord("NOT") && (IsWord("LIKE", 1) || IsWord("IN", 1) ||
                                     IsWord("BETWEEN", 1));
    if (negated) Take();
    absl::StatusOr<NodePtr> node;
    if (IsWord("LIKE")) {
      node = Like(std::move(left));
    } else if (IsWord("IN")) {
      node = In(std::move(left));
    } else if (IsWord("BETWEEN")) {
      node = Between(std::move(left));
    } else if (IsWord("IS")) {
      return IsNull(std::move(left));
    } else {
      return left;
    }
    if (node.ok()) (*node)->negated = negated;
    return node;
  }

  std::optional<std::string> ComparisonOperator() const {
    static constexpr std::pair<std::string_view, std::string_view> kOps[] = {
        {"=", "="},   {"<>", "<>"}, {"!=", "<>"}, {"<", "<"},  {">", ">"},
        {"<=", "<="}, {">=", ">="}, {"!<", ">="}, {"!>", "<="}};
    for (const auto& [written, canonical] : kOps) {
      if (IsSymbol(written)) return std::string(canonical);
    }
    return std::nullopt;
  }

  absl::StatusOr<NodePtr> Comparison(std::string op, NodePtr left) {
    Take();
    if (IsWord("ANY") || IsWord("SOME") || IsWord("ALL")) {
      return Unsupported("subqueries are");
    }
    ASSIGN_OR_RETURN(right, Additive());
    std::vector<NodePtr> children;
    children.push_back(std::move(left));
    children.push_back(std::move(right));
    return Combine(NodeKind::kComparison, std::move(op), std::move(children));
  }

  absl::StatusOr<NodePtr> Like(NodePtr value) {
    Take();
    std::vector<NodePtr> children;
    children.push_back(std::move(value));
    ASSIGN_OR_RETURN(pattern, Additive());
    children.push_back(std::move(pattern));
    if (IsWord("ESCAPE")) {
      Take();
      ASSIGN_OR_RETURN(escape, Additive());
      children.push_back(std::move(escape));
    }
    return Combine(NodeKind::kLike, "LIKE", std::move(children));
  }

  absl::StatusOr<NodePtr> In(NodePtr value) {
    Take();
    RETURN_IF_ERROR(ExpectSymbol("("));
    if (IsWord("SELECT")) return Unsupported("subqueries are");
    std::vector<NodePtr> children;
    children.push_back(std::move(value));
    do {
      ASSIGN_OR_RETURN(item, Additive());
      children.push_back(std::move(item));
    } while (TakeSymbol(","));
    RETURN_IF_ERROR(ExpectSymbol(")"));
    return Combine(NodeKind::kIn, "IN", std::move(children));
  }

  absl::StatusOr<NodePtr> Between(NodePtr value) {
    Take();
    std::vector<NodePtr> children;
    children.push_back(std::move(value));
    ASSIGN_OR_RETURN(low, Additive());
    children.push_back(std::move(low));
    RETURN_IF_ERROR(ExpectWord("AND"));
    ASSIGN_OR_RETURN(high, Additive());
    children.push_back(std::move(high));
    return Combine(NodeKind::kBetween, "BETWEEN", std::move(children));
  }

  absl::StatusOr<NodePtr> IsNull(NodePtr value) {
    Take();
    bool negated = IsWord("NOT");
    if (negated) Take();
    RETURN_IF_ERROR(ExpectWord("NULL"));
    ASSIGN_OR_RETURN(node, Unary(NodeKind::kIsNull, "IS", std::move(value)));
    node->negated = negated;
    return node;
  }

  absl::StatusOr<NodePtr> Additive() {
    return Binary({"+", "-"}, &Parser::Multiplicative);
  }

  absl::StatusOr<NodePtr> Multiplicative() {
    return Binary({"*", "/", "%"}, &Parser::Signed);
  }

  absl::StatusOr<NodePtr> Binary(std::initializer_list<std::string_view> ops,
                                 absl::StatusOr<NodePtr> (Parser::*operand)()) {
    ASSIGN_OR_RETURN(left, (this->*operand)());
    while (true) {
      if (IsSymbol("&") || IsSymbol("|") || IsSymbol("^")) {
        return Unsupported("bitwise operators are");
      }
      auto op = std::find_if(ops.begin(), ops.end(),
                             [&](std::string_view s) { return IsSymbol(s); });
      if (op == ops.end()) return left;
      Take();
      ASSIGN_OR_RETURN(right, (this->*operand)());
      std::vector<NodePtr> children;
      children.push_back(std::move(left));
      children.push_back(std::move(right));
      ASSIGN_OR_RETURN(node, Combine(NodeKind::kArithmetic, std::string(*op),
                                     std::move(children)));
      left = std::move(node);
    }
  }

  absl::StatusOr<NodePtr> Signed() {
    if (IsSymbol("~")) return Unsupported("bitwise operators are");
    if (!IsSymbol("-") && !IsSymbol("+")) return Postfix();
    DepthGuard guard(depth_);
    if (guard.Exceeded()) return TooDeep();
    bool minus = Take().text == "-";
    ASSIGN_OR_RETURN(operand, Signed());
    if (!minus) return operand;
    if (operand->kind == NodeKind::kLiteral) {
      if (auto* n = std::get_if<std::int64_t>(&operand->value);
          n && *n != std::numeric_limits<std::int64_t>::min()) {
        operand->value = -*n;
        operand->text = "-" + operand->text;
        return operand;
      }
      if (auto* d = std::get_if<double>(&operand->value)) {
        operand->value = -*d;
        operand->text = "-" + operand->text;
        return operand;
      }
    }
    return Unary(NodeKind::kNegate, "-", std::move(operand));
  }

  absl::StatusOr<NodePtr> Postfix() {
    ASSIGN_OR_RETURN(node, Primary());
    if (IsWord("COLLATE")) return Unsupported("COLLATE is");
    return node;
  }

  absl::StatusOr<NodePtr> Primary() {
    const Token& token = Peek();
    switch (token.kind) {
      case TokenKind::kInteger:
      case TokenKind::kDecimal:
        return NumberLiteral(Take());
      case TokenKind::kString: {
        const Token& string = Take();
        NodePtr node = Literal(string, string.value);
        node->national = string.text[0] != '\'';
        return node;
      }
      case TokenKind::kQuotedName:
        return Column();
      case TokenKind::kWord:
        return WordPrimary();
      case TokenKind::kSymbol:
        if (IsSymbol("(")) return Parenthesized();
        return SyntaxError();
      case TokenKind::kEnd:
        break;
    }
    return SyntaxError();
  }

  absl::StatusOr<NodePtr> WordPrimary() {
    std::string word = ToUpperAscii(Peek().text);
    if (word == "NULL") return Literal(Take(), std::monostate());
    if (word == "SELECT" || word == "EXISTS") {
      return Unsupported("subqueries are");
    }
    if (word == "CASE") return Unsupported("CASE expressions are");
    if (IsSymbol("(", 1)) return Call();
    if (word == "CURRENT_TIMESTAMP") {
      Take();
      return Combine(NodeKind::kCall, "GETDATE", {});
    }
    if (IsReserved(word)) return SyntaxError();
    if (word[0] == '@') {
      return absl::InvalidArgumentError("Must declare the scalar variable \"" +
                                        Peek().text + "\".");
    }
    return Column();
  }

  absl::StatusOr<NodePtr> Column() {
    const Token& name = Take();
    if (IsSymbol(".")) return Unsupported("multi-part names (Table.Field) are");
    if (name.value.empty()) {
      return absl::InvalidArgumentError(
          "An object or column name is missing or empty.");
    }
    auto node = std::make_unique<Node>();
    node->kind = NodeKind::kColumn;
    node->text = name.value;
    return node;
  }

  absl::StatusOr<NodePtr> Parenthesized() {
    Take();
    if (IsWord("SELECT") || IsWord("WITH")) {
      return Unsupported("subqueries are");
    }
    ASSIGN_OR_RETURN(inner, Expression());
    RETURN_IF_ERROR(ExpectSymbol(")"));
    return inner;
  }

  absl::StatusOr<NodePtr> Call() {
    std::string written = Take().text;
    std::string name = ToUpperAscii(written);
    Take();  // (
    static const std::set<std::string, std::less<>> kConversions = {
        "CAST", "CONVERT", "TRY_CAST", "TRY_CONVERT", "PARSE", "TRY_PARSE"};
    if (kConversions.count(name) > 0)
      return Unsupported("CAST and CONVERT are");
    DepthGuard guard(depth_);
    if (guard.Exceeded()) return TooDeep();

    std::vector<NodePtr> args;
    bool star = false;
    bool distinct = false;
    if (name == "COUNT" && IsSymbol("*")) {
      Take();
      star = true;
    } else if (!IsSymbol(")")) {
      distinct = IsWord("DISTINCT");
      if (distinct || IsWord("ALL")) Take();
      do {
        ASSIGN_OR_RETURN(arg, Expression());
        args.push_back(std::move(arg));
      } while (TakeSymbol(","));
    }
    RETURN_IF_ERROR(ExpectSymbol(")"));
    if (IsWord("OVER")) return Unsupported("window functions (OVER) are");
    ASSIGN_OR_RETURN(node, Combine(NodeKind::kCall, written, std::move(args)));
    node->star = star;
    node->distinct = distinct;
    return node;
  }

  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  int depth_ = 0;
};

absl::StatusOr<Parser> Start(std::string_view text) {
  if (text.size() > kMaxClauseLength) {
    return absl::InvalidArgumentError(
        "A query clause is longer than the emulator's limit of " +
        std::to_string(kMaxClauseLength) + " characters.");
  }
  ASSIGN_OR_RETURN(tokens, Tokenize(text));
  return Parser(std::move(tokens));
}

}  // namespace

absl::StatusOr<std::unique_ptr<Node>> ParseCondition(std::string_view text) {
  ASSIGN_OR_RETURN(parser, Start(text));
  if (parser.AtEnd()) return nullptr;
  ASSIGN_OR_RETURN(condition, parser.Expression());
  RETURN_IF_ERROR(parser.ExpectEnd());
  return condition;
}

absl::StatusOr<std::vector<SelectItem>> ParseSelectList(std::string_view text) {
  ASSIGN_OR_RETURN(parser, Start(text));
  if (parser.AtEnd()) return std::vector<SelectItem>();
  return parser.SelectList();
}

absl::StatusOr<std::vector<std::unique_ptr<Node>>> ParseGroupBy(
    std::string_view text) {
  ASSIGN_OR_RETURN(parser, Start(text));
  if (parser.AtEnd()) return std::vector<NodePtr>();
  return parser.GroupBy();
}

absl::StatusOr<std::vector<OrderItem>> ParseOrderBy(std::string_view text) {
  ASSIGN_OR_RETURN(parser, Start(text));
  if (parser.AtEnd()) return std::vector<OrderItem>();
  return parser.OrderBy();
}

}  // namespace caspio::emulator::query
