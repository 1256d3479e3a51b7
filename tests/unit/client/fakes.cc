#include "fakes.h"

#include <string>
#include <utility>

#include "absl/strings/match.h"

namespace caspio::testing {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string Decode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
        HexValue(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 +
                                      HexValue(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::multimap<std::string, std::string> SplitPairs(const std::string& text) {
  std::multimap<std::string, std::string> pairs;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('&', start);
    if (end == std::string::npos) end = text.size();
    std::string pair = text.substr(start, end - start);
    std::size_t equals = pair.find('=');
    pairs.emplace(
        Decode(pair.substr(0, equals)),
        equals == std::string::npos ? "" : Decode(pair.substr(equals + 1)));
    start = end + 1;
  }
  return pairs;
}

}  // namespace

std::chrono::system_clock::time_point FakeClock::Now() {
  std::lock_guard<std::mutex> lock(mu_);
  return now_;
}

void FakeClock::Advance(std::chrono::system_clock::duration by) {
  std::lock_guard<std::mutex> lock(mu_);
  now_ += by;
}

void FakeSleeper::Sleep(std::chrono::milliseconds duration) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    sleeps_.push_back(duration);
  }
  if (clock_) clock_->Advance(duration);
}

std::vector<std::chrono::milliseconds> FakeSleeper::sleeps() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sleeps_;
}

void RecordingObserver::OnCall(const CallRecord& call) {
  std::lock_guard<std::mutex> lock(mu_);
  calls_.push_back(call);
}

std::vector<CallRecord> RecordingObserver::calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return calls_;
}

bool IsTokenRequest(const HttpRequest& request) {
  return absl::EndsWith(PathOf(request.url), "/oauth/token");
}

absl::StatusOr<HttpResponse> FakeTransport::Send(const HttpRequest& request) {
  std::lock_guard<std::mutex> lock(mu_);
  requests_.push_back(request);
  if (IsTokenRequest(request)) {
    if (!token_answers_.empty()) {
      HttpResponse answer = token_answers_.front();
      token_answers_.pop_front();
      return answer;
    }
    ++tokens_issued_;
    std::string n = std::to_string(tokens_issued_);
    return HttpResponse{
        .status = 200,
        .body = R"({"access_token":"token-)" + n +
                R"(","token_type":"bearer","expires_in":3600,)" +
                R"("refresh_token":"refresh-)" + n + R"("})"};
  }
  if (answers_.empty() && handler_) return handler_(request);
  if (answers_.empty()) {
    return HttpResponse{
        .status = 500,
        .body = R"({"Code":"TestError","Message":"no answer queued"})"};
  }
  auto answer = answers_.front();
  answers_.pop_front();
  return answer;
}

void FakeTransport::Answer(int status, std::string body, Headers headers) {
  std::lock_guard<std::mutex> lock(mu_);
  answers_.push_back(HttpResponse{.status = status,
                                  .headers = std::move(headers),
                                  .body = std::move(body)});
}

void FakeTransport::Fail(absl::Status status) {
  std::lock_guard<std::mutex> lock(mu_);
  answers_.push_back(std::move(status));
}

void FakeTransport::AnswerToken(int status, std::string body) {
  std::lock_guard<std::mutex> lock(mu_);
  token_answers_.push_back(
      HttpResponse{.status = status, .body = std::move(body)});
}

void FakeTransport::SetHandler(
    std::function<HttpResponse(const HttpRequest&)> handler) {
  std::lock_guard<std::mutex> lock(mu_);
  handler_ = std::move(handler);
}

std::vector<HttpRequest> FakeTransport::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

std::vector<HttpRequest> FakeTransport::api_requests() const {
  std::vector<HttpRequest> api;
  for (const auto& request : requests()) {
    if (!IsTokenRequest(request)) api.push_back(request);
  }
  return api;
}

int FakeTransport::token_requests() const {
  int count = 0;
  for (const auto& request : requests()) count += IsTokenRequest(request);
  return count;
}

std::string HeaderOf(const HttpRequest& request, const std::string& name) {
  for (const auto& [header, value] : request.headers) {
    if (absl::EqualsIgnoreCase(header, name)) return value;
  }
  return "";
}

std::string PathOf(const std::string& url) {
  std::size_t start = url.find("://");
  start = url.find('/', start == std::string::npos ? 0 : start + 3);
  if (start == std::string::npos) return "";
  return url.substr(start, url.find('?', start) - start);
}

std::string RawQueryOf(const std::string& url) {
  std::size_t query = url.find('?');
  return query == std::string::npos ? "" : url.substr(query + 1);
}

std::multimap<std::string, std::string> QueryOf(const std::string& url) {
  return SplitPairs(RawQueryOf(url));
}

std::map<std::string, std::string> FormOf(const std::string& body) {
  auto pairs = SplitPairs(body);
  return std::map<std::string, std::string>(pairs.begin(), pairs.end());
}

Client MakeTestClient(std::shared_ptr<FakeTransport> transport,
                      std::shared_ptr<FakeClock> clock, ClientOptions options) {
  if (!clock) clock = std::make_shared<FakeClock>();
  if (!options.sleeper) options.sleeper = std::make_shared<FakeSleeper>(clock);
  options.transport_override = std::move(transport);
  options.clock = std::move(clock);
  auto client = Client::Create(
      {"https://c0abc123.caspio.com", "client-id", "client-secret"},
      std::move(options));
  return *std::move(client);
}

}  // namespace caspio::testing
