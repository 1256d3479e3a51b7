// The one shape every operation answers in:
//   {"outcome": "success", "output": ...}
//   {"outcome": "error", "error": {"class", "status", "code", "message",
//                                  "request_id"}}
#ifndef CASPIO_CONNECTOR_ENVELOPE_H_
#define CASPIO_CONNECTOR_ENVELOPE_H_

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"

namespace caspio::connector {

// The `code` of inputs refused by the connector itself (status 0).
inline constexpr std::string_view kInvalidInputCode = "InvalidInput";
// The `code` when the operation name is not in the catalog.
inline constexpr std::string_view kUnknownOperationCode = "UnknownOperation";

nlohmann::ordered_json SuccessEnvelope(nlohmann::ordered_json output);

// The error envelope of a non-OK status, from its caspio::ErrorInfo; a
// status without one gets the class its code implies.
nlohmann::ordered_json ErrorEnvelope(const absl::Status& status);

// A kUserInput error (status 0, code InvalidInput) whose message starts with
// the JSON pointer of the input member at fault: "/page_size: must be ...";
// an empty pointer (the whole input) reads "input: ...".
absl::Status InputError(std::string_view pointer, std::string_view problem);

// "/" + `name` escaped as a JSON pointer token (~ -> ~0, / -> ~1).
std::string PointerToken(std::string_view name);

}  // namespace caspio::connector

#endif  // CASPIO_CONNECTOR_ENVELOPE_H_
