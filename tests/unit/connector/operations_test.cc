// What each operation sends and how its answer comes back in the envelope.
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "connector/catalog.h"
#include "fake_transport.h"

namespace caspio::connector {
namespace {

using Json = nlohmann::ordered_json;
using testing::FakeTransport;
using testing::MakeFakeClient;
using testing::PathOf;
using testing::QueryOf;

class OperationsTest : public ::testing::Test {
 protected:
  Json RunOp(const char* operation, const char* input) {
    return connector::Run(client_, operation, Json::parse(input));
  }
  caspio::HttpRequest OnlyRequest() {
    auto requests = transport_->api_requests();
    EXPECT_EQ(requests.size(), 1u);
    return requests.empty() ? caspio::HttpRequest{} : requests.front();
  }
  std::string Param(const caspio::HttpRequest& request, const char* name) {
    auto query = QueryOf(request.url);
    auto it = query.find(name);
    return it == query.end() ? "<absent>" : it->second;
  }

  std::shared_ptr<FakeTransport> transport_ = std::make_shared<FakeTransport>();
  caspio::Client client_ = MakeFakeClient(transport_);
};

TEST_F(OperationsTest, TestConnectionCountsTables) {
  transport_->Answer(200, R"({"Result":["A","B","C"]})");

  const Json envelope = RunOp("test_connection", "{}");

  EXPECT_EQ(envelope.dump(),
            R"({"outcome":"success","output":{"ok":true,"tables":3}})");
  EXPECT_EQ(PathOf(OnlyRequest().url), "/integrations/rest/v3/tables");
}

TEST_F(OperationsTest, GetTableUsesOurNames) {
  transport_->Answer(200, R"({"Result":{"Name":"Contacts","Note":"n"}})");

  const Json envelope = RunOp("get_table", R"({"table":"Contacts"})");

  EXPECT_EQ(envelope["output"].dump(), R"({"name":"Contacts","note":"n"})");
}

TEST_F(OperationsTest, ListRecordsSendsSafeMatchAndKeepsFieldOrder) {
  transport_->Answer(
      200, R"({"Result":[{"Zeta":1,"Alpha":"x","PK_ID":7}],)"
           R"("Pagination":{"TotalCount":1,"PageNumber":1,"PageSize":100}})");

  const Json envelope =
      RunOp("list_table_records",
            R"({"table":"People","where":"Age>3 OR Age<1",)"
            R"("match":{"Name":"O'Brien","Active":true,"Ended":null}})");

  ASSERT_EQ(envelope["outcome"], "success") << envelope.dump();
  const caspio::HttpRequest request = OnlyRequest();
  EXPECT_EQ(Param(request, "q.where"),
            "(Age>3 OR Age<1) AND ([Name]='O''Brien' AND [Active]=1 AND "
            "[Ended] IS NULL)");
  EXPECT_EQ(Param(request, "q.pageSize"), "100");
  EXPECT_EQ(envelope["output"]["records"][0].dump(),
            R"({"Zeta":1,"Alpha":"x","PK_ID":7})");
  EXPECT_EQ(envelope["output"]["count"], 1);
  EXPECT_EQ(envelope["output"]["pagination"]["TotalCount"], 1);
}

TEST_F(OperationsTest, ListAllPagesStopsAtMaxRecords) {
  std::string page = R"({"Result":[)";
  for (int i = 1; i <= 5; ++i) {
    page += (i > 1 ? "," : "") + std::string(R"({"PK_ID":)") +
            std::to_string(i) + "}";
  }
  page += "]}";
  transport_->Answer(200, page);
  transport_->Answer(200, page);

  const Json envelope =
      RunOp("list_table_records",
            R"({"table":"T","all_pages":true,"page_size":5,"max_records":7})");

  ASSERT_EQ(envelope["outcome"], "success") << envelope.dump();
  EXPECT_EQ(envelope["output"]["count"], 7);
  EXPECT_EQ(envelope["output"]["records"].size(), 7u);
  EXPECT_EQ(envelope["output"]["truncated"], true);
  EXPECT_EQ(transport_->api_requests().size(), 2u);
}

TEST_F(OperationsTest, CreateRecordAsksForTheRowByDefault) {
  transport_->Answer(201, R"({"Result":[{"PK_ID":42,"Name":"Ann"}]})");

  const Json envelope =
      RunOp("create_table_record", R"({"table":"T","record":{"Name":"Ann"}})");

  EXPECT_EQ(envelope["output"].dump(),
            R"({"record":{"PK_ID":42,"Name":"Ann"},"records_affected":1})");
  const caspio::HttpRequest request = OnlyRequest();
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(Param(request, "response"), "rows");
}

TEST_F(OperationsTest, CreateRecordWithoutRowsGivesNullRecord) {
  transport_->Answer(201, "", {});

  const Json envelope =
      RunOp("create_table_record",
            R"({"table":"T","record":{"Name":"Ann"},"return_record":false})");

  EXPECT_EQ(envelope["output"].dump(),
            R"({"record":null,"records_affected":1})");
  EXPECT_EQ(Param(OnlyRequest(), "response"), "<absent>");
}

TEST_F(OperationsTest, UpdateAllRecordsSendsPkIdPredicate) {
  transport_->Answer(200, R"({"RecordsAffected":12,"Result":[]})");

  const Json envelope =
      RunOp("update_table_records",
            R"({"table":"T","all_records":true,"values":{"Done":true}})");

  EXPECT_EQ(envelope["output"].dump(),
            R"({"records_affected":12,"records":[]})");
  const caspio::HttpRequest request = OnlyRequest();
  EXPECT_EQ(request.method, "PUT");
  EXPECT_EQ(Param(request, "q.where"), "PK_ID>0");
  EXPECT_EQ(Json::parse(request.body).dump(), R"({"Done":true})");
}

TEST_F(OperationsTest, DeleteAllRecordsSendsPkIdPredicate) {
  transport_->Answer(200, R"({"RecordsAffected":3})");

  const Json envelope =
      RunOp("delete_table_records", R"({"table":"T","all_records":true})");

  EXPECT_EQ(envelope["output"].dump(), R"({"records_affected":3})");
  const caspio::HttpRequest request = OnlyRequest();
  EXPECT_EQ(request.method, "DELETE");
  EXPECT_EQ(Param(request, "q.where"), "PK_ID>0");
}

TEST_F(OperationsTest, DeleteMatchingNothingIsASuccessWithZero) {
  transport_->Answer(200, R"({"RecordsAffected":0})");

  const Json envelope =
      RunOp("delete_table_records", R"({"table":"T","match":{"PK_ID":9}})");

  EXPECT_EQ(envelope.dump(),
            R"({"outcome":"success","output":{"records_affected":0}})");
  EXPECT_EQ(Param(OnlyRequest(), "q.where"), "[PK_ID]=9");
}

TEST_F(OperationsTest, ARepeatedDeleteSaysSo) {
  transport_->Answer(503, "");  // may have been applied; retried once
  transport_->Answer(200, R"({"RecordsAffected":0})");

  const Json envelope =
      RunOp("delete_table_records", R"({"table":"T","where":"A=1"})");

  EXPECT_EQ(envelope["output"].dump(),
            R"({"records_affected":0,"replayed":true})");
}

TEST_F(OperationsTest, DeleteRefusedByCaspioIsAnErrorNotAnEmptyTable) {
  transport_->Answer(400,
                     R"({"Code":"IncorrectQueryParameter","Message":"bad",)"
                     R"("RequestId":"ABC-1"})");

  const Json envelope =
      RunOp("delete_table_records", R"({"table":"T","where":"A=1"})");

  ASSERT_EQ(envelope["outcome"], "error");
  const Json& error = envelope["error"];
  EXPECT_EQ(error["class"], "user_input");
  EXPECT_EQ(error["status"], 400);
  EXPECT_EQ(error["code"], "IncorrectQueryParameter");
  EXPECT_EQ(error["request_id"], "ABC-1");
  EXPECT_FALSE(error["message"].get<std::string>().empty());
}

TEST_F(OperationsTest, ErrorEnvelopeHasExactlyTheDocumentedMembers) {
  transport_->Answer(404, R"({"Code":"ObjectNotFound","Message":"no table"})");

  const Json envelope = RunOp("get_table", R"({"table":"Nope"})");

  ASSERT_EQ(envelope["outcome"], "error");
  std::vector<std::string> keys;
  for (const auto& [key, unused] : envelope["error"].items()) {
    keys.push_back(key);
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"class", "status", "code",
                                            "message", "request_id"}));
  EXPECT_EQ(envelope["error"]["class"], "not_found");
  EXPECT_EQ(envelope["error"]["status"], 404);
}

TEST_F(OperationsTest, CreateTableSendsCaspioShape) {
  transport_->Answer(201, "", {});

  const Json envelope =
      RunOp("create_table",
            R"({"name":"T","fields":[{"Name":"Title","Type":"STRING"}]})");

  EXPECT_EQ(envelope["output"].dump(), R"({"created":true,"name":"T"})");
  EXPECT_EQ(Json::parse(OnlyRequest().body).dump(),
            R"({"Name":"T","Fields":[{"Name":"Title","Type":"STRING"}]})");
}

}  // namespace
}  // namespace caspio::connector
