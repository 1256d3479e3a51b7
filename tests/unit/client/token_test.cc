#include "caspio/token.h"

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "caspio/error.h"
#include "fakes.h"

namespace caspio {
namespace {

using ::caspio::testing::FakeClock;
using ::caspio::testing::FakeTransport;
using ::caspio::testing::FormOf;
using ::caspio::testing::HeaderOf;
using std::chrono::seconds;
using ::testing::HasSubstr;
using ::testing::Not;

const Credentials kCredentials{"https://c0abc123.caspio.com", "my-id",
                               "a&b=c+d %"};

class OAuthTokenSourceTest : public ::testing::Test {
 protected:
  std::shared_ptr<FakeTransport> transport_ = std::make_shared<FakeTransport>();
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  std::shared_ptr<TokenSource> source_ =
      MakeOAuthTokenSource(kCredentials, transport_, clock_);
};

TEST_F(OAuthTokenSourceTest, PostsClientCredentialsAsAForm) {
  auto token = source_->GetToken();
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->value, "token-1");
  EXPECT_EQ(token->refresh_token, "refresh-1");
  EXPECT_EQ(token->expires_at, clock_->Now() + seconds(3600));

  auto requests = transport_->requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].url, "https://c0abc123.caspio.com/oauth/token");
  EXPECT_EQ(HeaderOf(requests[0], "Accept"), "application/json");
  EXPECT_EQ(HeaderOf(requests[0], "Content-Type"),
            "application/x-www-form-urlencoded");
  EXPECT_EQ(requests[0].body,
            "grant_type=client_credentials&client_id=my-id&client_secret="
            "a%26b%3Dc%2Bd%20%25");
}

TEST_F(OAuthTokenSourceTest, TrustsTheServersLifetime) {
  transport_->AnswerToken(
      200, R"({"access_token":"short","token_type":"bearer","expires_in":60})");
  auto token = source_->GetToken();
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->expires_at, clock_->Now() + seconds(60));
  EXPECT_EQ(token->refresh_token, "");
}

TEST_F(OAuthTokenSourceTest, UsesTheRefreshTokenWithBasicAuth) {
  ASSERT_TRUE(source_->GetToken().ok());
  auto second = source_->GetToken();
  ASSERT_TRUE(second.ok()) << second.status();

  auto requests = transport_->requests();
  ASSERT_EQ(requests.size(), 2u);
  auto form = FormOf(requests[1].body);
  EXPECT_EQ(form["grant_type"], "refresh_token");
  EXPECT_EQ(form["refresh_token"], "refresh-1");
  EXPECT_EQ(form.count("client_secret"), 0u);
  // base64("my-id:a&b=c+d %")
  EXPECT_EQ(HeaderOf(requests[1], "Authorization"),
            "Basic bXktaWQ6YSZiPWMrZCAl");
}

TEST_F(OAuthTokenSourceTest, FallsBackToClientCredentialsWhenRefreshFails) {
  ASSERT_TRUE(source_->GetToken().ok());
  transport_->AnswerToken(400, R"({"error":"invalid_grant"})");
  auto token = source_->GetToken();
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->value, "token-2");

  auto requests = transport_->requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(FormOf(requests[1].body)["grant_type"], "refresh_token");
  EXPECT_EQ(FormOf(requests[2].body)["grant_type"], "client_credentials");
}

TEST_F(OAuthTokenSourceTest, RefusedCredentialsAreAnAuthError) {
  transport_->AnswerToken(400,
                          R"({"Code":"ProfileDisabled",)"
                          R"("Message":"The profile is disabled. a&b=c+d %"})");
  auto token = source_->GetToken();
  ASSERT_FALSE(token.ok());
  ErrorInfo info = GetErrorInfo(token.status());
  EXPECT_EQ(info.error_class, ErrorClass::kAuth);
  EXPECT_EQ(info.http_status, 400);
  EXPECT_THAT(info.message,
              HasSubstr("the token endpoint refused the client credentials"));
  EXPECT_THAT(info.message, HasSubstr("The profile is disabled"));
  EXPECT_THAT(info.message, Not(HasSubstr("a&b=c+d %")));
  EXPECT_THAT(info.message, Not(HasSubstr("a%26b")));
}

TEST_F(OAuthTokenSourceTest, Unauthorized401IsAnAuthError) {
  transport_->AnswerToken(401, "");
  auto token = source_->GetToken();
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(GetErrorInfo(token.status()).error_class, ErrorClass::kAuth);
}

TEST_F(OAuthTokenSourceTest, EmptyBodied404IsAMissingEndpoint) {
  transport_->AnswerToken(404, "");
  auto token = source_->GetToken();
  ASSERT_FALSE(token.ok());
  ErrorInfo info = GetErrorInfo(token.status());
  EXPECT_EQ(info.error_class, ErrorClass::kNotFound);
  EXPECT_THAT(info.message,
              HasSubstr("no such endpoint: check the integration URL and API "
                        "version"));
}

TEST_F(OAuthTokenSourceTest, MalformedAnswersAreServerErrors) {
  for (const char* body :
       {"not json", R"({"token_type":"bearer","expires_in":10})",
        R"({"access_token":"x","token_type":"mac","expires_in":10})",
        R"({"access_token":"x","token_type":"bearer"})"}) {
    transport_->AnswerToken(200, body);
    auto token = source_->GetToken();
    ASSERT_FALSE(token.ok()) << body;
    EXPECT_EQ(GetErrorInfo(token.status()).error_class, ErrorClass::kServer)
        << body;
  }
}

