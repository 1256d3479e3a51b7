#include "import/source.h"

#include <gtest/gtest.h>

namespace caspio::import {
namespace {

using Kind = RawValue::Kind;

TEST(Source, CsvQuotesCommasAndLineBreaks) {
  auto t = ParseCsv("\xEF\xBB\xBFid,text\r\n1,\"a, \"\"b\"\"\nc\"\r\n2,\n3\n");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->headings, (std::vector<std::string>{"id", "text"}));
  ASSERT_EQ(t->rows.size(), 3u);
  EXPECT_EQ(t->rows[0][1].text, "a, \"b\"\nc");
  EXPECT_EQ(t->rows[1][1].kind, Kind::kNull);
  EXPECT_EQ(t->rows[2][1].kind, Kind::kMissing);
}

TEST(Source, CsvRowTooLongIsNamed) {
  auto t = ParseCsv("a,b\n1,2,3\n");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("row 2"), absl::string_view::npos);
}

TEST(Source, CsvUnterminatedQuoteIsAnError) {
  EXPECT_FALSE(ParseCsv("a\n\"open\n").ok());
}

TEST(Source, JsonKeepsNumberTextAndKeyOrder) {
  auto t = ParseJson(R"([{"b": 1.50, "a": "x"}, {"a": null, "c": true,
                          "n": {"k": [1, 2.5]}}])");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->headings, (std::vector<std::string>{"b", "a", "c", "n"}));
  EXPECT_EQ(t->rows[0][0].kind, Kind::kNumber);
  EXPECT_EQ(t->rows[0][0].text, "1.50");
  EXPECT_EQ(t->rows[1][1].kind, Kind::kNull);
  EXPECT_EQ(t->rows[1][0].kind, Kind::kMissing);
  EXPECT_EQ(t->rows[1][2].kind, Kind::kBoolean);
  EXPECT_EQ(t->rows[1][3].kind, Kind::kJson);
  EXPECT_EQ(t->rows[1][3].text, R"({"k":[1,2.5]})");
}

TEST(Source, JsonLines) {
  auto t = ParseJson("{\"a\": 1}\n\n{\"a\": 2, \"b\": \"x\"}\n");
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(t->rows[1][1].text, "x");
}

TEST(Source, BadJsonNamesTheLine) {
  auto t = ParseJson("{\"a\": 1}\n{\"a\": }\n");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("line 2"), absl::string_view::npos);
}

}  // namespace
}  // namespace caspio::import
