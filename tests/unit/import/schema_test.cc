#include "import/schema.h"

#include <gtest/gtest.h>

namespace caspio::import {
namespace {

FieldType TypeOfCsvColumn(const std::string& values) {
  auto t = ParseCsv("c\n" + values);
  EXPECT_TRUE(t.ok()) << t.status();
  return InferSchema(*t).at(0).type;
}

FieldType TypeOfJsonColumn(const std::string& values) {
  std::string doc = "[";
  std::size_t start = 0;
  while (start <= values.size()) {
    std::size_t end = values.find('|', start);
    if (end == std::string::npos) end = values.size();
    if (start > 0) doc += ",";
    doc += "{\"c\":" + values.substr(start, end - start) + "}";
    start = end + 1;
  }
  auto t = ParseJson(doc + "]");
  EXPECT_TRUE(t.ok()) << t.status();
  return InferSchema(*t).at(0).type;
}

TEST(Schema, IntegersOnlyWithinThirtyTwoBitsAndWithoutLeadingZeros) {
  EXPECT_EQ(TypeOfCsvColumn("1\n-20\n0\n"), FieldType::kInteger);
  EXPECT_EQ(TypeOfCsvColumn("2147483647\n"), FieldType::kInteger);
  EXPECT_EQ(TypeOfCsvColumn("2147483648\n"), FieldType::kNumber);
  EXPECT_EQ(TypeOfCsvColumn("007\n12\n"), FieldType::kString);
  EXPECT_EQ(TypeOfCsvColumn("-0\n"), FieldType::kNumber);
}

TEST(Schema, NumbersMustBeExact) {
  EXPECT_EQ(TypeOfCsvColumn("1.5\n2\n-3e4\n"), FieldType::kNumber);
  EXPECT_EQ(TypeOfCsvColumn("0.1234567890123456789\n"), FieldType::kString);
  EXPECT_EQ(TypeOfCsvColumn("1.\n"), FieldType::kString);
  EXPECT_EQ(TypeOfCsvColumn("\"1,5\"\n"), FieldType::kString);
  EXPECT_EQ(TypeOfJsonColumn("6.1|7"), FieldType::kNumber);
  EXPECT_EQ(TypeOfJsonColumn("1|2"), FieldType::kInteger);
}

TEST(Schema, JsonStringsNeverBecomeNumbers) {
  EXPECT_EQ(TypeOfJsonColumn("\"12\"|\"13\""), FieldType::kString);
  EXPECT_EQ(TypeOfJsonColumn("12|\"13\""), FieldType::kString);
}

TEST(Schema, YesNoOnlyForBooleansOrTrueFalse) {
  EXPECT_EQ(TypeOfJsonColumn("true|false|null"), FieldType::kYesNo);
  EXPECT_EQ(TypeOfCsvColumn("true\nFALSE\n"), FieldType::kYesNo);
  EXPECT_EQ(TypeOfCsvColumn("yes\nno\n"), FieldType::kString);
  EXPECT_EQ(TypeOfCsvColumn("1\n0\n"), FieldType::kInteger);
  EXPECT_EQ(TypeOfJsonColumn("true|1"), FieldType::kString);
}

TEST(Schema, DatesOnlyForIsoValues) {
  EXPECT_EQ(TypeOfCsvColumn("2024-02-29\n2023-12-31T23:59:59\n"),
            FieldType::kDateTime);
  EXPECT_EQ(TypeOfCsvColumn("2023-02-29\n"), FieldType::kString);
  EXPECT_EQ(TypeOfCsvColumn("Jun 12 1998\n"), FieldType::kString);
  EXPECT_EQ(TypeOfCsvColumn("2024-01-01T10:00:00Z\n"), FieldType::kString);
  EXPECT_EQ(TypeOfCsvColumn("2024-01-01T10:00:00.5\n"), FieldType::kString);
  EXPECT_EQ(TypeOfCsvColumn("2024-01-01\nsoon\n"), FieldType::kString);
}

TEST(Schema, LongTextAndEmptyColumns) {
  EXPECT_EQ(TypeOfCsvColumn(std::string(255, 'x') + "\n"), FieldType::kString);
  EXPECT_EQ(TypeOfCsvColumn(std::string(256, 'x') + "\n"), FieldType::kText);
  // 255 two-byte characters are 255 characters, not 510.
  std::string accents;
  for (int i = 0; i < 255; ++i) accents += "\xC3\xA9";
  EXPECT_EQ(TypeOfCsvColumn(accents + "\n"), FieldType::kString);
  EXPECT_EQ(TypeOfJsonColumn("null|null"), FieldType::kString);
}

TEST(Schema, ConvertsToStoredValues) {
  EXPECT_EQ(std::get<std::int64_t>(ConvertValue({RawValue::Kind::kText, "-20"},
                                                FieldType::kInteger)),
            -20);
  EXPECT_EQ(std::get<std::string>(ConvertValue(
                {RawValue::Kind::kText, "2024-05-01"}, FieldType::kDateTime)),
            "2024-05-01T00:00:00");
  EXPECT_TRUE(std::get<bool>(
      ConvertValue({RawValue::Kind::kText, "TRUE"}, FieldType::kYesNo)));
  EXPECT_FALSE(std::get<bool>(
      ConvertValue({RawValue::Kind::kBoolean, "false"}, FieldType::kYesNo)));
  EXPECT_TRUE(std::holds_alternative<std::monostate>(
      ConvertValue({RawValue::Kind::kNull, ""}, FieldType::kString)));
  EXPECT_EQ(std::get<std::string>(ConvertValue({RawValue::Kind::kText, "007"},
                                               FieldType::kString)),
            "007");
}

TEST(Schema, NamesAreNormalised) {
  auto t = ParseCsv("Order,US Gross,name\n1,2,3\n");
  ASSERT_TRUE(t.ok());
  auto fields = InferSchema(*t);
  EXPECT_EQ(fields[0].name, "Order_");
  EXPECT_EQ(fields[1].name, "US_Gross");
  EXPECT_EQ(fields[2].name, "name");
  EXPECT_EQ(fields[1].heading, "US Gross");
}

}  // namespace
}  // namespace caspio::import
