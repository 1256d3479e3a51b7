// Fakes of the layers below the code under test: a scripted Transport and
// a Clock that moves only when told.
#ifndef CASPIO_TESTS_UNIT_CLIENT_FAKES_H_
#define CASPIO_TESTS_UNIT_CLIENT_FAKES_H_

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "caspio/client.h"
#include "caspio/token.h"
#include "caspio/transport.h"

namespace caspio::testing {

class FakeClock : public Clock {
 public:
  std::chrono::system_clock::time_point Now() override;
  void Advance(std::chrono::system_clock::duration by);

 private:
  std::mutex mu_;
  std::chrono::system_clock::time_point now_{
      std::chrono::seconds(1'700'000'000)};
};

// Records each wait; when given a clock, also moves it forward by the wait,
// as real sleeping would. Thread-safe.
class FakeSleeper : public Sleeper {
 public:
  explicit FakeSleeper(std::shared_ptr<FakeClock> clock = nullptr)
      : clock_(std::move(clock)) {}
  void Sleep(std::chrono::milliseconds duration) override;
  std::vector<std::chrono::milliseconds> sleeps() const;

 private:
  std::shared_ptr<FakeClock> clock_;
  mutable std::mutex mu_;
  std::vector<std::chrono::milliseconds> sleeps_;
};

// Keeps every CallRecord. Thread-safe.
class RecordingObserver : public CallObserver {
 public:
  void OnCall(const CallRecord& call) override;
  std::vector<CallRecord> calls() const;

 private:
  mutable std::mutex mu_;
  std::vector<CallRecord> calls_;
};

// Answers POST .../oauth/token with "token-1", "token-2", ... (or the
// queued token answers), and every other request with the next queued
// answer. Records every request. Thread-safe.
class FakeTransport : public Transport {
 public:
  absl::StatusOr<HttpResponse> Send(const HttpRequest& request) override;

  void Answer(int status, std::string body, Headers headers = {});
  void Fail(absl::Status status);
  void AnswerToken(int status, std::string body);
  // Answers requests when no answer is queued (instead of a 500).
  void SetHandler(std::function<HttpResponse(const HttpRequest&)> handler);

  std::vector<HttpRequest> requests() const;      // all, in order
  std::vector<HttpRequest> api_requests() const;  // without token requests
  int token_requests() const;

 private:
  mutable std::mutex mu_;
  std::deque<absl::StatusOr<HttpResponse>> answers_;
  std::deque<HttpResponse> token_answers_;
  std::function<HttpResponse(const HttpRequest&)> handler_;
  std::vector<HttpRequest> requests_;
  int tokens_issued_ = 0;
};

bool IsTokenRequest(const HttpRequest& request);

// The value of header `name` in `request`, or "".
std::string HeaderOf(const HttpRequest& request, const std::string& name);

// The path of a URL without host and query.
std::string PathOf(const std::string& url);

// The raw (still encoded) query string of a URL.
std::string RawQueryOf(const std::string& url);

// Query parameters of a URL, decoded.
std::multimap<std::string, std::string> QueryOf(const std::string& url);

// The decoded form fields of an x-www-form-urlencoded body.
std::map<std::string, std::string> FormOf(const std::string& body);

// A client on "https://c0abc123.caspio.com" with id "client-id" and secret
// "client-secret", sending through `transport`, with `options` otherwise
// (a FakeSleeper on `clock` unless options name a sleeper).
Client MakeTestClient(std::shared_ptr<FakeTransport> transport,
                      std::shared_ptr<FakeClock> clock = nullptr,
                      ClientOptions options = {});

}  // namespace caspio::testing

#endif  // CASPIO_TESTS_UNIT_CLIENT_FAKES_H_
