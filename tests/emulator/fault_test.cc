// The emulator's fault injection, observed over raw HTTP (not through the
// client library): each fault kind of doc/emulator-faults.md is switched on
// through the control interface and seen from the client's side, with the
// store checked where a fault must (or must not) have written.
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/process.h"

namespace caspio::testing {
namespace {

using Json = nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr char kRecords[] = "/integrations/rest/v3/tables/People/records";
constexpr char kRateLimitBody[] =
    R"([{"message":"You have exceeded your API call rate limits.",)"
    R"("name":"api-calls-rate"}])";
constexpr int kRows = 30;

std::string PeopleCsv() {
  std::string csv = "Name,Age\n";
  for (int i = 1; i <= kRows; ++i) {
    csv += "Person " + std::to_string(i) + "," + std::to_string(20 + i) + "\n";
  }
  return csv;
}

Json Body(const httplib::Result& res) {
  return Json::parse(res->body, nullptr, false);
}

std::vector<std::int64_t> Ids(const httplib::Result& res) {
  std::vector<std::int64_t> ids;
  if (!res) return ids;
  Json body = Body(res);
  for (const auto& row : body["Result"]) {
    ids.push_back(row["PK_ID"].get<std::int64_t>());
  }
  return ids;
}

class FaultTest : public ::testing::Test {
 protected:
  void SetUp() override { Start({.control = true}); }

  void Start(const Emulator::Options& options) {
    emulator_ = Emulator::Start(options);
    emulator_->Import("People", PeopleCsv(), "csv");
    token_ = NewToken();
    ASSERT_FALSE(token_.empty());
  }

  httplib::Client Client() const {
    httplib::Client http(emulator_->base_url());
    http.set_read_timeout(20);
    if (!ca_cert_.empty()) http.set_ca_cert_path(ca_cert_.c_str());
    return http;
  }

  httplib::Result RequestToken(const std::string& id,
                               const std::string& secret) const {
    return Client().Post("/oauth/token",
                         "grant_type=client_credentials&client_id=" + id +
                             "&client_secret=" + secret,
                         "application/x-www-form-urlencoded");
  }

  std::string NewToken(const std::string& id, const std::string& secret) const {
    auto res = RequestToken(id, secret);
    if (!res || res->status != 200) return "";
    return Body(res).value("access_token", "");
  }
  std::string NewToken() const {
    return NewToken(emulator_->client_id(), emulator_->client_secret());
  }

  httplib::Result Read(const std::string& query = "",
                       const std::string& token = "") const {
    httplib::Headers headers = {
        {"Authorization", "Bearer " + (token.empty() ? token_ : token)}};
    return Client().Get(
        std::string(kRecords) + (query.empty() ? "" : "?") + query, headers);
  }

  httplib::Result Insert(const std::string& name) const {
    Json record = {{"Name", name}, {"Age", 40}};
    return Client().Post(kRecords, {{"Authorization", "Bearer " + token_}},
                         record.dump(), "application/json");
  }

  // Rows in the store, read with a token of its own.
  std::int64_t CountRows() const {
    auto res = Read("q.select=COUNT(PK_ID)%20AS%20n", NewToken());
    if (!res || res->status != 200) return -1;
    return Body(res)["Result"][0]["n"].get<std::int64_t>();
  }

  static void ExpectRateLimit(const httplib::Result& res, int status) {
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    EXPECT_EQ(res->status, status);
    EXPECT_EQ(Body(res), Json::parse(kRateLimitBody)) << res->body;
  }

  static void ExpectCaspioError(const httplib::Result& res, int status,
                                const std::string& code) {
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    EXPECT_EQ(res->status, status) << res->body;
    Json body = Body(res);
    EXPECT_EQ(body.value("Code", ""), code) << res->body;
    for (const char* key : {"Message", "Resource", "RequestId"}) {
      EXPECT_TRUE(body.contains(key)) << key << " in " << res->body;
    }
    EXPECT_EQ(body.value("RequestId", ""),
              res->get_header_value("X-Caspio-Request-ID"));
  }

