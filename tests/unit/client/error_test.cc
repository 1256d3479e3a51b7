#include "caspio/error.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/status/status.h"
#include "caspio/transport.h"
#include "client/http_error.h"

namespace caspio {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ErrorClassNameTest, GivesTheDocumentedNames) {
  EXPECT_EQ(ErrorClassName(ErrorClass::kUserInput), "user_input");
  EXPECT_EQ(ErrorClassName(ErrorClass::kAuth), "auth");
  EXPECT_EQ(ErrorClassName(ErrorClass::kPermission), "permission");
  EXPECT_EQ(ErrorClassName(ErrorClass::kNotFound), "not_found");
  EXPECT_EQ(ErrorClassName(ErrorClass::kConflict), "conflict");
  EXPECT_EQ(ErrorClassName(ErrorClass::kRateLimited), "rate_limited");
  EXPECT_EQ(ErrorClassName(ErrorClass::kServer), "server");
  EXPECT_EQ(ErrorClassName(ErrorClass::kTransport), "transport");
}

TEST(MakeErrorTest, RoundTripsEveryField) {
  absl::Status status = MakeError({.error_class = ErrorClass::kConflict,
                                   .http_status = 409,
                                   .code = "FileExists",
                                   .message = "already there \"quoted\"",
                                   .request_id = "ABC-123"});
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(status.message(), "already there \"quoted\"");

  ErrorInfo info = GetErrorInfo(status);
  EXPECT_EQ(info.error_class, ErrorClass::kConflict);
  EXPECT_EQ(info.http_status, 409);
  EXPECT_EQ(info.code, "FileExists");
  EXPECT_EQ(info.message, "already there \"quoted\"");
  EXPECT_EQ(info.request_id, "ABC-123");
}

