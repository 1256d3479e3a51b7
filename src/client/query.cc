#include "caspio/query.h"

#include <string>
#include <string_view>

#include "absl/strings/ascii.h"
#include "caspio/error.h"

namespace caspio {

std::string QuoteText(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out.push_back('\'');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

absl::StatusOr<std::string> SqlLiteral(const nlohmann::ordered_json& value) {
  using Type = nlohmann::ordered_json::value_t;
  switch (value.type()) {
    case Type::string:
      return QuoteText(value.get_ref<const std::string&>());
    case Type::boolean:
      return std::string(value.get<bool>() ? "1" : "0");
    case Type::number_integer:
    case Type::number_unsigned:
    case Type::number_float:
      // A parsed JSON number has no NaN or infinity: its text is a plain
      // numeric literal.
      return value.dump();
    default:
      return MakeError({.error_class = ErrorClass::kUserInput,
                        .message = "only text, numbers and booleans have a "
                                   "literal value"});
  }
}

std::string EscapeLike(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '[':
        out += "[[]";
        break;
      case '%':
        out += "[%]";
        break;
      case '_':
        out += "[_]";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

absl::StatusOr<std::string> QuoteFieldName(std::string_view name) {
  bool valid = !name.empty() && name.size() <= 32 &&
               absl::ascii_isalpha(static_cast<unsigned char>(name.front()));
  for (char c : name) {
    valid = valid &&
            (absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_');
  }
  if (!valid) {
    std::string shown(name.substr(0, 40));
    return MakeError({.error_class = ErrorClass::kUserInput,
                      .message = "\"" + shown +
                                 "\" is not a Caspio field name (letters, "
                                 "digits and _, starting with a letter, at "
                                 "most 32 characters)"});
  }
  return "[" + std::string(name) + "]";
}

}  // namespace caspio
