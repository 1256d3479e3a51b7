#include "connector/envelope.h"

#include <string>
#include <utility>

#include "caspio/error.h"

namespace caspio::connector {

nlohmann::ordered_json SuccessEnvelope(nlohmann::ordered_json output) {
  nlohmann::ordered_json envelope;
  envelope["outcome"] = "success";
  envelope["output"] = std::move(output);
  return envelope;
}

nlohmann::ordered_json ErrorEnvelope(const absl::Status& status) {
  const caspio::ErrorInfo info = caspio::GetErrorInfo(status);
  std::string message = info.message;
  if (message.empty()) message = std::string(status.message());

  nlohmann::ordered_json error;
  error["class"] = std::string(caspio::ErrorClassName(info.error_class));
  error["status"] = info.http_status;
  error["code"] = info.code;
  error["message"] = message;
  error["request_id"] = info.request_id;

  nlohmann::ordered_json envelope;
  envelope["outcome"] = "error";
  envelope["error"] = std::move(error);
  return envelope;
}

absl::Status InputError(std::string_view pointer, std::string_view problem) {
  caspio::ErrorInfo info;
  info.error_class = caspio::ErrorClass::kUserInput;
  info.code = std::string(kInvalidInputCode);
  info.message = std::string(pointer.empty() ? "input" : pointer) + ": " +
                 std::string(problem);
  return caspio::MakeError(std::move(info));
}

std::string PointerToken(std::string_view name) {
  std::string token = "/";
  for (char c : name) {
    if (c == '~') {
      token += "~0";
    } else if (c == '/') {
      token += "~1";
    } else {
      token += c;
    }
  }
  return token;
}

}  // namespace caspio::connector
