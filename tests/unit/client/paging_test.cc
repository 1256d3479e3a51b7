#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "caspio/client.h"
#include "caspio/error.h"
#include "client/records.h"
#include "fakes.h"

namespace caspio {
namespace {

using ::caspio::testing::FakeTransport;
using ::caspio::testing::MakeTestClient;
using ::caspio::testing::QueryOf;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

TEST(CompleteOrderByTest, AddsPkIdAsTieBreaker) {
  EXPECT_EQ(CompleteOrderBy("", ""), "PK_ID");
  EXPECT_EQ(CompleteOrderBy("  ", ""), "PK_ID");
  EXPECT_EQ(CompleteOrderBy("Name", ""), "Name, PK_ID");
  EXPECT_EQ(CompleteOrderBy("Name DESC, Created", ""),
            "Name DESC, Created, PK_ID");
  EXPECT_EQ(CompleteOrderBy("PK_ID_Old", ""), "PK_ID_Old, PK_ID");
  // PK_ID inside an expression is not an order item.
  EXPECT_EQ(CompleteOrderBy("COALESCE(Rank, PK_ID) DESC", ""),
            "COALESCE(Rank, PK_ID) DESC, PK_ID");
  EXPECT_EQ(CompleteOrderBy("Name, 'a,PK_ID'", ""), "Name, 'a,PK_ID', PK_ID");
}

TEST(CompleteOrderByTest, KeepsAnExistingPkId) {
  EXPECT_EQ(CompleteOrderBy("PK_ID", ""), "PK_ID");
  EXPECT_EQ(CompleteOrderBy("Name, pk_id DESC", ""), "Name, pk_id DESC");
  EXPECT_EQ(CompleteOrderBy("[PK_ID]  asc", ""), "[PK_ID]  asc");
  EXPECT_EQ(CompleteOrderBy("Name,PK_ID\tDESC", ""), "Name, PK_ID\tDESC");
}

TEST(CompleteOrderByTest, GroupedReadsOrderByTheGroupKeys) {
  EXPECT_EQ(CompleteOrderBy("", "Region, Year"), "Region, Year");
  EXPECT_EQ(CompleteOrderBy("Year DESC", "Region, [Year]"),
            "Year DESC, Region");
  EXPECT_EQ(CompleteOrderBy("total DESC", "Region"), "total DESC, Region");
  EXPECT_EQ(CompleteOrderBy("region", "Region"), "region");
}

std::string Records(int first, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) {
    if (!out.empty()) out += ",";
    out += R"({"PK_ID":)" + std::to_string(first + i) + "}";
  }
  return out;
}

std::string Page(int first, int count, int total, int page_number,
                 int page_size) {
  return R"({"Result":[)" + Records(first, count) +
         R"(],"Pagination":{"TotalCount":)" + std::to_string(total) +
         R"(,"PageNumber":)" + std::to_string(page_number) + R"(,"PageSize":)" +
         std::to_string(page_size) + "}}";
}

class RecordPagerTest : public ::testing::Test {
 protected:
  // Drains the pager; returns the PK_IDs seen.
  std::vector<int> ReadAll(RecordPager& pager) {
    std::vector<int> ids;
    for (int guard = 0; !pager.done() && guard < 50; ++guard) {
      auto page = pager.NextPage();
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      for (const auto& record : *page) ids.push_back(record.value("PK_ID", 0));
    }
    return ids;
  }

