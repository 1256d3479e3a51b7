// The caspio command against a running emulator: JSON in, JSON out, exit
// codes, and authentications as a user creates them.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "data.h"
#include "import/source.h"
#include "support/process.h"

namespace caspio::testing {
namespace {

using Json = nlohmann::json;

class CliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    emulator_ = Emulator::Start().release();
    emulator_->Import("Airports", VegaFile("airports.csv"), "csv");
  }
  static void TearDownTestSuite() { delete emulator_; }

  // The command with a private config directory and only the credentials
  // given here in its environment.
  CommandResult Caspio(const std::vector<std::string>& args,
                       std::map<std::string, std::string> env = {},
                       const std::string& input = "") {
    std::vector<std::string> argv = {CliPath()};
    argv.insert(argv.end(), args.begin(), args.end());
    env.emplace("XDG_CONFIG_HOME", home_.path() + "/config");
    env.emplace("XDG_CACHE_HOME", home_.path() + "/cache");
    env.emplace("XDG_STATE_HOME", home_.path() + "/state");
    for (const char* name : {"CASPIO_SUBDOMAIN", "CASPIO_INTEGRATION_URL",
                             "CASPIO_CLIENT_ID", "CASPIO_CLIENT_SECRET"}) {
      env.emplace(name, "");
    }
    return RunCommand(argv, env, input);
  }

  std::map<std::string, std::string> Credentials(
      const std::string& secret = "") const {
    return {{"CASPIO_INTEGRATION_URL", emulator_->base_url()},
            {"CASPIO_CLIENT_ID", emulator_->client_id()},
            {"CASPIO_CLIENT_SECRET",
             secret.empty() ? emulator_->client_secret() : secret}};
  }

  // `caspio run OP --input INPUT` with environment credentials.
  std::pair<int, Json> Run(const std::string& op, const Json& input,
                           const std::map<std::string, std::string>& env) {
    auto r = Caspio({"run", op, "--input", input.dump()}, env);
    Json envelope = Json::parse(r.out, nullptr, false);
    EXPECT_FALSE(envelope.is_discarded()) << r.out << r.err;
    return {r.exit_code, envelope};
  }
  std::pair<int, Json> Run(const std::string& op, const Json& input) {
    return Run(op, input, Credentials());
  }

  static Emulator* emulator_;
  TempDir home_;
};

Emulator* CliTest::emulator_ = nullptr;

TEST_F(CliTest, AllPagesOfAStateMatchTheCsv) {
  auto table = import::ParseCsv(VegaFile("airports.csv"));
  ASSERT_TRUE(table.ok());
  std::multiset<std::string> expected;
  for (const auto& row : table->rows) {
    if (row[3].text == "TX") expected.insert(row[0].text);
  }

  auto [code, envelope] =
      Run("list_table_records", {{"table", "Airports"},
                                 {"match", {{"state", "TX"}}},
                                 {"page_size", 5},
                                 {"all_pages", true}});
  ASSERT_EQ(code, 0) << envelope;
  EXPECT_EQ(envelope["outcome"], "success");
  std::multiset<std::string> codes;
  std::set<std::int64_t> ids;
  for (const auto& record : envelope["output"]["records"]) {
    codes.insert(record["iata"].get<std::string>());
    EXPECT_TRUE(ids.insert(record["PK_ID"].get<std::int64_t>()).second);
  }
  EXPECT_EQ(codes, expected);
  EXPECT_EQ(envelope["output"]["count"], expected.size());
}

TEST_F(CliTest, WrongSecretIsAnAuthErrorWithItsExitCode) {
  auto [code, envelope] =
      Run("list_tables", Json::object(), Credentials("not-the-secret"));
  EXPECT_EQ(code, 4);
  EXPECT_EQ(envelope["outcome"], "error");
  EXPECT_EQ(envelope["error"]["class"], "auth");
  EXPECT_EQ(envelope.dump().find("not-the-secret"), std::string::npos);
}

