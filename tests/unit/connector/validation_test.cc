// Inputs are refused before any request, with the member at fault named.
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

struct Refusal {
  const char* operation;
  const char* input;
  const char* message_prefix;  // pointer and what is wrong
};

class RefusedInputTest : public ::testing::TestWithParam<Refusal> {};

TEST_P(RefusedInputTest, NamesTheMemberAndSendsNothing) {
  auto transport = std::make_shared<FakeTransport>();
  caspio::Client client = MakeFakeClient(transport);

  const Json envelope = connector::Run(client, GetParam().operation,
                                       Json::parse(GetParam().input));

  EXPECT_EQ(envelope["outcome"], "error");
  EXPECT_EQ(envelope["error"]["class"], "user_input");
  EXPECT_EQ(envelope["error"]["status"], 0);
  EXPECT_EQ(envelope["error"]["code"], "InvalidInput");
  EXPECT_EQ(envelope["error"]["message"].get<std::string>().rfind(
                GetParam().message_prefix, 0),
            0u)
      << envelope["error"]["message"];
  EXPECT_EQ(transport->calls(), 0);
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, RefusedInputTest,
    ::testing::Values(
        Refusal{"list_table_records", R"({"table":"T","page_size":1001})",
                "/page_size: must be at most 1000"},
        Refusal{"list_table_records", R"({"table":"T","page_size":4})",
                "/page_size: must be at least 5"},
        Refusal{"list_table_records", R"({"table":"T","page_size":"50"})",
                "/page_size: must be an integer"},
        Refusal{"list_table_records", R"({"table":"T","page_number":0})",
                "/page_number: must be at least 1"},
        Refusal{"list_table_records", R"({"page_size":10})",
                "/table: is required"},
        Refusal{"list_table_records", R"({"table":""})",
                "/table: must not be empty"},
        Refusal{"list_table_records", R"({"table":"T","limit":10})",
                "/limit: is not an input of this operation"},
        Refusal{"list_table_records", R"({"table":"T","match":{"A":[{}]}})",
                "/match/A/0: must be"},
        Refusal{"list_table_records", R"({"table":"T","match":{"Bad Name":1}})",
                "/match/Bad Name:"},
        Refusal{"list_table_records",
                R"({"table":"T","all_pages":true,"page_number":2})",
                "/page_number: cannot be combined"},
        Refusal{"list_table_records", R"([1,2])", "input: must be an object"},
        Refusal{"get_table", R"({"table":5})", "/table: must be a string"},
        Refusal{"create_table",
                R"({"name":"T","fields":[{"Name":"A","Type":"BLOB"}]})",
                "/fields/0/Type: must be one of"},
        Refusal{"create_table",
                R"({"name":"T","fields":[{"Name":"1A","Type":"STRING"}]})",
                "/fields/0/Name: must be a Caspio field name"},
        Refusal{"create_table_field", R"({"table":"T","field":{"Name":"A"}})",
                "/field/Type: is required"},
        Refusal{"create_table_record", R"({"table":"T","record":[]})",
                "/record: must be an object"},
        Refusal{"update_table_records", R"({"table":"T","values":{"A":1}})",
                "input: needs where or match"},
        Refusal{"update_table_records",
                R"({"table":"T","where":"  ","values":{"A":1}})",
                "/where: is empty"},
        Refusal{"update_table_records",
                R"({"table":"T","all_records":false,"values":{"A":1}})",
                "input: needs where or match"},
        Refusal{"update_table_records",
                R"({"table":"T","where":"A=1","values":{}})",
                "/values: must not be empty"},
        Refusal{"update_table_records",
                R"({"table":"T","match":{},"values":{"A":1}})",
                "/match: must not be empty"},
        Refusal{"delete_table_records", R"({"table":"T"})",
                "input: needs where or match"},
        Refusal{"delete_table_records", R"({"table":"T","where":""})",
                "/where: is empty"},
        Refusal{"delete_table_records",
                R"({"table":"T","where":"A=1","all_records":true})",
                "/all_records: cannot be combined"},
        Refusal{"test_connection", R"({"x":1})",
                "/x: is not an input of this operation"}));

TEST(ValidateInputTest, WorksWithoutAClient) {
  EXPECT_TRUE(ValidateInput("list_table_records", Json{{"table", "T"}}).ok());
  EXPECT_FALSE(ValidateInput("list_table_records", Json::object()).ok());
  EXPECT_TRUE(ValidateInput("test_connection", Json::object()).ok());
}

TEST(ValidateInputTest, UnknownOperationIsUserInput) {
  auto transport = std::make_shared<FakeTransport>();
  caspio::Client client = MakeFakeClient(transport);

  const Json envelope = connector::Run(client, "drop_database", Json::object());

  EXPECT_EQ(envelope["error"]["class"], "user_input");
  EXPECT_EQ(envelope["error"]["code"], "UnknownOperation");
  EXPECT_EQ(transport->calls(), 0);
}

}  // namespace
}  // namespace caspio::connector
