#include "caspio/credentials.h"

#include <cstdlib>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "caspio/error.h"

namespace caspio {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(NormalizeSubdomainTest, AcceptsWhatUsersPaste) {
  for (const char* text :
       {"b3poa", "B3POA", " b3poa\n", "b3poa.caspio.com", "B3poa.Caspio.com",
        "https://b3poa.caspio.com", "https://b3poa.caspio.com/",
        "https://b3poa.caspio.com/integrations/rest/v3",
        "https://b3poa.caspio.com/integrations/rest/v3/"}) {
    auto subdomain = NormalizeSubdomain(text);
    ASSERT_TRUE(subdomain.ok()) << text << ": " << subdomain.status();
    EXPECT_EQ(*subdomain, "b3poa") << text;
  }
  EXPECT_EQ(*NormalizeSubdomain("my-team-2"), "my-team-2");
  EXPECT_EQ(*NormalizeSubdomain(std::string(63, 'a')), std::string(63, 'a'));
}

TEST(NormalizeSubdomainTest, RefusesAnythingElse) {
  for (std::string text : std::vector<std::string>{
           "", "-abc", "abc-", "a_b", "a.b", "b3poa.example.com",
           std::string(64, 'a'), "https://b3poa.caspio.com/foo",
           "b3poa.caspio.com?x=1", "b3poa.caspio.com:8443", "ftp://b3poa",
           "user@b3poa.caspio.com", "b3 poa"}) {
    auto subdomain = NormalizeSubdomain(text);
    ASSERT_FALSE(subdomain.ok()) << text;
    EXPECT_EQ(subdomain.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(GetErrorInfo(subdomain.status()).error_class,
              ErrorClass::kUserInput);
  }
  EXPECT_THAT(std::string(NormalizeSubdomain("a_b").status().message()),
              HasSubstr("subdomain"));
}

TEST(IntegrationUrlFromSubdomainTest, BuildsTheHostRoot) {
  EXPECT_EQ(*IntegrationUrlFromSubdomain("b3poa"), "https://b3poa.caspio.com");
  EXPECT_EQ(*IntegrationUrlFromSubdomain("https://B3POA.caspio.com/"),
            "https://b3poa.caspio.com");
  EXPECT_FALSE(IntegrationUrlFromSubdomain("not a label").ok());
}

TEST(NormalizeIntegrationUrlTest, KeepsSchemeHostAndPort) {
  struct Case {
    const char* in;
    const char* out;
  };
  for (const Case& c : {
           Case{"https://c0abc123.caspio.com", "https://c0abc123.caspio.com"},
           Case{"https://c0abc123.caspio.com/", "https://c0abc123.caspio.com"},
           Case{"HTTPS://C0ABC123.Caspio.COM", "https://c0abc123.caspio.com"},
           Case{"https://c0abc123.caspio.com/integrations/rest",
                "https://c0abc123.caspio.com"},
           Case{"https://c0abc123.caspio.com/integrations/rest/v3/",
                "https://c0abc123.caspio.com"},
           Case{"https://c0abc123.caspio.com/rest/v2",
                "https://c0abc123.caspio.com"},
           Case{"https://c0abc123.caspio.com/oauth/token",
                "https://c0abc123.caspio.com"},
           Case{"c0abc123.caspio.com", "https://c0abc123.caspio.com"},
           Case{"https://emulator.test:8443", "https://emulator.test:8443"},
           Case{"http://localhost:8080", "http://localhost:8080"},
           Case{"http://127.0.0.1:9/", "http://127.0.0.1:9"},
           Case{"http://127.1.2.3", "http://127.1.2.3"},
           Case{"http://[::1]:8080/integrations/rest/v3", "http://[::1]:8080"},
       }) {
    auto url = NormalizeIntegrationUrl(c.in);
    ASSERT_TRUE(url.ok()) << c.in << ": " << url.status();
    EXPECT_EQ(*url, c.out) << c.in;
  }
}

TEST(NormalizeIntegrationUrlTest, RefusesPlainHttpToOtherHosts) {
  for (const char* text : {"http://c0abc123.caspio.com", "http://10.0.0.1:8080",
                           "http://127.evil.example",
                           "http://localhost.evil.example", "http://[::2]"}) {
    auto url = NormalizeIntegrationUrl(text);
    ASSERT_FALSE(url.ok()) << text;
    EXPECT_EQ(GetErrorInfo(url.status()).error_class, ErrorClass::kUserInput);
    EXPECT_THAT(std::string(url.status().message()), HasSubstr("https://"))
        << text;
    EXPECT_THAT(std::string(url.status().message()), HasSubstr("unencrypted"))
        << text;
  }
}

TEST(NormalizeIntegrationUrlTest, RefusesPathsQueriesAndUserInfo) {
  for (const char* text :
       {"", "https://", "https://c0abc123.caspio.com/other",
        "https://c0abc123.caspio.com/integrationsX",
        "https://c0abc123.caspio.com/?a=b", "https://c0abc123.caspio.com#x",
        "ftp://c0abc123.caspio.com", "https://host:0", "https://host:99999",
        "https://host:abc", "https://bad_host.com", "https://a..b"}) {
    auto url = NormalizeIntegrationUrl(text);
    EXPECT_FALSE(url.ok()) << text << " gave " << url.value_or("");
  }
}

TEST(NormalizeIntegrationUrlTest, NeverEchoesAPastedPassword) {
  auto url = NormalizeIntegrationUrl("https://id:hunter2@c0abc123.caspio.com");
  ASSERT_FALSE(url.ok());
  EXPECT_THAT(std::string(url.status().message()), Not(HasSubstr("hunter2")));
  auto subdomain = NormalizeSubdomain("https://id:hunter2@b3poa.caspio.com");
  ASSERT_FALSE(subdomain.ok());
  EXPECT_THAT(std::string(subdomain.status().message()),
              Not(HasSubstr("hunter2")));
}

class EnvironmentTest : public ::testing::Test {
 protected:
  void SetUp() override { Clear(); }
  void TearDown() override { Clear(); }
  static void Clear() {
    for (const char* name : {"CASPIO_SUBDOMAIN", "CASPIO_INTEGRATION_URL",
                             "CASPIO_CLIENT_ID", "CASPIO_CLIENT_SECRET"}) {
      unsetenv(name);
    }
  }
  static std::string ErrorText() {
    auto credentials = CredentialsFromEnvironment();
    EXPECT_FALSE(credentials.ok());
    return credentials.ok() ? "" : std::string(credentials.status().message());
  }
};

TEST_F(EnvironmentTest, ReadsASubdomain) {
  setenv("CASPIO_SUBDOMAIN", "b3poa", 1);
  setenv("CASPIO_CLIENT_ID", "id\n", 1);
  setenv("CASPIO_CLIENT_SECRET", "s3cr3t-value", 1);
  auto credentials = CredentialsFromEnvironment();
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_EQ(credentials->integration_url, "https://b3poa.caspio.com");
  EXPECT_EQ(credentials->client_id, "id");
  EXPECT_EQ(credentials->client_secret, "s3cr3t-value");
}

TEST_F(EnvironmentTest, ReadsAnIntegrationUrl) {
  setenv("CASPIO_INTEGRATION_URL", "http://127.0.0.1:8080/", 1);
  setenv("CASPIO_CLIENT_ID", "id", 1);
  setenv("CASPIO_CLIENT_SECRET", "secret", 1);
  auto credentials = CredentialsFromEnvironment();
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_EQ(credentials->integration_url, "http://127.0.0.1:8080");
}

TEST_F(EnvironmentTest, ErrorsNameTheVariable) {
  setenv("CASPIO_CLIENT_SECRET", "s3cr3t-value", 1);
  EXPECT_THAT(ErrorText(), HasSubstr("CASPIO_SUBDOMAIN"));

  setenv("CASPIO_SUBDOMAIN", "b3poa", 1);
  setenv("CASPIO_INTEGRATION_URL", "https://b3poa.caspio.com", 1);
  EXPECT_THAT(ErrorText(), HasSubstr("not both"));

  unsetenv("CASPIO_INTEGRATION_URL");
  EXPECT_THAT(ErrorText(), HasSubstr("CASPIO_CLIENT_ID"));

  setenv("CASPIO_SUBDOMAIN", "bad_label", 1);
  setenv("CASPIO_CLIENT_ID", "id", 1);
  EXPECT_THAT(ErrorText(), HasSubstr("CASPIO_SUBDOMAIN"));

  setenv("CASPIO_SUBDOMAIN", "b3poa", 1);
  unsetenv("CASPIO_CLIENT_SECRET");
  EXPECT_THAT(ErrorText(), HasSubstr("CASPIO_CLIENT_SECRET"));
}

TEST_F(EnvironmentTest, NeverPrintsTheSecret) {
  setenv("CASPIO_INTEGRATION_URL", "http://example.com", 1);
  setenv("CASPIO_CLIENT_ID", "id", 1);
  setenv("CASPIO_CLIENT_SECRET", "s3cr3t-value", 1);
  std::string text = ErrorText();
  EXPECT_THAT(text, HasSubstr("CASPIO_INTEGRATION_URL"));
  EXPECT_THAT(text, Not(HasSubstr("s3cr3t-value")));
}

}  // namespace
}  // namespace caspio
