// JSON Schema (draft-07) validation of operation inputs, with errors that
// name the member at fault as a JSON pointer.
#ifndef CASPIO_CONNECTOR_SCHEMA_VALIDATOR_H_
#define CASPIO_CONNECTOR_SCHEMA_VALIDATOR_H_

#include <memory>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace valijson {
class Schema;
}  // namespace valijson

namespace caspio::connector {

// A compiled schema. Immutable after Create, so thread-safe.
class SchemaValidator {
 public:
  // Compiles `schema`; InvalidArgument when it is not a usable schema.
  static absl::StatusOr<SchemaValidator> Create(
      const nlohmann::ordered_json& schema);

  // OK when `value` conforms. Otherwise one kUserInput error (status 0,
  // code InvalidInput) for the deepest failure, e.g.
  // "/page_size: must be at most 1000".
  absl::Status Validate(const nlohmann::ordered_json& value) const;

 private:
  SchemaValidator(std::shared_ptr<const valijson::Schema> compiled,
                  nlohmann::ordered_json schema);

  std::shared_ptr<const valijson::Schema> compiled_;
  nlohmann::ordered_json schema_;  // the source, for friendlier messages
};

}  // namespace caspio::connector

#endif  // CASPIO_CONNECTOR_SCHEMA_VALIDATOR_H_