TEST_F(CliTest, InvalidInputIsRefusedBeforeAnyCall) {
  // Nothing listens on port 9: a call would be a transport error.
  std::map<std::string, std::string> env = Credentials();
  env["CASPIO_INTEGRATION_URL"] = "http://127.0.0.1:9";
  auto [code, envelope] =
      Run("list_table_records", {{"table", "Airports"}, {"page_size", 3}}, env);
  EXPECT_EQ(code, 3);
  EXPECT_EQ(envelope["error"]["class"], "user_input");
  EXPECT_NE(envelope["error"]["message"].get<std::string>().find("page_size"),
            std::string::npos)
      << envelope;
  auto [unreachable, transport] = Run("list_tables", Json::object(), env);
  EXPECT_EQ(unreachable, 10);
  EXPECT_EQ(transport["error"]["class"], "transport");
}

TEST_F(CliTest, AQuoteInAMatchValueCannotChangeWhichRowsMatch) {
  auto [code, inserted] =
      Run("create_table_record",
          {{"table", "Airports"},
           {"record", {{"iata", "QQ3"}, {"name", "O'Hare Annex"}}}});
  ASSERT_EQ(code, 0) << inserted;
  for (const char* value : {"x' OR '1'='1", "' OR 1=1 --", "O'Hare%"}) {
    auto [c, found] = Run("list_table_records", {{"table", "Airports"},
                                                 {"match", {{"name", value}}}});
    ASSERT_EQ(c, 0) << found;
    EXPECT_EQ(found["output"]["count"], 0) << value;
  }
  auto [c, exact] =
      Run("list_table_records",
          {{"table", "Airports"}, {"match", {{"name", "O'Hare Annex"}}}});
  EXPECT_EQ(exact["output"]["count"], 1);
  auto [d, deleted] =
      Run("delete_table_records",
          {{"table", "Airports"}, {"match", {{"name", "O'Hare Annex"}}}});
  EXPECT_EQ(deleted["output"]["records_affected"], 1);
}

TEST_F(CliTest, InsertUpdateDeleteRoundTrip) {
  auto [c1, inserted] =
      Run("create_table_record",
          {{"table", "Airports"},
           {"record", {{"iata", "QQ4"}, {"state", "QQ"}, {"latitude", 12.5}}}});
  ASSERT_EQ(c1, 0) << inserted;
  Json record = inserted["output"]["record"];
  EXPECT_EQ(record["latitude"], 12.5);
  Json match = {{"PK_ID", record["PK_ID"]}};

  auto [c2, updated] =
      Run("update_table_records", {{"table", "Airports"},
                                   {"match", match},
                                   {"values", {{"city", "Testville"}}},
                                   {"return_records", true}});
  ASSERT_EQ(c2, 0) << updated;
  EXPECT_EQ(updated["output"]["records_affected"], 1);
  EXPECT_EQ(updated["output"]["records"][0]["city"], "Testville");

  auto [c3, refused] = Run("delete_table_records", {{"table", "Airports"}});
  EXPECT_EQ(c3, 3) << refused;

  auto [c4, deleted] =
      Run("delete_table_records", {{"table", "Airports"}, {"match", match}});
  ASSERT_EQ(c4, 0);
  EXPECT_EQ(deleted["output"]["records_affected"], 1);
  auto [c5, none] =
      Run("delete_table_records", {{"table", "Airports"}, {"match", match}});
  EXPECT_EQ(none["output"]["records_affected"], 0);
}