  std::shared_ptr<FakeTransport> transport_ = std::make_shared<FakeTransport>();
  Client client_ = MakeTestClient(transport_);
};

TEST_F(RecordPagerTest, StopsAtTotalCount) {
  transport_->Answer(200, Page(1, 5, 12, 1, 5));
  transport_->Answer(200, Page(6, 5, 12, 2, 5));
  transport_->Answer(200, Page(11, 2, 12, 3, 5));
  RecordPager pager =
      client_.ListAllTableRecords("Orders", {.where = "Qty>1"}, 5);
  EXPECT_EQ(ReadAll(pager).size(), 12u);
  EXPECT_TRUE(pager.done());

  auto requests = transport_->api_requests();
  ASSERT_EQ(requests.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_THAT(
        QueryOf(requests[i].url),
        UnorderedElementsAre(
            Pair("q.where", "Qty>1"), Pair("q.orderBy", "PK_ID"),
            Pair("q.pageNumber", std::to_string(i + 1)),
            Pair("q.pageSize", "5"), Pair("q.getPaginationInfo", "true")));
  }
}

TEST_F(RecordPagerTest, AnExactMultipleNeedsNoEmptyRequest) {
  transport_->Answer(200, Page(1, 5, 10, 1, 5));
  transport_->Answer(200, Page(6, 5, 10, 2, 5));
  RecordPager pager = client_.ListAllTableRecords("Orders", {}, 5);
  EXPECT_EQ(ReadAll(pager).size(), 10u);
  EXPECT_EQ(transport_->api_requests().size(), 2u);
}

TEST_F(RecordPagerTest, StopsAtAShortPageWithoutPagination) {
  transport_->Answer(200, R"({"Result":[)" + Records(1, 5) + "]}");
  transport_->Answer(200, R"({"Result":[)" + Records(6, 3) + "]}");
  RecordPager pager = client_.ListAllTableRecords("Orders", {}, 5);
  EXPECT_EQ(ReadAll(pager).size(), 8u);
  EXPECT_EQ(transport_->api_requests().size(), 2u);
}

TEST_F(RecordPagerTest, EmptyTableIsOneRequest) {
  transport_->Answer(200, Page(0, 0, 0, 1, 1000));
  RecordPager pager = client_.ListAllTableRecords("Orders", {});
  EXPECT_TRUE(ReadAll(pager).empty());
  EXPECT_EQ(transport_->api_requests().size(), 1u);
  auto page = pager.NextPage();
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->empty());
  EXPECT_EQ(transport_->api_requests().size(), 1u);
}

TEST_F(RecordPagerTest, NeverSendsLimitAndCompletesTheOrder) {
  transport_->Answer(200, Page(1, 1, 1, 1, 1000));
  RecordPager pager = client_.ListAllTableRecords(
      "Orders", {.select = "Name", .order_by = "Name DESC"});
  EXPECT_EQ(pager.query().order_by, "Name DESC, PK_ID");
  ReadAll(pager);
  auto query = QueryOf(transport_->api_requests().at(0).url);
  EXPECT_EQ(query.count("q.limit"), 0u);
  EXPECT_EQ(query.find("q.orderBy")->second, "Name DESC, PK_ID");
  EXPECT_EQ(query.find("q.pageSize")->second, "1000");
}

TEST_F(RecordPagerTest, GroupedReadsAreOrderedByGroupKeysWithoutPkId) {
  transport_->Answer(200, R"({"Result":[{"Region":"N","n":3}]})");
  RecordPager pager = client_.ListAllTableRecords(
      "Orders", {.select = "Region, COUNT(PK_ID) AS n", .group_by = "Region"});
  ReadAll(pager);
  auto query = QueryOf(transport_->api_requests().at(0).url);
  EXPECT_EQ(query.find("q.orderBy")->second, "Region");
  EXPECT_EQ(query.find("q.groupBy")->second, "Region");
}

TEST_F(RecordPagerTest, ClampsThePageSize) {
  transport_->Answer(200, Page(1, 1, 1, 1, 5));
  transport_->Answer(200, Page(1, 1, 1, 1, 1000));
  RecordPager small = client_.ListAllTableRecords("T", {}, 1);
  ReadAll(small);
  RecordPager large = client_.ListAllTableRecords("T", {}, 5000);
  ReadAll(large);
  auto requests = transport_->api_requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(QueryOf(requests[0].url).find("q.pageSize")->second, "5");
  EXPECT_EQ(QueryOf(requests[1].url).find("q.pageSize")->second, "1000");
}

TEST_F(RecordPagerTest, AFailedPageIsAskedForAgain) {
  transport_->Answer(200, Page(1, 5, 7, 1, 5));
  transport_->Answer(503, "");
  transport_->Answer(200, Page(6, 2, 7, 2, 5));
  RecordPager pager = client_.ListAllTableRecords("T", {}, 5);
  ASSERT_TRUE(pager.NextPage().ok());
  auto failed = pager.NextPage();
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(GetErrorInfo(failed.status()).error_class, ErrorClass::kServer);
  EXPECT_FALSE(pager.done());
  auto retried = pager.NextPage();
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->size(), 2u);
  EXPECT_TRUE(pager.done());

  auto requests = transport_->api_requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(QueryOf(requests[1].url).find("q.pageNumber")->second, "2");
  EXPECT_EQ(QueryOf(requests[2].url).find("q.pageNumber")->second, "2");
}

}  // namespace
}  // namespace caspio
