// The `caspio` command line, run in-process with fake streams and network.
#include "cli/commands.h"

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include "support/scratch_dir.h"

#include "absl/strings/match.h"
#include "cli/exit_codes.h"
#include "fake_transport.h"

namespace caspio::cli {
namespace {

using Json = nlohmann::ordered_json;
using connector::testing::FakeTransport;

class CommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = caspio::testing::MakeScratchDirectory("cli");
    ::setenv("XDG_CONFIG_HOME", dir_.c_str(), 1);
    ::setenv("XDG_CACHE_HOME", (dir_ / "cache").c_str(), 1);
    ::setenv("XDG_STATE_HOME", (dir_ / "state").c_str(), 1);
    for (const char* name : {"CASPIO_SUBDOMAIN", "CASPIO_INTEGRATION_URL",
                             "CASPIO_CLIENT_ID", "CASPIO_CLIENT_SECRET"}) {
      ::unsetenv(name);
    }
  }
  void TearDown() override {
    for (const char* name :
         {"XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"}) {
      ::unsetenv(name);
    }
    std::filesystem::remove_all(dir_);
  }

  int Caspio(std::vector<const char*> args, std::string stdin_text = "") {
    args.insert(args.begin(), "caspio");
    in_.str(std::move(stdin_text));
    out_.str("");
    err_.str("");
    Io io{
        .in = in_,
        .out = out_,
        .err = err_,
        .read_secret = [this](std::string_view) -> absl::StatusOr<std::string> {
          return secret_;
        },
        .make_client = [this](caspio::Credentials credentials,
                              caspio::ClientOptions options)
            -> absl::StatusOr<caspio::Client> {
          ++clients_made_;
          last_credentials_ = credentials;
          options.transport_override = transport_;
          return caspio::Client::Create(std::move(credentials),
                                        std::move(options));
        }};
    return RunCommandLine(static_cast<int>(args.size()), args.data(), io);
  }

  std::filesystem::path dir_;
  std::stringstream in_, out_, err_;
  std::string secret_ = "the-client-secret";
  std::shared_ptr<FakeTransport> transport_ = std::make_shared<FakeTransport>();
  int clients_made_ = 0;
  caspio::Credentials last_credentials_;
};

TEST_F(CommandsTest, Version) {
  EXPECT_EQ(Caspio({"--version"}), kExitSuccess);
  EXPECT_FALSE(out_.str().empty());
}

TEST_F(CommandsTest, HelpListsExitCodes) {
  EXPECT_EQ(Caspio({"--help"}), kExitSuccess);
  EXPECT_TRUE(absl::StrContains(out_.str(), "10  transport"));
}

TEST_F(CommandsTest, UsageErrorsExit2) {
  EXPECT_EQ(Caspio({}), kExitUsage);
  EXPECT_EQ(Caspio({"run"}), kExitUsage);  // no operation
  EXPECT_EQ(Caspio({"run", "list_tables", "--input"}), kExitUsage);
  EXPECT_EQ(Caspio({"frobnicate"}), kExitUsage);
  EXPECT_EQ(Caspio({"run", "drop_everything", "--input", "{}"}), kExitUsage);
  EXPECT_EQ(Caspio({"ops", "describe", "nope"}), kExitUsage);
}

TEST_F(CommandsTest, OpsListAndDescribe) {
  ASSERT_EQ(Caspio({"ops", "list"}), kExitSuccess);
  EXPECT_TRUE(absl::StrContains(out_.str(), "list_table_records"));
  EXPECT_TRUE(absl::StrContains(out_.str(), "List table records\n"));

  ASSERT_EQ(Caspio({"ops", "describe", "delete_table_records"}), kExitSuccess);
  const Json description = Json::parse(out_.str());
  EXPECT_EQ(description["input_schema"]["required"], Json::array({"table"}));
  EXPECT_TRUE(description["output_schema"].is_object());
}

TEST_F(CommandsTest, BadInputExits3BeforeLookingForCredentials) {
  EXPECT_EQ(Caspio({"run", "list_table_records", "--input",
                    R"({"table":"T","page_size":2000})"}),
            kExitUserInput);
  const Json envelope = Json::parse(out_.str());
  EXPECT_EQ(envelope["error"]["class"], "user_input");
  EXPECT_EQ(out_.str().find('\n'), out_.str().size() - 1);  // one line
  EXPECT_EQ(clients_made_, 0);

  EXPECT_EQ(Caspio({"run", "list_tables", "--input", "{not json"}),
            kExitUserInput);
  EXPECT_EQ(Caspio({"run", "list_tables", "--input", "@/no/such/file"}),
            kExitUserInput);
  EXPECT_EQ(transport_->calls(), 0);
}

TEST_F(CommandsTest, MissingCredentialsExit4) {
  EXPECT_EQ(Caspio({"run", "list_tables", "--input", "{}"}), kExitAuth);
  const Json envelope = Json::parse(out_.str());
  EXPECT_EQ(envelope["error"]["class"], "auth");
  EXPECT_TRUE(absl::StrContains(envelope["error"]["message"].get<std::string>(),
                                "CASPIO_CLIENT_ID"));
}

