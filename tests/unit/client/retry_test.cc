// The retry loop, the stale-token rule, the shared throttle, the call
// observer and the URI limit, driven through the Client with a fake
// transport, a fake clock and a fake sleeper.
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "caspio/client.h"
#include "caspio/error.h"
#include "client/connection.h"
#include "client/retry_internal.h"
#include "fakes.h"

namespace caspio {
namespace {

using ::caspio::testing::FakeClock;
using ::caspio::testing::FakeSleeper;
using ::caspio::testing::FakeTransport;
using ::caspio::testing::HeaderOf;
using ::caspio::testing::MakeTestClient;
using ::caspio::testing::RecordingObserver;
using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Ge;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Le;
using ::testing::Not;

constexpr char kOneRecord[] = R"({"Result":[{"PK_ID":1}]})";
constexpr char kRateLimitBody[] =
    R"([{"message":"You have exceeded your API call rate limits.",)"
    R"("name":"api-calls-rate"}])";

absl::Status Lost() {
  return MakeError({.error_class = ErrorClass::kTransport,
                    .code = kConnectionLost,
                    .message = "connection to host lost"});
}

absl::Status ConnectFailed() {
  return MakeError({.error_class = ErrorClass::kTransport,
                    .code = kConnectFailed,
                    .message = "could not connect to host"});
}

class RetryTest : public ::testing::Test {
 protected:
  RetryTest() {
    options_.retry.initial_backoff = milliseconds(100);
    options_.retry.max_backoff = milliseconds(1000);
    options_.retry.multiplier = 2.0;
    options_.retry.max_attempts = 6;
    options_.retry.stale_token_age = seconds(60);
    options_.sleeper = sleeper_;
    options_.observer = observer_;
  }

  Client MakeClient() { return MakeTestClient(transport_, clock_, options_); }

