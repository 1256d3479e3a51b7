#include "client/connection.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "caspio/error.h"
#include "client/http_error.h"
#include "client/retry_internal.h"
#include "client/url.h"

namespace caspio {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

constexpr char kRestRoot[] = "/integrations/rest/v3";

bool IsSuccess(int status) { return status >= 200 && status <= 299; }

// Repeating these has the effect of sending them once.
bool IsIdempotent(std::string_view method) {
  return method == "GET" || method == "PUT" || method == "DELETE";
}

// Failures after which the request may have been carried out.
bool MaybeProcessed(const ErrorInfo& info) {
  if (info.error_class == ErrorClass::kTransport) {
    return info.code != kConnectFailed;
  }
  return info.error_class == ErrorClass::kServer && info.http_status >= 500;
}

constexpr int kMaxConnectAttempts = 3;

bool IsRetryable(const ErrorInfo& info) {
  switch (info.error_class) {
    case ErrorClass::kRateLimited:
    case ErrorClass::kTransport:
      return true;
    case ErrorClass::kServer:
      return info.http_status == 500 || info.http_status == 502 ||
             info.http_status == 503 || info.http_status == 504;
    default:
      return false;
  }
}

std::string Seconds(system_clock::duration duration) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f s",
                std::chrono::duration<double>(duration).count());
  return text;
}

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

ConnectionOptions WithDefaults(ConnectionOptions options) {
  if (!options.clock) options.clock = MakeSystemClock();
  if (!options.sleeper) options.sleeper = MakeRealSleeper();
  return options;
}

}  // namespace

// What one exchange gave, and what the retry loop needs to know about it.
struct Connection::Attempt {
  absl::StatusOr<ApiResponse> result;
  std::optional<milliseconds> retry_after;
  bool token_failed = false;  // no request was sent: GetToken failed
  std::string token_value;    // secret: only for Invalidate
  system_clock::time_point token_issued_at;
};

struct Connection::CallState {
  system_clock::time_point start;
  int attempts = 0;  // exchanges started, the token replay included
  bool renewed_token = false;
  bool maybe_applied = false;
};

std::string DescribeCall(const ApiRequest& request) {
  return request.method + " " + request.path;
}

Connection::Connection(ConnectionOptions options)
    : options_(WithDefaults(std::move(options))),
      throttle_(options_.retry, options_.clock, options_.sleeper) {}

absl::StatusOr<ApiResponse> Connection::Call(const ApiRequest& request) {
  auto http = BuildHttpRequest(request);
  if (!http.ok()) return http.status();

  const RetryPolicy& policy = options_.retry;
  CallState state{.start = options_.clock->Now()};
  while (true) {
    throttle_.Wait();
    ++state.attempts;
    Attempt attempt = Exchange(request, *http, state.attempts);
    if (attempt.result.ok()) {
      throttle_.OnSuccess();
      attempt.result->replayed = state.maybe_applied;
      return attempt.result;
    }
    const absl::Status& error = attempt.result.status();
    ErrorInfo info = GetErrorInfo(error);

    // A token can lapse or be revoked before the cache expects: renew it
    // and replay once. A second refusal means the credentials are refused.
    if (!attempt.token_failed && !state.renewed_token &&
        (info.http_status == 401 ||
         IsStaleToken(request, info, attempt.token_issued_at))) {
      options_.tokens->Invalidate(attempt.token_value);
      state.renewed_token = true;
      continue;
    }

    if (!IsRetryable(info)) {
      if (state.attempts == 1) return error;
      return GiveUp(request, state, error,
                    info.http_status == 401 && state.renewed_token
                        ? "a renewed access token was refused too"
                        : "stopped on an error that is not retried");
    }
    // A host that cannot be reached at all is most often a wrong URL or no
    // network: a few quick tries, not the whole retry budget.
    if (info.code == kConnectFailed && state.attempts >= kMaxConnectAttempts) {
      return GiveUp(request, state, error,
                    "gave up: the host could not be reached in " +
                        std::to_string(kMaxConnectAttempts) + " attempts");
    }
    const bool maybe_processed = !attempt.token_failed && MaybeProcessed(info);
    if (maybe_processed && !IsIdempotent(request.method)) {
      return GiveUp(request, state, error,
                    absl::EndsWith(request.path, "/records")
                        ? "not repeated: the request may have reached "
                          "Caspio, so the record may have been inserted; "
                          "check before inserting it again"
                        : "not repeated: the request may have reached "
                          "Caspio and been carried out; check before "
                          "sending it again");
    }

    // The n-th retry; the token replay is not one.
    const int retry = state.attempts - (state.renewed_token ? 1 : 0);
    const bool rate_limited = info.error_class == ErrorClass::kRateLimited;
    milliseconds wait =
        rate_limited ? throttle_.OnRateLimited(retry, attempt.retry_after)
        : attempt.retry_after ? *attempt.retry_after
                              : JitteredBackoff(policy, retry);
    if (retry >= policy.max_attempts) {
      return GiveUp(request, state, error,
                    "gave up: the retry policy allows " +
                        std::to_string(policy.max_attempts) + " attempts");
    }
    auto elapsed = options_.clock->Now() - state.start;
    if (elapsed + wait > policy.max_elapsed) {
      return GiveUp(request, state, error,
                    "gave up: the next wait of " + Seconds(wait) +
                        " would pass the retry time limit of " +
                        Seconds(policy.max_elapsed));
    }
    state.maybe_applied = state.maybe_applied || maybe_processed;
    // A rate-limited call waits in throttle_.Wait(), with every other call.
    if (!rate_limited) options_.sleeper->Sleep(wait);
  }
}

