#include "fake_transport.h"

#include <cstdlib>

#include "absl/strings/match.h"

namespace caspio::connector::testing {
namespace {

std::string Decode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(
          std::strtol(text.substr(i + 1, 2).c_str(), nullptr, 16));
      i += 2;
    } else if (text[i] == '+') {
      out += ' ';
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<caspio::HttpResponse> FakeTransport::Send(
    const caspio::HttpRequest& request) {
  std::lock_guard<std::mutex> lock(mu_);
  requests_.push_back(request);
  if (absl::StrContains(request.url, "/oauth/token")) {
    if (refuse_tokens_) {
      return caspio::HttpResponse{
          .status = 400,
          .headers = {{"Content-Type", "application/json"}},
          .body = refusal_};
    }
    return caspio::HttpResponse{
        .status = 200,
        .headers = {{"Content-Type", "application/json"}},
        .body = R"({"access_token":"fake-token","token_type":"bearer",)"
                R"("expires_in":86399})"};
  }
  if (answers_.empty()) {
    return caspio::HttpResponse{
        .status = 200,
        .headers = {{"Content-Type", "application/json"}},
        .body = R"({"Result":[]})"};
  }
  caspio::HttpResponse answer = std::move(answers_.front());
  answers_.pop_front();
  return answer;
}

void FakeTransport::Answer(int status, std::string body,
                           caspio::Headers headers) {
  std::lock_guard<std::mutex> lock(mu_);
  answers_.push_back(caspio::HttpResponse{.status = status,
                                          .headers = std::move(headers),
                                          .body = std::move(body)});
}

void FakeTransport::RefuseTokens(std::string body) {
  std::lock_guard<std::mutex> lock(mu_);
  refuse_tokens_ = true;
  refusal_ = std::move(body);
}

int FakeTransport::calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(requests_.size());
}

std::vector<caspio::HttpRequest> FakeTransport::api_requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<caspio::HttpRequest> api;
  for (const auto& request : requests_) {
    if (!absl::StrContains(request.url, "/oauth/token")) {
      api.push_back(request);
    }
  }
  return api;
}

caspio::Client MakeFakeClient(std::shared_ptr<FakeTransport> transport) {
  caspio::ClientOptions options;
  options.transport_override = std::move(transport);
  auto client = caspio::Client::Create(
      caspio::Credentials{.integration_url = "http://127.0.0.1:1",
                          .client_id = "id",
                          .client_secret = "secret"},
      std::move(options));
  return *std::move(client);
}

std::multimap<std::string, std::string> QueryOf(const std::string& url) {
  std::multimap<std::string, std::string> query;
  const auto start = url.find('?');
  if (start == std::string::npos) return query;
  std::size_t pos = start + 1;
  while (pos <= url.size()) {
    std::size_t end = url.find('&', pos);
    if (end == std::string::npos) end = url.size();
    const std::string pair = url.substr(pos, end - pos);
    const auto eq = pair.find('=');
    if (!pair.empty()) {
      query.emplace(Decode(pair.substr(0, eq)),
                    eq == std::string::npos ? "" : Decode(pair.substr(eq + 1)));
    }
    pos = end + 1;
  }
  return query;
}

std::string PathOf(const std::string& url) {
  const auto scheme = url.find("://");
  const auto path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (path == std::string::npos) return "/";
  return url.substr(path, url.find('?') - path);
}

}  // namespace caspio::connector::testing