  std::shared_ptr<FakeTransport> transport_ = std::make_shared<FakeTransport>();
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  std::shared_ptr<FakeSleeper> sleeper_ = std::make_shared<FakeSleeper>(clock_);
  std::shared_ptr<RecordingObserver> observer_ =
      std::make_shared<RecordingObserver>();
  ClientOptions options_;
};

TEST_F(RetryTest, BacksOffExponentiallyWithJitterAndACap) {
  for (int i = 0; i < 5; ++i) transport_->Answer(503, "");
  transport_->Answer(200, kOneRecord);
  auto page = MakeClient().ListTableRecords("T", {}, {});
  ASSERT_TRUE(page.ok()) << page.status();

  auto sleeps = sleeper_->sleeps();
  ASSERT_EQ(sleeps.size(), 5u);
  const int ceilings[] = {100, 200, 400, 800, 1000};
  for (int i = 0; i < 5; ++i) {
    EXPECT_THAT(sleeps[i].count(), AllOf(Ge(ceilings[i] / 2), Le(ceilings[i])))
        << i;
  }
  EXPECT_EQ(transport_->api_requests().size(), 6u);
}

TEST_F(RetryTest, BackoffCeilingGrowsAndCaps) {
  RetryPolicy policy = options_.retry;
  EXPECT_EQ(BackoffCeiling(policy, 1), milliseconds(100));
  EXPECT_EQ(BackoffCeiling(policy, 4), milliseconds(800));
  EXPECT_EQ(BackoffCeiling(policy, 30), milliseconds(1000));
}

TEST_F(RetryTest, StopsAtMaxAttemptsAndSaysWhy) {
  options_.retry.max_attempts = 3;
  for (int i = 0; i < 3; ++i) {
    transport_->Answer(503, R"({"Code":"Busy","Message":"try later"})");
  }
  transport_->Answer(200, kOneRecord);  // must not be reached
  auto page =
      MakeClient().ListTableRecords("Orders", {.where = "Secret='needle'"}, {});
  ASSERT_FALSE(page.ok());
  ErrorInfo info = GetErrorInfo(page.status());
  EXPECT_EQ(info.error_class, ErrorClass::kServer);
  EXPECT_EQ(info.http_status, 503);
  EXPECT_EQ(info.code, "Busy");
  EXPECT_THAT(info.message, HasSubstr("GET /tables/Orders/records"));
  EXPECT_THAT(info.message, HasSubstr("allows 3 attempts"));
  EXPECT_THAT(info.message, HasSubstr("3 attempts over"));
  EXPECT_THAT(info.message, HasSubstr("HTTP 503 Busy: try later"));
  EXPECT_THAT(info.message, Not(HasSubstr("needle")));
  EXPECT_THAT(info.message, Not(HasSubstr("token-1")));
  EXPECT_EQ(transport_->api_requests().size(), 3u);
  EXPECT_EQ(sleeper_->sleeps().size(), 2u);
}

TEST_F(RetryTest, HonoursRetryAfterSecondsAndDates) {
  transport_->Answer(429, kRateLimitBody, {{"Retry-After", "7"}});
  // The fake clock starts at 2023-11-14 22:13:20 UTC; 7 s later it is
  // 22:13:27, and the date asks for 10 s more.
  transport_->Answer(503, "",
                     {{"Retry-After", "Tue, 14 Nov 2023 22:13:37 GMT"}});
  transport_->Answer(200, kOneRecord);
  auto page = MakeClient().ListTableRecords("T", {}, {});
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_THAT(sleeper_->sleeps(), ElementsAre(seconds(7), seconds(10)));
}

TEST_F(RetryTest, ParsesRetryAfter) {
  auto now = clock_->Now();
  EXPECT_EQ(ParseRetryAfter("120", now), milliseconds(120'000));
  EXPECT_EQ(ParseRetryAfter(" 0 ", now), milliseconds(0));
  EXPECT_EQ(ParseRetryAfter("Tue, 14 Nov 2023 22:13:00 GMT", now),
            milliseconds(0));
  EXPECT_EQ(ParseRetryAfter("", now), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("soon", now), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("-5", now), std::nullopt);
}

TEST_F(RetryTest, NeverWaitsPastMaxElapsed) {
  options_.retry.max_elapsed = seconds(10);
  transport_->Answer(429, kRateLimitBody, {{"Retry-After", "30"}});
  transport_->Answer(200, kOneRecord);  // must not be reached
  auto page = MakeClient().ListTableRecords("T", {}, {});
  ASSERT_FALSE(page.ok());
  ErrorInfo info = GetErrorInfo(page.status());
  EXPECT_EQ(info.error_class, ErrorClass::kRateLimited);
  EXPECT_THAT(info.message, HasSubstr("retry time limit of 10.0 s"));
  EXPECT_THAT(info.message, HasSubstr("api-calls-rate"));
  EXPECT_THAT(sleeper_->sleeps(), IsEmpty());
  EXPECT_EQ(transport_->api_requests().size(), 1u);
}

TEST_F(RetryTest, ComputedWaitsStayWithinMaxElapsed) {
  options_.retry.max_attempts = 100;
  options_.retry.initial_backoff = milliseconds(400);
  options_.retry.max_backoff = milliseconds(400);
  options_.retry.max_elapsed = milliseconds(1000);
  auto page = MakeClient().ListTableRecords("T", {}, {});  // always 500
  ASSERT_FALSE(page.ok());
  milliseconds total(0);
  for (auto sleep : sleeper_->sleeps()) total += sleep;
  EXPECT_LE(total, milliseconds(1000));
  EXPECT_GE(sleeper_->sleeps().size(), 2u);
  EXPECT_EQ(transport_->api_requests().size(), sleeper_->sleeps().size() + 1);
  EXPECT_THAT(std::string(page.status().message()),
              HasSubstr("retry time limit"));
}

TEST_F(RetryTest, DoesNotRetryClassesThatCannotSucceed) {
  Client client = MakeClient();
  struct Case {
    int status;
    const char* body;
    ErrorClass error_class;
  };
  for (const Case& c :
       {Case{400, R"({"Code":"SqlServerError","Message":"bad"})",
             ErrorClass::kUserInput},
        Case{403, R"({"Message":"no"})", ErrorClass::kPermission},
        Case{404, R"({"Code":"ObjectNotFound"})", ErrorClass::kNotFound},
        Case{409, R"({"Message":"exists"})", ErrorClass::kConflict},
        Case{400, R"({"Code":"ProfileDisabled"})", ErrorClass::kAuth},
        Case{501, R"({"Message":"nope"})", ErrorClass::kServer}}) {
    transport_->Answer(c.status, c.body);
    auto page = client.ListTableRecords("T", {}, {});
    ASSERT_FALSE(page.ok());
    EXPECT_EQ(GetErrorInfo(page.status()).error_class, c.error_class)
        << c.status;
  }
  EXPECT_EQ(transport_->api_requests().size(), 6u);
  EXPECT_THAT(sleeper_->sleeps(), IsEmpty());
}

TEST_F(RetryTest, ASecond401IsNotRetried) {
  transport_->Answer(401, "");
  transport_->Answer(401, "");
  auto page = MakeClient().ListTableRecords("T", {}, {});
  ASSERT_FALSE(page.ok());
  ErrorInfo info = GetErrorInfo(page.status());
  EXPECT_EQ(info.error_class, ErrorClass::kAuth);
  EXPECT_THAT(info.message, HasSubstr("renewed access token was refused"));
  EXPECT_EQ(transport_->api_requests().size(), 2u);
  EXPECT_EQ(transport_->token_requests(), 2);
}

TEST_F(RetryTest, RateLimitsAreRetriedAtAnyStatus) {
  transport_->Answer(400, kRateLimitBody);
  transport_->Answer(200, kRateLimitBody);
  transport_->Answer(429, "");
  transport_->Answer(200, kOneRecord);
  auto page = MakeClient().ListTableRecords("T", {}, {});
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->records.size(), 1u);
  EXPECT_EQ(sleeper_->sleeps().size(), 3u);
}

TEST_F(RetryTest, AnInsertThatMayHaveArrivedIsNotRepeated) {
  Client client = MakeClient();
  transport_->Answer(503, "");
  auto created = client.CreateTableRecord("Jobs", {{"A", 1}}, ReturnRows::kNo);
  ASSERT_FALSE(created.ok());
  ErrorInfo info = GetErrorInfo(created.status());
  EXPECT_EQ(info.error_class, ErrorClass::kServer);
  EXPECT_THAT(info.message, HasSubstr("POST /tables/Jobs/records"));
  EXPECT_THAT(info.message, HasSubstr("the record may have been inserted"));
  EXPECT_THAT(info.message, HasSubstr("1 attempt over"));

  transport_->Fail(Lost());
  created = client.CreateTableRecord("Jobs", {{"A", 1}}, ReturnRows::kNo);
  ASSERT_FALSE(created.ok());
  info = GetErrorInfo(created.status());
  EXPECT_EQ(info.error_class, ErrorClass::kTransport);
  EXPECT_THAT(info.message, HasSubstr("the record may have been inserted"));
  EXPECT_THAT(info.message, HasSubstr("connection to host lost"));

  EXPECT_EQ(transport_->api_requests().size(), 2u);
  EXPECT_THAT(sleeper_->sleeps(), IsEmpty());
}

TEST_F(RetryTest, AnInsertIsRepeatedWhenItCertainlyDidNotArrive) {
  Client client = MakeClient();
  transport_->Answer(429, kRateLimitBody);
  transport_->Fail(ConnectFailed());
  transport_->Answer(201, "");
  auto created = client.CreateTableRecord("Jobs", {{"A", 1}}, ReturnRows::kNo);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_FALSE(created->replayed);
  EXPECT_EQ(transport_->api_requests().size(), 3u);
}

TEST_F(RetryTest, RepeatedUpdatesAndDeletesSaySo) {
  Client client = MakeClient();
  transport_->Answer(502, "");
  transport_->Answer(200, R"({"RecordsAffected":2})");
  auto updated =
      client.UpdateTableRecords("T", "PK_ID<3", {{"A", 1}}, ReturnRows::kNo);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_TRUE(updated->replayed);

  transport_->Fail(Lost());
  transport_->Answer(200, R"({"RecordsAffected":0})");
  auto deleted = client.DeleteTableRecords("T", "PK_ID<3");
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_TRUE(deleted->replayed);
  EXPECT_EQ(deleted->records_affected, 0);

  // A rate limit proves nothing was done.
  transport_->Answer(429, kRateLimitBody);
  transport_->Answer(200, R"({"RecordsAffected":1})");
  deleted = client.DeleteTableRecords("T", "PK_ID<3");
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_FALSE(deleted->replayed);
}

TEST_F(RetryTest, ReadsAreRepeatedAfterALostConnection) {
  transport_->Fail(Lost());
  transport_->Answer(200, R"({"Result":["A"]})");
  auto tables = MakeClient().ListTables();
  ASSERT_TRUE(tables.ok()) << tables.status();
  EXPECT_EQ(transport_->api_requests().size(), 2u);
}

// Stale tokens: Caspio has answered 400 IncorrectQueryParameter instead of
// 401 for a token gone stale.
class StaleTokenTest : public RetryTest {
 protected:
  void SetUp() override {
    // A day-long token, so that the cache keeps it while the clock moves.
    transport_->AnswerToken(
        200,
        R"({"access_token":"old","token_type":"bearer","expires_in":86399})");
  }
  static constexpr char kStale[] =
      R"({"Code":"IncorrectQueryParameter","Message":"bad"})";
};

TEST_F(StaleTokenTest, AnOldTokenIsRenewedOnceForACheckedRead) {
  Client client = MakeClient();
  transport_->Answer(200, kOneRecord);
  ASSERT_TRUE(client.ListTableRecords("T", {}, {}).ok());
  clock_->Advance(seconds(61));

  transport_->Answer(400, kStale);
  transport_->Answer(200, kOneRecord);
  auto page = client.ListTableRecords("T", {}, {});
  ASSERT_TRUE(page.ok()) << page.status();
  auto requests = transport_->api_requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(HeaderOf(requests[1], "Authorization"), "Bearer old");
  EXPECT_EQ(HeaderOf(requests[2], "Authorization"), "Bearer token-1");
  EXPECT_THAT(sleeper_->sleeps(), IsEmpty());
}

TEST_F(StaleTokenTest, AtMostOneRenewalPerCall) {
  Client client = MakeClient();
  ASSERT_TRUE(client.RefreshToken().ok());
  clock_->Advance(seconds(61));
  transport_->Answer(401, "");
  transport_->Answer(400, kStale);  // the new token is young: a real 400
  auto page = client.ListTableRecords("T", {}, {});
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(GetErrorInfo(page.status()).code, "IncorrectQueryParameter");
  EXPECT_EQ(transport_->api_requests().size(), 2u);
  EXPECT_EQ(transport_->token_requests(), 2);

  // Old token, two stale answers: one renewal, then the error.
  transport_->AnswerToken(
      200, R"({"access_token":"x","token_type":"bearer","expires_in":86399})");
  clock_->Advance(seconds(3600 * 2));  // token-1 (1 h) has expired by now
  ASSERT_TRUE(client.RefreshToken().ok());
  clock_->Advance(seconds(61));
  transport_->Answer(400, kStale);
  transport_->Answer(400, kStale);
  page = client.ListTableRecords("T", {}, {});
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(transport_->api_requests().size(), 4u);
}

TEST_F(StaleTokenTest, AYoungTokenMeansTheRequestIsWrong) {
  Client client = MakeClient();
  transport_->Answer(400, kStale);
  auto page = client.ListTableRecords("T", {}, {});
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(GetErrorInfo(page.status()).error_class, ErrorClass::kUserInput);
  EXPECT_EQ(transport_->api_requests().size(), 1u);
  EXPECT_EQ(transport_->token_requests(), 1);
}

TEST_F(StaleTokenTest, AnInsertIsNotReplayed) {
  Client client = MakeClient();
  ASSERT_TRUE(client.RefreshToken().ok());
  clock_->Advance(seconds(61));
  transport_->Answer(400, kStale);
  auto created = client.CreateTableRecord("T", {{"A", 1}}, ReturnRows::kNo);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(transport_->api_requests().size(), 1u);
}

TEST_F(StaleTokenTest, AnUncheckedQueryIsNotReplayed) {
  auto clock = clock_;
  Connection connection(ConnectionOptions{
      .integration_url = "https://c0abc123.caspio.com",
      .tokens = MakeCachingTokenSource(
          MakeOAuthTokenSource({"https://c0abc123.caspio.com", "id", "s"},
                               transport_, clock),
          clock),
      .transport = transport_,
      .clock = clock,
      .sleeper = sleeper_,
      .retry = options_.retry});
  ApiRequest request{.method = "GET",
                     .path = "/tables/T/records",
                     .query = {{"q.where", "A=1"}}};
  transport_->Answer(200, kOneRecord);
  ASSERT_TRUE(connection.Call(request).ok());
  clock_->Advance(seconds(61));
  transport_->Answer(400, kStale);
  EXPECT_FALSE(connection.Call(request).ok());
  EXPECT_EQ(transport_->api_requests().size(), 2u);

  request.query_checked = true;
  transport_->Answer(400, kStale);
  transport_->Answer(200, kOneRecord);
  EXPECT_TRUE(connection.Call(request).ok());
  EXPECT_EQ(transport_->api_requests().size(), 4u);
}

TEST_F(RetryTest, ARateLimitSlowsDownEveryCallOfTheConnection) {
  // Sleeping does not move this clock: every caller sees the same backoff.
  auto sleeper = std::make_shared<FakeSleeper>();
  options_.sleeper = sleeper;
  Client client = MakeClient();
  transport_->Answer(429, kRateLimitBody, {{"Retry-After", "3"}});
  transport_->Answer(200, kOneRecord);
  ASSERT_TRUE(client.ListTableRecords("T", {}, {}).ok());
  ASSERT_THAT(sleeper->sleeps(), ElementsAre(seconds(3)));

  for (int i = 0; i < 4; ++i) transport_->Answer(200, R"({"Result":[]})");
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back(
        [copy = client]() mutable { EXPECT_TRUE(copy.ListTables().ok()); });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(sleeper->sleeps().size(), 5u);
  for (auto sleep : sleeper->sleeps()) EXPECT_EQ(sleep, seconds(3));

  clock_->Advance(seconds(3));
  transport_->Answer(200, R"({"Result":[]})");
  ASSERT_TRUE(client.ListTables().ok());
  EXPECT_EQ(sleeper->sleeps().size(), 5u);
}

TEST_F(RetryTest, ObserverSeesEveryExchange) {
  transport_->Answer(401, "");
  transport_->Answer(503, "");
  transport_->Answer(200, kOneRecord);
  ASSERT_TRUE(MakeClient().ListTableRecords("Orders", {}, {}).ok());

  auto calls = observer_->calls();
  ASSERT_EQ(calls.size(), 5u);
  auto expect = [&](std::size_t i, const char* operation, const char* method,
                    int status, int attempt) {
    EXPECT_EQ(calls[i].operation, operation) << i;
    EXPECT_EQ(calls[i].method, method) << i;
    EXPECT_EQ(calls[i].http_status, status) << i;
    EXPECT_EQ(calls[i].attempt, attempt) << i;
  };
  expect(0, "token", "POST", 200, 1);
  expect(1, "ListTableRecords", "GET", 401, 1);
  expect(2, "token", "POST", 200, 1);  // a refresh grant
  expect(3, "ListTableRecords", "GET", 503, 2);
  expect(4, "ListTableRecords", "GET", 200, 3);
  EXPECT_EQ(calls[1].table, "Orders");
  EXPECT_EQ(calls[0].table, "");
}

TEST_F(RetryTest, ObserverSeesTransportFailuresAsStatusZero) {
  transport_->Fail(Lost());
  transport_->Answer(200, R"({"RecordsAffected":1})");
  ASSERT_TRUE(MakeClient().DeleteTableRecords("T", "PK_ID=1").ok());
  auto calls = observer_->calls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[1].operation, "DeleteTableRecords");
  EXPECT_EQ(calls[1].http_status, 0);
  EXPECT_EQ(calls[2].attempt, 2);
}

TEST_F(RetryTest, OverlongUrisAreRefusedBeforeSending) {
  Client client = MakeClient();
  std::string where = "Name='" + std::string(2100, 'x') + "'";
  auto page = client.ListTableRecords("T", {.where = where}, {});
  ASSERT_FALSE(page.ok());
  ErrorInfo info = GetErrorInfo(page.status());
  EXPECT_EQ(info.error_class, ErrorClass::kUserInput);
  EXPECT_THAT(info.message, HasSubstr("the request URI would be "));
  EXPECT_THAT(info.message, HasSubstr("Caspio accepts at most 2047"));
  EXPECT_THAT(info.message, HasSubstr("shorten q.where or split it"));

  auto updated =
      client.UpdateTableRecords("T", where, {{"A", 1}}, ReturnRows::kNo);
  EXPECT_EQ(GetErrorInfo(updated.status()).error_class, ErrorClass::kUserInput);
  auto deleted = client.DeleteTableRecords("T", where);
  EXPECT_EQ(GetErrorInfo(deleted.status()).error_class, ErrorClass::kUserInput);
  EXPECT_THAT(transport_->requests(), IsEmpty());
}

}  // namespace
}  // namespace caspio
