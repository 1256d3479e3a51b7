// SQL Server's LIKE: % (any run), _ (any one character), [abc], [a-c] and
// [^abc] classes, an optional escape character; case-insensitive.
#ifndef CASPIO_EMULATOR_QUERY_LIKE_PATTERN_H_
#define CASPIO_EMULATOR_QUERY_LIKE_PATTERN_H_

#include <string_view>
#include <utility>
#include <vector>

namespace caspio::emulator::query {

class LikePattern {
 public:
  // `escape` 0 means none. A '[' without a closing ']' matches itself.
  explicit LikePattern(std::string_view pattern, char32_t escape = 0);

  // Runs in O(text * pattern) time at worst; patterns cannot make it
  // exponential.
  bool Matches(std::string_view text) const;

 private:
  enum class Kind { kAnyRun, kAnyOne, kCharacter, kClass };
  struct Element {
    Kind kind = Kind::kCharacter;
    char32_t character = 0;
    bool negated = false;
    std::vector<std::pair<char32_t, char32_t>> ranges;  // folded, inclusive
  };

  // Returns the position after a class starting at `open`, or `open` when
  // the class is not closed.
  std::size_t AddClass(const std::u32string& pattern, std::size_t open);
  static bool MatchesOne(const Element& element, char32_t c);

  std::vector<Element> elements_;
};

}  // namespace caspio::emulator::query

#endif  // CASPIO_EMULATOR_QUERY_LIKE_PATTERN_H_
