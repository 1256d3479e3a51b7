// The catalog itself: names, and schemas that are valid draft-07.
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "connector/catalog.h"

namespace caspio::connector {
namespace {

nlohmann::json MetaSchema() {
  std::ifstream file(std::string(CONNECTOR_TESTDATA_DIR) +
                     "/draft-07-schema.json");
  std::stringstream text;
  text << file.rdbuf();
  return nlohmann::json::parse(text.str());
}

// Errors of `schema` against the draft-07 meta-schema, one per line.
std::string MetaSchemaErrors(const nlohmann::json& schema) {
  static const nlohmann::json* const kMeta = new nlohmann::json(MetaSchema());
  valijson::Schema meta;
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  valijson::adapters::NlohmannJsonAdapter meta_adapter(*kMeta);
  parser.populateSchema(meta_adapter, meta);

  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(schema);
  validator.validate(meta, target, &results);
  std::string errors;
  for (const auto& error : results) errors += error.description + "\n";
  return errors;
}

TEST(CatalogTest, HasTheExpectedOperations) {
  std::set<std::string> names;
  for (const Operation& op : Operations()) names.insert(op.name);
  EXPECT_EQ(names,
            (std::set<std::string>{
                "test_connection", "list_tables", "get_table",
                "list_table_fields", "create_table", "create_table_field",
                "list_table_records", "create_table_record",
                "update_table_records", "delete_table_records"}));
  EXPECT_EQ(FindOperation("list_tables")->title, "List tables");
  EXPECT_EQ(FindOperation("nope"), nullptr);
}

TEST(CatalogTest, EveryOperationIsComplete) {
  const std::regex snake_case("[a-z]+(_[a-z]+)*");
  for (const Operation& op : Operations()) {
    SCOPED_TRACE(op.name);
    EXPECT_TRUE(std::regex_match(op.name, snake_case));
    EXPECT_FALSE(op.title.empty());
    EXPECT_FALSE(op.description.empty());
    EXPECT_TRUE(op.handler);
    EXPECT_NE(op.input_validator, nullptr) << "input schema does not compile";
  }
}

TEST(CatalogTest, SchemasAreValidDraft07) {
  ASSERT_TRUE(MetaSchema().is_object()) << "meta-schema not found";
  for (const Operation& op : Operations()) {
    SCOPED_TRACE(op.name);
    for (const auto* schema : {&op.input_schema, &op.output_schema}) {
      EXPECT_EQ((*schema)["$schema"],
                "http://json-schema.org/draft-07/schema#");
      EXPECT_EQ((*schema)["type"], "object");
      EXPECT_EQ(MetaSchemaErrors(nlohmann::json(*schema)), "");
    }
    EXPECT_EQ(op.input_schema["additionalProperties"], false);
  }
}

TEST(CatalogTest, MetaSchemaCheckCatchesABadSchema) {
  EXPECT_NE(MetaSchemaErrors(nlohmann::json::parse(
                R"({"type":"object","properties":{"a":{"type":"strin"}}})")),
            "");
  EXPECT_NE(MetaSchemaErrors(nlohmann::json::parse(R"({"minimum":"5"})")), "");
}

}  // namespace
}  // namespace caspio::connector
