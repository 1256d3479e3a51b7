#include "emulator/query/lexer.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "emulator/query/text_util.h"

namespace caspio::emulator::query {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsWordStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         c == '@' || c == '#' || static_cast<unsigned char>(c) >= 0x80;
}

bool IsWordPart(char c) { return IsWordStart(c) || IsDigit(c) || c == '$'; }

absl::Status Unclosed(std::string_view rest) {
  return absl::InvalidArgumentError(
      "Unclosed quotation mark after the character string '" +
      std::string(rest) + "'.");
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  absl::StatusOr<std::vector<Token>> Run() {
    std::vector<Token> tokens;
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size()) break;
      absl::StatusOr<Token> token = Next();
      if (!token.ok()) return token.status();
      tokens.push_back(*std::move(token));
    }
    tokens.push_back(Token{TokenKind::kEnd, "", ""});
    return tokens;
  }

 private:
  void SkipSpace() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' ||
            text_[pos_] == '\r' || text_[pos_] == '\f' ||
            text_[pos_] == '\v')) {
      ++pos_;
    }
  }

  char Peek(std::size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }

  absl::StatusOr<Token> Next() {
    char c = Peek();
    if ((c == 'N' || c == 'n') && Peek(1) == '\'') {
      ++pos_;
      return Quoted(TokenKind::kString, '\'', 1);
    }
    if (c == '\'') return Quoted(TokenKind::kString, '\'', 0);
    if (c == '[') return Quoted(TokenKind::kQuotedName, ']', 0);
    if (c == '"') return Quoted(TokenKind::kQuotedName, '"', 0);
    if (IsDigit(c) || (c == '.' && IsDigit(Peek(1)))) return Number();
    if (IsWordStart(c)) return Word();
    if ((c == '-' && Peek(1) == '-') || (c == '/' && Peek(1) == '*')) {
      return absl::UnimplementedError(
          "comments are not supported by the emulator");
    }
    return Symbol();
  }

  // Reads '...', [...] or "..." where a doubled closing character stands
  // for itself. `prefix` is the length of an N already consumed.
  absl::StatusOr<Token> Quoted(TokenKind kind, char close, std::size_t prefix) {
    std::size_t start = pos_ - prefix;
    ++pos_;
    std::string value;
    while (true) {
      if (pos_ >= text_.size())
        return Unclosed(text_.substr(start + prefix + 1));
      char c = text_[pos_++];
      if (c != close) {
        value.push_back(c);
      } else if (Peek() == close) {
        value.push_back(close);
        ++pos_;
      } else {
        break;
      }
    }
    return Token{kind, std::string(text_.substr(start, pos_ - start)),
                 std::move(value)};
  }

  Token Number() {
    std::size_t start = pos_;
    bool decimal = false;
    while (IsDigit(Peek())) ++pos_;
    if (Peek() == '.') {
      decimal = true;
      ++pos_;
      while (IsDigit(Peek())) ++pos_;
    }
    bool sign = Peek(1) == '+' || Peek(1) == '-';
    if ((Peek() == 'e' || Peek() == 'E') && IsDigit(Peek(sign ? 2 : 1))) {
      decimal = true;
      pos_ += sign ? 2 : 1;
      while (IsDigit(Peek())) ++pos_;
    }
    std::string text(text_.substr(start, pos_ - start));
    return Token{decimal ? TokenKind::kDecimal : TokenKind::kInteger, text,
                 text};
  }

  Token Word() {
    std::size_t start = pos_;
    while (pos_ < text_.size() && IsWordPart(text_[pos_])) ++pos_;
    std::string text(text_.substr(start, pos_ - start));
    return Token{TokenKind::kWord, text, text};
  }

  Token Symbol() {
    static constexpr std::string_view kTwoCharacter[] = {
        "<>", "!=", "<=", ">=", "!<", "!>"};
    for (std::string_view op : kTwoCharacter) {
      if (text_.substr(pos_, 2) == op) {
        pos_ += 2;
        return Token{TokenKind::kSymbol, std::string(op), std::string(op)};
      }
    }
    // Keep a multi-byte character whole so that messages stay valid UTF-8.
    std::size_t length =
        Utf8SequenceLength(static_cast<unsigned char>(text_[pos_]));
    std::string text(text_.substr(pos_, length));
    pos_ += text.size();
    return Token{TokenKind::kSymbol, text, text};
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

absl::StatusOr<std::vector<Token>> Tokenize(std::string_view text) {
  return Lexer(text).Run();
}

}  // namespace caspio::emulator::query
