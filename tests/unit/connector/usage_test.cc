// Call metering in the `caspio` command: the usage file, quota warnings,
// `caspio usage`, `run --stats` and the billing flags of `auth`.
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include "support/scratch_dir.h"

#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "cli/auth_store.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/usage_report.h"
#include "cli/usage_store.h"
#include "fake_transport.h"

namespace caspio::cli {
namespace {

using Json = nlohmann::ordered_json;
namespace fs = std::filesystem;

class TempHome : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = caspio::testing::MakeScratchDirectory("usage");
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
};

mode_t ModeOf(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

// ---- the usage file ------------------------------------------------------

class UsageStoreTest : public TempHome {
 protected:
  UsageStore Store() const { return UsageStore(dir_ / "state" / "usage.json"); }

  const ProfileId prod_{"https://c0abc123.caspio.com", "cid"};
  const absl::CivilDay july_{2026, 7, 27};
};

TEST_F(UsageStoreTest, CountsPerProfileAndPeriod) {
  UsageStore store = Store();
  EXPECT_EQ(*store.Count(prod_, july_), 0);
  EXPECT_EQ(*store.Add(prod_, july_, 3), 3);
  EXPECT_EQ(*store.Add(prod_, july_, 4), 7);
  EXPECT_EQ(*store.Add(prod_, july_ + 31, 1), 1);
  const ProfileId other_id{prod_.integration_url, "other"};
  const ProfileId other_url{"http://127.0.0.1:8080", "cid"};
  EXPECT_EQ(*store.Add(other_id, july_, 5), 5);
  EXPECT_EQ(*store.Add(other_url, july_, 6), 6);

  EXPECT_EQ(*Store().Count(prod_, july_), 7);
  EXPECT_EQ(*Store().Count(prod_, july_ + 31), 1);
  EXPECT_EQ(*Store().Count(other_id, july_), 5);
}

TEST_F(UsageStoreTest, FileIsPrivateJson) {
  UsageStore store = Store();
  ASSERT_TRUE(store.Add(prod_, july_, 2).ok());
  EXPECT_EQ(ModeOf(store.file()), 0600u);
  EXPECT_EQ(ModeOf(store.file().parent_path()), 0700u);

  std::ifstream in(store.file());
  Json json = Json::parse(in);
  EXPECT_EQ(json["version"], 1);
  EXPECT_EQ(json["profiles"][0]["integration_url"], prod_.integration_url);
  EXPECT_EQ(json["profiles"][0]["client_id"], "cid");
  EXPECT_EQ(json["profiles"][0]["periods"]["2026-07-27"], 2);
}

TEST_F(UsageStoreTest, KeepsThirteenPeriods) {
  UsageStore store = Store();
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(store.Add(prod_, july_ + 31 * i, 1).ok());
  }
  EXPECT_EQ(*store.Count(prod_, july_ + 31 * 19), 1);
  EXPECT_EQ(*store.Count(prod_, july_ + 31 * 7), 1);
  EXPECT_EQ(*store.Count(prod_, july_ + 31 * 6), 0);
}

TEST_F(UsageStoreTest, ACorruptFileIsReportedAndLeftAlone) {
  UsageStore store = Store();
  fs::create_directories(store.file().parent_path());
  { std::ofstream(store.file()) << "{not json"; }
  absl::StatusOr<std::int64_t> added = store.Add(prod_, july_, 1);
  EXPECT_TRUE(absl::IsDataLoss(added.status())) << added.status();
  EXPECT_TRUE(absl::IsDataLoss(store.Count(prod_, july_).status()));
  std::ifstream in(store.file());
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text, "{not json");
}

TEST_F(UsageStoreTest, ConcurrentThreadsAndProcessesLoseNoCount) {
  constexpr int kAdds = 20;
  std::vector<pid_t> children;
  for (int p = 0; p < 3; ++p) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      UsageStore store = Store();
      bool ok = true;
      for (int i = 0; i < kAdds; ++i) ok &= store.Add(prod_, july_, 1).ok();
      ::_exit(ok ? 0 : 1);
    }
    children.push_back(pid);
  }
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([this] {
      UsageStore store = Store();
      for (int i = 0; i < kAdds; ++i)
        EXPECT_TRUE(store.Add(prod_, july_, 1).ok());
    });
  }
  for (auto& thread : threads) thread.join();
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  EXPECT_EQ(*Store().Count(prod_, july_), 6 * kAdds);
}

