// Building blocks shared by the operation definitions (internal).
#ifndef CASPIO_CONNECTOR_OPERATION_PARTS_H_
#define CASPIO_CONNECTOR_OPERATION_PARTS_H_

#include <initializer_list>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "connector/catalog.h"

namespace caspio::connector {

using Json = nlohmann::ordered_json;

// A draft-07 object schema; inputs refuse unknown members.
enum class Members { kClosed, kOpen };
Json ObjectSchema(Json properties, std::vector<std::string> required,
                  Members members = Members::kClosed);

// The whole-document schema of an input or output: ObjectSchema plus
// $schema and a title.
Json DocumentSchema(std::string title, Json properties,
                    std::vector<std::string> required);

Json TableNameSchema();
Json FieldModelSchema();       // what Caspio accepts to create a field
Json FieldDefinitionSchema();  // BaseColumnResult, as Caspio answers
Json RecordSchema(std::string description);
Json RecordsSchema(std::string description);
Json WhereSchema();
Json MatchSchema();
Json AllRecordsSchema(std::string verb);

std::vector<Operation> TableOperations();
std::vector<Operation> RecordOperations();

}  // namespace caspio::connector

#endif  // CASPIO_CONNECTOR_OPERATION_PARTS_H_