  std::unique_ptr<Emulator> emulator_;
  std::string token_;
  std::string ca_cert_;
};

TEST(FaultControl, PathsAreUnknownWithoutControl) {
  auto emulator = Emulator::Start();
  httplib::Client http(emulator->base_url());
  std::vector<httplib::Result> answers;
  answers.push_back(http.Get("/_emulator/faults"));
  answers.push_back(http.Get("/_emulator/faults/log"));
  answers.push_back(http.Put("/_emulator/faults", "{}", "application/json"));
  answers.push_back(http.Delete("/_emulator/faults/log"));
  for (const auto& res : answers) {
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404);
    EXPECT_EQ(res->body, "");
  }
}

TEST_F(FaultTest, OtherEmulatorPathsStayUnknown) {
  auto res = Client().Get("/_emulator/other");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(res->body, "");
}

TEST_F(FaultTest, NoPlanChangesNothing) {
  auto res = Read("q.orderBy=PK_ID");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(Ids(res).size(), static_cast<std::size_t>(kRows));
  EXPECT_EQ(emulator_->FaultLog()["injections"].size(), 0u);
}

TEST_F(FaultTest, RateLimit429CarriesArrayBodyAndRetryAfter) {
  emulator_->SetFaults(
      {{"schedule",
        {{{"at", 2}, {"kind", "rate_limit_429"}, {"retry_after", 7}}}}});
  EXPECT_EQ(Read()->status, 200);
  auto res = Read();
  ExpectRateLimit(res, 429);
  EXPECT_EQ(res->get_header_value("Retry-After"), "7");
  EXPECT_FALSE(res->get_header_value("X-Caspio-Request-ID").empty());
  EXPECT_EQ(Read()->status, 200);
}

TEST_F(FaultTest, RateLimit400HasTheSameBodyWithoutRetryAfter) {
  emulator_->SetFaults(
      {{"schedule", {{{"at", 1}, {"kind", "rate_limit_400"}}}}});
  auto res = Read();
  ExpectRateLimit(res, 400);
  EXPECT_FALSE(res->has_header("Retry-After"));
}

TEST_F(FaultTest, Error500HasCaspioErrorShape) {
  emulator_->SetFaults({{"schedule", {{{"at", 1}, {"kind", "error_500"}}}}});
  ExpectCaspioError(Read(), 500, "InternalError");
}

TEST_F(FaultTest, Error503ForConsecutiveRequestsWithEmptyOrTextBody) {
  emulator_->SetFaults(
      {{"schedule",
        {{{"at", 1}, {"count", 2}, {"kind", "error_503"}, {"retry_after", 1}},
         {{"at", 3}, {"kind", "error_503"}, {"body", "text"}}}}});
  for (int i = 0; i < 2; ++i) {
    auto res = Read();
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 503);
    EXPECT_EQ(res->body, "");
    EXPECT_EQ(res->get_header_value("Retry-After"), "1");
  }
  auto text = Read();
  ASSERT_TRUE(text);
  EXPECT_EQ(text->status, 503);
  EXPECT_EQ(text->body, "Service Unavailable");
  EXPECT_FALSE(text->has_header("Retry-After"));
  EXPECT_EQ(Read()->status, 200);
}

TEST_F(FaultTest, DropBeforeClosesTheConnectionAndWritesNothing) {
  emulator_->SetFaults(
      {{"schedule",
        {{{"on", "records.insert"}, {"at", 1}, {"kind", "drop_before"}}}}});
  auto res = Insert("Dropped");
  EXPECT_FALSE(res);
  EXPECT_EQ(CountRows(), kRows);
  auto found = Read("q.where=Name%3D'Dropped'");
  EXPECT_TRUE(Ids(found).empty());

  auto again = Insert("Kept");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 201);
  EXPECT_EQ(CountRows(), kRows + 1);
}

TEST_F(FaultTest, DropAfterWritesTheRecordButTheClientSeesNoAnswer) {
  emulator_->SetFaults(
      {{"schedule",
        {{{"on", "records.insert"}, {"at", 1}, {"kind", "drop_after"}}}}});
  auto res = Insert("Written");
  EXPECT_FALSE(res);
  EXPECT_EQ(CountRows(), kRows + 1);
  auto found = Read("q.where=Name%3D'Written'");
  EXPECT_EQ(Ids(found).size(), 1u);
}

TEST_F(FaultTest, LatencyDelaysTheAnswerByAFixedTimeOrARange) {
  emulator_->SetFaults({{"schedule",
                         {{{"at", 1}, {"kind", "latency"}, {"ms", 400}},
                          {{"at", 2},
                           {"count", 3},
                           {"kind", "latency"},
                           {"min_ms", 100},
                           {"max_ms", 150}}}}});
  auto start = steady_clock::now();
  auto res = Read();
  auto elapsed = steady_clock::now() - start;
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_GE(elapsed, milliseconds(400));

  for (int i = 0; i < 3; ++i) {
    start = steady_clock::now();
    EXPECT_EQ(Read()->status, 200);
    EXPECT_GE(steady_clock::now() - start, milliseconds(100));
  }
  Json log = emulator_->FaultLog()["injections"];
  ASSERT_EQ(log.size(), 4u);
  EXPECT_EQ(log[0]["delay_ms"], 400);
  for (int i = 1; i < 4; ++i) {
    EXPECT_GE(log[i]["delay_ms"].get<int>(), 100);
    EXPECT_LE(log[i]["delay_ms"].get<int>(), 150);
  }
}

