// The fault side of the emulator's server: the control interface under
// /_emulator and the guard that applies the fault plan to Caspio's routes.
// Both exist only with ServerOptions::control.
#include <httplib.h>

#include <thread>

#include "emulator/faults/injector.h"
#include "emulator/faults/proxy.h"
#include "emulator/http/server.h"
#include "emulator/http/wire.h"

namespace caspio::emulator {
namespace {

constexpr char kFaultsPath[] = "/_emulator/faults";
constexpr char kFaultLogPath[] = "/_emulator/faults/log";

void SendControlError(httplib::Response& res, std::string message) {
  Json body = Json::object();
  body["error"] = std::move(message);
  SendJson(res, 400, body);
}

}  // namespace

Server::Handler Server::Guard(std::string_view route, Handler handler) {
  if (!faults_) return handler;
  return [this, route, handler = std::move(handler)](
             const httplib::Request& req, httplib::Response& res) {
    bool token_route = route == kTokenRoute;
    std::string token = BearerToken(req).value_or("");
    std::string profile;
    if (token_route) {
      profile = ReadClientCredentials(req, ParseForm(req.body)).first;
    } else if (!token.empty() && faults_->active()) {
      profile = store_.AccessTokenOwner(token);
    }

    auto injection =
        faults_->Decide({route, req.method, req.path, profile, token});
    if (!injection) return handler(req, res);
    Inject(*injection, req, res, handler);
  };
}

void Server::Inject(const Injection& injection, const httplib::Request& req,
                    httplib::Response& res, const Handler& handler) {
  switch (injection.kind) {
    case FaultKind::kLatency:
      std::this_thread::sleep_for(injection.delay);
      return handler(req, res);
    case FaultKind::kTokenExpiry:
      // The request itself then meets an expired token (401).
      if (auto s = store_.ExpireAccessTokens(); !s.ok()) {
        return SendError(req, res,
                         {500, "InternalError", std::string(s.message())});
      }
      return handler(req, res);
    case FaultKind::kDropBefore:
      // The proxy closes the connection on seeing the header.
      res.status = 503;
      res.set_header(kDropHeader, "before");
      return;
    case FaultKind::kDropAfter:
      handler(req, res);
      res.set_header(kDropHeader, "after");
      return;
    case FaultKind::kRateLimit429:
    case FaultKind::kRateLimit400:
    case FaultKind::kTokenBucket:
      return SendRateLimit(res, injection.status, injection.retry_after);
    case FaultKind::kError500:
      return SendError(req, res,
                       {500, "InternalError",
                        "An unexpected error occurred. Try again later."});
    case FaultKind::kError503:
      res.status = 503;
      if (injection.retry_after) {
        res.set_header("Retry-After", std::to_string(*injection.retry_after));
      }
      if (injection.text_body) {
        res.set_content("Service Unavailable", "text/plain");
      }
      return;
    case FaultKind::kStaleToken:
      // Caspio's answer to a token gone stale mid-run (API.md 2.5).
      return SendError(req, res,
                       {400, "IncorrectQueryParameter",
                        "Cannot perform operation because one or more "
                        "parameters are incorrect."});
  }
}

void Server::RouteControl() {
  http_->Put(kFaultsPath,
             [this](const httplib::Request& req, httplib::Response& res) {
               Json plan = Json::parse(req.body, nullptr, false);
               if (plan.is_discarded()) {
                 return SendControlError(res, "plan: not valid JSON");
               }
               if (auto s = faults_->SetPlan(plan); !s.ok()) {
                 return SendControlError(res, std::string(s.message()));
               }
               SendJson(res, 200, faults_->PlanJson());
             });
  http_->Get(kFaultsPath,
             [this](const httplib::Request&, httplib::Response& res) {
               SendJson(res, 200, faults_->PlanJson());
             });
  http_->Get(kFaultLogPath,
             [this](const httplib::Request&, httplib::Response& res) {
               SendJson(res, 200, faults_->Log());
             });
  http_->Delete(kFaultLogPath,
                [this](const httplib::Request&, httplib::Response& res) {
                  faults_->ResetLog();
                  res.status = 204;
                });
}

}  // namespace caspio::emulator
