#include "client/http_error.h"

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "caspio/error.h"
#include "caspio/transport.h"
#include "client/json_util.h"

namespace caspio {
namespace {

// What Caspio (or an OAuth server) said, from whichever shape it used.
struct ServerSaid {
  std::string code;
  std::string text;
  std::string request_id;
};

ServerSaid ReadErrorBody(const nlohmann::json& body) {
  ServerSaid said;
  if (IsRateLimitBody(body)) {
    said.code = StringMember(body.front(), "name");
    said.text = StringMember(body.front(), "message");
    return said;
  }
  said.code = StringMember(body, "Code");
  said.text = StringMember(body, "Message");
  said.request_id = StringMember(body, "RequestId");
  // OAuth token endpoints answer {"error": ..., "error_description": ...}.
  if (said.code.empty()) said.code = StringMember(body, "error");
  if (said.text.empty()) said.text = StringMember(body, "error_description");
  if (said.text.empty()) said.text = StringMember(body, "message");
  return said;
}

// Codes whose class differs from what their HTTP status suggests.
ErrorClass AdjustForCode(ErrorClass from_status, std::string_view code) {
  if (code == "ProfileDisabled") return ErrorClass::kAuth;
  if (code == "UnsufficientPrivileges" || code == "IpForbidden" ||
      code == "UnsecuredConnection") {
    return ErrorClass::kPermission;
  }
  return from_status;
}

}  // namespace

ErrorClass ClassForHttpStatus(int status) {
  switch (status) {
    case 401:
      return ErrorClass::kAuth;
    case 403:
      return ErrorClass::kPermission;
    case 404:
    case 410:
      return ErrorClass::kNotFound;
    case 409:
      return ErrorClass::kConflict;
    case 429:
      return ErrorClass::kRateLimited;
    default:
      break;
  }
  if (status >= 400 && status < 500) return ErrorClass::kUserInput;
  return ErrorClass::kServer;
}

ErrorInfo ErrorFromResponse(std::string_view what,
                            const HttpResponse& response) {
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  ServerSaid said = ReadErrorBody(body);

  ErrorInfo info;
  info.http_status = response.status;
  info.code = said.code;
  info.request_id = response.Header("X-Caspio-Request-ID");
  if (info.request_id.empty()) info.request_id = said.request_id;
  info.error_class =
      IsRateLimitBody(body)
          ? ErrorClass::kRateLimited
          : AdjustForCode(ClassForHttpStatus(response.status), said.code);

  // An unknown route answers 404 with an empty (or HTML) body; a missing
  // table or record comes with Caspio's Code and Message.
  std::string detail = said.text;
  if (response.status == 404 && said.code.empty() && said.text.empty()) {
    detail = kNoSuchEndpoint;
  }

  info.message =
      std::string(what) + ": HTTP " + std::to_string(response.status);
  if (!info.code.empty()) info.message += " " + info.code;
  if (!detail.empty()) info.message += ": " + detail;
  return info;
}

}  // namespace caspio
