#include "import/names.h"

#include <gtest/gtest.h>

namespace caspio::import {
namespace {

TEST(Names, ReservedWordsFollowSqlServer) {
  EXPECT_TRUE(IsReservedWord("order"));
  EXPECT_TRUE(IsReservedWord("Key"));
  EXPECT_TRUE(IsReservedWord("USER"));
  EXPECT_FALSE(IsReservedWord("date"));
  EXPECT_FALSE(IsReservedWord("time"));
  EXPECT_FALSE(IsReservedWord("name"));
}

TEST(Names, NormalizeKeepsValidNames) {
  EXPECT_EQ(NormalizeName("iata"), "iata");
  EXPECT_EQ(NormalizeName("Release_Date"), "Release_Date");
  EXPECT_TRUE(IsValidName("Title"));
  EXPECT_FALSE(IsValidName("2nd"));
  EXPECT_FALSE(IsValidName("Order"));
}

TEST(Names, NormalizeReplacesAndCuts) {
  EXPECT_EQ(NormalizeName("US Gross"), "US_Gross");
  EXPECT_EQ(NormalizeName("  Rotten Tomatoes -- Rating (%) "),
            "Rotten_Tomatoes_Rating");
  EXPECT_EQ(NormalizeName("2nd place"), "F_2nd_place");
  EXPECT_EQ(NormalizeName("_hidden"), "hidden");
  EXPECT_EQ(NormalizeName("Größe"), "Gr_e");
  EXPECT_EQ(NormalizeName("!!!"), "Field");
  EXPECT_EQ(NormalizeName(""), "Field");
  std::string longest = NormalizeName(std::string(40, 'a'));
  EXPECT_EQ(longest.size(), kMaxNameLength);
}

TEST(Names, ReservedWordsGetSuffix) {
  EXPECT_EQ(NormalizeName("order"), "order_");
  EXPECT_EQ(NormalizeName("KEY"), "KEY_");
  EXPECT_EQ(NormalizeName("date"), "date");
}

TEST(Names, CollisionsAreNumberedIgnoringCase) {
  auto names = NormalizeNames({"Name", "name", "NAME", "a b", "a-b", "PK_ID"});
  EXPECT_EQ(names, (std::vector<std::string>{"Name", "name_2", "NAME_3", "a_b",
                                             "a_b_2", "PK_ID_2"}));
}

TEST(Names, NumberedNamesStayWithinTheLimit) {
  std::string heading(40, 'x');
  auto names = NormalizeNames({heading, heading});
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[0].size(), kMaxNameLength);
  EXPECT_EQ(names[1].size(), kMaxNameLength);
  EXPECT_NE(names[0], names[1]);
  for (const auto& n : names) EXPECT_TRUE(IsValidName(n)) << n;
}

}  // namespace
}  // namespace caspio::import
