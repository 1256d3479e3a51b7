#include "emulator/http/server.h"

#include <httplib.h>

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "emulator/faults/injector.h"
#include "emulator/faults/proxy.h"
#include "emulator/http/wire.h"

namespace caspio::emulator {
namespace {

constexpr char kV3[] = "/integrations/rest/v3";

// Query parameters by lower-cased name: Caspio matches them regardless of
// case, and takes un-prefixed names ("where") as well as "q.where".
class QueryParams {
 public:
  explicit QueryParams(const httplib::Request& req) {
    for (const auto& [name, value] : req.params) {
      values_.emplace(absl::AsciiStrToLower(name), value);
    }
  }
  std::optional<std::string> Get(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end() && name.rfind("q.", 0) == 0) {
      it = values_.find(name.substr(2));
    }
    if (it == values_.end()) return std::nullopt;
    return it->second;
  }
  std::string Value(const std::string& name) const {
    return Get(name).value_or("");
  }

 private:
  std::multimap<std::string, std::string> values_;
};

ApiError IncorrectQuery(std::string message) {
  return {400, "IncorrectQueryParameter", std::move(message)};
}

// Parses an int32 query parameter; absent gives nullopt.
std::optional<ApiError> ParseInt(const QueryParams& q, const std::string& name,
                                 std::optional<std::int64_t>& out) {
  auto text = q.Get(name);
  if (!text || text->empty()) return std::nullopt;
  std::int32_t v = 0;
  if (!absl::SimpleAtoi(*text, &v)) {
    return IncorrectQuery(
        absl::StrCat("The value '", *text, "' is not valid for ", name, "."));
  }
  out = v;
  return std::nullopt;
}

struct Paging {
  Window window;
  bool paged = false;
  std::int64_t page_number = 1;
  std::int64_t page_size = 0;
};

// Caspio's paging rules: q.limit defaults to 100 and is capped at 1000; it
// is ignored when q.pageNumber or q.pageSize is given; a page size must be
// 5..1000 and defaults to 25.
std::variant<Paging, ApiError> ReadPaging(const QueryParams& q) {
  std::optional<std::int64_t> limit, number, size;
  for (auto [name, out] :
       {std::pair{"q.limit", &limit}, std::pair{"q.pagenumber", &number},
        std::pair{"q.pagesize", &size}}) {
    if (auto e = ParseInt(q, name, *out)) return *e;
  }
  Paging p;
  if (number || size) {
    p.paged = true;
    p.page_number = number.value_or(1);
    p.page_size = size.value_or(25);
    if (p.page_size < 5 || p.page_size > 1000) {
      return IncorrectQuery(
          "The value of q.pageSize must be between 5 and 1000.");
    }
    if (p.page_number < 1) {
      return IncorrectQuery("The value of q.pageNumber must be at least 1.");
    }
    p.window = {p.page_size, (p.page_number - 1) * p.page_size};
    return p;
  }
  std::int64_t n = limit.value_or(100);
  if (n < 1) return IncorrectQuery("The value of q.limit must be positive.");
  p.window = {std::min<std::int64_t>(n, 1000), 0};
  return p;
}

bool IsTrue(const std::string& text) {
  return absl::EqualsIgnoreCase(text, "true") || text == "1";
}

bool ReturnRows(const QueryParams& q) {
  return absl::EqualsIgnoreCase(q.Value("response"), "rows");
}

// The body of a POST or PUT as JSON, or the error Caspio gives.
std::variant<Json, ApiError> ParseBody(const httplib::Request& req) {
  Json body = Json::parse(req.body, nullptr, false);
  if (body.is_discarded()) {
    return ApiError{400, "IncorrectBodyParameter",
                    "The request body is not valid JSON."};
  }
  return body;
}

void SendTokenError(httplib::Response& res, int status,
                    const std::string& error, const std::string& description) {
  Json body = Json::object();
  body["error"] = error;
  body["error_description"] = description;
  SendJson(res, status, body);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Server>> Server::Create(Store& store,
                                                       ServerOptions options) {
  std::unique_ptr<Server> server(new Server(store, std::move(options)));
  if (!server->http_->is_valid()) {
    return absl::InvalidArgumentError("cannot use the TLS certificate and key");
  }
  return server;
}

Server::Server(Store& store, ServerOptions options)
    : store_(store), options_(std::move(options)) {
  bool tls = !options_.tls_cert.empty() && !options_.tls_key.empty();
  if (tls) {
    http_ = std::make_unique<httplib::SSLServer>(options_.tls_cert.c_str(),
                                                 options_.tls_key.c_str());
  } else {
    http_ = std::make_unique<httplib::Server>();
  }
  if (options_.control) {
    faults_ = std::make_unique<FaultInjector>(tls ? DropSupport::kUnsupported
                                                  : DropSupport::kSupported);
  }
  Route();
  if (options_.control) RouteControl();
}

Server::~Server() = default;

int Server::Bind(const std::string& host, int port) {
  // Behind the proxy the routes listen on a loopback port of their own.
  if (faults_ && options_.tls_cert.empty()) {
    int inner = http_->bind_to_any_port("127.0.0.1");
    if (inner <= 0) return -1;
    proxy_ = std::make_unique<FrontProxy>(inner);
    return proxy_->Bind(host, port);
  }
  if (port == 0) return http_->bind_to_any_port(host);
  return http_->bind_to_port(host, port) ? port : -1;
}

bool Server::Listen() {
  if (proxy_) proxy_->Start();
  return http_->listen_after_bind();
}

void Server::Stop() {
  if (proxy_) proxy_->Stop();
  http_->stop();
}

void Server::Route() {
  // Every response carries a request id, errors echo it in RequestId.
  http_->set_pre_routing_handler(
      [](const httplib::Request&, httplib::Response& res) {
        res.set_header(kRequestIdHeader, NewRequestId());
        return httplib::Server::HandlerResponse::Unhandled;
      });
  // With no error handler, an unknown path gets 404 with an empty body, as
  // Caspio's does.
  http_->set_exception_handler([](const httplib::Request& req,
                                  httplib::Response& res, std::exception_ptr) {
    SendError(req, res, {500, "InternalError", "The server failed."});
  });

  http_->Post(
      "/oauth/token", Guard(kTokenRoute, [this](const httplib::Request& req,
                                                httplib::Response& res) {
        auto form = ParseForm(req.body);
        auto [id, secret] = ReadClientCredentials(req, form);
        const std::string& grant = form["grant_type"];
        absl::StatusOr<Token> token;
        if (grant == "client_credentials") {
          token = store_.IssueToken(id, secret, options_.token_lifetime);
        } else if (grant == "refresh_token") {
          token = store_.RefreshToken(form["refresh_token"], id,
                                      options_.token_lifetime);
        } else {
          return SendTokenError(res, 400, "unsupported_grant_type",
                                "The grant type is not supported.");
        }
        if (absl::IsFailedPrecondition(token.status())) {
          return SendTokenError(res, 400, "invalid_client",
                                "The API profile is disabled.");
        }
        if (!token.ok()) {
          return SendTokenError(res, 400, "invalid_client",
                                grant == "refresh_token"
                                    ? "The refresh token is invalid."
                                    : "The client credentials are invalid.");
        }
        Json body = Json::object();
        body["access_token"] = token->access_token;
        body["token_type"] = "bearer";
        body["expires_in"] = token->expires_in;
        body["refresh_token"] = token->refresh_token;
        res.set_header("Cache-Control", "no-store");
        SendJson(res, 200, body);
      }));

  // Resource routes: the fault plan, a bearer token, then the handler.
  auto authorized = [this](std::string_view route, Handler handler) {
    return Guard(route, [this, handler](const httplib::Request& req,
                                        httplib::Response& res) {
      std::optional<std::string> token = BearerToken(req);
      TokenCheck check = token ? store_.CheckAccessToken(*token)
                               : TokenCheck::kUnknownOrExpired;
      if (check == TokenCheck::kUnknownOrExpired) {
        return SendError(req, res,
                         {401, "Unauthorized",
                          "Authorization has been denied for this request."});
      }
      if (check == TokenCheck::kProfileDisabled) {
        return SendError(
            req, res, {400, "ProfileDisabled", "The API profile is disabled."});
      }
      // Caspio wants a JSON content type on every write, even a DELETE.
      bool has_body = req.method != "GET";
      if (has_body &&
          !absl::StartsWithIgnoreCase(req.get_header_value("Content-Type"),
                                      "application/json")) {
        res.status = 415;
        return;
      }
      handler(req, res);
    });
  };

  const std::string tables = absl::StrCat(kV3, "/tables");
  const std::string table = tables + "/([^/]+)";

  http_->Get(tables, authorized("tables.list", [this](const auto&, auto& res) {
               Json body = Json::object();
               body["Result"] = store_.ListTables();
               SendJson(res, 200, body);
             }));
  http_->Post(tables,
              authorized("tables.create", [this](const auto& req, auto& res) {
                auto body = ParseBody(req);
                if (auto* e = std::get_if<ApiError>(&body)) {
                  return SendError(req, res, *e);
                }
                auto created = store_.CreateTable(std::get<Json>(body));
                if (!created.ok()) return SendError(req, res, *created.error);
                res.status = 201;
              }));
  http_->Get(
      table, authorized("table.get", [this](const auto& req, auto& res) {
        auto t = store_.GetTable(req.matches[1]);
        if (!t.ok()) return SendError(req, res, *t.error);
        Json body = Json::object();
        body["Result"] = {{"Name", t.value->name}, {"Note", t.value->note}};
        SendJson(res, 200, body);
      }));
  http_->Get(table + "/fields",
             authorized("fields.list", [this](const auto& req, auto& res) {
               auto t = store_.GetTable(req.matches[1]);
               if (!t.ok()) return SendError(req, res, *t.error);
               Json fields = Json::array();
               for (const auto& f : t.value->fields) {
                 fields.push_back(f.definition);
               }
               SendJson(res, 200, Json{{"Result", fields}});
             }));
  http_->Post(table + "/fields",
              authorized("fields.create", [this](const auto& req, auto& res) {
                auto body = ParseBody(req);
                if (auto* e = std::get_if<ApiError>(&body)) {
                  return SendError(req, res, *e);
                }
                auto created =
                    store_.CreateField(req.matches[1], std::get<Json>(body));
                if (!created.ok()) return SendError(req, res, *created.error);
                res.status = 201;
              }));
  http_->Get(table + "/fields/([^/]+)",
             authorized("field.get", [this](const auto& req, auto& res) {
               auto t = store_.GetTable(req.matches[1]);
               if (!t.ok()) return SendError(req, res, *t.error);
               for (const auto& f : t.value->fields) {
                 if (absl::EqualsIgnoreCase(f.name, req.matches[2].str())) {
                   return SendJson(res, 200, Json{{"Result", f.definition}});
                 }
               }
               SendError(req, res,
                         {404, "FieldNotFound",
                          absl::StrCat("Cannot perform operation because the "
                                       "following field(s) do not exist: '",
                                       req.matches[2].str(), "'")});
             }));

  const std::string records = table + "/records";
  http_->Get(
      records, authorized("records.read", [this](const auto& req, auto& res) {
        QueryParams q(req);
        auto paging = ReadPaging(q);
        if (auto* e = std::get_if<ApiError>(&paging)) {
          return SendError(req, res, *e);
        }
        const Paging& p = std::get<Paging>(paging);
        bool info = IsTrue(q.Value("q.getpaginationinfo"));
        query::Clauses clauses{q.Value("q.select"), q.Value("q.where"),
                               q.Value("q.groupby"), q.Value("q.orderby")};
        UnorderedReads order =
            faults_ ? faults_->ReadOrder(!clauses.order_by.empty(), p.paged)
                    : UnorderedReads::kByPkId;
        auto read =
            store_.ReadRecords(req.matches[1], clauses, p.window, info, order);
        if (!read.ok()) return SendError(req, res, *read.error);
        Json body = Json::object();
        body["Result"] = read.value->rows;
        if (info) {
          body["Pagination"] = {
              {"TotalCount", read.value->total_count},
              {"PageNumber", p.page_number},
              {"PageSize", p.paged ? p.page_size : p.window.limit}};
        }
        SendJson(res, 200, body);
      }));
  http_->Post(
      records, authorized("records.insert", [this](const auto& req, auto& res) {
        auto body = ParseBody(req);
        if (auto* e = std::get_if<ApiError>(&body)) {
          return SendError(req, res, *e);
        }
        bool rows = ReturnRows(QueryParams(req));
        auto out =
            store_.InsertRecord(req.matches[1], std::get<Json>(body), rows);
        if (!out.ok()) return SendError(req, res, *out.error);
        if (!rows) {
          res.status = 201;
          return;
        }
        SendJson(res, 201, Json{{"Result", out.value->rows}});
      }));
  http_->Put(
      records, authorized("records.update", [this](const auto& req, auto& res) {
        QueryParams q(req);
        std::string where = q.Value("q.where");
        if (absl::StripAsciiWhitespace(where).empty()) {
          return SendError(req, res, IncorrectQuery("q.where is required."));
        }
        auto body = ParseBody(req);
        if (auto* e = std::get_if<ApiError>(&body)) {
          return SendError(req, res, *e);
        }
        auto out = store_.UpdateRecords(req.matches[1], where,
                                        std::get<Json>(body), ReturnRows(q));
        if (!out.ok()) return SendError(req, res, *out.error);
        Json answer = Json::object();
        answer["RecordsAffected"] = out.value->records_affected;
        answer["Result"] = out.value->rows;
        SendJson(res, 200, answer);
      }));
  http_->Delete(
      records, authorized("records.delete", [this](const auto& req, auto& res) {
        std::string where = QueryParams(req).Value("q.where");
        if (absl::StripAsciiWhitespace(where).empty()) {
          return SendError(req, res, IncorrectQuery("q.where is required."));
        }
        auto out = store_.DeleteRecords(req.matches[1], where);
        if (!out.ok()) return SendError(req, res, *out.error);
        SendJson(res, 200,
                 Json{{"RecordsAffected", out.value->records_affected}});
      }));
}

}  // namespace caspio::emulator