TEST(MakeErrorTest, StatusCodeFollowsTheClass) {
  auto code = [](ErrorClass c) {
    return MakeError({.error_class = c, .message = "x"}).code();
  };
  EXPECT_EQ(code(ErrorClass::kUserInput), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(ErrorClass::kAuth), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(code(ErrorClass::kPermission), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(code(ErrorClass::kNotFound), absl::StatusCode::kNotFound);
  EXPECT_EQ(code(ErrorClass::kRateLimited),
            absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(code(ErrorClass::kServer), absl::StatusCode::kInternal);
  EXPECT_EQ(code(ErrorClass::kTransport), absl::StatusCode::kUnavailable);
}

TEST(MakeErrorTest, PayloadSurvivesTextThatIsNotUtf8) {
  absl::Status status =
      MakeError({.error_class = ErrorClass::kServer, .message = "bad \xff"});
  EXPECT_EQ(GetErrorInfo(status).error_class, ErrorClass::kServer);
  EXPECT_FALSE(status.ok());
}

TEST(GetErrorInfoTest, DerivesTheClassOfForeignStatuses) {
  EXPECT_EQ(GetErrorInfo(absl::NotFoundError("x")).error_class,
            ErrorClass::kNotFound);
  EXPECT_EQ(GetErrorInfo(absl::DeadlineExceededError("x")).error_class,
            ErrorClass::kTransport);
  EXPECT_EQ(GetErrorInfo(absl::InvalidArgumentError("x")).error_class,
            ErrorClass::kUserInput);
  EXPECT_EQ(GetErrorInfo(absl::UnknownError("x")).error_class,
            ErrorClass::kServer);
  EXPECT_EQ(GetErrorInfo(absl::UnauthenticatedError("why")).message, "why");
}

ErrorInfo Classify(int status, std::string body, Headers headers = {}) {
  return ErrorFromResponse("GET /tables/Orders/records",
                           HttpResponse{.status = status,
                                        .headers = std::move(headers),
                                        .body = std::move(body)});
}

std::string CaspioBody(const std::string& code) {
  return R"({"Code":")" + code +
         R"(","Message":"said the server",)"
         R"("Resource":"https://h/x?q.where=secret","RequestId":"RID-1"})";
}

TEST(ErrorFromResponseTest, MapsHttpStatusesToClasses) {
  EXPECT_EQ(Classify(400, CaspioBody("IncorrectQueryParameter")).error_class,
            ErrorClass::kUserInput);
  EXPECT_EQ(Classify(401, "").error_class, ErrorClass::kAuth);
  EXPECT_EQ(Classify(403, CaspioBody("Forbidden")).error_class,
            ErrorClass::kPermission);
  EXPECT_EQ(Classify(404, CaspioBody("ObjectNotFound")).error_class,
            ErrorClass::kNotFound);
  EXPECT_EQ(Classify(409, CaspioBody("Conflict")).error_class,
            ErrorClass::kConflict);
  EXPECT_EQ(Classify(413, "").error_class, ErrorClass::kUserInput);
  EXPECT_EQ(Classify(414, "").error_class, ErrorClass::kUserInput);
  EXPECT_EQ(Classify(415, "").error_class, ErrorClass::kUserInput);
  EXPECT_EQ(Classify(422, "").error_class, ErrorClass::kUserInput);
  EXPECT_EQ(Classify(429, "").error_class, ErrorClass::kRateLimited);
  EXPECT_EQ(Classify(500, "").error_class, ErrorClass::kServer);
  EXPECT_EQ(Classify(503, "<html>busy</html>").error_class,
            ErrorClass::kServer);
}

TEST(ErrorFromResponseTest, KeepsCaspioCodeMessageAndRequestId) {
  ErrorInfo info = Classify(400, CaspioBody("SqlServerError"));
  EXPECT_EQ(info.http_status, 400);
  EXPECT_EQ(info.code, "SqlServerError");
  EXPECT_EQ(info.request_id, "RID-1");
  EXPECT_THAT(info.message, HasSubstr("GET /tables/Orders/records"));
  EXPECT_THAT(info.message, HasSubstr("said the server"));
  // Resource repeats the full URL with its query; it stays out.
  EXPECT_THAT(info.message, Not(HasSubstr("q.where")));
}

TEST(ErrorFromResponseTest, RequestIdHeaderWins) {
  ErrorInfo info = Classify(500, "", {{"x-caspio-request-id", "HDR-9"}});
  EXPECT_EQ(info.request_id, "HDR-9");
}

TEST(ErrorFromResponseTest, EmptyBodied404IsAMissingEndpoint) {
  ErrorInfo info = Classify(404, "");
  EXPECT_EQ(info.error_class, ErrorClass::kNotFound);
  EXPECT_THAT(info.message,
              HasSubstr("no such endpoint: check the integration URL and API "
                        "version"));
  EXPECT_THAT(info.message, Not(HasSubstr("record not found")));
}

TEST(ErrorFromResponseTest, HtmlBodied404IsAMissingEndpoint) {
  ErrorInfo info = Classify(404, "<html><body>Not Found</body></html>");
  EXPECT_EQ(info.error_class, ErrorClass::kNotFound);
  EXPECT_THAT(info.message, HasSubstr("no such endpoint"));
}

TEST(ErrorFromResponseTest, CaspioBodied404IsNotAMissingEndpoint) {
  ErrorInfo info = Classify(404, CaspioBody("ObjectNotFound"));
  EXPECT_EQ(info.code, "ObjectNotFound");
  EXPECT_THAT(info.message, Not(HasSubstr("no such endpoint")));
}

constexpr char kRateLimitBody[] =
    R"([{"message":"You have exceeded your API call rate limits.",)"
    R"("name":"api-calls-rate"}])";

TEST(ErrorFromResponseTest, RateLimitArrayAt400IsRateLimited) {
  ErrorInfo info = Classify(400, kRateLimitBody);
  EXPECT_EQ(info.error_class, ErrorClass::kRateLimited);
  EXPECT_EQ(info.code, "api-calls-rate");
  EXPECT_THAT(info.message, HasSubstr("exceeded your API call rate limits"));
}

TEST(ErrorFromResponseTest, RateLimitArrayAt429IsRateLimited) {
  EXPECT_EQ(Classify(429, kRateLimitBody).error_class,
            ErrorClass::kRateLimited);
  EXPECT_EQ(Classify(429, R"([{"name":"api-calls-rate"}])").error_class,
            ErrorClass::kRateLimited);
}

TEST(ErrorFromResponseTest, DisabledProfileIsAnAuthError) {
  EXPECT_EQ(Classify(400, CaspioBody("ProfileDisabled")).error_class,
            ErrorClass::kAuth);
}

}  // namespace
}  // namespace caspio