bool Connection::IsStaleToken(const ApiRequest& request, const ErrorInfo& info,
                              system_clock::time_point issued_at) {
  if (info.http_status != 400 || info.code != "IncorrectQueryParameter") {
    return false;
  }
  // A query we did not check may simply be wrong; an insert is not safe to
  // repeat; a young token is not stale.
  if (!IsIdempotent(request.method)) return false;
  if (!request.query.empty() && !request.query_checked) return false;
  return options_.clock->Now() - issued_at >= options_.retry.stale_token_age;
}

absl::Status Connection::GiveUp(const ApiRequest& request,
                                const CallState& state,
                                const absl::Status& last,
                                std::string_view reason) {
  ErrorInfo info = GetErrorInfo(last);
  std::string what = DescribeCall(request);
  std::string said = info.message;
  if (absl::StartsWith(said, what + ": ")) said.erase(0, what.size() + 2);

  info.message = what + ": " + std::string(reason) + "; " +
                 std::to_string(state.attempts) +
                 (state.attempts == 1 ? " attempt" : " attempts") + " over " +
                 Seconds(options_.clock->Now() - state.start) +
                 "; last error: " + said;
  return MakeError(std::move(info));
}

Connection::Attempt Connection::Exchange(const ApiRequest& request,
                                         const HttpRequest& http,
                                         int attempt_number) {
  Attempt attempt;
  auto token = options_.tokens->GetToken();
  if (!token.ok()) {
    attempt.result = token.status();
    attempt.token_failed = true;
    return attempt;
  }
  attempt.token_value = token->value;
  attempt.token_issued_at = token->issued_at;

  HttpRequest authorized = http;
  authorized.headers.emplace_back("Authorization", "Bearer " + token->value);
  auto response = options_.transport->Send(authorized);
  if (options_.observer) {
    options_.observer->OnCall(
        {.operation = request.operation,
         .table = request.table,
         .method = request.method,
         .http_status = response.ok() ? response->status : 0,
         .attempt = attempt_number});
  }
  if (!response.ok()) {
    attempt.result = response.status();
    return attempt;
  }
  attempt.retry_after =
      ParseRetryAfter(response->Header("Retry-After"), options_.clock->Now());
  attempt.result = Parse(request, *response);
  return attempt;
}

std::string Connection::Url(const ApiRequest& request) const {
  std::string url = options_.integration_url + kRestRoot + request.path;
  if (!request.query.empty()) url += "?" + EncodeQuery(request.query);
  return url;
}

absl::StatusOr<HttpRequest> Connection::BuildHttpRequest(
    const ApiRequest& request) const {
  HttpRequest http;
  http.method = request.method;
  http.url = Url(request);
  if (http.url.size() > kMaxUriLength) {
    return MakeError({.error_class = ErrorClass::kUserInput,
                      .message = DescribeCall(request) +
                                 ": the request URI would be " +
                                 std::to_string(http.url.size()) +
                                 " characters; Caspio accepts at most " +
                                 std::to_string(kMaxUriLength) +
                                 " \u2014 shorten q.where or split it"});
  }
  http.headers = {{"Accept", "application/json"}};
  if (request.method == "POST") http.repeatable = Repeatable::kNo;
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

absl::Status Connection::RefreshToken() {
  return options_.tokens->Refresh().status();
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