TEST_F(CommandsTest, RunsWithEnvironmentCredentialsAndStdinInput) {
  ::setenv("CASPIO_INTEGRATION_URL", "http://127.0.0.1:41234", 1);
  ::setenv("CASPIO_CLIENT_ID", "id", 1);
  ::setenv("CASPIO_CLIENT_SECRET", "secret", 1);
  transport_->Answer(200, R"({"Result":["A","B"]})");

  EXPECT_EQ(Caspio({"run", "list_tables", "--input", "-"}, "{}"), kExitSuccess);
  EXPECT_EQ(
      out_.str(),
      "{\"outcome\":\"success\",\"output\":{\"tables\":[\"A\",\"B\"]}}\n");
  EXPECT_EQ(last_credentials_.integration_url, "http://127.0.0.1:41234");
}

TEST_F(CommandsTest, ErrorClassDecidesTheExitCode) {
  ::setenv("CASPIO_SUBDOMAIN", "b3poa", 1);
  ::setenv("CASPIO_CLIENT_ID", "id", 1);
  ::setenv("CASPIO_CLIENT_SECRET", "secret", 1);
  transport_->Answer(404, R"({"Code":"ObjectNotFound","Message":"no"})");

  EXPECT_EQ(
      Caspio({"run", "get_table", "--input", R"({"table":"X"})", "--pretty"}),
      kExitNotFound);
  EXPECT_EQ(Json::parse(out_.str())["error"]["class"], "not_found");
}

TEST_F(CommandsTest, AuthAddNormalisesTheSubdomainAndHidesTheSecret) {
  ASSERT_EQ(Caspio({"auth", "add", "prod", "--subdomain",
                    "https://b3poa.caspio.com/", "--client-id", "cid"}),
            kExitSuccess)
      << err_.str();
  EXPECT_FALSE(absl::StrContains(err_.str(), secret_));

  ASSERT_EQ(Caspio({"auth", "list"}), kExitSuccess);
  EXPECT_TRUE(absl::StrContains(out_.str(), "prod"));
  EXPECT_TRUE(absl::StrContains(out_.str(), "subdomain b3poa "));
  EXPECT_TRUE(absl::StrContains(out_.str(), "cid"));
  EXPECT_FALSE(absl::StrContains(out_.str() + err_.str(), secret_));
}

TEST_F(CommandsTest, AuthAddRefusesWhatIsNotASubdomain) {
  EXPECT_EQ(Caspio({"auth", "add", "prod", "--subdomain",
                    "https://example.com/x", "--client-id", "cid"}),
            kExitUserInput);
  EXPECT_TRUE(absl::StrContains(err_.str(), "subdomain")) << err_.str();
  EXPECT_EQ(Caspio({"auth", "add", "prod", "--client-id", "cid"}), kExitUsage);
  secret_ = "";
  EXPECT_NE(Caspio({"auth", "add", "prod", "--subdomain", "b3poa",
                    "--client-id", "cid"}),
            kExitSuccess);
}

TEST_F(CommandsTest, RunWithSavedAuthentication) {
  ASSERT_EQ(Caspio({"auth", "add", "local", "--integration-url",
                    "http://127.0.0.1:41234/", "--client-id", "cid"}),
            kExitSuccess)
      << err_.str();
  transport_->Answer(200, R"({"Result":["A"]})");

  EXPECT_EQ(
      Caspio({"run", "test_connection", "--input", "{}", "--auth", "local"}),
      kExitSuccess);
  EXPECT_EQ(last_credentials_.client_secret, secret_);
  EXPECT_EQ(
      Caspio({"run", "test_connection", "--input", "{}", "--auth", "missing"}),
      kExitUsage);
}

TEST_F(CommandsTest, AuthTestExplainsRefusedCredentials) {
  ASSERT_EQ(Caspio({"auth", "add", "local", "--integration-url",
                    "http://127.0.0.1:41234", "--client-id", "cid"}),
            kExitSuccess);
  transport_->Answer(200, R"({"Result":["A","B"]})");
  EXPECT_EQ(Caspio({"auth", "test", "local"}), kExitSuccess) << err_.str();
  EXPECT_TRUE(absl::StrContains(out_.str(), "2 tables"));

  transport_->RefuseTokens();
  EXPECT_EQ(Caspio({"auth", "test", "local"}), kExitAuth);
  EXPECT_TRUE(absl::StrContains(err_.str(), "refused the Client ID"))
      << err_.str();
  EXPECT_TRUE(absl::StrContains(err_.str(), "does not work")) << err_.str();
  EXPECT_FALSE(absl::StrContains(err_.str(), secret_));
}

TEST_F(CommandsTest, AuthTestRecognisesADisabledProfile) {
  ASSERT_EQ(Caspio({"auth", "add", "local", "--integration-url",
                    "http://127.0.0.1:41234", "--client-id", "cid"}),
            kExitSuccess);
  transport_->RefuseTokens(
      R"({"error":"invalid_client",)"
      R"("error_description":"The API profile is disabled."})");

  EXPECT_EQ(Caspio({"auth", "test", "local"}), kExitAuth);
  EXPECT_TRUE(absl::StrContains(err_.str(), "profile is disabled"))
      << err_.str();
}

TEST_F(CommandsTest, AuthRemove) {
  ASSERT_EQ(Caspio({"auth", "add", "a", "--subdomain", "b3poa", "--client-id",
                    "cid"}),
            kExitSuccess);
  EXPECT_EQ(Caspio({"auth", "remove", "a"}), kExitSuccess);
  EXPECT_EQ(Caspio({"auth", "remove", "a"}), kExitNotFound);
}

}  // namespace
}  // namespace caspio::cli
