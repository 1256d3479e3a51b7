#include "connector/where.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "caspio/client.h"
#include "caspio/query.h"
#include "connector/envelope.h"

namespace caspio::connector {
namespace {

// The literal of one match value, or an error naming it for a type JSON
// Schema should have refused already (objects, arrays).
absl::StatusOr<std::string> Literal(const nlohmann::ordered_json& value,
                                    std::string_view pointer) {
  absl::StatusOr<std::string> literal = caspio::SqlLiteral(value);
  if (!literal.ok()) {
    return InputError(pointer,
                      "must be a string, number, boolean or null to match");
  }
  return literal;
}

// "[Field] IN (...)" for an array member of `match`.
absl::StatusOr<std::string> InListOf(const std::string& name,
                                     const nlohmann::ordered_json& values,
                                     const std::string& member) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto& value = values[i];
    if (!value.is_string() && !value.is_number() && !value.is_boolean()) {
      return InputError(member + "/" + std::to_string(i),
                        "must be a string, number or boolean");
    }
  }
  if (values.empty()) return InputError(member, "is an empty list");
  absl::StatusOr<std::string> text = caspio::InListWhere(
      {.field = name, .values = {values.begin(), values.end()}});
  if (!text.ok()) {
    return InputError(member, std::string(text.status().message()));
  }
  return text;
}

bool IsBlank(std::string_view text) {
  return absl::StripAsciiWhitespace(absl::string_view(text.data(), text.size()))
      .empty();
}

std::string StringMember(const nlohmann::ordered_json& input,
                         const char* name) {
  auto it = input.find(name);
  if (it == input.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

}  // namespace

absl::StatusOr<std::string> BuildMatchWhere(const nlohmann::ordered_json& match,
                                            std::string_view pointer) {
  if (!match.is_object()) return InputError(pointer, "must be an object");

  std::vector<std::string> tests;
  for (const auto& [name, value] : match.items()) {
    const std::string member = std::string(pointer) + PointerToken(name);
    absl::StatusOr<std::string> field = caspio::QuoteFieldName(name);
    if (!field.ok()) {
      return InputError(member,
                        "is not a Caspio field name (letters, digits and "
                        "underscores, starting with a letter, at most 32 "
                        "characters)");
    }
    if (value.is_null()) {
      tests.push_back(*field + " IS NULL");
      continue;
    }
    if (value.is_array()) {
      absl::StatusOr<std::string> in_list = InListOf(name, value, member);
      if (!in_list.ok()) return in_list.status();
      tests.push_back(*std::move(in_list));
      continue;
    }
    absl::StatusOr<std::string> literal = Literal(value, member);
    if (!literal.ok()) return literal.status();
    tests.push_back(*field + "=" + *literal);
  }
  return absl::StrJoin(tests, " AND ");
}

std::string CombineWhere(std::string_view where, std::string_view match_where) {
  if (IsBlank(where)) return std::string(match_where);
  if (match_where.empty()) return std::string(where);
  return "(" + std::string(where) + ") AND (" + std::string(match_where) + ")";
}

absl::StatusOr<std::string> ReadWhere(const nlohmann::ordered_json& input) {
  std::string match_where;
  if (auto it = input.find("match"); it != input.end()) {
    absl::StatusOr<std::string> built = BuildMatchWhere(*it);
    if (!built.ok()) return built.status();
    match_where = *std::move(built);
  }
  return CombineWhere(StringMember(input, "where"), match_where);
}

absl::StatusOr<ReadSelection> ReadSelectionOf(
    const nlohmann::ordered_json& input) {
  auto it = input.find("match");
  if (it == input.end() || !it->is_object()) {
    absl::StatusOr<std::string> where = ReadWhere(input);
    if (!where.ok()) return where.status();
    return ReadSelection{.where = *std::move(where)};
  }

  // The first list in `match` goes to the client as data, so that a long
  // one can be read in chunks; the rest is rendered here.
  ReadSelection selection;
  nlohmann::ordered_json rest = nlohmann::ordered_json::object();
  for (const auto& [name, value] : it->items()) {
    if (value.is_array() && !selection.in_list && !value.empty()) {
      // Checked like any other member (names, value types).
      absl::StatusOr<std::string> checked =
          BuildMatchWhere({{name, value}}, "/match");
      if (!checked.ok()) return checked.status();
      selection.in_list =
          caspio::InList{.field = name, .values = {value.begin(), value.end()}};
      continue;
    }
    rest[name] = value;
  }
  std::string match_where;
  if (!rest.empty()) {
    absl::StatusOr<std::string> built = BuildMatchWhere(rest);
    if (!built.ok()) return built.status();
    match_where = *std::move(built);
  }
  selection.where = CombineWhere(StringMember(input, "where"), match_where);
  return selection;
}

absl::StatusOr<std::string> WriteWhere(const nlohmann::ordered_json& input) {
  const bool has_where = input.contains("where");
  const bool has_match = input.contains("match");
  const bool all_records = input.value("all_records", false);

  if (all_records) {
    if (has_where || has_match) {
      return InputError("/all_records",
                        "cannot be combined with where or match; drop "
                        "all_records to select rows, or drop where and match "
                        "to change every row");
    }
    return std::string(kAllRecordsWhere);
  }
  if (!has_where && !has_match) {
    return InputError("",
                      "needs where or match to select the rows; to change "
                      "every row of the table set all_records to true");
  }
  if (has_where && IsBlank(StringMember(input, "where"))) {
    return InputError("/where",
                      "is empty; Caspio would refuse it and change nothing. "
                      "Give a condition, or set all_records to true");
  }
  if (has_match && input.at("match").is_object() && input.at("match").empty()) {
    return InputError("/match", "is empty; name at least one field");
  }

  absl::StatusOr<std::string> where = ReadWhere(input);
  if (!where.ok()) return where.status();
  if (IsBlank(*where)) return InputError("", "selects no rows to change");
  return where;
}

}  // namespace caspio::connector