TEST_F(UsageStoreTest, RecordCallsWarnsAtEightyAndAtAHundredPercent) {
  UsageStore store = Store();
  MeteredProfile profile{.label = "authentication prod",
                         .id = prod_,
                         .billing = {27, "America/Los_Angeles", 10}};
  const absl::Time now = absl::FromCivil(
      absl::CivilSecond(2026, 8, 1, 12, 0, 0), absl::UTCTimeZone());
  std::vector<std::string> warnings;
  for (int run = 0; run < 5; ++run) {
    std::ostringstream err;
    RecordCalls(store, profile, 3, now, err);
    warnings.push_back(err.str());
  }
  EXPECT_EQ(warnings[0], "");
  EXPECT_EQ(warnings[1], "");
  EXPECT_TRUE(absl::StrContains(warnings[2], "near its quota")) << warnings[2];
  EXPECT_TRUE(absl::StrContains(warnings[2], "9 of 10 calls"));
  EXPECT_TRUE(absl::StrContains(warnings[2], "2026-07-27 to 2026-08-26"));
  EXPECT_TRUE(absl::StrContains(warnings[2], "this machine only"));
  EXPECT_TRUE(absl::StrContains(warnings[3], "has used its quota"))
      << warnings[3];
  EXPECT_EQ(warnings[4], "");

  std::ostringstream out;
  ASSERT_TRUE(ReportUsage(store, profile, now, out).ok());
  EXPECT_TRUE(absl::StrContains(out.str(), "2026-07-27 to 2026-08-26"));
  EXPECT_TRUE(absl::StrContains(out.str(), "15 of a 10 quota (150%)"))
      << out.str();
}

// ---- the command ---------------------------------------------------------

// What the library reports for a run: a token request, then a read of
// Airports that was rate limited once, then a request without an answer.
const std::vector<caspio::CallRecord> kRunCalls = {
    {.operation = "token", .method = "POST", .http_status = 200},
    {.operation = "ListTableRecords",
     .table = "Airports",
     .method = "GET",
     .http_status = 429},
    {.operation = "ListTableRecords",
     .table = "Airports",
     .method = "GET",
     .http_status = 200,
     .attempt = 2},
    {.operation = "ListTables", .method = "GET", .http_status = 0},
};

class UsageCommandTest : public TempHome {
 protected:
  void SetUp() override {
    TempHome::SetUp();
    ::setenv("XDG_CONFIG_HOME", (dir_ / "config").c_str(), 1);
    ::setenv("XDG_CACHE_HOME", (dir_ / "cache").c_str(), 1);
    ::setenv("XDG_STATE_HOME", (dir_ / "state").c_str(), 1);
    for (const char* name :
         {"CASPIO_SUBDOMAIN", "CASPIO_INTEGRATION_URL", "CASPIO_CLIENT_ID",
          "CASPIO_CLIENT_SECRET", "CASPIO_BILLING_DAY", "CASPIO_TIME_ZONE",
          "CASPIO_QUOTA"}) {
      ::unsetenv(name);
    }
  }
  void TearDown() override {
    for (const char* name :
         {"XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
          "CASPIO_INTEGRATION_URL", "CASPIO_CLIENT_ID", "CASPIO_CLIENT_SECRET",
          "CASPIO_BILLING_DAY", "CASPIO_TIME_ZONE", "CASPIO_QUOTA"}) {
      ::unsetenv(name);
    }
    TempHome::TearDown();
  }

  // Runs the command; the client it builds reports `calls_` to the
  // command's observer as the library would (and the library's own
  // reports are switched off, so that the counts are exact).
  int Caspio(std::vector<const char*> args) {
    args.insert(args.begin(), "caspio");
    out_.str("");
    err_.str("");
    Io io{.in = in_,
          .out = out_,
          .err = err_,
          .read_secret = [](std::string_view) -> absl::StatusOr<std::string> {
            return std::string("the-client-secret");
          },
          .make_client = [this](caspio::Credentials credentials,
                                caspio::ClientOptions options)
              -> absl::StatusOr<caspio::Client> {
            token_cache_dir_ = options.token_cache_dir;
            if (options.observer) {
              for (const auto& call : calls_) options.observer->OnCall(call);
            }
            options.observer = nullptr;
            options.transport_override = transport_;
            return caspio::Client::Create(std::move(credentials),
                                          std::move(options));
          }};
    return RunCommandLine(static_cast<int>(args.size()), args.data(), io);
  }

