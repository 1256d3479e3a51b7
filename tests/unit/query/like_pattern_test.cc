#include "emulator/query/like_pattern.h"

#include <gtest/gtest.h>

#include <string>

namespace caspio::emulator::query {
namespace {

bool Like(const std::string& text, const std::string& pattern,
          char32_t escape = 0) {
  return LikePattern(pattern, escape).Matches(text);
}

TEST(LikePatternTest, Wildcards) {
  EXPECT_TRUE(Like("hello", "h%"));
  EXPECT_TRUE(Like("hello", "%llo"));
  EXPECT_TRUE(Like("hello", "%"));
  EXPECT_TRUE(Like("", "%"));
  EXPECT_FALSE(Like("", "_"));
  EXPECT_TRUE(Like("hello", "h_l%o"));
  EXPECT_FALSE(Like("hello", "h_l"));
  EXPECT_TRUE(Like("hello", "hello"));
  EXPECT_FALSE(Like("hello", "hell"));
  EXPECT_TRUE(Like("abcabc", "%b%c"));
  EXPECT_TRUE(Like("mississippi", "%iss%ipp%"));
  EXPECT_FALSE(Like("mississippi", "%iss%ippx%"));
}

TEST(LikePatternTest, CaseInsensitive) {
  EXPECT_TRUE(Like("Hello", "hELLO"));
  EXPECT_TRUE(Like("HELLO", "[h]%"));
  EXPECT_TRUE(Like("hello", "[A-H]%"));
}

TEST(LikePatternTest, Classes) {
  EXPECT_TRUE(Like("b", "[abc]"));
  EXPECT_FALSE(Like("d", "[abc]"));
  EXPECT_TRUE(Like("d", "[^abc]"));
  EXPECT_FALSE(Like("a", "[^abc]"));
  EXPECT_TRUE(Like("5", "[0-9]"));
  EXPECT_TRUE(Like("a5z", "[a-c][0-9][x-z]"));
  EXPECT_TRUE(Like("-", "[a-]"));
  EXPECT_TRUE(Like("%", "[%]"));
  EXPECT_TRUE(Like("_", "[_]"));
  EXPECT_TRUE(Like("[", "[[]"));
  EXPECT_TRUE(Like("a]", "a]"));
  EXPECT_TRUE(Like("[abc", "[abc"));  // unclosed: literal
  EXPECT_FALSE(Like("a", "[]"));
  EXPECT_TRUE(Like("^", "[^]"));
}

TEST(LikePatternTest, Escape) {
  EXPECT_TRUE(Like("100%", "100!%", U'!'));
  EXPECT_FALSE(Like("1000", "100!%", U'!'));
  EXPECT_TRUE(Like("a_b", "a!_b", U'!'));
  EXPECT_FALSE(Like("axb", "a!_b", U'!'));
}

TEST(LikePatternTest, Unicode) {
  EXPECT_TRUE(Like("héllo", "h_llo"));
  EXPECT_TRUE(Like("日本語", "_本%"));
  EXPECT_TRUE(Like("é", "[é]"));
}

TEST(LikePatternTest, PathologicalPatternsStayFast) {
  std::string text(5000, 'a');
  std::string pattern;
  for (int i = 0; i < 200; ++i) pattern += "%a";
  pattern += "b";
  EXPECT_FALSE(Like(text, pattern));
}

}  // namespace
}  // namespace caspio::emulator::query
