#include "connector/catalog.h"

#include <string>
#include <utility>

#include "caspio/error.h"
#include "connector/envelope.h"
#include "connector/operation_parts.h"
#include "connector/schema_validator.h"

namespace caspio::connector {
namespace {

std::vector<Operation> BuildCatalog() {
  std::vector<Operation> ops = TableOperations();
  for (Operation& op : RecordOperations()) ops.push_back(std::move(op));

  for (Operation& op : ops) {
    // A schema that does not compile leaves the validator null, and every
    // run of that operation fails (see Validate); unit tests catch it.
    absl::StatusOr<SchemaValidator> validator =
        SchemaValidator::Create(op.input_schema);
    if (validator.ok()) {
      op.input_validator =
          std::make_shared<const SchemaValidator>(*std::move(validator));
    }
  }
  return ops;
}

absl::Status UnknownOperation(std::string_view name) {
  caspio::ErrorInfo info;
  info.error_class = caspio::ErrorClass::kUserInput;
  info.code = std::string(kUnknownOperationCode);
  info.message = "unknown operation \"" + std::string(name) +
                 "\"; `caspio ops list` shows the operations";
  return caspio::MakeError(std::move(info));
}

absl::Status Validate(const Operation& op,
                      const nlohmann::ordered_json& input) {
  if (op.input_validator == nullptr) {
    return absl::InternalError(op.name + ": the input schema does not compile");
  }
  absl::Status status = op.input_validator->Validate(input);
  if (!status.ok() || !op.check) return status;
  return op.check(input);
}

}  // namespace

const std::vector<Operation>& Operations() {
  static const auto* const kOperations =
      new std::vector<Operation>(BuildCatalog());
  return *kOperations;
}

const Operation* FindOperation(std::string_view name) {
  for (const Operation& op : Operations()) {
    if (op.name == name) return &op;
  }
  return nullptr;
}

absl::Status ValidateInput(std::string_view operation,
                           const nlohmann::ordered_json& input) {
  const Operation* op = FindOperation(operation);
  if (op == nullptr) return UnknownOperation(operation);
  return Validate(*op, input);
}

nlohmann::ordered_json Run(caspio::Client& client, std::string_view operation,
                           const nlohmann::ordered_json& input) {
  const Operation* op = FindOperation(operation);
  if (op == nullptr) return ErrorEnvelope(UnknownOperation(operation));

  absl::Status valid = Validate(*op, input);
  if (!valid.ok()) return ErrorEnvelope(valid);

  absl::StatusOr<nlohmann::ordered_json> output = op->handler(client, input);
  if (!output.ok()) return ErrorEnvelope(output.status());
  return SuccessEnvelope(*std::move(output));
}

}  // namespace caspio::connector
