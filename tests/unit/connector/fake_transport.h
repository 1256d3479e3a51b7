// A Transport that answers from a script and counts what it was asked, so
// connector tests can see whether (and what) a request went out.
#ifndef CASPIO_TESTS_UNIT_CONNECTOR_FAKE_TRANSPORT_H_
#define CASPIO_TESTS_UNIT_CONNECTOR_FAKE_TRANSPORT_H_

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "caspio/client.h"
#include "caspio/transport.h"

namespace caspio::connector::testing {

// Token requests get a fixed bearer token (or, after RefuseTokens, Caspio's
// invalid_client answer); every other request gets the
// next scripted answer (200 {"Result": []} when none is left). Thread-safe.
class FakeTransport : public caspio::Transport {
 public:
  absl::StatusOr<caspio::HttpResponse> Send(
      const caspio::HttpRequest& request) override;

  void Answer(int status, std::string body,
              caspio::Headers headers = {{"Content-Type", "application/json"}});

  // From now on the token endpoint answers 400 with `body`.
  void RefuseTokens(std::string body = R"({"error":"invalid_client"})");

  int calls() const;  // every request, token requests included
  std::vector<caspio::HttpRequest> api_requests() const;

 private:
  mutable std::mutex mu_;
  std::deque<caspio::HttpResponse> answers_;
  std::vector<caspio::HttpRequest> requests_;
  bool refuse_tokens_ = false;
  std::string refusal_;
};

// A client for http://127.0.0.1:1 that talks only to `transport`.
caspio::Client MakeFakeClient(std::shared_ptr<FakeTransport> transport);

// The decoded query parameters of a URL ("q.where" -> "PK_ID>0").
std::multimap<std::string, std::string> QueryOf(const std::string& url);

// The path of a URL, without scheme, host and query.
std::string PathOf(const std::string& url);

}  // namespace caspio::connector::testing

#endif  // CASPIO_TESTS_UNIT_CONNECTOR_FAKE_TRANSPORT_H_
