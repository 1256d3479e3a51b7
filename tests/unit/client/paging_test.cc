#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/ascii.h"
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
  transport_->Answer(403, R"({"Code":"IpForbidden","Message":"no"})");
  transport_->Answer(200, Page(6, 2, 7, 2, 5));
  RecordPager pager = client_.ListAllTableRecords("T", {}, 5);
  ASSERT_TRUE(pager.NextPage().ok());
  auto failed = pager.NextPage();
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(GetErrorInfo(failed.status()).error_class, ErrorClass::kPermission);
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

namespace caspio {
namespace {

using ::caspio::testing::FakeTransport;
using ::caspio::testing::MakeTestClient;
using ::caspio::testing::QueryOf;
using ::testing::HasSubstr;

TEST(IsAggregateReadTest, FindsTopLevelAggregatesWithoutGroupBy) {
  EXPECT_TRUE(IsAggregateRead("COUNT(*)", ""));
  EXPECT_TRUE(IsAggregateRead("COUNT(*) AS n, SUM(Qty) AS total", ""));
  EXPECT_TRUE(IsAggregateRead("max ( Price )", ""));
  EXPECT_FALSE(IsAggregateRead("Region, COUNT(*) AS n", "Region"));
  EXPECT_FALSE(IsAggregateRead("", ""));
  EXPECT_FALSE(IsAggregateRead("Name, Counter", ""));
  EXPECT_FALSE(IsAggregateRead("(SELECT COUNT(*) FROM T) AS c", ""));
  EXPECT_FALSE(
      IsAggregateRead("Name, ROW_NUMBER() OVER (ORDER BY Name) AS r", ""));
  EXPECT_FALSE(IsAggregateRead("Name, COUNT(*) OVER () AS total", ""));
  EXPECT_FALSE(IsAggregateRead("'COUNT(x)' AS label", ""));
}

// A table of `size` records (PK_ID i, Code 3i, Name with mixed case) that
// answers reads of "[Code] IN (...)" ordered by Name DESC, PK_ID, paged.
std::vector<Record> Table(int size) {
  std::vector<Record> rows;
  const char* names[] = {"alpha", "Bravo", "charlie", "Delta", "echo"};
  for (int i = 1; i <= size; ++i) {
    rows.push_back({{"PK_ID", i}, {"Code", 3 * i}, {"Name", names[i % 5]}});
  }
  return rows;
}

bool NameDescThenPk(const Record& a, const Record& b) {
  std::string x = absl::AsciiStrToLower(a["Name"].get<std::string>());
  std::string y = absl::AsciiStrToLower(b["Name"].get<std::string>());
  if (x != y) return x > y;
  return a["PK_ID"].get<int>() < b["PK_ID"].get<int>();
}

HttpResponse AnswerInList(const std::vector<Record>& table,
                          const HttpRequest& request) {
  auto query = QueryOf(request.url);
  std::string where = query.find("q.where")->second;
  std::set<int> codes;
  auto open = where.find("IN (");
  std::string list = where.substr(open + 4, where.find(')', open) - open - 4);
  for (std::size_t start = 0; start < list.size();) {
    auto end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    codes.insert(std::stoi(list.substr(start, end - start)));
    start = end + 1;
  }
  std::vector<Record> rows;
  for (const Record& row : table) {
    if (codes.count(row["Code"].get<int>())) rows.push_back(row);
  }
  std::sort(rows.begin(), rows.end(), NameDescThenPk);
  int number = std::stoi(query.find("q.pageNumber")->second);
  int size = std::stoi(query.find("q.pageSize")->second);
  Record body = {{"Result", Record::array()},
                 {"Pagination", {{"TotalCount", rows.size()}}}};
  for (int i = (number - 1) * size;
       i < std::min<int>(number * size, static_cast<int>(rows.size())); ++i) {
    body["Result"].push_back(rows[i]);
  }
  return HttpResponse{.status = 200, .body = body.dump()};
}

class InListTest : public ::testing::Test {
 protected:
  std::shared_ptr<FakeTransport> transport_ = std::make_shared<FakeTransport>();
  Client client_ = MakeTestClient(transport_);
};

TEST_F(InListTest, ALongListIsReadInChunksAndMergedInOrder) {
  std::vector<Record> table = Table(1500);
  transport_->SetHandler([&table](const HttpRequest& request) {
    return AnswerInList(table, request);
  });
  InList list{.field = "Code"};
  for (int i = 1; i <= 1500; i += 2) list.values.push_back(3 * i);  // 750

  RecordPager pager = client_.ListAllTableRecords(
      "T", {.order_by = "Name DESC", .in_list = list}, 100);
  EXPECT_EQ(pager.query().order_by, "Name DESC, PK_ID");
  std::vector<Record> got;
  for (int guard = 0; !pager.done() && guard < 100; ++guard) {
    auto page = pager.NextPage();
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_LE(page->size(), 100u);
    got.insert(got.end(), page->begin(), page->end());
  }

  std::vector<Record> expected;
  for (const Record& row : table) {
    if (row["PK_ID"].get<int>() % 2 == 1) expected.push_back(row);
  }
  std::sort(expected.begin(), expected.end(), NameDescThenPk);
  ASSERT_EQ(got.size(), expected.size());
  EXPECT_EQ(got, expected);

  std::set<std::string> chunks;
  for (const HttpRequest& request : transport_->api_requests()) {
    EXPECT_LE(request.url.size(), 2047u);
    chunks.insert(QueryOf(request.url).find("q.where")->second);
  }
  EXPECT_GE(chunks.size(), 3u);
}

TEST_F(InListTest, AShortListIsOneQuotedClause) {
  transport_->Answer(200, R"({"Result":[]})");
  RecordPager pager = client_.ListAllTableRecords(
      "T",
      {.where = "Qty>1",
       .in_list = InList{.field = "Name", .values = {"O'Brien", 7, true}}});
  ASSERT_TRUE(pager.NextPage().ok());
  auto query = QueryOf(transport_->api_requests().at(0).url);
  EXPECT_EQ(query.find("q.where")->second,
            "(Qty>1) AND ([Name] IN ('O''Brien',7,1))");
}

TEST_F(InListTest, AnEmptyListReadsNothing) {
  RecordPager pager =
      client_.ListAllTableRecords("T", {.in_list = InList{.field = "Name"}});
  auto page = pager.NextPage();
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->empty());
  EXPECT_TRUE(pager.done());
  auto one =
      client_.ListTableRecords("T", {.in_list = InList{.field = "A"}}, {});
  ASSERT_TRUE(one.ok());
  EXPECT_TRUE(transport_->api_requests().empty());
}

TEST_F(InListTest, ChunkedReadsRefuseOrdersTheyCannotMerge) {
  InList list{.field = "Code"};
  for (int i = 0; i < 800; ++i) list.values.push_back(100000 + i);
  for (RecordQuery query :
       {RecordQuery{.order_by = "LEN(Name)", .in_list = list},
        RecordQuery{.group_by = "Region", .in_list = list}}) {
    RecordPager pager = client_.ListAllTableRecords("T", query);
    auto page = pager.NextPage();
    ASSERT_FALSE(page.ok());
    EXPECT_EQ(GetErrorInfo(page.status()).error_class, ErrorClass::kUserInput);
  }
  // One page cannot be split: it is refused as too long.
  auto page = client_.ListTableRecords("T", {.in_list = list}, {});
  ASSERT_FALSE(page.ok());
  EXPECT_THAT(std::string(page.status().message()),
              HasSubstr("Caspio accepts at most 2047"));
  EXPECT_TRUE(transport_->api_requests().empty());
}

TEST_F(InListTest, BadValuesAreRefused) {
  auto page = client_.ListTableRecords(
      "T", {.in_list = InList{.field = "A", .values = {nullptr}}}, {});
  EXPECT_EQ(GetErrorInfo(page.status()).error_class, ErrorClass::kUserInput);
  page = client_.ListTableRecords(
      "T", {.in_list = InList{.field = "A;DROP", .values = {1}}}, {});
  EXPECT_EQ(GetErrorInfo(page.status()).error_class, ErrorClass::kUserInput);
}

TEST_F(InListTest, AnAggregateWithoutGroupByIsOneUnorderedRequest) {
  transport_->Answer(200, R"({"Result":[{"n":42}]})");
  RecordPager pager =
      client_.ListAllTableRecords("T", {.select = "COUNT(*) AS n"});
  auto page = pager.NextPage();
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->size(), 1u);
  EXPECT_TRUE(pager.done());
  auto query = QueryOf(transport_->api_requests().at(0).url);
  EXPECT_EQ(query.count("q.orderBy"), 0u);
  EXPECT_EQ(query.count("q.pageNumber"), 0u);
  EXPECT_EQ(query.find("q.select")->second, "COUNT(*) AS n");
  EXPECT_EQ(transport_->api_requests().size(), 1u);
}

}  // namespace
}  // namespace caspio
