// The client library against a running emulator, over real HTTP.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "caspio/client.h"
#include "caspio/query.h"
#include "data.h"
#include "import/source.h"
#include "support/process.h"

namespace caspio::testing {
namespace {

class ClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    emulator_ = Emulator::Start().release();
    emulator_->Import("Airports", VegaFile("airports.csv"), "csv");
  }
  static void TearDownTestSuite() { delete emulator_; }

  static Client MakeClient(const std::string& secret) {
    auto client =
        Client::Create({emulator_->base_url(), emulator_->client_id(), secret});
    EXPECT_TRUE(client.ok()) << client.status();
    return *client;
  }
  static Client MakeClient() { return MakeClient(emulator_->client_secret()); }

  static Emulator* emulator_;
};

Emulator* ClientTest::emulator_ = nullptr;

// The iata codes of the airports the CSV lists in `state`.
std::multiset<std::string> CsvAirports(const std::string& state) {
  auto table = import::ParseCsv(VegaFile("airports.csv"));
  EXPECT_TRUE(table.ok());
  std::multiset<std::string> codes;
  for (const auto& row : table->rows) {
    if (row[3].text == state) codes.insert(row[0].text);
  }
  return codes;
}

TEST_F(ClientTest, PagedQueryReturnsExactlyTheRowsOfTheCsv) {
  std::multiset<std::string> expected = CsvAirports("CA");
  ASSERT_GT(expected.size(), 100u);

  Client client = MakeClient();
  RecordQuery query;
  query.where = "state = " + QuoteText("CA");
  query.order_by = "city";
  RecordPager pager = client.ListAllTableRecords("Airports", query, 5);
  std::multiset<std::string> codes;
  std::set<std::int64_t> ids;
  int pages = 0;
  while (!pager.done()) {
    auto page = pager.NextPage();
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_LE(page->size(), 5u);
    if (!page->empty()) ++pages;
    for (const auto& record : *page) {
      EXPECT_TRUE(ids.insert(record["PK_ID"].get<std::int64_t>()).second)
          << "PK_ID " << record["PK_ID"] << " came twice";
      codes.insert(record["iata"].get<std::string>());
    }
  }
  EXPECT_EQ(codes, expected);
  EXPECT_EQ(pages, static_cast<int>((expected.size() + 4) / 5));
  EXPECT_NE(pager.query().order_by.find("PK_ID"), std::string::npos);
}

TEST_F(ClientTest, OnePageWithPaginationInfo) {
  Client client = MakeClient();
  RecordQuery query;
  query.where = "state = 'CA'";
  auto page = client.ListTableRecords("Airports", query, {2, 10, true});
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->records.size(), 10u);
  ASSERT_TRUE(page->pagination.has_value());
  EXPECT_EQ(page->pagination->total_count,
            static_cast<std::int64_t>(CsvAirports("CA").size()));
}

TEST_F(ClientTest, WrongSecretIsAnAuthError) {
  Client client = MakeClient("0000");
  auto tables = client.ListTables();
  ASSERT_FALSE(tables.ok());
  EXPECT_EQ(GetErrorInfo(tables.status()).error_class, ErrorClass::kAuth);
  EXPECT_EQ(std::string(tables.status().message()).find("0000"),
            std::string::npos);
}

TEST_F(ClientTest, DisabledProfileIsAnAuthError) {
  auto [id, secret] = emulator_->CreateProfile();
  auto client = Client::Create({emulator_->base_url(), id, secret});
  ASSERT_TRUE(client.ok());
  ASSERT_TRUE(client->ListTables().ok());
  ASSERT_EQ(emulator_->Command({"profile", "disable", id}).exit_code, 0);
  auto tables = client->ListTables();
  ASSERT_FALSE(tables.ok());
  EXPECT_EQ(GetErrorInfo(tables.status()).error_class, ErrorClass::kAuth);
  auto fresh = Client::Create({emulator_->base_url(), id, secret});
  EXPECT_EQ(GetErrorInfo(fresh->RefreshToken()).error_class, ErrorClass::kAuth);
}

