#include "emulator/query/parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "emulator/query/lexer.h"

namespace caspio::emulator::query {
namespace {

using ::testing::ElementsAre;

// A compact rendering of a tree: (op child child ...).
std::string Show(const Node& node) {
  std::string out;
  switch (node.kind) {
    case NodeKind::kLiteral:
      return node.text;
    case NodeKind::kColumn:
      return node.text;
    case NodeKind::kNegate:
      out = "(neg";
      break;
    case NodeKind::kCall:
      out = "(" + node.text + (node.distinct ? " DISTINCT" : "") +
            (node.star ? " *" : "");
      break;
    default:
      out = "(" + std::string(node.negated ? "NOT " : "") + node.text;
  }
  for (const auto& child : node.children) out += " " + Show(*child);
  return out + ")";
}

std::string ShowCondition(const std::string& text) {
  absl::StatusOr<std::unique_ptr<Node>> node = ParseCondition(text);
  if (!node.ok()) return "error: " + std::string(node.status().message());
  return *node ? Show(**node) : "<empty>";
}

TEST(LexerTest, TokensAndTheirValues) {
  absl::StatusOr<std::vector<Token>> tokens =
      Tokenize("[a]]b] N'x''y' 1.5 .5 1e3 42 <> != >= \"q\"\"r\" Name");
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  std::vector<std::string> values;
  std::vector<TokenKind> kinds;
  for (const Token& token : *tokens) {
    values.push_back(token.value);
    kinds.push_back(token.kind);
  }
  EXPECT_THAT(values, ElementsAre("a]b", "x'y", "1.5", ".5", "1e3", "42", "<>",
                                  "!=", ">=", "q\"r", "Name", ""));
  EXPECT_THAT(kinds, ElementsAre(TokenKind::kQuotedName, TokenKind::kString,
                                 TokenKind::kDecimal, TokenKind::kDecimal,
                                 TokenKind::kDecimal, TokenKind::kInteger,
                                 TokenKind::kSymbol, TokenKind::kSymbol,
                                 TokenKind::kSymbol, TokenKind::kQuotedName,
                                 TokenKind::kWord, TokenKind::kEnd));
  EXPECT_EQ((*tokens)[1].text, "N'x''y'");
}

TEST(LexerTest, UnclosedQuotesAndComments) {
  EXPECT_EQ(std::string(Tokenize("'abc").status().message()),
            "Unclosed quotation mark after the character string 'abc'.");
  EXPECT_EQ(std::string(Tokenize("N'abc''").status().message()),
            "Unclosed quotation mark after the character string 'abc'''.");
  EXPECT_EQ(Tokenize("a -- b").status().code(),
            absl::StatusCode::kUnimplemented);
  EXPECT_TRUE(Tokenize("a - -b").ok());
}

TEST(ParserTest, BooleanPrecedence) {
  EXPECT_EQ(ShowCondition("a = 1 OR b = 2 AND NOT c = 3"),
            "(OR (= a 1) (AND (= b 2) (NOT (= c 3))))");
  EXPECT_EQ(ShowCondition("(a = 1 OR b = 2) AND c = 3"),
            "(AND (OR (= a 1) (= b 2)) (= c 3))");
  EXPECT_EQ(ShowCondition("a = 1 AND b = 2 AND c = 3"),
            "(AND (= a 1) (= b 2) (= c 3))");
}

TEST(ParserTest, ArithmeticPrecedenceAndAssociativity) {
  EXPECT_EQ(ShowCondition("1 + 2 * 3 = x"), "(= (+ 1 (* 2 3)) x)");
  EXPECT_EQ(ShowCondition("x - 1 - 2 = 0"), "(= (- (- x 1) 2) 0)");
  EXPECT_EQ(ShowCondition("-x % 2 = -1"), "(= (% (neg x) 2) -1)");
  EXPECT_EQ(ShowCondition("- -3 = x"), "(= --3 x)");  // folded to 3
}

TEST(ParserTest, Predicates) {
  EXPECT_EQ(ShowCondition("a NOT LIKE 'x%' ESCAPE '!'"),
            "(NOT LIKE a 'x%' '!')");
  EXPECT_EQ(ShowCondition("a NOT IN (1, 2 + 3)"), "(NOT IN a 1 (+ 2 3))");
  EXPECT_EQ(ShowCondition("a BETWEEN 1 AND 2 AND b IS NOT NULL"),
            "(AND (BETWEEN a 1 2) (NOT IS b))");
  EXPECT_EQ(ShowCondition("NOT a IS NULL"), "(NOT (IS a))");
  EXPECT_EQ(ShowCondition("COUNT(DISTINCT x) > COUNT(*)"),
            "(> (COUNT DISTINCT x) (COUNT *))");
  EXPECT_EQ(ShowCondition("a !> 1"), "(<= a 1)");
  EXPECT_EQ(ShowCondition(" \t\n"), "<empty>");
}

TEST(ParserTest, SelectListAliases) {
  absl::StatusOr<std::vector<SelectItem>> items =
      ParseSelectList("*, a AS b, c d, e 'f', g AS [h i], COUNT(*)");
  ASSERT_TRUE(items.ok()) << items.status();
  ASSERT_EQ(items->size(), 6u);
  EXPECT_EQ((*items)[0].expr, nullptr);
  EXPECT_EQ((*items)[1].alias, "b");
  EXPECT_EQ((*items)[2].alias, "d");
  EXPECT_EQ((*items)[3].alias, "f");
  EXPECT_EQ((*items)[4].alias, "h i");
  EXPECT_EQ((*items)[5].alias, "");
}

TEST(ParserTest, OrderByDirections) {
  absl::StatusOr<std::vector<OrderItem>> items =
      ParseOrderBy("a, b DESC, c asc");
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 3u);
  EXPECT_FALSE((*items)[0].descending);
  EXPECT_TRUE((*items)[1].descending);
  EXPECT_FALSE((*items)[2].descending);
}

TEST(ParserTest, NestingLimits) {
  std::string ok = std::string(kMaxNestingDepth - 10, '(') + "a = 1" +
                   std::string(kMaxNestingDepth - 10, ')');
  EXPECT_TRUE(ParseCondition(ok).ok());
  std::string deep = std::string(kMaxNestingDepth + 1, '(') + "a = 1" +
                     std::string(kMaxNestingDepth + 1, ')');
  EXPECT_EQ(ParseCondition(deep).status().code(),
            absl::StatusCode::kInvalidArgument);
  std::string unbalanced(4000, '(');
  EXPECT_EQ(ParseCondition(unbalanced).status().code(),
            absl::StatusCode::kInvalidArgument);
  std::string calls;
  for (int i = 0; i < 1000; ++i) calls += "f(";
  EXPECT_EQ(ParseCondition(calls).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      ParseCondition(std::string(kMaxClauseLength + 1, ' ')).status().code(),
      absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace caspio::emulator::query
