// Text helpers shared by the query compiler and its SQL functions. Case
// folding is ASCII only, as SQLite's NOCASE collation is.
#ifndef CASPIO_EMULATOR_QUERY_TEXT_UTIL_H_
#define CASPIO_EMULATOR_QUERY_TEXT_UTIL_H_

#include <string>
#include <string_view>

namespace caspio::emulator::query {

// Decodes UTF-8 into code points; an invalid byte becomes one code point of
// its own value, so every input decodes and nothing is lost.
std::u32string DecodeUtf8(std::string_view text);
std::string EncodeUtf8(std::u32string_view text);

char32_t FoldCase(char32_t c);
std::string ToUpperAscii(std::string_view text);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// The length in bytes of the UTF-8 sequence starting with `lead` (1 for an
// invalid lead byte).
int Utf8SequenceLength(unsigned char lead);

}  // namespace caspio::emulator::query

#endif  // CASPIO_EMULATOR_QUERY_TEXT_UTIL_H_