TEST_F(ClientTest, QuoteInAFilterValueCannotWidenTheMatch) {
  Client client = MakeClient();
  Record record = {{"iata", "QQ1"}, {"name", "O'Brien Field"}, {"state", "ZZ"}};
  ASSERT_TRUE(
      client.CreateTableRecord("Airports", record, ReturnRows::kNo).ok());
  for (const std::string value : {"x' OR '1'='1", "x'' OR ''1''=''1", "%"}) {
    RecordQuery query;
    query.where = "name = " + QuoteText(value);
    auto page = client.ListTableRecords("Airports", query, {1, 100, false});
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_TRUE(page->records.empty()) << value;
  }
  RecordQuery exact;
  exact.where = "name = " + QuoteText("O'Brien Field");
  auto page = client.ListTableRecords("Airports", exact, {1, 100, false});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->records.size(), 1u);
  auto removed = client.DeleteTableRecords("Airports", exact.where);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(removed->records_affected, 1);
}

TEST_F(ClientTest, WritesReportWhatTheyDid) {
  Client client = MakeClient();
  auto inserted = client.CreateTableRecord(
      "Airports", {{"iata", "QQ2"}, {"latitude", 1.5}}, ReturnRows::kYes);
  ASSERT_TRUE(inserted.ok()) << inserted.status();
  ASSERT_EQ(inserted->records.size(), 1u);
  std::int64_t pk = inserted->records[0]["PK_ID"].get<std::int64_t>();
  std::string where = "PK_ID = " + std::to_string(pk);

  auto updated = client.UpdateTableRecords(
      "Airports", where, {{"city", "Nowhere"}}, ReturnRows::kYes);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->records_affected, 1);
  EXPECT_EQ(updated->records.at(0)["city"], "Nowhere");

  auto deleted = client.DeleteTableRecords("Airports", where);
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(deleted->records_affected, 1);
  auto again = client.DeleteTableRecords("Airports", where);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->records_affected, 0);

  auto refused = client.DeleteTableRecords("Airports", " ");
  EXPECT_EQ(GetErrorInfo(refused.status()).error_class, ErrorClass::kUserInput);
}

TEST_F(ClientTest, ServerErrorsKeepCaspioDetails) {
  Client client = MakeClient();
  RecordQuery query;
  query.where = "Nope = 1";
  auto page = client.ListTableRecords("Airports", query, {1, 5, false});
  ASSERT_FALSE(page.ok());
  ErrorInfo info = GetErrorInfo(page.status());
  EXPECT_EQ(info.error_class, ErrorClass::kUserInput);
  EXPECT_EQ(info.http_status, 400);
  EXPECT_EQ(info.code, "SqlServerError");
  EXPECT_FALSE(info.request_id.empty());

  auto missing = client.GetTable("NoSuchTable");
  EXPECT_EQ(GetErrorInfo(missing.status()).error_class, ErrorClass::kNotFound);
}

TEST_F(ClientTest, TableAndFieldDesign) {
  Client client = MakeClient();
  nlohmann::ordered_json definition = {
      {"Name", "Design_Test"},
      {"Fields", {{{"Name", "Label"}, {"Type", "STRING"}}}}};
  auto created = client.CreateTable(definition);
  ASSERT_TRUE(created.ok()) << created;
  ASSERT_TRUE(client
                  .CreateTableField("Design_Test",
                                    {{"Name", "Due"}, {"Type", "DATE/TIME"}})
                  .ok());
  auto fields = client.ListTableFields("Design_Test");
  ASSERT_TRUE(fields.ok());
  ASSERT_EQ(fields->size(), 2u);
  EXPECT_EQ((*fields)[1]["Type"], "DATE/TIME");
  auto table = client.GetTable("design_test");
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->name, "Design_Test");
}

TEST(ClientTokens, ExpiredTokenIsReplacedWithoutFailingACall) {
  auto emulator = Emulator::Start({/*token_lifetime=*/2});
  auto client = Client::Create(
      {emulator->base_url(), emulator->client_id(), emulator->client_secret()});
  ASSERT_TRUE(client.ok());
  ASSERT_TRUE(client->ListTables().ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  auto tables = client->ListTables();
  EXPECT_TRUE(tables.ok()) << tables.status();
}

}  // namespace
}  // namespace caspio::testing
