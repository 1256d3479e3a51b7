#include "client/connection.h"

#include <memory>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "caspio/error.h"
#include "client/http_error.h"
#include "client/token_cache.h"
#include "client/url.h"

namespace caspio {
namespace {

constexpr char kRestRoot[] = "/integrations/rest/v3";

bool IsSuccess(int status) { return status >= 200 && status <= 299; }

absl::StatusOr<std::string> SerializeBody(const ApiRequest& request,
                                          const nlohmann::ordered_json& body) {
  try {
    return body.dump();
  } catch (const nlohmann::json::exception&) {
    // dump() throws only for text that is not UTF-8.
    return MakeError({.error_class = ErrorClass::kUserInput,
                      .message = DescribeCall(request) +
                                 ": the request body holds text that is not "
                                 "valid UTF-8"});
  }
}

}  // namespace

std::string DescribeCall(const ApiRequest& request) {
  return request.method + " " + request.path;
}

Connection::Connection(std::string integration_url,
                       std::shared_ptr<TokenSource> tokens,
                       std::shared_ptr<Transport> transport)
    : integration_url_(std::move(integration_url)),
      tokens_(std::move(tokens)),
      transport_(std::move(transport)) {}

absl::StatusOr<ApiResponse> Connection::Call(const ApiRequest& request) {
  auto http = BuildHttpRequest(request);
  if (!http.ok()) return http.status();
  auto response = SendWithToken(*http);
  if (!response.ok()) return response.status();
  // TODO(#3): retry rate-limited answers (429 or the api-calls-rate body)
  // and 5xx on idempotent calls, with backoff honouring Retry-After; decide
  // whether the "stale token" 400 IncorrectQueryParameter seen in the field
  // deserves the 401 treatment.
  return Parse(request, *response);
}

absl::StatusOr<HttpRequest> Connection::BuildHttpRequest(
    const ApiRequest& request) const {
  HttpRequest http;
  http.method = request.method;
  http.url = integration_url_ + kRestRoot + request.path;
  if (!request.query.empty()) http.url += "?" + EncodeQuery(request.query);
  http.headers = {{"Accept", "application/json"}};
  // Caspio answers 415 to a POST, PUT or DELETE without a Content-Type,
  // even when there is no body.
  if (request.method != "GET") {
    http.headers.emplace_back("Content-Type", "application/json");
  }
  if (request.body) {
    auto body = SerializeBody(request, *request.body);
    if (!body.ok()) return body.status();
    http.body = *std::move(body);
  }
  return http;
}

absl::StatusOr<HttpResponse> Connection::SendWithToken(
    const HttpRequest& http) {
  auto token = tokens_->GetToken();
  if (!token.ok()) return token.status();
  auto response = Send(http, token->value);
  if (!response.ok() || response->status != 401) return response;

  // A token can lapse or be revoked before the cache expects: renew it and
  // replay once. A second 401 means the credentials themselves are refused.
  tokens_->Invalidate(token->value);
  token = tokens_->GetToken();
  if (!token.ok()) return token.status();
  return Send(http, token->value);
}

absl::Status Connection::RefreshToken() {
  if (auto* cache = dynamic_cast<CachingTokenSource*>(tokens_.get())) {
    return cache->Refresh().status();
  }
  return tokens_->GetToken().status();
}

absl::StatusOr<HttpResponse> Connection::Send(const HttpRequest& base,
                                              const std::string& token) {
  HttpRequest request = base;
  request.headers.emplace_back("Authorization", "Bearer " + token);
  return transport_->Send(request);
}

absl::StatusOr<ApiResponse> Connection::Parse(const ApiRequest& request,
                                              const HttpResponse& response) {
  std::string what = DescribeCall(request);
  if (!IsSuccess(response.status)) {
    return MakeError(ErrorFromResponse(what, response));
  }

  ApiResponse parsed;
  parsed.status = response.status;
  if (response.body.find_first_not_of(" \t\r\n") == std::string::npos) {
    return parsed;
  }
  auto body = nlohmann::ordered_json::parse(response.body, nullptr, false);
  if (body.is_discarded()) {
    return MakeError({.error_class = ErrorClass::kServer,
                      .http_status = response.status,
                      .message = what + ": HTTP " +
                                 std::to_string(response.status) +
                                 " with a body that is not JSON",
                      .request_id = response.Header("X-Caspio-Request-ID")});
  }
  // Rate limiting must never pass for an (empty) result.
  if (IsRateLimitBody(body)) {
    return MakeError(ErrorFromResponse(what, response));
  }
  parsed.body = std::move(body);
  return parsed;
}

}  // namespace caspio
