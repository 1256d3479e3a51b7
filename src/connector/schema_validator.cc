#include "connector/schema_validator.h"

#include <exception>
#include <string>
#include <utility>
#include <vector>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "connector/envelope.h"

namespace caspio::connector {
namespace {

// The member named between quotes at the end of a valijson message, e.g.
// "Missing required property 'table'." -> "table".
std::string QuotedName(const std::string& description) {
  const auto last = description.rfind('\'');
  if (last == std::string::npos || last == 0) return "";
  const auto first = description.rfind('\'', last - 1);
  if (first == std::string::npos) return "";
  return description.substr(first + 1, last - first - 1);
}

// The subschema that applies at `path` (member names from the root), or
// null when the schema does not say.
const nlohmann::ordered_json* SubschemaAt(
    const nlohmann::ordered_json& schema,
    const std::vector<std::string>& path) {
  const nlohmann::ordered_json* node = &schema;
  for (const std::string& token : path) {
    if (!node->is_object()) return nullptr;
    auto properties = node->find("properties");
    if (properties != node->end() && properties->contains(token)) {
      node = &(*properties)[token];
    } else if (node->contains("items") && node->at("items").is_object()) {
      node = &node->at("items");
    } else if (node->contains("additionalProperties") &&
               node->at("additionalProperties").is_object()) {
      node = &node->at("additionalProperties");
    } else {
      return nullptr;
    }
  }
  return node;
}

std::string TypeWords(const nlohmann::ordered_json& type) {
  static const auto* kArticles =
      new std::vector<std::pair<std::string, std::string>>{
          {"object", "an object"}, {"array", "an array"},
          {"string", "a string"},  {"integer", "an integer"},
          {"number", "a number"},  {"boolean", "a boolean (true or false)"},
          {"null", "null"}};
  std::vector<std::string> words;
  const nlohmann::ordered_json names =
      type.is_array() ? type : nlohmann::ordered_json::array({type});
  for (const auto& name : names) {
    for (const auto& [key, phrase] : *kArticles) {
      if (name == key) words.push_back(phrase);
    }
  }
  return absl::StrJoin(words, " or ");
}

std::string KnownMembers(const nlohmann::ordered_json* schema) {
  if (schema == nullptr || !schema->contains("properties")) return "";
  std::vector<std::string> names;
  for (const auto& [name, unused] : schema->at("properties").items()) {
    names.push_back(name);
  }
  return "; expected one of: " + absl::StrJoin(names, ", ");
}

struct Problem {
  std::vector<std::string> path;  // member names from the root
  std::string text;               // what is wrong, without the pointer
};

// Rewrites valijson's wording into what a workflow author can act on,
// using the schema for the limits it mentions.
Problem Explain(const nlohmann::ordered_json& schema,
                std::vector<std::string> path, const std::string& description) {
  const nlohmann::ordered_json* sub = SubschemaAt(schema, path);
  auto keyword = [&](const char* name) -> const nlohmann::ordered_json* {
    return sub != nullptr && sub->contains(name) ? &sub->at(name) : nullptr;
  };

  if (absl::StartsWith(description, "Missing required property")) {
    path.push_back(QuotedName(description));
    return {std::move(path), "is required"};
  }
  if (absl::StartsWith(description, "Object contains a property")) {
    std::string known = KnownMembers(sub);
    path.push_back(QuotedName(description));
    return {std::move(path), "is not an input of this operation" + known};
  }
  if (absl::StartsWith(description, "Value type not permitted")) {
    if (const auto* type = keyword("type")) {
      return {std::move(path), "must be " + TypeWords(*type)};
    }
  }
  if (absl::StartsWith(description, "Expected number less than")) {
    if (const auto* max = keyword("maximum")) {
      return {std::move(path), "must be at most " + max->dump()};
    }
  }
  if (absl::StartsWith(description, "Expected number greater than")) {
    if (const auto* min = keyword("minimum")) {
      return {std::move(path), "must be at least " + min->dump()};
    }
  }
  if (absl::StartsWith(description, "String should be no fewer")) {
    return {std::move(path), "must not be empty"};
  }
  if (absl::StartsWith(description, "String should be no more")) {
    if (const auto* max = keyword("maxLength")) {
      return {std::move(path),
              "must be at most " + max->dump() + " characters long"};
    }
  }
  if (absl::StartsWith(description, "Object should have no fewer")) {
    return {std::move(path), "must not be empty"};
  }
  if (absl::StartsWith(description, "Failed to match against any enum")) {
    if (const auto* values = keyword("enum")) {
      std::vector<std::string> names;
      for (const auto& value : *values) names.push_back(value.dump());
      return {std::move(path), "must be one of " + absl::StrJoin(names, ", ")};
    }
  }
  if (absl::StartsWith(description, "Failed to match regex")) {
    if (const auto* message = keyword("errorMessage")) {
      return {std::move(path), message->get<std::string>()};
    }
  }
  return {std::move(path), description};
}

std::string Pointer(const std::vector<std::string>& path) {
  std::string pointer;
  for (const std::string& token : path) pointer += PointerToken(token);
  return pointer;
}

// "<root>", "[page_size]", "[0]" -> {"page_size", "0"}.
std::vector<std::string> PathOf(const std::vector<std::string>& context) {
  std::vector<std::string> path;
  for (const std::string& step : context) {
    if (step.size() >= 2 && step.front() == '[' && step.back() == ']') {
      path.push_back(step.substr(1, step.size() - 2));
    }
  }
  return path;
}

}  // namespace

SchemaValidator::SchemaValidator(
    std::shared_ptr<const valijson::Schema> compiled,
    nlohmann::ordered_json schema)
    : compiled_(std::move(compiled)), schema_(std::move(schema)) {}

absl::StatusOr<SchemaValidator> SchemaValidator::Create(
    const nlohmann::ordered_json& schema) {
  // valijson's adapter reads nlohmann::json, not ordered_json.
  const nlohmann::json source = schema;
  auto compiled = std::make_shared<valijson::Schema>();
  try {
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(source);
    parser.populateSchema(adapter, *compiled);
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(std::string("invalid JSON Schema: ") +
                                      e.what());
  }
  return SchemaValidator(std::move(compiled), schema);
}

absl::Status SchemaValidator::Validate(
    const nlohmann::ordered_json& value) const {
  const nlohmann::json target_json = value;
  valijson::adapters::NlohmannJsonAdapter target(target_json);
  valijson::Validator validator;
  valijson::ValidationResults results;
  if (validator.validate(*compiled_, target, &results)) {
    return absl::OkStatus();
  }

  // valijson reports the innermost failure first, then one summary per
  // enclosing level; the deepest one is the one worth showing.
  const valijson::ValidationResults::Error* deepest = nullptr;
  for (const auto& error : results) {
    if (deepest == nullptr || error.context.size() > deepest->context.size()) {
      deepest = &error;
    }
  }
  Problem problem =
      Explain(schema_, PathOf(deepest->context), deepest->description);
  return InputError(Pointer(problem.path), problem.text);
}

}  // namespace caspio::connector
