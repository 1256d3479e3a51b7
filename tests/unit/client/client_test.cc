#include "caspio/client.h"

#include <map>
#include <memory>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "caspio/error.h"
#include "fakes.h"

namespace caspio {
namespace {

using ::caspio::testing::FakeTransport;
using ::caspio::testing::MakeTestClient;
using ::caspio::testing::PathOf;
using ::caspio::testing::QueryOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

class ClientTest : public ::testing::Test {
 protected:
  std::shared_ptr<FakeTransport> transport_ = std::make_shared<FakeTransport>();
  Client client_ = MakeTestClient(transport_);

  ErrorClass ClassOf(const absl::Status& status) {
    return GetErrorInfo(status).error_class;
  }
};

TEST(ClientCreateTest, RefusesMalformedCredentials) {
  EXPECT_FALSE(Client::Create({"http://c0abc123.caspio.com", "id", "s"}).ok());
  EXPECT_FALSE(Client::Create({"https://c0abc123.caspio.com", "", "s"}).ok());
  EXPECT_FALSE(Client::Create({"https://c0abc123.caspio.com", "id", " "}).ok());
  EXPECT_TRUE(
      Client::Create({"https://c0abc123.caspio.com/", "id", "secret"}).ok());
}

TEST_F(ClientTest, ListTableRecordsSendsOnlyGivenClauses) {
  transport_->Answer(200, R"({"Result":[]})");
  ASSERT_TRUE(client_
                  .ListTableRecords("Orders", {.where = "Qty>1"},
                                    {.page_number = 2, .page_size = 50})
                  .ok());
  auto query = QueryOf(transport_->api_requests().at(0).url);
  EXPECT_THAT(query, UnorderedElementsAre(Pair("q.where", "Qty>1"),
                                          Pair("q.pageNumber", "2"),
                                          Pair("q.pageSize", "50")));
}

TEST_F(ClientTest, ListTableRecordsSendsEveryClauseAndPaginationInfo) {
  transport_->Answer(
      200,
      R"({"Result":[{"PK_ID":1,"Region":"N"}],)"
      R"("Pagination":{"TotalCount":2794,"PageNumber":1,"PageSize":1000}})");
  auto page = client_.ListTableRecords(
      "Orders",
      {.select = "Region, COUNT(PK_ID) AS n",
       .where = "Qty>1",
       .group_by = "Region",
       .order_by = "Region"},
      {.page_number = 1, .page_size = 1000, .pagination_info = true});
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->records.size(), 1u);
  EXPECT_EQ(page->records[0]["Region"], "N");
  ASSERT_TRUE(page->pagination.has_value());
  EXPECT_EQ(page->pagination->total_count, 2794);
  EXPECT_EQ(page->pagination->page_size, 1000);

  auto request = transport_->api_requests().at(0);
  EXPECT_EQ(PathOf(request.url), "/integrations/rest/v3/tables/Orders/records");
  auto query = QueryOf(request.url);
  EXPECT_THAT(query, UnorderedElementsAre(
                         Pair("q.select", "Region, COUNT(PK_ID) AS n"),
                         Pair("q.where", "Qty>1"), Pair("q.groupBy", "Region"),
                         Pair("q.orderBy", "Region"), Pair("q.pageNumber", "1"),
                         Pair("q.pageSize", "1000"),
                         Pair("q.getPaginationInfo", "true")));
}

TEST_F(ClientTest, ListTableRecordsChecksThePageLocally) {
  for (PageRequest page : {PageRequest{.page_number = 1, .page_size = 4},
                           PageRequest{.page_number = 1, .page_size = 1001},
                           PageRequest{.page_number = 0, .page_size = 10}}) {
    auto result = client_.ListTableRecords("T", {}, page);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(ClassOf(result.status()), ErrorClass::kUserInput);
  }
  EXPECT_THAT(transport_->requests(), IsEmpty());
}

TEST_F(ClientTest, ListTableRecordsRefusesNonRecordResults) {
  transport_->Answer(200, R"({"Result":{"PK_ID":1}})");
  EXPECT_EQ(ClassOf(client_.ListTableRecords("T", {}, {}).status()),
            ErrorClass::kServer);
  transport_->Answer(200, R"({"Records":[]})");
  EXPECT_EQ(ClassOf(client_.ListTableRecords("T", {}, {}).status()),
            ErrorClass::kServer);
}

TEST_F(ClientTest, CreateRecordWithEmpty201IsOneRecord) {
  transport_->Answer(201, "");
  auto result = client_.CreateTableRecord("Orders", {{"Company", "Acme"}},
                                          ReturnRows::kNo);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->records_affected, 1);
  EXPECT_THAT(result->records, IsEmpty());
  EXPECT_TRUE(QueryOf(transport_->api_requests().at(0).url).empty());
}

