// Connection behaviour seen through the Client: URLs, headers, the 401
// replay and error mapping, with a fake transport under the real stack.
#include <memory>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "caspio/client.h"
#include "caspio/error.h"
#include "fakes.h"

namespace caspio {
namespace {

using ::caspio::testing::FakeTransport;
using ::caspio::testing::HeaderOf;
using ::caspio::testing::MakeTestClient;
using ::caspio::testing::PathOf;
using ::caspio::testing::QueryOf;
using ::caspio::testing::RawQueryOf;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kOneRecord[] = R"({"Result":[{"PK_ID":1}]})";

class ConnectionTest : public ::testing::Test {
 protected:
  std::shared_ptr<FakeTransport> transport_ = std::make_shared<FakeTransport>();
  Client client_ = MakeTestClient(transport_);
};

TEST_F(ConnectionTest, SendsTheV3PathWithBearerAndAccept) {
  transport_->Answer(200, R"({"Result":["A","B"]})");
  auto tables = client_.ListTables();
  ASSERT_TRUE(tables.ok()) << tables.status();
  EXPECT_THAT(*tables, ::testing::ElementsAre("A", "B"));

  auto requests = transport_->api_requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].url,
            "https://c0abc123.caspio.com/integrations/rest/v3/tables");
  EXPECT_EQ(HeaderOf(requests[0], "Authorization"), "Bearer token-1");
  EXPECT_EQ(HeaderOf(requests[0], "Accept"), "application/json");
  EXPECT_EQ(HeaderOf(requests[0], "Content-Type"), "");
}

TEST_F(ConnectionTest, WritesCarryAJsonContentType) {
  transport_->Answer(200, R"({"RecordsAffected":1})");
  ASSERT_TRUE(client_.DeleteTableRecords("T", "PK_ID=1").ok());
  transport_->Answer(201, "");
  ASSERT_TRUE(
      client_.CreateTableRecord("T", {{"Name", "x"}}, ReturnRows::kNo).ok());

  auto requests = transport_->api_requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(HeaderOf(requests[0], "Content-Type"), "application/json");
  EXPECT_EQ(requests[1].method, "POST");
  EXPECT_EQ(HeaderOf(requests[1], "Content-Type"), "application/json");
  EXPECT_EQ(requests[1].body, R"({"Name":"x"})");
}

TEST_F(ConnectionTest, PercentEncodesEveryReservedCharacter) {
  transport_->Answer(200, R"({"RecordsAffected":0})");
  std::string where = "Name='O''Brien = & + # % caf\xc3\xa9' AND X/Y?";
  ASSERT_TRUE(client_.DeleteTableRecords("My Table/x", where).ok());

  auto requests = transport_->api_requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(PathOf(requests[0].url),
            "/integrations/rest/v3/tables/My%20Table%2Fx/records");
  EXPECT_EQ(RawQueryOf(requests[0].url),
            "q.where=Name%3D%27O%27%27Brien%20%3D%20%26%20%2B%20%23%20%25%20"
            "caf%C3%A9%27%20AND%20X%2FY%3F");
  auto query = QueryOf(requests[0].url);
  ASSERT_EQ(query.count("q.where"), 1u);
  EXPECT_EQ(query.find("q.where")->second, where);
}

TEST_F(ConnectionTest, A401RenewsTheTokenAndReplaysOnce) {
  transport_->Answer(401, "");
  transport_->Answer(200, kOneRecord);
  auto page = client_.ListTableRecords("T", {}, {});
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->records.size(), 1u);

  auto requests = transport_->api_requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(HeaderOf(requests[0], "Authorization"), "Bearer token-1");
  EXPECT_EQ(HeaderOf(requests[1], "Authorization"), "Bearer token-2");
  EXPECT_EQ(requests[0].url, requests[1].url);
  EXPECT_EQ(transport_->token_requests(), 2);
}

TEST_F(ConnectionTest, ASecond401IsAnAuthError) {
  transport_->Answer(401, R"({"Message":"Authorization has been denied"})");
  transport_->Answer(401, R"({"Message":"Authorization has been denied"})");
  transport_->Answer(200, kOneRecord);  // must not be reached
  auto page = client_.ListTableRecords("T", {}, {});
  ASSERT_FALSE(page.ok());
  ErrorInfo info = GetErrorInfo(page.status());
  EXPECT_EQ(info.error_class, ErrorClass::kAuth);
  EXPECT_EQ(info.http_status, 401);
  EXPECT_EQ(transport_->api_requests().size(), 2u);
}

TEST_F(ConnectionTest, TheCachedTokenIsReused) {
  transport_->Answer(200, kOneRecord);
  transport_->Answer(200, kOneRecord);
  ASSERT_TRUE(client_.ListTableRecords("T", {}, {}).ok());
  ASSERT_TRUE(client_.ListTableRecords("T", {}, {}).ok());
  EXPECT_EQ(transport_->token_requests(), 1);
}

