#include "caspio/query.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "caspio/error.h"

namespace caspio {
namespace {

TEST(QuoteTextTest, DoublesQuotes) {
  EXPECT_EQ(QuoteText("O'Brien"), "'O''Brien'");
  EXPECT_EQ(QuoteText("x' OR '1'='1"), "'x'' OR ''1''=''1'");
  EXPECT_EQ(QuoteText(""), "''");
  EXPECT_EQ(QuoteText("''"), "''''''");
}

TEST(EscapeLikeTest, EscapesWildcardsAndBrackets) {
  EXPECT_EQ(EscapeLike("50%_off"), "50[%][_]off");
  EXPECT_EQ(EscapeLike("[a]"), "[[]a]");
  EXPECT_EQ(EscapeLike("plain"), "plain");
  EXPECT_EQ(QuoteText("%" + EscapeLike("O'B_") + "%"), "'%O''B[_]%'");
}

TEST(QuoteFieldNameTest, AcceptsCaspioFieldNames) {
  EXPECT_EQ(*QuoteFieldName("First_Name"), "[First_Name]");
  EXPECT_EQ(*QuoteFieldName("PK_ID"), "[PK_ID]");
  EXPECT_EQ(*QuoteFieldName(std::string(32, 'a')),
            "[" + std::string(32, 'a') + "]");
}

TEST(QuoteFieldNameTest, RefusesAnythingElse) {
  for (std::string bad :
       std::vector<std::string>{"", "1abc", "_x", "a b", "a]", "a;DROP",
                                std::string(33, 'a'), "Na\xc3\xafve"}) {
    auto quoted = QuoteFieldName(bad);
    ASSERT_FALSE(quoted.ok()) << bad;
    EXPECT_EQ(GetErrorInfo(quoted.status()).error_class,
              ErrorClass::kUserInput);
  }
}

TEST(SqlLiteral, RendersJsonValuesSafely) {
  using Json = nlohmann::ordered_json;
  EXPECT_EQ(*SqlLiteral(Json("O'Brien")), "'O''Brien'");
  EXPECT_EQ(*SqlLiteral(Json("x' OR '1'='1")), "'x'' OR ''1''=''1'");
  EXPECT_EQ(*SqlLiteral(Json(true)), "1");
  EXPECT_EQ(*SqlLiteral(Json(false)), "0");
  EXPECT_EQ(*SqlLiteral(Json(-42)), "-42");
  EXPECT_EQ(*SqlLiteral(Json::parse("2.5")), "2.5");
  for (const Json& none : {Json(nullptr), Json::array(), Json::object()}) {
    auto literal = SqlLiteral(none);
    ASSERT_FALSE(literal.ok()) << none;
    EXPECT_EQ(GetErrorInfo(literal.status()).error_class,
              ErrorClass::kUserInput);
  }
}

}  // namespace
}  // namespace caspio
