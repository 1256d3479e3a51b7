#include "caspio/token.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_replace.h"
#include "caspio/error.h"
#include "client/http_error.h"
#include "client/json_util.h"
#include "client/token_cache.h"
#include "client/url.h"

namespace caspio {
namespace {

using std::chrono::system_clock;

class SystemClock : public Clock {
 public:
  system_clock::time_point Now() override { return system_clock::now(); }
};

class OAuthTokenSource : public TokenSource {
 public:
  OAuthTokenSource(Credentials credentials,
                   std::shared_ptr<Transport> transport,
                   std::shared_ptr<Clock> clock,
                   std::shared_ptr<CallObserver> observer)
      : credentials_(std::move(credentials)),
        transport_(std::move(transport)),
        clock_(std::move(clock)),
        observer_(std::move(observer)) {}

  absl::StatusOr<AccessToken> GetToken() override;
  // Nothing is cached here; the caching layer handles refused tokens.
  void Invalidate(std::string_view) override {}

 private:
  void ForgetRefreshToken(const std::string& refused);
  absl::StatusOr<AccessToken> ClientCredentialsGrant(int attempt);
  absl::StatusOr<AccessToken> RefreshGrant(const std::string& refresh_token);
  absl::StatusOr<AccessToken> Exchange(const HttpRequest& request, int attempt);
  absl::StatusOr<AccessToken> ParseToken(const HttpResponse& response);
  absl::Status TokenError(const HttpResponse& response);
  HttpRequest TokenRequest(std::string body);

  Credentials credentials_;
  std::shared_ptr<Transport> transport_;
  std::shared_ptr<Clock> clock_;
  std::shared_ptr<CallObserver> observer_;

  std::mutex mu_;
  std::string refresh_token_;  // guarded by mu_
};

constexpr char kTokenCall[] = "POST /oauth/token";

absl::Status ServerError(const std::string& message) {
  return MakeError({.error_class = ErrorClass::kServer,
                    .message = std::string(kTokenCall) + ": " + message});
}

absl::StatusOr<AccessToken> OAuthTokenSource::GetToken() {
  std::string refresh_token;
  {
    std::lock_guard<std::mutex> lock(mu_);
    refresh_token = refresh_token_;
  }

  // A refused refresh token (expired, or pushed out by the account's limit)
  // is no reason to fail: the client credentials still work. A transport
  // failure would only fail again.
  absl::StatusOr<AccessToken> token;
  int attempt = 1;
  if (!refresh_token.empty()) {
    token = RefreshGrant(refresh_token);
    ++attempt;
    if (!token.ok() &&
        GetErrorInfo(token.status()).error_class == ErrorClass::kTransport) {
      return token;
    }
    if (!token.ok()) ForgetRefreshToken(refresh_token);
  }
  if (refresh_token.empty() || !token.ok()) {
    token = ClientCredentialsGrant(attempt);
  }
  if (!token.ok()) return token;

  // An answer without a refresh token keeps the one we hold.
  if (!token->refresh_token.empty()) {
    std::lock_guard<std::mutex> lock(mu_);
    refresh_token_ = token->refresh_token;
  }
  return token;
}

void OAuthTokenSource::ForgetRefreshToken(const std::string& refused) {
  std::lock_guard<std::mutex> lock(mu_);
  if (refresh_token_ == refused) refresh_token_.clear();
}

absl::StatusOr<AccessToken> OAuthTokenSource::ClientCredentialsGrant(
    int attempt) {
  return Exchange(
      TokenRequest("grant_type=client_credentials&client_id=" +
                   PercentEncode(credentials_.client_id) + "&client_secret=" +
                   PercentEncode(credentials_.client_secret)),
      attempt);
}

absl::StatusOr<AccessToken> OAuthTokenSource::RefreshGrant(
    const std::string& refresh_token) {
  HttpRequest request = TokenRequest("grant_type=refresh_token&refresh_token=" +
                                     PercentEncode(refresh_token));
  std::string basic = absl::Base64Escape(credentials_.client_id + ":" +
                                         credentials_.client_secret);
  request.headers.emplace_back("Authorization", "Basic " + basic);
  return Exchange(request, 1);
}

HttpRequest OAuthTokenSource::TokenRequest(std::string body) {
  HttpRequest request;
  request.method = "POST";
  request.url = credentials_.integration_url + "/oauth/token";
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                     {"Accept", "application/json"}};
  request.body = std::move(body);
  return request;
}

// `attempt` numbers the exchanges of one GetToken (a refused refresh grant
// is followed by a client_credentials grant).
absl::StatusOr<AccessToken> OAuthTokenSource::Exchange(
    const HttpRequest& request, int attempt) {
  auto response = transport_->Send(request);
  if (observer_) {
    observer_->OnCall({.operation = "token",
                       .method = request.method,
                       .http_status = response.ok() ? response->status : 0,
                       .attempt = attempt});
  }
  if (!response.ok()) return response.status();
  if (response->status < 200 || response->status > 299) {
    return TokenError(*response);
  }
  return ParseToken(*response);
}

absl::Status OAuthTokenSource::TokenError(const HttpResponse& response) {
  ErrorInfo info = ErrorFromResponse(kTokenCall, response);
  if ((response.status == 400 || response.status == 401) &&
      info.error_class != ErrorClass::kRateLimited) {
    // Keep what the server said (e.g. a disabled profile) after our words.
    std::string said = info.message.substr(std::string(kTokenCall).size() + 2);
    info.error_class = ErrorClass::kAuth;
    info.message = std::string(kTokenCall) +
                   ": the token endpoint refused the client credentials (" +
                   said + ")";
  }
  // An error page that echoes the form body must not leak the secret.
  if (!credentials_.client_secret.empty()) {
    absl::StrReplaceAll(
        {{credentials_.client_secret, "[redacted]"},
         {PercentEncode(credentials_.client_secret), "[redacted]"}},
        &info.message);
  }
  return MakeError(std::move(info));
}

absl::StatusOr<AccessToken> OAuthTokenSource::ParseToken(
    const HttpResponse& response) {
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (!body.is_object()) return ServerError("the answer is not a JSON object");

  AccessToken token;
  token.value = StringMember(body, "access_token");
  if (token.value.empty()) return ServerError("the answer has no access_token");
  std::string type = StringMember(body, "token_type");
  if (!type.empty() && absl::AsciiStrToLower(type) != "bearer") {
    return ServerError("unexpected token_type \"" + type + "\"");
  }
  auto expires_in = IntegerMember(body, "expires_in", /*allow_text=*/true);
  if (!expires_in || *expires_in < 0) {
    return ServerError("the answer has no valid expires_in");
  }
  token.refresh_token = StringMember(body, "refresh_token");
  // Trust the server's lifetime: it has been 3600 s on some accounts and
  // 86399 s on others.
  token.issued_at = clock_->Now();
  token.expires_at = token.issued_at + std::chrono::seconds(*expires_in);
  return token;
}

}  // namespace