  void UseEnvironmentCredentials() {
    ::setenv("CASPIO_INTEGRATION_URL", "http://127.0.0.1:41234", 1);
    ::setenv("CASPIO_CLIENT_ID", "cid", 1);
    ::setenv("CASPIO_CLIENT_SECRET", "the-client-secret", 1);
  }

  std::string LastLineOfErr() const {
    std::string err = err_.str();
    if (!err.empty() && err.back() == '\n') err.pop_back();
    return err.substr(
        err.rfind('\n') == std::string::npos ? 0 : err.rfind('\n') + 1);
  }

  std::stringstream in_, out_, err_;
  std::shared_ptr<connector::testing::FakeTransport> transport_ =
      std::make_shared<connector::testing::FakeTransport>();
  std::vector<caspio::CallRecord> calls_ = kRunCalls;
  std::string token_cache_dir_;
};

TEST_F(UsageCommandTest, StatsSummariseTheRunsCallsOnStderr) {
  UseEnvironmentCredentials();
  transport_->Answer(200, R"({"Result":[]})");
  ASSERT_EQ(Caspio({"run", "list_tables", "--stats"}), kExitSuccess)
      << err_.str();
  EXPECT_TRUE(absl::StrContains(out_.str(), "\"outcome\":\"success\""));

  const Json stats = Json::parse(LastLineOfErr())["stats"];
  EXPECT_EQ(stats["exchanges"], 4);
  const Json expected = Json::parse(R"([
    {"operation":"ListTableRecords","table":"Airports","calls":1,
     "attempts":2,"statuses":{"200":1,"429":1}},
    {"operation":"ListTables","table":"","calls":1,"attempts":1,
     "statuses":{"none":1}},
    {"operation":"token","table":"","calls":1,"attempts":1,
     "statuses":{"200":1}}])");
  EXPECT_EQ(stats["calls"], expected) << stats.dump();

  transport_->Answer(200, R"({"Result":[]})");
  ASSERT_EQ(Caspio({"run", "list_tables"}), kExitSuccess);
  EXPECT_FALSE(absl::StrContains(err_.str(), "stats"));
}

TEST_F(UsageCommandTest, TokensAreSharedUnderTheCacheDirectory) {
  UseEnvironmentCredentials();
  transport_->Answer(200, R"({"Result":[]})");
  transport_->Answer(200, R"({"Result":[]})");
  ASSERT_EQ(Caspio({"run", "list_tables"}), kExitSuccess);
  EXPECT_EQ(token_cache_dir_, (dir_ / "cache" / "caspio" / "tokens").string());
  ASSERT_EQ(Caspio({"run", "list_tables"}), kExitSuccess);
  // One token request, then two table listings.
  EXPECT_EQ(transport_->calls(), 3);
  EXPECT_EQ(ModeOf(token_cache_dir_), 0700u);
}

TEST_F(UsageCommandTest, CountsAnsweredCallsPerProfileAndPeriod) {
  ASSERT_EQ(
      Caspio({"auth", "add", "prod", "--integration-url",
              "http://127.0.0.1:41234", "--client-id", "cid", "--billing-day",
              "27", "--time-zone", "America/Los_Angeles", "--quota", "500000"}),
      kExitSuccess)
      << err_.str();
  for (int run = 0; run < 2; ++run) {
    transport_->Answer(200, R"({"Result":[]})");
    ASSERT_EQ(Caspio({"run", "list_tables", "--auth", "prod"}), kExitSuccess);
  }
  const fs::path file = dir_ / "state" / "caspio" / "usage.json";
  EXPECT_EQ(ModeOf(file), 0600u);

  ASSERT_EQ(Caspio({"usage", "--auth", "prod"}), kExitSuccess) << err_.str();
  const std::string report = out_.str();
  // Three of the four exchanges got an answer, in each of two runs.
  EXPECT_TRUE(absl::StrContains(report,
                                "calls from this machine: 6 of a "
                                "500,000 quota"))
      << report;
  EXPECT_TRUE(absl::StrContains(report, "America/Los_Angeles")) << report;
  EXPECT_TRUE(absl::StrContains(report, "starting on day 27")) << report;
  EXPECT_TRUE(absl::StrContains(report, "this machine only")) << report;
  EXPECT_TRUE(absl::StrContains(report, "webhooks")) << report;

  // Without --auth or CASPIO_*: every saved authentication.
  ASSERT_EQ(Caspio({"usage"}), kExitSuccess) << err_.str();
  EXPECT_TRUE(absl::StrContains(out_.str(), "authentication prod"));
}

