// Building q.where from `match`: safe literals, whatever the values hold.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "caspio/error.h"
#include "connector/where.h"

namespace caspio::connector {
namespace {

using Json = nlohmann::ordered_json;

std::string Built(const char* match) {
  absl::StatusOr<std::string> where = BuildMatchWhere(Json::parse(match));
  EXPECT_TRUE(where.ok()) << where.status();
  return where.value_or("");
}

TEST(BuildMatchWhereTest, RendersEachKindOfValue) {
  EXPECT_EQ(Built(R"({"Name":"Ann"})"), "[Name]='Ann'");
  EXPECT_EQ(Built(R"({"Qty":3})"), "[Qty]=3");
  EXPECT_EQ(Built(R"({"Price":2.5})"), "[Price]=2.5");
  EXPECT_EQ(Built(R"({"Delta":-7})"), "[Delta]=-7");
  EXPECT_EQ(Built(R"({"Active":true})"), "[Active]=1");
  EXPECT_EQ(Built(R"({"Active":false})"), "[Active]=0");
  EXPECT_EQ(Built(R"({"Ended":null})"), "[Ended] IS NULL");
}

TEST(BuildMatchWhereTest, AndsTestsInTheGivenOrder) {
  EXPECT_EQ(Built(R"({"B":"x","A":1,"C":null})"),
            "[B]='x' AND [A]=1 AND [C] IS NULL");
}

TEST(BuildMatchWhereTest, QuotesAreDoubledSoTheyCannotEscape) {
  EXPECT_EQ(Built(R"({"LastName":"O'Brien"})"), "[LastName]='O''Brien'");
  // The classic injection stays one text literal.
  EXPECT_EQ(Built(R"({"Email":"x' OR '1'='1"})"), "[Email]='x'' OR ''1''=''1'");
  EXPECT_EQ(Built(R"({"Note":"'"})"), "[Note]=''''");
}

TEST(BuildMatchWhereTest, RefusesBadFieldNames) {
  for (const char* match :
       {R"({"Bad Name":1})", R"({"A]=1 OR [B":1})", R"({"1st":1})", R"({"":1})",
        R"({"a_very_long_field_name_over_32_chars":1})"}) {
    absl::StatusOr<std::string> where = BuildMatchWhere(Json::parse(match));
    ASSERT_FALSE(where.ok()) << match;
    const caspio::ErrorInfo info = caspio::GetErrorInfo(where.status());
    EXPECT_EQ(info.error_class, caspio::ErrorClass::kUserInput);
    EXPECT_EQ(info.message.rfind("/match/", 0), 0u) << info.message;
  }
}

TEST(BuildMatchWhereTest, RefusesValuesThatAreNotScalars) {
  EXPECT_FALSE(BuildMatchWhere(Json::parse(R"({"A":{"b":1}})")).ok());
  EXPECT_FALSE(BuildMatchWhere(Json::parse(R"({"A":[{"b":1}]})")).ok());
  EXPECT_FALSE(BuildMatchWhere(Json::parse(R"({"A":[null]})")).ok());
  EXPECT_FALSE(BuildMatchWhere(Json::parse(R"({"A":[]})")).ok());
  EXPECT_FALSE(BuildMatchWhere(Json::parse(R"([1])")).ok());
}

TEST(BuildMatchWhereTest, AListIsAnInTest) {
  auto where = BuildMatchWhere(Json::parse(R"({"A":[1,"O'x",true],"B":2})"));
  ASSERT_TRUE(where.ok()) << where.status();
  EXPECT_EQ(*where, "[A] IN (1,'O''x',1) AND [B]=2");
}

TEST(ReadSelectionOfTest, KeepsTheFirstListAsData) {
  auto selection = ReadSelectionOf(
      Json::parse(R"({"where":"Q>1","match":{"B":2,"A":[1,2],"C":[3]}})"));
  ASSERT_TRUE(selection.ok()) << selection.status();
  ASSERT_TRUE(selection->in_list.has_value());
  EXPECT_EQ(selection->in_list->field, "A");
  EXPECT_EQ(selection->in_list->values.size(), 2u);
  EXPECT_EQ(selection->where, "(Q>1) AND ([B]=2 AND [C] IN (3))");
}

TEST(CombineWhereTest, ParenthesisesBothSides) {
  EXPECT_EQ(CombineWhere("A=1 OR B=2", "[C]=3"), "(A=1 OR B=2) AND ([C]=3)");
  EXPECT_EQ(CombineWhere("", "[C]=3"), "[C]=3");
  EXPECT_EQ(CombineWhere("A=1", ""), "A=1");
  EXPECT_EQ(CombineWhere("  ", "[C]=3"), "[C]=3");
}

TEST(WriteWhereTest, AllRecordsIsARealPredicate) {
  absl::StatusOr<std::string> where =
      WriteWhere(Json::parse(R"({"table":"T","all_records":true})"));
  ASSERT_TRUE(where.ok());
  EXPECT_EQ(*where, "PK_ID>0");
}

TEST(WriteWhereTest, RefusesMissingOrEmptySelections) {
  for (const char* input :
       {R"({"table":"T"})", R"({"table":"T","where":""})",
        R"({"table":"T","where":" \t"})", R"({"table":"T","match":{}})",
        R"({"table":"T","all_records":false})",
        R"({"table":"T","all_records":true,"match":{"A":1}})"}) {
    absl::StatusOr<std::string> where = WriteWhere(Json::parse(input));
    ASSERT_FALSE(where.ok()) << input;
    EXPECT_EQ(caspio::GetErrorInfo(where.status()).error_class,
              caspio::ErrorClass::kUserInput);
  }
}

TEST(WriteWhereTest, CombinesWhereAndMatch) {
  absl::StatusOr<std::string> where = WriteWhere(Json::parse(
      R"({"table":"T","where":"Qty>1","match":{"Name":"O'Neil"}})"));
  ASSERT_TRUE(where.ok());
  EXPECT_EQ(*where, "(Qty>1) AND ([Name]='O''Neil')");
}

}  // namespace
}  // namespace caspio::connector
