#include "caspio/error.h"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "client/json_util.h"

namespace caspio {
namespace {

// Where MakeError keeps the ErrorInfo inside an absl::Status.
constexpr char kErrorInfoUrl[] = "type.caspio-connector/caspio.ErrorInfo";

constexpr std::array<std::pair<ErrorClass, std::string_view>, 8> kNames = {{
    {ErrorClass::kUserInput, "user_input"},
    {ErrorClass::kAuth, "auth"},
    {ErrorClass::kPermission, "permission"},
    {ErrorClass::kNotFound, "not_found"},
    {ErrorClass::kConflict, "conflict"},
    {ErrorClass::kRateLimited, "rate_limited"},
    {ErrorClass::kServer, "server"},
    {ErrorClass::kTransport, "transport"},
}};

std::optional<ErrorClass> ErrorClassFromName(std::string_view name) {
  for (const auto& [error_class, class_name] : kNames) {
    if (class_name == name) return error_class;
  }
  return std::nullopt;
}

absl::StatusCode CodeForClass(ErrorClass error_class) {
  switch (error_class) {
    case ErrorClass::kUserInput:
      return absl::StatusCode::kInvalidArgument;
    case ErrorClass::kAuth:
      return absl::StatusCode::kUnauthenticated;
    case ErrorClass::kPermission:
      return absl::StatusCode::kPermissionDenied;
    case ErrorClass::kNotFound:
      return absl::StatusCode::kNotFound;
    case ErrorClass::kConflict:
      return absl::StatusCode::kAlreadyExists;
    case ErrorClass::kRateLimited:
      return absl::StatusCode::kResourceExhausted;
    case ErrorClass::kServer:
      return absl::StatusCode::kInternal;
    case ErrorClass::kTransport:
      return absl::StatusCode::kUnavailable;
  }
  return absl::StatusCode::kInternal;
}

ErrorClass ClassForCode(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return ErrorClass::kUserInput;
    case absl::StatusCode::kUnauthenticated:
      return ErrorClass::kAuth;
    case absl::StatusCode::kPermissionDenied:
      return ErrorClass::kPermission;
    case absl::StatusCode::kNotFound:
      return ErrorClass::kNotFound;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAborted:
      return ErrorClass::kConflict;
    case absl::StatusCode::kResourceExhausted:
      return ErrorClass::kRateLimited;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      return ErrorClass::kTransport;
    default:
      return ErrorClass::kServer;
  }
}

std::optional<ErrorInfo> ParsePayload(const absl::Cord& payload) {
  auto json = nlohmann::json::parse(std::string(payload), nullptr, false);
  if (!json.is_object()) return std::nullopt;
  auto error_class = ErrorClassFromName(StringMember(json, "class"));
  if (!error_class) return std::nullopt;
  ErrorInfo info;
  info.error_class = *error_class;
  info.http_status =
      static_cast<int>(IntegerMember(json, "http_status").value_or(0));
  info.code = StringMember(json, "code");
  info.message = StringMember(json, "message");
  info.request_id = StringMember(json, "request_id");
  return info;
}

}  // namespace

std::string_view ErrorClassName(ErrorClass error_class) {
  for (const auto& [known_class, name] : kNames) {
    if (known_class == error_class) return name;
  }
  return "server";
}

absl::Status MakeError(ErrorInfo info) {
  nlohmann::json payload = {
      {"class", std::string(ErrorClassName(info.error_class))},
      {"http_status", info.http_status},
      {"code", info.code},
      {"message", info.message},
      {"request_id", info.request_id},
  };
  // Server text may hold bytes that are not UTF-8; keep the rest readable.
  std::string serialized =
      payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);

  absl::Status status(CodeForClass(info.error_class), info.message);
  status.SetPayload(kErrorInfoUrl, absl::Cord(serialized));
  return status;
}

ErrorInfo GetErrorInfo(const absl::Status& status) {
  if (auto payload = status.GetPayload(kErrorInfoUrl)) {
    if (auto info = ParsePayload(*payload)) return *info;
  }
  ErrorInfo info;
  info.error_class = ClassForCode(status.code());
  info.message = std::string(status.message());
  return info;
}

}  // namespace caspio