CachingTokenSource::CachingTokenSource(std::shared_ptr<TokenSource> inner,
                                       std::shared_ptr<Clock> clock,
                                       std::chrono::seconds skew)
    : inner_(std::move(inner)), clock_(std::move(clock)), skew_(skew) {}

absl::StatusOr<AccessToken> CachingTokenSource::GetToken() {
  std::unique_lock<std::mutex> lock(mu_);
  if (IsFresh(clock_->Now())) return *cached_;
  return Fetch(std::move(lock), Ask::kGetToken);
}

absl::StatusOr<AccessToken> CachingTokenSource::Refresh() {
  return Fetch(std::unique_lock<std::mutex>(mu_), Ask::kRefresh);
}

// `inner_` first: were the memory emptied first, a concurrent GetToken
// could fetch the refused token back from a cache below.
void CachingTokenSource::Invalidate(std::string_view token_value) {
  inner_->Invalidate(token_value);
  std::lock_guard<std::mutex> lock(mu_);
  if (cached_ && cached_->value == token_value) cached_.reset();
}

bool CachingTokenSource::IsFresh(system_clock::time_point now) const {
  return cached_ && now < renew_;
}

// Called with `lock` held. The first caller asks `inner_`; callers arriving
// meanwhile wait for the same answer.
absl::StatusOr<AccessToken> CachingTokenSource::Fetch(
    std::unique_lock<std::mutex> lock, Ask ask) {
  if (in_flight_.valid()) {
    SharedResult shared = in_flight_;
    lock.unlock();
    return shared.get();
  }
  std::promise<absl::StatusOr<AccessToken>> promise;
  in_flight_ = promise.get_future().share();
  lock.unlock();

  absl::StatusOr<AccessToken> token =
      ask == Ask::kRefresh ? inner_->Refresh() : inner_->GetToken();
  auto now = clock_->Now();

  lock.lock();
  if (token.ok()) {
    // Renew `skew_` early, but never earlier than half the lifetime.
    system_clock::duration lifetime = token->expires_at - now;
    system_clock::duration skew = std::min<system_clock::duration>(
        skew_, std::max(lifetime / 2, system_clock::duration::zero()));
    cached_ = *token;
    renew_ = token->expires_at - skew;
  }
  in_flight_ = SharedResult();
  lock.unlock();

  promise.set_value(token);
  return token;
}

std::shared_ptr<Clock> MakeSystemClock() {
  return std::make_shared<SystemClock>();
}

std::shared_ptr<TokenSource> MakeOAuthTokenSource(
    Credentials credentials, std::shared_ptr<Transport> transport,
    std::shared_ptr<Clock> clock, std::shared_ptr<CallObserver> observer) {
  return std::make_shared<OAuthTokenSource>(
      std::move(credentials), std::move(transport), std::move(clock),
      std::move(observer));
}

std::shared_ptr<TokenSource> MakeCachingTokenSource(
    std::shared_ptr<TokenSource> inner, std::shared_ptr<Clock> clock,
    std::chrono::seconds skew) {
  return std::make_shared<CachingTokenSource>(std::move(inner),
                                              std::move(clock), skew);
}

}  // namespace caspio