TEST_F(ClientTest, CreateRecordReturnsTheRowWhenAsked) {
  transport_->Answer(201,
                     R"({"Result":[{"PK_ID":4242,"Company":"Acme","Qty":3}]})");
  auto result = client_.CreateTableRecord("Orders", {{"Company", "Acme"}},
                                          ReturnRows::kYes);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->records_affected, 1);
  ASSERT_EQ(result->records.size(), 1u);
  EXPECT_EQ(result->records[0]["PK_ID"], 4242);
  EXPECT_THAT(QueryOf(transport_->api_requests().at(0).url),
              UnorderedElementsAre(Pair("response", "rows")));
}

TEST_F(ClientTest, CreateRecordRefusesNonObjects) {
  auto result = client_.CreateTableRecord("Orders", Record::array({1, 2}),
                                          ReturnRows::kNo);
  EXPECT_EQ(ClassOf(result.status()), ErrorClass::kUserInput);
  EXPECT_THAT(transport_->requests(), IsEmpty());
}

TEST_F(ClientTest, UpdateRefusesABlankWhereAndSendsNothing) {
  for (const char* where : {"", "   ", "\t\n"}) {
    auto result = client_.UpdateTableRecords(
        "Orders", where, {{"Status", "Closed"}}, ReturnRows::kNo);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(ClassOf(result.status()), ErrorClass::kUserInput);
    EXPECT_THAT(std::string(result.status().message()), HasSubstr("where"));
  }
  EXPECT_THAT(transport_->requests(), IsEmpty());
}

TEST_F(ClientTest, DeleteRefusesABlankWhereAndSendsNothing) {
  for (const char* where : {"", "  "}) {
    auto result = client_.DeleteTableRecords("Orders", where);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(ClassOf(result.status()), ErrorClass::kUserInput);
  }
  EXPECT_THAT(transport_->requests(), IsEmpty());
}

TEST_F(ClientTest, UpdateReturnsTheCountAndRows) {
  transport_->Answer(
      200, R"({"RecordsAffected":2,"Result":[{"PK_ID":1},{"PK_ID":2}]})");
  auto result = client_.UpdateTableRecords(
      "Orders", "Qty>1", {{"Status", nullptr}}, ReturnRows::kYes);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->records_affected, 2);
  EXPECT_EQ(result->records.size(), 2u);

  auto request = transport_->api_requests().at(0);
  EXPECT_EQ(request.method, "PUT");
  EXPECT_EQ(request.body, R"({"Status":null})");
  EXPECT_THAT(
      QueryOf(request.url),
      UnorderedElementsAre(Pair("q.where", "Qty>1"), Pair("response", "rows")));
}

TEST_F(ClientTest, UpdateAcceptsEveryDocumentedBodyShape) {
  transport_->Answer(200, R"({"RecordsAffected":1,"Result":[]})");
  transport_->Answer(200, R"({"RecordsAffected":0})");
  transport_->Answer(200, R"({"RecordsAffected":3,"Result":null})");
  for (std::int64_t expected : {1, 0, 3}) {
    auto result =
        client_.UpdateTableRecords("T", "PK_ID=1", {{"A", 1}}, ReturnRows::kNo);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(result->records_affected, expected);
    EXPECT_THAT(result->records, IsEmpty());
  }
}