TEST_F(CliTest, AuthenticationsAsAUserCreatesThem) {
  auto add = Caspio(
      {"auth", "add", "local", "--integration-url", emulator_->base_url() + "/",
       "--client-id", emulator_->client_id()},
      {}, emulator_->client_secret() + "\n");
  ASSERT_EQ(add.exit_code, 0) << add.err;

  auto store = std::filesystem::path(home_.path()) / "config" / "caspio";
  bool found_file = false;
  for (const auto& entry : std::filesystem::directory_iterator(store)) {
    struct stat st {};
    ASSERT_EQ(stat(entry.path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 077, 0u) << entry.path();
    found_file = true;
  }
  EXPECT_TRUE(found_file);

  auto list = Caspio({"auth", "list"});
  EXPECT_EQ(list.exit_code, 0);
  EXPECT_NE(list.out.find("local"), std::string::npos);
  EXPECT_EQ(list.out.find(emulator_->client_secret()), std::string::npos);

  auto test = Caspio({"auth", "test", "local"});
  EXPECT_EQ(test.exit_code, 0) << test.out << test.err;

  auto run =
      Caspio({"run", "test_connection", "--auth", "local", "--input", "{}"});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(run.out.find(emulator_->client_secret()), std::string::npos);

  auto remove = Caspio({"auth", "remove", "local"});
  EXPECT_EQ(remove.exit_code, 0);
  EXPECT_NE(Caspio({"auth", "test", "local"}).exit_code, 0);
}

TEST_F(CliTest, AuthTestSaysWhatIsWrong) {
  auto [id, secret] = emulator_->CreateProfile();
  ASSERT_EQ(Caspio({"auth", "add", "soon-off", "--integration-url",
                    emulator_->base_url(), "--client-id", id},
                   {}, secret)
                .exit_code,
            0);
  ASSERT_EQ(Caspio({"auth", "add", "wrong", "--integration-url",
                    emulator_->base_url(), "--client-id", id},
                   {}, "bad-secret")
                .exit_code,
            0);
  ASSERT_EQ(emulator_->Command({"profile", "disable", id}).exit_code, 0);

  auto disabled = Caspio({"auth", "test", "soon-off"});
  EXPECT_EQ(disabled.exit_code, 4);
  EXPECT_NE((disabled.out + disabled.err).find("disabled"), std::string::npos)
      << disabled.out << disabled.err;

  auto refused = Caspio({"auth", "test", "wrong"});
  EXPECT_EQ(refused.exit_code, 4);
  EXPECT_EQ((refused.out + refused.err).find("bad-secret"), std::string::npos);
}

TEST_F(CliTest, SubdomainsAreCheckedAndNormalised) {
  for (const char* good :
       {"b3poa", "b3poa.caspio.com", "https://b3poa.caspio.com/"}) {
    auto add =
        Caspio({"auth", "add", "s", "--subdomain", good, "--client-id", "abc"},
               {}, "secret");
    EXPECT_EQ(add.exit_code, 0) << good << add.err;
    auto list = Caspio({"auth", "list"});
    EXPECT_NE(list.out.find("b3poa"), std::string::npos);
    EXPECT_EQ(list.out.find("https://b3poa.caspio.com/"), std::string::npos);
    Caspio({"auth", "remove", "s"});
  }
  auto bad = Caspio(
      {"auth", "add", "s", "--subdomain", "my team!", "--client-id", "abc"}, {},
      "secret");
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("subdomain"), std::string::npos) << bad.err;
}

TEST_F(CliTest, CatalogIsBrowsable) {
  auto list = Caspio({"ops", "list"});
  ASSERT_EQ(list.exit_code, 0);
  for (const char* op :
       {"test_connection", "list_tables", "get_table", "list_table_fields",
        "create_table", "create_table_field", "list_table_records",
        "create_table_record", "update_table_records",
        "delete_table_records"}) {
    EXPECT_NE(list.out.find(op), std::string::npos) << op;
  }
  auto describe = Caspio({"ops", "describe", "list_table_records"});
  ASSERT_EQ(describe.exit_code, 0);
  EXPECT_NE(describe.out.find("page_size"), std::string::npos);
  EXPECT_NE(Caspio({"--version"}).out.find("0.1.0"), std::string::npos);
}

// ---- shared tokens and call metering (issue #3) ---------------------------

// The "stats" summary `caspio run --stats` prints as its last stderr line.
Json StatsOf(const CommandResult& result) {
  std::string err = result.err;
  while (!err.empty() && err.back() == '\n') err.pop_back();
  const std::size_t newline = err.rfind('\n');
  Json json =
      Json::parse(newline == std::string::npos ? err : err.substr(newline + 1),
                  nullptr, false);
  EXPECT_TRUE(json.is_object() && json.contains("stats")) << result.err;
  return json.is_object() ? json.value("stats", Json::object())
                          : Json::object();
}

// Exchanges of `operation` ("" for all) in a stats summary.
int ExchangesOf(const Json& stats, const std::string& operation) {
  int count = 0;
  for (const Json& call : stats.value("calls", Json::array())) {
    if (operation.empty() || call["operation"] == operation) {
      count += call["attempts"].get<int>();
    }
  }
  return count;
}