TEST_F(ConnectionTest, RefreshTokenBypassesTheCache) {
  transport_->Answer(200, kOneRecord);
  ASSERT_TRUE(client_.ListTableRecords("T", {}, {}).ok());
  ASSERT_TRUE(client_.RefreshToken().ok());
  EXPECT_EQ(transport_->token_requests(), 2);

  transport_->Answer(200, kOneRecord);
  ASSERT_TRUE(client_.ListTableRecords("T", {}, {}).ok());
  EXPECT_EQ(HeaderOf(transport_->api_requests().back(), "Authorization"),
            "Bearer token-2");
}

TEST_F(ConnectionTest, ErrorsNameTheCallButNotTheQueryOrToken) {
  transport_->Answer(
      400, R"({"Code":"SqlServerError","Message":"Invalid column name 'X'."})",
      {{"X-Caspio-Request-ID", "RID-7"}});
  auto count = client_.DeleteTableRecords("Orders", "X='needle'");
  ASSERT_FALSE(count.ok());
  ErrorInfo info = GetErrorInfo(count.status());
  EXPECT_EQ(info.error_class, ErrorClass::kUserInput);
  EXPECT_EQ(info.code, "SqlServerError");
  EXPECT_EQ(info.request_id, "RID-7");
  EXPECT_THAT(info.message, HasSubstr("DELETE /tables/Orders/records"));
  EXPECT_THAT(info.message, HasSubstr("Invalid column name 'X'."));
  EXPECT_THAT(info.message, Not(HasSubstr("needle")));
  EXPECT_THAT(info.message, Not(HasSubstr("token-1")));
}

TEST_F(ConnectionTest, EmptyBodied404IsAMissingEndpointNotARecord) {
  transport_->Answer(404, "");
  auto count = client_.UpdateTableRecords(
      "Reservations", "RefKey='AB12'", {{"Status", "Paid"}}, ReturnRows::kNo);
  ASSERT_FALSE(count.ok());
  ErrorInfo info = GetErrorInfo(count.status());
  EXPECT_EQ(info.error_class, ErrorClass::kNotFound);
  EXPECT_THAT(info.message,
              HasSubstr("no such endpoint: check the integration URL and API "
                        "version"));
  EXPECT_THAT(info.message, Not(HasSubstr("record not found")));
  EXPECT_EQ(transport_->api_requests().size(), 1u);  // no other version tried
}

TEST_F(ConnectionTest, RateLimitArrayIsNeverAnEmptyResult) {
  const std::string body =
      R"([{"message":"You have exceeded your API call rate limits.",)"
      R"("name":"api-calls-rate"}])";
  ClientOptions options;
  options.retry.max_attempts = 2;
  Client client = MakeTestClient(transport_, nullptr, options);
  for (int status : {400, 429, 200}) {
    transport_->Answer(status, body);
    transport_->Answer(status, body);
    auto page = client.ListTableRecords("Jobs", {}, {});
    ASSERT_FALSE(page.ok()) << status;
    EXPECT_EQ(GetErrorInfo(page.status()).error_class, ErrorClass::kRateLimited)
        << status;
  }
}

TEST_F(ConnectionTest, UnparseableSuccessIsAServerError) {
  transport_->Answer(200, "<html>gateway</html>");
  auto page = client_.ListTableRecords("T", {}, {});
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(GetErrorInfo(page.status()).error_class, ErrorClass::kServer);

  transport_->Answer(200, "");
  page = client_.ListTableRecords("T", {}, {});
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(GetErrorInfo(page.status()).error_class, ErrorClass::kServer);
}

TEST_F(ConnectionTest, TransportErrorsPassThroughWhenRetriesRunOut) {
  ClientOptions options;
  options.retry.max_attempts = 2;
  Client client = MakeTestClient(transport_, nullptr, options);
  for (int i = 0; i < 2; ++i) {
    transport_->Fail(MakeError({.error_class = ErrorClass::kTransport,
                                .code = kConnectFailed,
                                .message = "could not resolve host x"}));
  }
  auto tables = client.ListTables();
  ASSERT_FALSE(tables.ok());
  ErrorInfo info = GetErrorInfo(tables.status());
  EXPECT_EQ(info.error_class, ErrorClass::kTransport);
  EXPECT_EQ(info.code, kConnectFailed);
  EXPECT_THAT(info.message, HasSubstr("could not resolve host x"));
}

TEST_F(ConnectionTest, TokenErrorsStopTheCall) {
  transport_->AnswerToken(401, R"({"error":"invalid_client"})");
  auto tables = client_.ListTables();
  ASSERT_FALSE(tables.ok());
  EXPECT_EQ(GetErrorInfo(tables.status()).error_class, ErrorClass::kAuth);
  EXPECT_TRUE(transport_->api_requests().empty());
}

}  // namespace
}  // namespace caspio
