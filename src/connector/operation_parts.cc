#include "connector/operation_parts.h"

#include <utility>

namespace caspio::connector {

Json ObjectSchema(Json properties, std::vector<std::string> required,
                  Members members) {
  Json schema = {{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) schema["required"] = std::move(required);
  schema["additionalProperties"] = members == Members::kOpen;
  return schema;
}

Json DocumentSchema(std::string title, Json properties,
                    std::vector<std::string> required) {
  Json schema = {{"$schema", "http://json-schema.org/draft-07/schema#"},
                 {"title", std::move(title)}};
  schema.update(ObjectSchema(std::move(properties), std::move(required)));
  return schema;
}

Json TableNameSchema() {
  return {{"type", "string"},
          {"minLength", 1},
          {"maxLength", 255},
          {"description", "Table name as it appears in Caspio, e.g. Contacts"}};
}

Json FieldModelSchema() {
  static const char* const kTypes[] = {"AUTONUMBER",     "PREFIXED AUTONUMBER",
                                       "GUID",           "RANDOM ID",
                                       "STRING",         "TEXT",
                                       "PASSWORD",       "NUMBER",
                                       "INTEGER",        "CURRENCY",
                                       "DATE/TIME",      "YES/NO",
                                       "FILE",           "TIMESTAMP",
                                       "LIST-STRING",    "LIST-NUMBER",
                                       "LIST-DATE/TIME", "ATTACHMENT"};
  Json types = Json::array();
  for (const char* type : kTypes) types.push_back(type);

  auto text = [](const char* description) {
    return Json{{"type", "string"}, {"description", description}};
  };
  auto flag = [](const char* description) {
    return Json{{"type", "boolean"}, {"description", description}};
  };
  auto integer = [](const char* description) {
    return Json{{"type", "integer"}, {"description", description}};
  };
  Json properties = {
      {"Name",
       {{"type", "string"},
        {"pattern", "^[A-Za-z][A-Za-z0-9_]{0,31}$"},
        {"errorMessage",
         "must be a Caspio field name: letters, digits and underscores, "
         "starting with a letter, at most 32 characters"},
        {"description", "Field name"}}},
      {"Type",
       {{"type", "string"},
        {"enum", std::move(types)},
        {"description", "Caspio data type token"}}},
      {"Unique", flag("Values must be unique; required true for "
                      "AUTONUMBER, PREFIXED AUTONUMBER, GUID and RANDOM ID")},
      {"UniqueAllowNulls", flag("With Unique: allow several empty values")},
      {"Label", {{"type", "string"}, {"maxLength", 255}}},
      {"Description", {{"type", "string"}, {"maxLength", 4000}}},
      {"DisplayOrder", integer("Position; 0 puts the field last")},
      {"OnInsert", flag("TIMESTAMP only: set when a record is inserted")},
      {"OnUpdate", flag("TIMESTAMP only: set when a record is updated")},
      {"TimeZone", text("TIMESTAMP only: Windows time zone id, e.g. UTC")},
      {"Format", text("RANDOM ID (0, U, 0U) or PREFIXED AUTONUMBER (1..."
                      "0000001) format")},
      {"Prefix", {{"type", "string"}, {"maxLength", 49}}},
      {"Length", integer("RANDOM ID only: length of the random part")},
      {"IsFormula", flag("Formula field (the formula cannot be set)")},
      {"ListField",
       {{"type", "array"},
        {"items", {{"type", {"string", "number"}}}},
        {"description", "LIST-* only: the list values"}}},
      {"AttachmentPermittedFileTypes",
       {{"type", "array"}, {"items", {{"type", "string"}}}}},
      {"AttachmentMinFileSize", integer("ATTACHMENT only, in bytes")},
      {"AttachmentMaxFileSize", integer("ATTACHMENT only, in bytes")},
      {"AttachmentSmartResizer", flag("ATTACHMENT only")},
      {"AttachmentSmartResizerForRetina", flag("ATTACHMENT only")},
      {"AttachmentAltText", text("ATTACHMENT only")},
      {"AttachmentTitle", text("ATTACHMENT only")},
  };
  Json schema = ObjectSchema(std::move(properties), {"Name", "Type"});
  schema["description"] = "A field definition (Caspio FieldModel)";
  return schema;
}

Json FieldDefinitionSchema() {
  Json properties = {
      {"Name", {{"type", "string"}}},
      {"Type", {{"type", "string"}}},
      {"Unique", {{"type", "boolean"}}},
      {"Editable", {{"type", "boolean"}}},
      {"Description", {{"type", {"string", "null"}}}},
      {"DisplayOrder", {{"type", "integer"}}},
      {"Label", {{"type", {"string", "null"}}}},
  };
  Json schema =
      ObjectSchema(std::move(properties), {"Name", "Type"}, Members::kOpen);
  schema["description"] =
      "A field as Caspio describes it (BaseColumnResult); type-specific "
      "members may be null or absent";
  return schema;
}

Json RecordSchema(std::string description) {
  return {{"type", "object"}, {"description", std::move(description)}};
}

Json RecordsSchema(std::string description) {
  return {{"type", "array"},
          {"items", {{"type", "object"}}},
          {"description", std::move(description)}};
}

Json WhereSchema() {
  return {{"type", "string"},
          {"maxLength", 1900},
          {"description",
           "Caspio q.where clause without WHERE, e.g. Status='Open' AND "
           "Qty>5; quote text with doubled single quotes. Prefer match for "
           "values that come from data"}};
}

Json MatchSchema() {
  return {{"type", "object"},
          {"minProperties", 1},
          {"additionalProperties",
           {{"type", {"string", "number", "boolean", "null", "array"}},
            {"minItems", 1},
            {"items", {{"type", {"string", "number", "boolean"}}}}}},
          {"description",
           "Field -> value equality tests, AND-ed: text is quoted safely, "
           "booleans become 1/0, null means IS NULL, a list means any of "
           "its values (IN; a long list is read in several requests with "
           "all_pages). Combined with where as (where) AND (match)"}};
}

Json AllRecordsSchema(std::string verb) {
  return {{"type", "boolean"},
          {"default", false},
          {"description", "Set to true, without where or match, to " + verb +
                              " every record of the table"}};
}

}  // namespace caspio::connector