// An inner source that counts requests and can hold them until released.
class CountingSource : public TokenSource {
 public:
  explicit CountingSource(std::shared_ptr<FakeClock> clock,
                          seconds lifetime = seconds(3600))
      : clock_(std::move(clock)), lifetime_(lifetime) {}

  absl::StatusOr<AccessToken> GetToken() override {
    int n = ++calls_;
    if (gate_.valid()) gate_.wait();
    if (fail_next_.exchange(false)) {
      return MakeError({.error_class = ErrorClass::kAuth, .message = "no"});
    }
    return AccessToken{.value = "token-" + std::to_string(n),
                       .expires_at = clock_->Now() + lifetime_};
  }
  void Invalidate(std::string_view) override {}

  std::atomic<int> calls_{0};
  std::atomic<bool> fail_next_{false};
  std::shared_future<void> gate_;

 private:
  std::shared_ptr<FakeClock> clock_;
  seconds lifetime_;
};

TEST(CachingTokenSourceTest, ReusesTheTokenUntilExpiryMinusSkew) {
  auto clock = std::make_shared<FakeClock>();
  auto inner = std::make_shared<CountingSource>(clock);
  auto cache = MakeCachingTokenSource(inner, clock, seconds(300));

  EXPECT_EQ(cache->GetToken()->value, "token-1");
  clock->Advance(seconds(3299));
  EXPECT_EQ(cache->GetToken()->value, "token-1");
  EXPECT_EQ(inner->calls_, 1);

  clock->Advance(seconds(1));
  EXPECT_EQ(cache->GetToken()->value, "token-2");
  EXPECT_EQ(cache->GetToken()->value, "token-2");
  EXPECT_EQ(inner->calls_, 2);
}

TEST(CachingTokenSourceTest, ClampsTheSkewForShortLifetimes) {
  auto clock = std::make_shared<FakeClock>();
  auto inner = std::make_shared<CountingSource>(clock, seconds(60));
  auto cache = MakeCachingTokenSource(inner, clock, seconds(300));

  EXPECT_EQ(cache->GetToken()->value, "token-1");
  clock->Advance(seconds(29));
  EXPECT_EQ(cache->GetToken()->value, "token-1");
  clock->Advance(seconds(1));
  EXPECT_EQ(cache->GetToken()->value, "token-2");
}

TEST(CachingTokenSourceTest, InvalidateDropsOnlyTheNamedToken) {
  auto clock = std::make_shared<FakeClock>();
  auto inner = std::make_shared<CountingSource>(clock);
  auto cache = MakeCachingTokenSource(inner, clock);

  EXPECT_EQ(cache->GetToken()->value, "token-1");
  cache->Invalidate("token-0");  // older token: ignored
  EXPECT_EQ(cache->GetToken()->value, "token-1");
  cache->Invalidate("token-1");
  EXPECT_EQ(cache->GetToken()->value, "token-2");
  cache->Invalidate("token-1");  // a late caller with the old token
  EXPECT_EQ(cache->GetToken()->value, "token-2");
  EXPECT_EQ(inner->calls_, 2);
}

TEST(CachingTokenSourceTest, ErrorsAreReturnedNotCached) {
  auto clock = std::make_shared<FakeClock>();
  auto inner = std::make_shared<CountingSource>(clock);
  auto cache = MakeCachingTokenSource(inner, clock);

  inner->fail_next_ = true;
  EXPECT_FALSE(cache->GetToken().ok());
  EXPECT_EQ(cache->GetToken()->value, "token-2");
}

TEST(CachingTokenSourceTest, ConcurrentCallersShareOneRequest) {
  auto clock = std::make_shared<FakeClock>();
  auto inner = std::make_shared<CountingSource>(clock);
  std::promise<void> release;
  inner->gate_ = release.get_future().share();
  auto cache = MakeCachingTokenSource(inner, clock);

  std::vector<std::future<absl::StatusOr<AccessToken>>> results;
  for (int i = 0; i < 20; ++i) {
    results.push_back(
        std::async(std::launch::async, [&cache] { return cache->GetToken(); }));
  }
  // Give every thread time to reach the cache while the request is held.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  release.set_value();

  for (auto& result : results) {
    auto token = result.get();
    ASSERT_TRUE(token.ok()) << token.status();
    EXPECT_EQ(token->value, "token-1");
  }
  EXPECT_EQ(inner->calls_, 1);
}

TEST(CachingTokenSourceTest, ConcurrentCallersShareOneFailure) {
  auto clock = std::make_shared<FakeClock>();
  auto inner = std::make_shared<CountingSource>(clock);
  std::promise<void> release;
  inner->gate_ = release.get_future().share();
  inner->fail_next_ = true;
  auto cache = MakeCachingTokenSource(inner, clock);

  std::vector<std::future<absl::StatusOr<AccessToken>>> results;
  for (int i = 0; i < 8; ++i) {
    results.push_back(
        std::async(std::launch::async, [&cache] { return cache->GetToken(); }));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  release.set_value();
  for (auto& result : results) EXPECT_FALSE(result.get().ok());
  EXPECT_EQ(inner->calls_, 1);
}

}  // namespace
}  // namespace caspio
