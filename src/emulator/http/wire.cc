#include "emulator/http/wire.h"

#include <openssl/rand.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace caspio::emulator {
namespace {

constexpr char kJson[] = "application/json; charset=utf-8";

}  // namespace

std::map<std::string, std::string> ParseForm(const std::string& body) {
  std::map<std::string, std::string> form;
  for (absl::string_view pair : absl::StrSplit(body, '&', absl::SkipEmpty())) {
    std::pair<std::string, std::string> kv = absl::StrSplit(pair, '=');
    form[httplib::detail::decode_url(kv.first, true)] =
        httplib::detail::decode_url(kv.second, true);
  }
  return form;
}

std::pair<std::string, std::string> ReadClientCredentials(
    const httplib::Request& req,
    const std::map<std::string, std::string>& form) {
  std::string basic = req.get_header_value("Authorization");
  if (absl::StartsWithIgnoreCase(basic, "Basic ")) {
    std::string decoded;
    absl::Base64Unescape(basic.substr(6), &decoded);
    std::pair<std::string, std::string> kv =
        absl::StrSplit(decoded, absl::MaxSplits(':', 1));
    return {httplib::detail::decode_url(kv.first, true),
            httplib::detail::decode_url(kv.second, true)};
  }
  auto field = [&form](const char* name) {
    auto it = form.find(name);
    return it == form.end() ? std::string() : it->second;
  };
  return {field("client_id"), field("client_secret")};
}

std::optional<std::string> BearerToken(const httplib::Request& req) {
  std::string auth = req.get_header_value("Authorization");
  if (!absl::StartsWithIgnoreCase(auth, "Bearer ")) return std::nullopt;
  return auth.substr(7);
}

std::string NewRequestId() {
  unsigned char b[16];
  RAND_bytes(b, sizeof b);
  std::string h = absl::AsciiStrToUpper(absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(b), sizeof b)));
  return absl::StrCat(h.substr(0, 8), "-", h.substr(8, 4), "-", h.substr(12, 4),
                      "-", h.substr(16, 4), "-", h.substr(20, 12));
}

void SendJson(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(), kJson);
}

void SendError(const httplib::Request& req, httplib::Response& res,
               const ApiError& error) {
  Json body = Json::object();
  body["Code"] = error.code;
  body["Message"] = error.message;
  body["Resource"] = absl::StrCat(req.ssl ? "https://" : "http://",
                                  req.get_header_value("Host"), req.target);
  body["RequestId"] = res.get_header_value(kRequestIdHeader);
  SendJson(res, error.status, body);
}

void SendRateLimit(httplib::Response& res, int status,
                   std::optional<int> retry_after) {
  Json limit = Json::object();
  limit["message"] = "You have exceeded your API call rate limits.";
  limit["name"] = "api-calls-rate";
  if (retry_after) res.set_header("Retry-After", std::to_string(*retry_after));
  SendJson(res, status, Json::array({limit}));
}

}  // namespace caspio::emulator
