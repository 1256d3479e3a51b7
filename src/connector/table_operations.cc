// Operations on table design: list, describe, create tables and fields.
#include <string>
#include <utility>
#include <vector>

#include "connector/operation_parts.h"

namespace caspio::connector {
namespace {

std::string TableOf(const Json& input) {
  return input.at("table").get<std::string>();
}

Operation TestConnection() {
  Operation op;
  op.name = "test_connection";
  op.title = "Test connection";
  op.description =
      "Checks that the authentication works: obtains an access token and "
      "lists the tables the profile can see.";
  op.input_schema = DocumentSchema("test_connection input", Json::object(), {});
  op.output_schema = DocumentSchema(
      "test_connection output",
      {{"ok", {{"type", "boolean"}, {"const", true}}},
       {"tables",
        {{"type", "integer"},
         {"minimum", 0},
         {"description", "Number of tables the profile can see"}}}},
      {"ok", "tables"});
  op.handler = [](caspio::Client& client, const Json&) -> absl::StatusOr<Json> {
    absl::StatusOr<std::vector<std::string>> tables = client.ListTables();
    if (!tables.ok()) return tables.status();
    return Json{{"ok", true}, {"tables", tables->size()}};
  };
  return op;
}

Operation ListTables() {
  Operation op;
  op.name = "list_tables";
  op.title = "List tables";
  op.description = "Names of the tables the profile can see.";
  op.input_schema = DocumentSchema("list_tables input", Json::object(), {});
  op.output_schema = DocumentSchema(
      "list_tables output",
      {{"tables", {{"type", "array"}, {"items", {{"type", "string"}}}}}},
      {"tables"});
  op.handler = [](caspio::Client& client, const Json&) -> absl::StatusOr<Json> {
    absl::StatusOr<std::vector<std::string>> tables = client.ListTables();
    if (!tables.ok()) return tables.status();
    return Json{{"tables", *std::move(tables)}};
  };
  return op;
}

Operation GetTable() {
  Operation op;
  op.name = "get_table";
  op.title = "Get table";
  op.description = "The name and note of one table.";
  op.input_schema = DocumentSchema("get_table input",
                                   {{"table", TableNameSchema()}}, {"table"});
  op.output_schema = DocumentSchema(
      "get_table output",
      {{"name", {{"type", "string"}}}, {"note", {{"type", "string"}}}},
      {"name", "note"});
  op.handler = [](caspio::Client& client,
                  const Json& input) -> absl::StatusOr<Json> {
    absl::StatusOr<caspio::TableInfo> table = client.GetTable(TableOf(input));
    if (!table.ok()) return table.status();
    return Json{{"name", table->name}, {"note", table->note}};
  };
  return op;
}

Operation ListTableFields() {
  Operation op;
  op.name = "list_table_fields";
  op.title = "List table fields";
  op.description =
      "The field definitions of a table, as Caspio describes them "
      "(PK_ID is not listed, though every table has it).";
  op.input_schema = DocumentSchema("list_table_fields input",
                                   {{"table", TableNameSchema()}}, {"table"});
  op.output_schema = DocumentSchema(
      "list_table_fields output",
      {{"fields", {{"type", "array"}, {"items", FieldDefinitionSchema()}}}},
      {"fields"});
  op.handler = [](caspio::Client& client,
                  const Json& input) -> absl::StatusOr<Json> {
    absl::StatusOr<std::vector<Json>> fields =
        client.ListTableFields(TableOf(input));
    if (!fields.ok()) return fields.status();
    Json output;
    output["fields"] = *std::move(fields);
    return output;
  };
  return op;
}

Operation CreateTable() {
  Operation op;
  op.name = "create_table";
  op.title = "Create table";
  op.description =
      "Creates a table with the given fields; Caspio adds PK_ID itself. "
      "Needs a profile allowed to create objects.";
  Json table_name = TableNameSchema();
  table_name["description"] = "Name of the new table";
  op.input_schema = DocumentSchema(
      "create_table input",
      {{"name", std::move(table_name)},
       {"fields",
        {{"type", "array"}, {"minItems", 1}, {"items", FieldModelSchema()}}}},
      {"name", "fields"});
  op.output_schema =
      DocumentSchema("create_table output",
                     {{"created", {{"type", "boolean"}, {"const", true}}},
                      {"name", {{"type", "string"}}}},
                     {"created", "name"});
  op.handler = [](caspio::Client& client,
                  const Json& input) -> absl::StatusOr<Json> {
    const Json definition = {{"Name", input.at("name")},
                             {"Fields", input.at("fields")}};
    absl::Status status = client.CreateTable(definition);
    if (!status.ok()) return status;
    return Json{{"created", true}, {"name", input.at("name")}};
  };
  return op;
}

Operation CreateTableField() {
  Operation op;
  op.name = "create_table_field";
  op.title = "Create table field";
  op.description = "Adds one field to an existing table.";
  op.input_schema = DocumentSchema(
      "create_table_field input",
      {{"table", TableNameSchema()}, {"field", FieldModelSchema()}},
      {"table", "field"});
  op.output_schema = DocumentSchema(
      "create_table_field output",
      {{"created", {{"type", "boolean"}, {"const", true}}}}, {"created"});
  op.handler = [](caspio::Client& client,
                  const Json& input) -> absl::StatusOr<Json> {
    absl::Status status =
        client.CreateTableField(TableOf(input), input.at("field"));
    if (!status.ok()) return status;
    return Json{{"created", true}};
  };
  return op;
}

}  // namespace

std::vector<Operation> TableOperations() {
  std::vector<Operation> ops;
  ops.push_back(TestConnection());
  ops.push_back(ListTables());
  ops.push_back(GetTable());
  ops.push_back(ListTableFields());
  ops.push_back(CreateTable());
  ops.push_back(CreateTableField());
  return ops;
}

}  // namespace caspio::connector