TEST_F(UsageCommandTest, QuotaWarningsOnStderr) {
  ASSERT_EQ(
      Caspio({"auth", "add", "small", "--integration-url",
              "http://127.0.0.1:41234", "--client-id", "cid", "--quota", "10"}),
      kExitSuccess);
  std::vector<std::string> warnings;
  for (int run = 0; run < 5; ++run) {
    transport_->Answer(200, R"({"Result":[]})");
    Caspio({"run", "list_tables", "--auth", "small"});
    warnings.push_back(err_.str());
  }
  EXPECT_EQ(warnings[0] + warnings[1], "");
  EXPECT_TRUE(absl::StrContains(warnings[2],
                                "authentication small is near "
                                "its quota: 9 of 10 calls"))
      << warnings[2];
  EXPECT_TRUE(absl::StrContains(warnings[3], "has used its quota: 12 of 10"))
      << warnings[3];
  EXPECT_EQ(warnings[4], "");
}

TEST_F(UsageCommandTest, AuthSetChangesBillingAndChecksIt) {
  ASSERT_EQ(Caspio({"auth", "add", "prod", "--subdomain", "b3poa",
                    "--client-id", "cid"}),
            kExitSuccess);
  ASSERT_EQ(Caspio({"auth", "set", "prod", "--billing-day", "27", "--time-zone",
                    "America/Los_Angeles"}),
            kExitSuccess)
      << err_.str();
  ASSERT_EQ(Caspio({"auth", "set", "prod", "--quota", "500000"}), kExitSuccess);
  absl::StatusOr<AuthStore> store = AuthStore::AtDefaultLocation();
  ASSERT_TRUE(store.ok());
  absl::StatusOr<Authentication> auth = store->Get("prod");
  ASSERT_TRUE(auth.ok());
  EXPECT_EQ(auth->billing.start_day, 27);
  EXPECT_EQ(auth->billing.time_zone, "America/Los_Angeles");
  EXPECT_EQ(auth->billing.quota, 500000);
  EXPECT_EQ(auth->client_secret, "the-client-secret");

  EXPECT_EQ(Caspio({"auth", "set", "prod", "--time-zone", "Pacific Time"}),
            kExitUserInput);
  EXPECT_TRUE(absl::StrContains(err_.str(), "time zone")) << err_.str();
  EXPECT_EQ(Caspio({"auth", "set", "prod", "--billing-day", "32"}), kExitUsage);
  EXPECT_EQ(Caspio({"auth", "set", "prod", "--quota", "-5"}), kExitUsage);
  EXPECT_EQ(Caspio({"auth", "set", "nobody", "--quota", "5"}), kExitNotFound);
  EXPECT_EQ(store->Get("prod")->billing.time_zone, "America/Los_Angeles");
}

TEST_F(UsageCommandTest, EnvironmentCredentialsTakeBillingFromTheEnvironment) {
  UseEnvironmentCredentials();
  ::setenv("CASPIO_BILLING_DAY", "27", 1);
  ::setenv("CASPIO_TIME_ZONE", "America/Los_Angeles", 1);
  ::setenv("CASPIO_QUOTA", "1000", 1);
  transport_->Answer(200, R"({"Result":[]})");
  ASSERT_EQ(Caspio({"run", "list_tables"}), kExitSuccess) << err_.str();
  ASSERT_EQ(Caspio({"usage"}), kExitSuccess) << err_.str();
  EXPECT_TRUE(absl::StrContains(out_.str(), "the CASPIO_* credentials"));
  EXPECT_TRUE(absl::StrContains(out_.str(), "3 of a 1,000 quota"))
      << out_.str();

  ::setenv("CASPIO_TIME_ZONE", "Nowhere/Special", 1);
  EXPECT_EQ(Caspio({"run", "list_tables"}), kExitUserInput);
  EXPECT_TRUE(absl::StrContains(out_.str(), "CASPIO_TIME_ZONE")) << out_.str();
}

TEST_F(UsageCommandTest, HelpDocumentsTheFlags) {
  Caspio({"auth", "set", "--help"});
  EXPECT_TRUE(absl::StrContains(out_.str(), "--billing-day"));
  EXPECT_TRUE(absl::StrContains(out_.str(), "--time-zone"));
  EXPECT_TRUE(absl::StrContains(out_.str(), "--quota"));
  Caspio({"usage", "--help"});
  EXPECT_TRUE(absl::StrContains(out_.str(), "this machine"));
  Caspio({"run", "--help"});
  EXPECT_TRUE(absl::StrContains(out_.str(), "--stats"));
}

}  // namespace
}  // namespace caspio::cli
