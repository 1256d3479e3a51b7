// The libcurl transport against nothing: failures that need no server.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "caspio/error.h"
#include "caspio/transport.h"

namespace caspio {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(CurlTransportTest, RefusedConnectionIsATransportErrorNamingTheHost) {
  auto transport =
      MakeCurlTransport({.connect_timeout = std::chrono::milliseconds(2000),
                         .total_timeout = std::chrono::milliseconds(5000)});
  auto response = transport->Send(
      {.method = "GET",
       .url = "http://127.0.0.1:1/integrations/rest/v3/tables?q.where=needle",
       .headers = {{"Authorization", "Bearer secret-token"}}});
  ASSERT_FALSE(response.ok());
  ErrorInfo info = GetErrorInfo(response.status());
  EXPECT_EQ(info.error_class, ErrorClass::kTransport);
  EXPECT_EQ(info.http_status, 0);
  EXPECT_THAT(info.message, HasSubstr("127.0.0.1:1"));
  EXPECT_THAT(info.message, Not(HasSubstr("needle")));
  EXPECT_THAT(info.message, Not(HasSubstr("secret-token")));
}

TEST(CurlTransportTest, UnreadableCaBundleIsReported) {
  auto transport =
      MakeCurlTransport({.ca_bundle = "/nonexistent/caspio-extra-ca.pem"});
  auto response =
      transport->Send({.method = "GET", .url = "https://127.0.0.1:1/"});
  ASSERT_FALSE(response.ok());
  EXPECT_THAT(std::string(response.status().message()),
              HasSubstr("/nonexistent/caspio-extra-ca.pem"));
}

TEST(CurlTransportTest, HeaderLineBreaksAreRefused) {
  auto transport = MakeCurlTransport();
  auto response = transport->Send({.method = "GET",
                                   .url = "http://127.0.0.1:1/",
                                   .headers = {{"X-Test", "a\r\nEvil: 1"}}});
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(GetErrorInfo(response.status()).error_class,
            ErrorClass::kUserInput);
}

}  // namespace
}  // namespace caspio