TEST_F(CliTest, BackToBackRunsShareOneTokenAndAreCounted) {
  // A profile of its own, so that no other test's token can be reused.
  auto [id, secret] = emulator_->CreateProfile();
  std::map<std::string, std::string> env = {
      {"CASPIO_INTEGRATION_URL", emulator_->base_url()},
      {"CASPIO_CLIENT_ID", id},
      {"CASPIO_CLIENT_SECRET", secret},
      {"XDG_STATE_HOME", home_.path() + "/state"}};

  int token_requests = 0;
  int exchanges = 0;
  for (int run = 0; run < 100; ++run) {
    auto result = Caspio({"run", "list_tables", "--stats"}, env);
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
    const Json stats = StatsOf(result);
    token_requests += ExchangesOf(stats, "token");
    exchanges += ExchangesOf(stats, "");
  }
  EXPECT_EQ(token_requests, 1);
  EXPECT_EQ(exchanges, 101);

  auto usage = Caspio({"usage"}, env);
  ASSERT_EQ(usage.exit_code, 0) << usage.err;
  EXPECT_NE(
      usage.out.find("calls from this machine: " + std::to_string(exchanges)),
      std::string::npos)
      << usage.out;
  EXPECT_NE(usage.out.find("this machine only"), std::string::npos);

  // The cache keeps no secret, and only its owner may look inside.
  const auto tokens =
      std::filesystem::path(home_.path()) / "cache" / "caspio" / "tokens";
  struct stat st {};
  ASSERT_EQ(stat(tokens.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  for (const auto& entry : std::filesystem::directory_iterator(tokens)) {
    ASSERT_EQ(stat(entry.path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u) << entry.path();
    std::ifstream in(entry.path());
    std::string text((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(text.find(secret), std::string::npos);
    EXPECT_EQ(entry.path().string().find(id), std::string::npos);
  }
}

TEST_F(CliTest, AChangedSecretIsNeverServedTheCachedToken) {
  auto [id, secret] = emulator_->CreateProfile();
  std::map<std::string, std::string> env = {
      {"CASPIO_INTEGRATION_URL", emulator_->base_url()},
      {"CASPIO_CLIENT_ID", id},
      {"CASPIO_CLIENT_SECRET", secret},
      {"XDG_STATE_HOME", home_.path() + "/state"}};
  auto first = Caspio({"run", "list_tables", "--stats"}, env);
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_EQ(ExchangesOf(StatsOf(first), "token"), 1);

  // Same URL and Client ID, another secret: the token endpoint is asked
  // (and refuses), the valid token in the cache is not used.
  std::map<std::string, std::string> changed = env;
  changed["CASPIO_CLIENT_SECRET"] = "a-different-secret";
  for (int run = 0; run < 2; ++run) {
    auto refused = Caspio({"run", "list_tables", "--stats"}, changed);
    EXPECT_EQ(refused.exit_code, 4) << refused.out << refused.err;
    EXPECT_EQ(ExchangesOf(StatsOf(refused), "token"), 1);
    EXPECT_EQ(ExchangesOf(StatsOf(refused), "ListTables"), 0);
    EXPECT_EQ((refused.out + refused.err).find("a-different-secret"),
              std::string::npos);
  }

  // Another valid profile on the same server gets a token of its own.
  auto [other_id, other_secret] = emulator_->CreateProfile();
  std::map<std::string, std::string> other = env;
  other["CASPIO_CLIENT_ID"] = other_id;
  other["CASPIO_CLIENT_SECRET"] = other_secret;
  auto own = Caspio({"run", "list_tables", "--stats"}, other);
  EXPECT_EQ(own.exit_code, 0) << own.out << own.err;
  EXPECT_EQ(ExchangesOf(StatsOf(own), "token"), 1);

  // The right secret still finds its token.
  auto again = Caspio({"run", "list_tables", "--stats"}, env);
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_EQ(ExchangesOf(StatsOf(again), "token"), 0);
}

}  // namespace
}  // namespace caspio::testing