TEST_F(FaultTest, TokenExpiryAnswers401UntilANewTokenIsIssued) {
  std::string older = NewToken();
  emulator_->SetFaults({{"schedule", {{{"at", 2}, {"kind", "token_expiry"}}}}});
  EXPECT_EQ(Read()->status, 200);
  ExpectCaspioError(Read(), 401, "Unauthorized");
  ExpectCaspioError(Read("", older), 401, "Unauthorized");

  std::string fresh = NewToken();
  ASSERT_FALSE(fresh.empty());
  EXPECT_EQ(Read("", fresh)->status, 200);
}

TEST_F(FaultTest, StaleTokenAnswers400UntilTheClientTakesANewOne) {
  std::string other = NewToken();
  emulator_->SetFaults({{"schedule", {{{"at", 2}, {"kind", "stale_token"}}}}});
  EXPECT_EQ(Read()->status, 200);
  ExpectCaspioError(Read(), 400, "IncorrectQueryParameter");
  ExpectCaspioError(Read(), 400, "IncorrectQueryParameter");
  EXPECT_EQ(Read("", other)->status, 200);
  EXPECT_EQ(Read("", NewToken())->status, 200);

  Json log = emulator_->FaultLog();
  EXPECT_EQ(log["counters"]["injections"]["stale_token"], 1);
  EXPECT_EQ(log["counters"]["stale_token_rejections"], 1);
}

TEST_F(FaultTest, TokenBucketLimitsEachProfileOnItsOwn) {
  emulator_->SetFaults(
      {{"token_bucket", {{"capacity", 3}, {"window_seconds", 300}}}});
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Read()->status, 200);
  auto limited = Read();
  ExpectRateLimit(limited, 429);
  int retry_after = std::atoi(limited->get_header_value("Retry-After").c_str());
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 100);
  ExpectRateLimit(Read(), 429);

  auto [id, secret] = emulator_->CreateProfile();
  std::string other = NewToken(id, secret);
  EXPECT_EQ(Read("", other)->status, 200);
  EXPECT_EQ(emulator_->FaultLog()["counters"]["injections"]["token_bucket"], 2);
}

TEST_F(FaultTest, TokenBucketBurstCanAnswer400AndRefills) {
  emulator_->SetFaults(
      {{"token_bucket", {{"burst_per_second", 2}, {"status", 400}}}});
  EXPECT_EQ(Read()->status, 200);
  EXPECT_EQ(Read()->status, 200);
  auto limited = Read();
  ExpectRateLimit(limited, 400);
  EXPECT_EQ(limited->get_header_value("Retry-After"), "1");
  std::this_thread::sleep_for(milliseconds(1100));
  EXPECT_EQ(Read()->status, 200);
}

