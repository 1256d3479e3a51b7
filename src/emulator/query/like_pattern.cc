#include "emulator/query/like_pattern.h"

#include <string>

#include "emulator/query/text_util.h"

namespace caspio::emulator::query {

LikePattern::LikePattern(std::string_view pattern, char32_t escape) {
  std::u32string chars = DecodeUtf8(pattern);
  std::size_t i = 0;
  while (i < chars.size()) {
    char32_t c = chars[i];
    Element element;
    if (escape != 0 && c == escape && i + 1 < chars.size()) {
      element.character = FoldCase(chars[i + 1]);
      i += 2;
    } else if (c == '%') {
      ++i;
      if (!elements_.empty() && elements_.back().kind == Kind::kAnyRun) {
        continue;
      }
      element.kind = Kind::kAnyRun;
    } else if (c == '_') {
      element.kind = Kind::kAnyOne;
      ++i;
    } else if (c == '[') {
      std::size_t next = AddClass(chars, i);
      if (next != i) {
        i = next;
        continue;
      }
      element.character = c;
      ++i;
    } else {
      element.character = FoldCase(c);
      ++i;
    }
    elements_.push_back(std::move(element));
  }
}

std::size_t LikePattern::AddClass(const std::u32string& pattern,
                                  std::size_t open) {
  std::size_t close = pattern.find(U']', open + 1);
  if (close == std::u32string::npos) return open;
  std::u32string_view body(pattern.data() + open + 1, close - open - 1);

  Element element;
  element.kind = Kind::kClass;
  if (body.size() > 1 && body[0] == '^') {
    element.negated = true;
    body.remove_prefix(1);
  }
  for (std::size_t j = 0; j < body.size();) {
    if (j + 2 < body.size() && body[j + 1] == '-') {
      element.ranges.emplace_back(FoldCase(body[j]), FoldCase(body[j + 2]));
      j += 3;
    } else {
      element.ranges.emplace_back(FoldCase(body[j]), FoldCase(body[j]));
      ++j;
    }
  }
  elements_.push_back(std::move(element));
  return close + 1;
}

bool LikePattern::MatchesOne(const Element& element, char32_t c) {
  switch (element.kind) {
    case Kind::kAnyOne:
      return true;
    case Kind::kCharacter:
      return element.character == c;
    case Kind::kClass:
      for (const auto& [low, high] : element.ranges) {
        if (c >= low && c <= high) return !element.negated;
      }
      return element.negated;
    case Kind::kAnyRun:
      break;
  }
  return false;
}

bool LikePattern::Matches(std::string_view text) const {
  std::u32string chars = DecodeUtf8(text);
  for (char32_t& c : chars) c = FoldCase(c);

  // Greedy matching that backtracks only to the last %: every other
  // element consumes exactly one character, so that is enough.
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star = std::string::npos;
  std::size_t resume = 0;
  while (t < chars.size()) {
    if (p < elements_.size() && elements_[p].kind == Kind::kAnyRun) {
      star = p++;
      resume = t;
    } else if (p < elements_.size() && MatchesOne(elements_[p], chars[t])) {
      ++p;
      ++t;
    } else if (star != std::string::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < elements_.size() && elements_[p].kind == Kind::kAnyRun) ++p;
  return p == elements_.size();
}

}  // namespace caspio::emulator::query
