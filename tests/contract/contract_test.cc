// Caspio's REST API v3 as API.md records it, checked over raw HTTP (not
// through the client library). Runs against a real account when
// CASPIO_LIVE_INTEGRATION_URL, CASPIO_LIVE_CLIENT_ID and
// CASPIO_LIVE_CLIENT_SECRET are set, and against a fresh emulator otherwise,
// so that one live run catches a misreading of Caspio. On a live account it
// creates one table named caspio_contract_<time>; v3 cannot delete tables.
#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "support/process.h"

namespace caspio::testing {
namespace {

using Json = nlohmann::json;

struct Target {
  std::string base_url, client_id, client_secret;
  bool live = false;
};

std::unique_ptr<Emulator> emulator;

Target CurrentTarget() {
  const char* url = std::getenv("CASPIO_LIVE_INTEGRATION_URL");
  const char* id = std::getenv("CASPIO_LIVE_CLIENT_ID");
  const char* secret = std::getenv("CASPIO_LIVE_CLIENT_SECRET");
  if (url && id && secret) return {url, id, secret, true};
  if (!emulator) emulator = Emulator::Start();
  return {emulator->base_url(), emulator->client_id(),
          emulator->client_secret(), false};
}

std::string Encode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

class Contract : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    target_ = CurrentTarget();
    token_ = RequestToken();
    table_ = "caspio_contract_" + std::to_string(std::time(nullptr));
    Json definition = {{"Name", table_},
                       {"Fields",
                        {{{"Name", "Title"}, {"Type", "STRING"}},
                         {{"Name", "Amount"}, {"Type", "NUMBER"}},
                         {{"Name", "Active"}, {"Type", "YES/NO"}}}}};
    auto res = Call("POST", "/tables", definition.dump());
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 201) << res->body;
    for (int i = 1; i <= 30; ++i) {
      Json record = {{"Title", "Row " + std::to_string(i)},
                     {"Amount", i},
                     {"Active", i % 2 == 0}};
      auto r = Call("POST", Records(), record.dump());
      ASSERT_TRUE(r);
      ASSERT_EQ(r->status, 201) << r->body;
    }
  }
  static void TearDownTestSuite() { emulator.reset(); }

  static std::string RequestToken() {
    httplib::Client http(target_.base_url);
    auto res = http.Post(
        "/oauth/token",
        "grant_type=client_credentials&client_id=" + Encode(target_.client_id) +
            "&client_secret=" + Encode(target_.client_secret),
        "application/x-www-form-urlencoded");
    if (!res || res->status != 200) return "";
    return Json::parse(res->body).value("access_token", "");
  }

  static std::string Records(const std::string& query = "") {
    return "/tables/" + table_ + "/records" + (query.empty() ? "" : "?") +
           query;
  }

  // One call under /integrations/rest/v3 with the bearer token.
  static httplib::Result Call(const std::string& method,
                              const std::string& path,
                              const std::string& body = "",
                              const std::string& token = token_) {
    httplib::Client http(target_.base_url);
    httplib::Headers headers = {{"Accept", "application/json"}};
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    std::string full = "/integrations/rest/v3" + path;
    const char* json = "application/json";
    if (method == "GET") return http.Get(full, headers);
    if (method == "POST") return http.Post(full, headers, body, json);
    if (method == "PUT") return http.Put(full, headers, body, json);
    return http.Delete(full, headers, body, json);
  }

  static Json Body(const httplib::Result& res) {
    return Json::parse(res->body, nullptr, false);
  }

  static std::int64_t CountRows() {
    auto res = Call("GET", Records("q.select=COUNT(PK_ID)%20AS%20n"));
    return Body(res)["Result"][0]["n"].get<std::int64_t>();
  }

  // Caspio's error shape, with the request id of the header in the body.
  static void ExpectCaspioError(const httplib::Result& res, int status) {
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, status) << res->body;
    Json body = Body(res);
    ASSERT_TRUE(body.is_object()) << res->body;
    for (const char* key : {"Code", "Message", "Resource", "RequestId"}) {
      EXPECT_TRUE(body.contains(key)) << key << " in " << res->body;
    }
    EXPECT_EQ(body.value("RequestId", ""),
              res->get_header_value("X-Caspio-Request-ID"));
  }

  static Target target_;
  static std::string token_;
  static std::string table_;
};

Target Contract::target_;
std::string Contract::token_;
std::string Contract::table_;

