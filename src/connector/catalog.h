// The catalog of connector operations: what a workflow step can run, with
// JSON in and JSON out. Each operation is named after its Caspio REST v3
// operationId in snake_case and carries draft-07 JSON Schemas for its input
// and output. Inputs are validated before anything is sent.
#ifndef CASPIO_CONNECTOR_CATALOG_H_
#define CASPIO_CONNECTOR_CATALOG_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "caspio/client.h"

namespace caspio::connector {

class SchemaValidator;

// Runs a validated input against Caspio; the output conforms to the
// operation's output schema.
using Handler = std::function<absl::StatusOr<nlohmann::ordered_json>(
    caspio::Client&, const nlohmann::ordered_json& input)>;

// Rules a schema cannot express well (e.g. "where or match, or
// all_records"); runs after the schema check, before any request.
using InputCheck = std::function<absl::Status(const nlohmann::ordered_json&)>;

struct Operation {
  std::string name;         // "list_table_records"
  std::string title;        // "List table records"
  std::string description;  // one paragraph, for an operation picker
  nlohmann::ordered_json input_schema;
  nlohmann::ordered_json output_schema;
  Handler handler;
  InputCheck check;  // may be empty
  std::shared_ptr<const SchemaValidator> input_validator;
};

// Every operation, in catalog order. Built once; thread-safe.
const std::vector<Operation>& Operations();

// The operation named `name`, or null.
const Operation* FindOperation(std::string_view name);

// Checks `input` against the operation's input schema and rules without a
// client or network. Errors are kUserInput (status 0, code InvalidInput)
// with a message that starts with the JSON pointer of the member at fault,
// e.g. "/page_size: must be at most 1000"; an unknown operation is
// kUserInput with code UnknownOperation.
absl::Status ValidateInput(std::string_view operation,
                           const nlohmann::ordered_json& input);

// Validates `input`, then runs the operation. Always answers with an
// envelope (see envelope.h); never throws for bad input or Caspio errors.
// Thread-safe when `client` is.
nlohmann::ordered_json Run(caspio::Client& client, std::string_view operation,
                           const nlohmann::ordered_json& input);

}  // namespace caspio::connector

#endif  // CASPIO_CONNECTOR_CATALOG_H_
