// Reading untrusted JSON without exceptions (internal).
#ifndef CASPIO_SRC_CLIENT_JSON_UTIL_H_
#define CASPIO_SRC_CLIENT_JSON_UTIL_H_

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace caspio {

// The member `key` of `object` when it exists, or nullptr.
template <typename Json>
const Json* FindMember(const Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

// The member `key` when it is a string, else "".
template <typename Json>
std::string StringMember(const Json& object, std::string_view key) {
  const Json* member = FindMember(object, key);
  if (member == nullptr || !member->is_string()) return "";
  return member->template get<std::string>();
}

// The member `key` when it is a whole number (3 or 3.0, or "3" when
// `allow_text`), else nullopt.
template <typename Json>
std::optional<std::int64_t> IntegerMember(const Json& object,
                                          std::string_view key,
                                          bool allow_text = false) {
  const Json* member = FindMember(object, key);
  if (member == nullptr) return std::nullopt;
  if (member->is_number_integer()) {
    return member->template get<std::int64_t>();
  }
  if (member->is_number_float()) {
    double value = member->template get<double>();
    if (std::isfinite(value) && value == std::floor(value) &&
        std::fabs(value) < 9.0e15) {
      return static_cast<std::int64_t>(value);
    }
    return std::nullopt;
  }
  if (allow_text && member->is_string()) {
    const auto& text = member->template get_ref<const std::string&>();
    if (text.empty() || text.size() > 18) return std::nullopt;
    std::int64_t value = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + (c - '0');
    }
    return value;
  }
  return std::nullopt;
}

}  // namespace caspio

#endif  // CASPIO_SRC_CLIENT_JSON_UTIL_H_