TEST_F(Contract, TokenAnswerHasExactlyFourFields) {
  httplib::Client http(target_.base_url);
  auto res = http.Post(
      "/oauth/token",
      "grant_type=client_credentials&client_id=" + Encode(target_.client_id) +
          "&client_secret=" + Encode(target_.client_secret),
      "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  Json body = Body(res);
  EXPECT_EQ(body.size(), 4u) << res->body;
  EXPECT_EQ(body["token_type"], "bearer");
  EXPECT_GT(body["expires_in"].get<int>(), 0);
  EXPECT_FALSE(body["access_token"].get<std::string>().empty());
  EXPECT_FALSE(body["refresh_token"].get<std::string>().empty());
  if (!target_.live) EXPECT_EQ(body["expires_in"], 86399);
}

TEST_F(Contract, TokenByBasicAuthAndByRefreshToken) {
  httplib::Client http(target_.base_url);
  http.set_basic_auth(target_.client_id, target_.client_secret);
  auto res = http.Post("/oauth/token", "grant_type=client_credentials",
                       "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  std::string refresh = Body(res)["refresh_token"];
  auto again =
      http.Post("/oauth/token",
                "grant_type=refresh_token&refresh_token=" + Encode(refresh),
                "application/x-www-form-urlencoded");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200) << again->body;
  std::string fresh = Body(again).value("access_token", "");
  EXPECT_EQ(Call("GET", "/tables", "", fresh)->status, 200);
}

TEST_F(Contract, WrongSecretGetsNoToken) {
  httplib::Client http(target_.base_url);
  auto res = http.Post("/oauth/token",
                       "grant_type=client_credentials&client_id=" +
                           Encode(target_.client_id) + "&client_secret=wrong",
                       "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  EXPECT_GE(res->status, 400);
  EXPECT_LT(res->status, 500);
  EXPECT_EQ(res->body.find("access_token"), std::string::npos);
}

TEST_F(Contract, MissingOrUnknownBearerIs401) {
  ExpectCaspioError(Call("GET", "/tables", "", ""), 401);
  ExpectCaspioError(Call("GET", "/tables", "", "not-a-token"), 401);
  ExpectCaspioError(Call("GET", Records(), "", "not-a-token"), 401);
}

TEST_F(Contract, UnknownPathIs404WithEmptyBody) {
  httplib::Client http(target_.base_url);
  auto res = http.Get("/rest/v3/tables/" + table_ + "/records",
                      {{"Authorization", "Bearer " + token_}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  EXPECT_TRUE(res->body.empty()) << res->body;
}

TEST_F(Contract, EveryResponseHasARequestId) {
  for (const auto& path : {std::string("/tables"), Records("q.limit=1")}) {
    auto res = Call("GET", path);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_FALSE(res->get_header_value("X-Caspio-Request-ID").empty());
  }
}

TEST_F(Contract, TableDesign) {
  auto tables = Body(Call("GET", "/tables"));
  bool found = false;
  for (const auto& name : tables["Result"]) found |= name == table_;
  EXPECT_TRUE(found);

  auto table = Body(Call("GET", "/tables/" + table_));
  EXPECT_EQ(table["Result"]["Name"], table_);
  EXPECT_TRUE(table["Result"].contains("Note"));

  auto fields = Body(Call("GET", "/tables/" + table_ + "/fields"));
  ASSERT_EQ(fields["Result"].size(), 3u);
  for (const auto& f : fields["Result"]) EXPECT_NE(f["Name"], "PK_ID");
  EXPECT_EQ(fields["Result"][1]["Type"], "NUMBER");

  auto field = Body(Call("GET", "/tables/" + table_ + "/fields/Active"));
  EXPECT_EQ(field["Result"]["Type"], "YES/NO");
  ExpectCaspioError(Call("GET", "/tables/NoSuchTable_x/fields"), 404);
}

TEST_F(Contract, LimitDefaultsTo100AndPagingIgnoresIt) {
  EXPECT_EQ(Body(Call("GET", Records()))["Result"].size(), 30u);
  EXPECT_EQ(Body(Call("GET", Records("q.limit=7")))["Result"].size(), 7u);
  // q.limit is ignored when paging; a page number alone means 25 a page.
  EXPECT_EQ(
      Body(Call("GET", Records("q.limit=7&q.pageSize=10")))["Result"].size(),
      10u);
  EXPECT_EQ(Body(Call("GET", Records("q.pageNumber=2")))["Result"].size(), 5u);
}

TEST_F(Contract, PageSizeBoundsAndBadNumbersAre400) {
  for (const char* q : {"q.pageSize=4", "q.pageSize=1001", "q.limit=abc",
                        "q.pageSize=1&q.pageNumber=2"}) {
    auto res = Call("GET", Records(q));
    ExpectCaspioError(res, 400);
    EXPECT_EQ(Body(res).value("Code", ""), "IncorrectQueryParameter") << q;
  }
}

TEST_F(Contract, PaginationInfo) {
  auto body = Body(Call(
      "GET", Records("q.pageSize=10&q.pageNumber=3&q.getPaginationInfo=true"
                     "&q.orderBy=PK_ID")));
  EXPECT_EQ(body["Result"].size(), 10u);
  EXPECT_EQ(body["Pagination"]["TotalCount"], 30);
  EXPECT_EQ(body["Pagination"]["PageNumber"], 3);
  EXPECT_EQ(body["Pagination"]["PageSize"], 10);
  EXPECT_EQ(body["Result"][0]["Title"], "Row 21");
  EXPECT_FALSE(Body(Call("GET", Records("q.limit=1"))).contains("Pagination"));
}

TEST_F(Contract, ParameterNamesIgnoreCase) {
  EXPECT_EQ(Body(Call("GET", Records("Q.PAGESIZE=6")))["Result"].size(), 6u);
}

TEST_F(Contract, LimitAbove1000IsCapped) {
  if (target_.live)
    GTEST_SKIP() << "would bill 1,000 inserts on a live account";
  std::string csv = "n\n";
  for (int i = 0; i < 1205; ++i) csv += std::to_string(i) + "\n";
  emulator->Import("Contract_Big", csv, "csv");
  auto res = Call("GET", "/tables/Contract_Big/records?q.limit=5000");
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(Body(res)["Result"].size(), 1000u);
}

TEST_F(Contract, InsertAnswers) {
  auto plain = Call("POST", Records(), R"({"Title":"plain"})");
  EXPECT_EQ(plain->status, 201);
  EXPECT_TRUE(plain->body.empty()) << plain->body;

  auto rows = Call("POST", Records("response=rows"),
                   R"({"Title":"with rows","Amount":2.5})");
  ASSERT_EQ(rows->status, 201);
  Json row = Body(rows)["Result"][0];
  EXPECT_TRUE(row["PK_ID"].is_number_integer());
  EXPECT_EQ(row["Title"], "with rows");
  EXPECT_EQ(row["Amount"], 2.5);

  std::string where = Encode("Title IN ('plain','with rows')");
  EXPECT_EQ(
      Body(Call("DELETE", Records("q.where=" + where)))["RecordsAffected"], 2);
}

TEST_F(Contract, UnknownFieldOnInsertWritesNothing) {
  std::int64_t before = CountRows();
  auto res = Call("POST", Records(), R"({"Title":"x","Nope":1})");
  ExpectCaspioError(res, 404);
  std::string code = Body(res).value("Code", "");
  EXPECT_TRUE(code == "FieldNotFound" || code == "ColumnNotFound") << code;
  EXPECT_EQ(CountRows(), before);
}

TEST_F(Contract, UpdateAndDeleteNeedAWhereClause) {
  std::int64_t before = CountRows();
  ExpectCaspioError(Call("PUT", Records(), R"({"Title":"all"})"), 400);
  ExpectCaspioError(Call("DELETE", Records()), 400);
  EXPECT_EQ(CountRows(), before);
  auto same = Body(Call("GET", Records("q.where=" + Encode("Title='all'"))));
  EXPECT_TRUE(same["Result"].empty());
}

TEST_F(Contract, UpdateAnswers) {
  auto res = Call("PUT", Records("q.where=" + Encode("Amount>=29")),
                  R"({"Active":true})");
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(Body(res)["RecordsAffected"], 2);
  EXPECT_TRUE(Body(res)["Result"].empty());

  auto rows = Call("PUT", Records("q.where=Amount%3D30&response=rows"),
                   R"({"Active":true})");
  ASSERT_EQ(rows->status, 200);
  EXPECT_EQ(Body(rows)["Result"][0]["Title"], "Row 30");
  EXPECT_EQ(Body(rows)["Result"][0]["Active"], true);

  auto none =
      Call("PUT", Records("q.where=Amount%3D999"), R"({"Active":true})");
  EXPECT_EQ(Body(none)["RecordsAffected"], 0);
}

TEST_F(Contract, DeleteWithNoMatchIsZero) {
  auto res = Call("DELETE", Records("q.where=PK_ID%3D999999"));
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(Body(res)["RecordsAffected"], 0);
}

TEST_F(Contract, YesNoComparesWithOneNotTrue) {
  ExpectCaspioError(Call("GET", Records("q.where=Active%3Dtrue")), 400);
  auto ones = Call("GET", Records("q.where=Active%3D1&q.limit=1000"));
  ASSERT_EQ(ones->status, 200);
  EXPECT_GE(Body(ones)["Result"].size(), 15u);
}

TEST_F(Contract, QuotesInLiteralsStayInside) {
  std::string where = Encode("Title='x'' OR ''1''=''1'");
  auto res = Call("GET", Records("q.where=" + where));
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_TRUE(Body(res)["Result"].empty());
  ExpectCaspioError(Call("GET", Records("q.where=" + Encode("Title='open"))),
                    400);
}

TEST_F(Contract, WritesWithoutJsonContentTypeAre415) {
  httplib::Client http(target_.base_url);
  auto res = http.Post("/integrations/rest/v3" + Records(),
                       {{"Authorization", "Bearer " + token_}},
                       R"({"Title":"x"})", "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 415);
}

}  // namespace
}  // namespace caspio::testing