TEST_F(FaultTest, UnorderedPagesAreShuffledWhileOrderedPagesAreStable) {
  emulator_->SetFaults({{"shuffle_unordered", true}});
  auto first = Ids(Read("q.pageSize=25&q.pageNumber=1"));
  auto second = Ids(Read("q.pageSize=25&q.pageNumber=1"));
  ASSERT_EQ(first.size(), 25u);
  EXPECT_NE(first, second);

  auto ordered = Ids(Read("q.orderBy=PK_ID&q.pageSize=10&q.pageNumber=1"));
  EXPECT_EQ(ordered, Ids(Read("q.orderBy=PK_ID&q.pageSize=10&q.pageNumber=1")));
  EXPECT_EQ(ordered,
            (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  EXPECT_EQ(emulator_->FaultLog()["counters"]["shuffled_reads"], 2);
}

TEST_F(FaultTest, LimitFromEndPicksOtherRecordsThanPageOne) {
  emulator_->SetFaults({{"limit_from_end", true}});
  auto limited = Ids(Read("q.limit=10"));
  auto page = Ids(Read("q.pageSize=10&q.pageNumber=1"));
  ASSERT_FALSE(limited.empty());
  EXPECT_EQ(limited.front(), kRows);
  EXPECT_EQ(page, (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
}

// The same seed gives the same faults for the same sequence of requests.
TEST_F(FaultTest, RandomFaultsFollowTheRateAndReplayFromTheSeed) {
  Json plan = {{"random",
                {{"rate", 0.3},
                 {"seed", 7},
                 {"faults",
                  {{{"kind", "rate_limit_429"}, {"weight", 2}},
                   {{"kind", "error_500"}, {"weight", 1}},
                   {{"kind", "error_503"}, {"weight", 1}}}}}}};
  auto run = [&] {
    emulator_->SetFaults(plan);
    std::vector<int> statuses;
    for (int i = 0; i < 60; ++i) statuses.push_back(Read()->status);
    return statuses;
  };
  std::vector<int> first = run();
  EXPECT_EQ(first, run());
  int faulted = 0, limited = 0;
  for (int status : first) {
    faulted += status != 200;
    limited += status == 429;
  }
  EXPECT_GE(faulted, 6);
  EXPECT_LE(faulted, 36);
  EXPECT_GT(limited, 0);
}

TEST_F(FaultTest, RandomSeedIsDrawnAndReportedWhenNotGiven) {
  Json stored = emulator_->SetFaults(
      {{"random", {{"rate", 0.5}, {"faults", {{{"kind", "error_500"}}}}}}});
  EXPECT_TRUE(stored["random"]["seed"].is_number_unsigned());
}

TEST_F(FaultTest, TokenEndpointIsSparedUnlessThePlanSaysSo) {
  emulator_->SetFaults({{"random",
                         {{"rate", 1},
                          {"seed", 1},
                          {"faults", {{{"kind", "rate_limit_400"}}}}}}});
  EXPECT_FALSE(NewToken().empty());
  ExpectRateLimit(Read(), 400);

  emulator_->SetFaults({{"random",
                         {{"rate", 1},
                          {"seed", 1},
                          {"token_endpoint", true},
                          {"faults", {{{"kind", "error_500"}}}}}}});
  auto res = RequestToken(emulator_->client_id(), emulator_->client_secret());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 500);
}

TEST_F(FaultTest, TokenRequestsCanBeDropped) {
  emulator_->SetFaults(
      {{"schedule", {{{"on", "token"}, {"at", 2}, {"kind", "drop_before"}}}}});
  EXPECT_TRUE(RequestToken(emulator_->client_id(), emulator_->client_secret()));
  EXPECT_FALSE(
      RequestToken(emulator_->client_id(), emulator_->client_secret()));
  EXPECT_TRUE(RequestToken(emulator_->client_id(), emulator_->client_secret()));
}

TEST_F(FaultTest, LogAndCountersReportEveryInjectionWithoutSecrets) {
  emulator_->SetFaults(
      {{"schedule",
        {{{"at", 1}, {"kind", "rate_limit_400"}},
         {{"at", 2}, {"kind", "error_500"}},
         {{"at", 3}, {"kind", "latency"}, {"ms", 10}},
         {{"on", "records.insert"}, {"at", 1}, {"kind", "drop_after"}}}}});
  for (int i = 0; i < 3; ++i) Read();
  Insert("Logged");
  Read();

  Json log = emulator_->FaultLog();
  const Json& injections = log["injections"];
  ASSERT_EQ(injections.size(), 4u) << log.dump();
  const char* kinds[] = {"rate_limit_400", "error_500", "latency",
                         "drop_after"};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(injections[i]["seq"], i + 1);
    EXPECT_EQ(injections[i]["request"], i + 1);
    EXPECT_EQ(injections[i]["kind"], kinds[i]);
    EXPECT_EQ(injections[i]["method"], i < 3 ? "GET" : "POST");
    EXPECT_EQ(injections[i]["path"], kRecords);
    EXPECT_EQ(injections[i]["profile"], emulator_->client_id());
  }
  EXPECT_EQ(injections[0]["status"], 400);
  EXPECT_EQ(injections[1]["status"], 500);

  const Json& counters = log["counters"];
  EXPECT_EQ(counters["requests"]["token"], 1);
  EXPECT_EQ(counters["requests"]["records.read"], 4);
  EXPECT_EQ(counters["requests"]["records.insert"], 1);
  EXPECT_EQ(counters["requests_total"], 6);
  EXPECT_EQ(counters["injections_total"], 4);
  for (const char* kind : kinds) EXPECT_EQ(counters["injections"][kind], 1);

  std::string text = log.dump();
  EXPECT_EQ(text.find(emulator_->client_secret()), std::string::npos);
  EXPECT_EQ(text.find(token_), std::string::npos);

  emulator_->ResetFaultLog();
  Json reset = emulator_->FaultLog();
  EXPECT_TRUE(reset["injections"].empty());
  EXPECT_EQ(reset["counters"]["requests_total"], 0);
  EXPECT_TRUE(reset["plan_active"].get<bool>());
}

TEST_F(FaultTest, InvalidPlansAreRefusedAndTheOldPlanStays) {
  emulator_->SetFaults({{"schedule", {{{"at", 1}, {"kind", "error_500"}}}}});
  for (const char* plan :
       {R"({"shedule": []})", R"({"schedule": [{"at": 1, "kind": "boom"}]})",
        R"({"schedule": [{"kind": "error_500"}]})",
        R"({"random": {"rate": 2, "faults": [{"kind": "error_500"}]}})",
        R"({"token_bucket": {"burst_per_second": 5, "status": 418}})",
        R"({"schedule": [{"on": "nowhere", "at": 1, "kind": "latency"}]})",
        "not json"}) {
    auto res = Client().Put("/_emulator/faults", plan, "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << plan;
    EXPECT_FALSE(Body(res).value("error", "").empty()) << res->body;
  }
  ExpectCaspioError(Read(), 500, "InternalError");
}

TEST_F(FaultTest, KeptAliveConnectionsCarryManyRequestsThroughTheProxy) {
  httplib::Client http = Client();
  http.set_keep_alive(true);
  httplib::Headers auth = {{"Authorization", "Bearer " + token_}};
  for (int i = 0; i < 12; ++i) {
    Json record = {{"Name", "Alive " + std::to_string(i)}, {"Age", i}};
    auto posted = http.Post(kRecords, auth, record.dump(), "application/json");
    ASSERT_TRUE(posted) << httplib::to_string(posted.error());
    EXPECT_EQ(posted->status, 201);
    auto read = http.Get(std::string(kRecords) + "?q.limit=5", auth);
    ASSERT_TRUE(read);
    EXPECT_EQ(read->status, 200);
  }
  EXPECT_EQ(CountRows(), kRows + 12);
}

TEST_F(FaultTest, ConcurrentClientsGetEveryAnswerAndEveryFaultIsCounted) {
  emulator_->SetFaults({{"random",
                         {{"rate", 0.25},
                          {"seed", 3},
                          {"faults", {{{"kind", "rate_limit_429"}}}}}}});
  constexpr int kThreads = 6, kEach = 15;
  std::vector<int> limited(kThreads, 0), failed(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto res = Read("q.limit=5");
        if (res && res->status == 429) {
          ++limited[t];
        } else if (!res || res->status != 200) {
          ++failed[t];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();

  int total_limited = 0;
  for (int t = 0; t < kThreads; ++t) {
    total_limited += limited[t];
    EXPECT_EQ(failed[t], 0);
  }
  Json counters = emulator_->FaultLog()["counters"];
  EXPECT_EQ(counters["requests"]["records.read"], kThreads * kEach);
  EXPECT_EQ(counters["injections"].value("rate_limit_429", 0), total_limited);
}

class FaultTlsTest : public FaultTest {
 protected:
  void SetUp() override {
    Certificate certificate = MakeLoopbackCertificate(dir_.path());
    ca_cert_ = certificate.cert_path;
    std::string key = certificate.key_path;
    Start({.control = true, .tls_cert = ca_cert_, .tls_key = key});
  }

  TempDir dir_;
};

TEST_F(FaultTlsTest, ServesHttpsWithASelfSignedCertificate) {
  EXPECT_EQ(emulator_->base_url().rfind("https://127.0.0.1:", 0), 0u)
      << emulator_->base_url();
  auto res = Read("q.orderBy=PK_ID");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(Ids(res).size(), static_cast<std::size_t>(kRows));

  // Without the certificate as a trusted root the handshake must fail.
  httplib::Client untrusting(emulator_->base_url());
  EXPECT_FALSE(untrusting.Get("/oauth/token"));
}

TEST_F(FaultTlsTest, InjectsFaultsOverHttpsButRefusesDrops) {
  emulator_->SetFaults(
      {{"schedule",
        {{{"at", 1}, {"kind", "rate_limit_429"}, {"retry_after", 2}}}}});
  auto res = Read();
  ExpectRateLimit(res, 429);
  EXPECT_EQ(res->get_header_value("Retry-After"), "2");

  EXPECT_THROW(emulator_->SetFaults(
                   {{"schedule", {{{"at", 1}, {"kind", "drop_before"}}}}}),
               std::runtime_error);
}

}  // namespace
}  // namespace caspio::testing
