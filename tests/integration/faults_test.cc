// A 20,000-record export through the client library while the emulator
// misbehaves as Caspio does: rate limits of both shapes, 503s, connections
// cut before and after the server did the work, a token that expires and
// one that goes stale. Every record must arrive exactly once.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <vector>

#include "caspio/client.h"
#include "support/process.h"

namespace caspio::testing {
namespace {

constexpr int kRecords = 20'000;

std::string BigCsv() {
  std::string csv = "Code,Label,Amount\n";
  for (int i = 1; i <= kRecords; ++i) {
    csv += "K" + std::to_string(i) + ",item " + std::to_string(i) + "," +
           std::to_string(i % 97) + ".25\n";
  }
  return csv;
}

// Counts the client's own HTTP exchanges by operation.
class CountingObserver : public CallObserver {
 public:
  void OnCall(const CallRecord& call) override {
    std::lock_guard lock(mu_);
    ++calls_[call.operation];
  }
  int Count(const std::string& operation) {
    std::lock_guard lock(mu_);
    return calls_[operation];
  }

 private:
  std::mutex mu_;
  std::map<std::string, int> calls_;
};

struct Export {
  std::map<std::string, int> seen;  // Key -> times received
  absl::Status status;
};

Export ExportAll(Client& client, int page_size) {
  Export out;
  RecordPager pager = client.ListAllTableRecords("Big", {}, page_size);
  while (!pager.done()) {
    auto page = pager.NextPage();
    if (!page.ok()) {
      out.status = page.status();
      return out;
    }
    for (const auto& record : *page) ++out.seen[record.at("Code")];
  }
  return out;
}

ClientOptions FastRetries(std::shared_ptr<CallObserver> observer) {
  ClientOptions options;
  options.retry.max_attempts = 12;
  options.retry.initial_backoff = std::chrono::milliseconds(1);
  options.retry.max_backoff = std::chrono::milliseconds(20);
  // Tokens in a test are seconds old; the stale-token rule must still fire.
  options.retry.stale_token_age = std::chrono::seconds(0);
  options.observer = std::move(observer);
  return options;
}

void ExpectEveryRecordOnce(const Export& exported) {
  ASSERT_TRUE(exported.status.ok()) << exported.status;
  EXPECT_EQ(exported.seen.size(), static_cast<std::size_t>(kRecords));
  int duplicated = 0;
  for (const auto& [key, times] : exported.seen) duplicated += times != 1;
  EXPECT_EQ(duplicated, 0);
  for (int i = 1; i <= kRecords; i += 997) {
    EXPECT_EQ(exported.seen.count("K" + std::to_string(i)), 1u) << i;
  }
}

TEST(Faults, ExportSurvivesMixedFaults) {
  auto emulator = Emulator::Start({.control = true});
  emulator->Import("Big", BigCsv(), "csv");
  // Every kind once at a known call, then about 10% at random.
  nlohmann::json schedule = nlohmann::json::array();
  int at = 2;
  for (const char* kind :
       {"rate_limit_429", "rate_limit_400", "error_503", "drop_before",
        "drop_after", "token_expiry", "stale_token"}) {
    schedule.push_back({{"at", at}, {"kind", kind}});
    at += 3;
  }
  emulator->SetFaults({{"schedule", schedule},
                       {"shuffle_unordered", true},
                       {"random",
                        {{"rate", 0.1},
                         {"seed", 20261203},
                         {"faults",
                          {{{"kind", "rate_limit_429"}, {"retry_after", 0}},
                           {{"kind", "rate_limit_400"}},
                           {{"kind", "error_503"}},
                           {{"kind", "drop_before"}},
                           {{"kind", "drop_after"}}}}}}});

  auto observer = std::make_shared<CountingObserver>();
  auto client = Client::Create(
      {emulator->base_url(), emulator->client_id(), emulator->client_secret()},
      FastRetries(observer));
  ASSERT_TRUE(client.ok());
  ExpectEveryRecordOnce(ExportAll(*client, 250));

  nlohmann::json log = emulator->FaultLog();
  const auto& injected = log["counters"]["injections"];
  for (const char* kind :
       {"rate_limit_429", "rate_limit_400", "error_503", "drop_before",
        "drop_after", "token_expiry", "stale_token"}) {
    EXPECT_GE(injected.value(kind, 0), 1) << kind << " never hit: " << log;
  }
  int pages = kRecords / 250;
  int faults = log["counters"]["injections_total"].get<int>();
  EXPECT_GE(faults, 7 + pages / 20) << "far fewer faults than planned";
  // The expired and the stale token each cost one new token.
  EXPECT_GE(log["counters"]["requests"].value("token", 0), 3);
}

TEST(Faults, ExportWithoutFaultsMakesTheMinimumOfCalls) {
  auto emulator = Emulator::Start({.control = true});
  emulator->Import("Big", BigCsv(), "csv");
  emulator->ResetFaultLog();

  auto observer = std::make_shared<CountingObserver>();
  auto client = Client::Create(
      {emulator->base_url(), emulator->client_id(), emulator->client_secret()},
      FastRetries(observer));
  ASSERT_TRUE(client.ok());
  ExpectEveryRecordOnce(ExportAll(*client, 1000));

  int pages = (kRecords + 999) / 1000;
  auto requests = emulator->FaultLog()["counters"]["requests"];
  EXPECT_EQ(requests.value("records.read", 0), pages) << requests;
  EXPECT_EQ(requests.value("token", 0), 1) << requests;
  EXPECT_EQ(observer->Count("ListTableRecords"), pages);
  EXPECT_EQ(observer->Count("token"), 1);
}

TEST(Faults, RateLimitIsNeverAnEmptyResult) {
  auto emulator = Emulator::Start({.control = true});
  emulator->Import("Big", "Code\nK1\nK2\n", "csv");
  emulator->SetFaults(
      {{"schedule", {{{"at", 1}, {"count", 50}, {"kind", "rate_limit_400"}}}}});
  ClientOptions options = FastRetries(nullptr);
  options.retry.max_attempts = 3;
  auto client = Client::Create(
      {emulator->base_url(), emulator->client_id(), emulator->client_secret()},
      options);
  ASSERT_TRUE(client.ok());
  auto page = client->ListTableRecords("Big", {}, {1, 100, false});
  ASSERT_FALSE(page.ok());
  ErrorInfo info = GetErrorInfo(page.status());
  EXPECT_EQ(info.error_class, ErrorClass::kRateLimited);
  EXPECT_NE(info.message.find("3 attempts"), std::string::npos) << info.message;
}

TEST(Faults, InsertIsNotRepeatedAfterTheServerMayHaveDoneIt) {
  auto emulator = Emulator::Start({.control = true});
  emulator->Import("Big", "Code\nK1\n", "csv");
  emulator->SetFaults(
      {{"schedule",
        {{{"on", "records.insert"}, {"at", 1}, {"kind", "drop_after"}}}}});
  auto client = Client::Create(
      {emulator->base_url(), emulator->client_id(), emulator->client_secret()},
      FastRetries(nullptr));
  ASSERT_TRUE(client.ok());
  auto inserted =
      client->CreateTableRecord("Big", {{"Code", "K2"}}, ReturnRows::kNo);
  ASSERT_FALSE(inserted.ok());
  EXPECT_NE(GetErrorInfo(inserted.status()).message.find("may have been"),
            std::string::npos)
      << inserted.status();
  auto page =
      client->ListTableRecords("Big", {.where = "Code='K2'"}, {1, 100, false});
  ASSERT_TRUE(page.ok()) << page.status();
  // The server did insert it once; the client did not insert it again.
  EXPECT_EQ(page->records.size(), 1u);
}

// The client's TLS path: the emulator serves HTTPS with a self-signed
// certificate that only CASPIO_CA_BUNDLE makes trusted.
TEST(Faults, HttpsWithAnAddedCertificateAuthority) {
  TempDir dir;
  Certificate certificate = MakeLoopbackCertificate(dir.path());
  auto emulator = Emulator::Start({.control = true,
                                   .tls_cert = certificate.cert_path,
                                   .tls_key = certificate.key_path});
  ASSERT_EQ(emulator->base_url().rfind("https://", 0), 0u);
  emulator->Import("Big", "Code\nK1\nK2\n", "csv");
  Credentials credentials{emulator->base_url(), emulator->client_id(),
                          emulator->client_secret()};

  ::unsetenv("CASPIO_CA_BUNDLE");
  auto untrusting = Client::Create(credentials, FastRetries(nullptr));
  ASSERT_TRUE(untrusting.ok());
  auto refused = untrusting->ListTables();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(GetErrorInfo(refused.status()).error_class, ErrorClass::kTransport);

  ::setenv("CASPIO_CA_BUNDLE", certificate.cert_path.c_str(), 1);
  emulator->SetFaults(
      {{"schedule", {{{"at", 1}, {"kind", "rate_limit_429"}}}}});
  auto client = Client::Create(credentials, FastRetries(nullptr));
  ::unsetenv("CASPIO_CA_BUNDLE");
  ASSERT_TRUE(client.ok());
  auto page = client->ListTableRecords("Big", {}, {1, 100, false});
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->records.size(), 2u);
  EXPECT_EQ(emulator->FaultLog()["counters"]["injections_total"], 1);
}

}  // namespace
}  // namespace caspio::testing