TEST_F(ClientTest, UpdateWithoutACountIsAServerError) {
  transport_->Answer(200, "");
  transport_->Answer(204, "");
  transport_->Answer(200, R"({"Result":[]})");
  for (int i = 0; i < 3; ++i) {
    auto result =
        client_.UpdateTableRecords("T", "PK_ID=1", {{"A", 1}}, ReturnRows::kNo);
    ASSERT_FALSE(result.ok()) << i;
    EXPECT_EQ(ClassOf(result.status()), ErrorClass::kServer);
    EXPECT_THAT(std::string(result.status().message()),
                HasSubstr("RecordsAffected"));
  }
}

TEST_F(ClientTest, DeleteReturnsTheCountAndZeroIsNormal) {
  transport_->Answer(200, R"({"RecordsAffected":38785})");
  transport_->Answer(200, R"({"RecordsAffected":0})");
  EXPECT_EQ(client_.DeleteTableRecords("T", "PK_ID>0")->records_affected,
            38785);
  EXPECT_EQ(client_.DeleteTableRecords("T", "PK_ID=999999")->records_affected,
            0);
  EXPECT_EQ(transport_->api_requests().at(0).method, "DELETE");
}

TEST_F(ClientTest, DeleteRefusalIsAnErrorNeverZero) {
  transport_->Answer(
      400,
      R"({"Code":"IncorrectQueryParameter","Message":"q.where is required"})");
  auto result = client_.DeleteTableRecords("T", "PK_ID>0");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(ClassOf(result.status()), ErrorClass::kUserInput);

  transport_->Answer(200, "");
  result = client_.DeleteTableRecords("T", "PK_ID>0");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(ClassOf(result.status()), ErrorClass::kServer);
}

TEST_F(ClientTest, TableDesignCalls) {
  transport_->Answer(200, R"({"Result":{"Name":"Orders","Note":null}})");
  transport_->Answer(200, R"({"Result":[{"Name":"Qty","Type":"NUMBER"}]})");
  transport_->Answer(200, R"({"Result":{"Name":"Qty","Type":"NUMBER"}})");
  transport_->Answer(201, "");
  transport_->Answer(201, "");

  auto table = client_.GetTable("Orders");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->name, "Orders");
  EXPECT_EQ(table->note, "");
  auto fields = client_.ListTableFields("Orders");
  ASSERT_TRUE(fields.ok()) << fields.status();
  EXPECT_EQ((*fields)[0]["Type"], "NUMBER");
  auto field = client_.GetTableField("Orders", "Qty");
  ASSERT_TRUE(field.ok()) << field.status();
  EXPECT_EQ((*field)["Name"], "Qty");
  EXPECT_TRUE(
      client_.CreateTable({{"Name", "New"}, {"Fields", Record::array()}}).ok());
  EXPECT_TRUE(
      client_.CreateTableField("New", {{"Name", "A"}, {"Type", "STRING"}})
          .ok());

  auto requests = transport_->api_requests();
  ASSERT_EQ(requests.size(), 5u);
  EXPECT_EQ(PathOf(requests[2].url),
            "/integrations/rest/v3/tables/Orders/fields/Qty");
  EXPECT_EQ(requests[3].method, "POST");
  EXPECT_EQ(PathOf(requests[3].url), "/integrations/rest/v3/tables");
  EXPECT_EQ(requests[3].body, R"({"Name":"New","Fields":[]})");
  EXPECT_EQ(PathOf(requests[4].url), "/integrations/rest/v3/tables/New/fields");
}

TEST_F(ClientTest, MissingTableIsNotFound) {
  transport_->Answer(
      404,
      R"({"Code":"ObjectNotFound","Message":"Cannot find object 'Nope'"})");
  auto table = client_.GetTable("Nope");
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(ClassOf(table.status()), ErrorClass::kNotFound);
  EXPECT_EQ(GetErrorInfo(table.status()).code, "ObjectNotFound");
}

TEST_F(ClientTest, BodiesWithInvalidUtf8AreRefused) {
  auto result =
      client_.CreateTableRecord("T", {{"Name", "caf\xe9"}}, ReturnRows::kNo);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(ClassOf(result.status()), ErrorClass::kUserInput);
  EXPECT_TRUE(transport_->api_requests().empty());
}

}  // namespace
}  // namespace caspio
