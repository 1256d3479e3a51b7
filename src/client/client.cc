#include "caspio/client.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "caspio/error.h"
#include "caspio/query.h"
#include "client/connection.h"
#include "client/json_util.h"
#include "client/records.h"
#include "client/token_sources.h"
#include "client/url.h"

namespace caspio {
namespace {

absl::Status UserInputError(std::string message) {
  return MakeError(
      {.error_class = ErrorClass::kUserInput, .message = std::move(message)});
}

// A 2xx answer that is not what the API promises.
absl::Status UnexpectedAnswer(const ApiRequest& request,
                              const ApiResponse& response,
                              std::string_view problem) {
  return MakeError({.error_class = ErrorClass::kServer,
                    .http_status = response.status,
                    .message = DescribeCall(request) + ": HTTP " +
                               std::to_string(response.status) + " " +
                               std::string(problem)});
}

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// `Result` of the answer, which must be present and of the given kind.
absl::StatusOr<nlohmann::ordered_json> ResultOf(
    const ApiRequest& request, const ApiResponse& response,
    nlohmann::ordered_json::value_t kind) {
  const nlohmann::ordered_json* result =
      response.body ? FindMember(*response.body, "Result") : nullptr;
  if (result == nullptr || result->type() != kind) {
    return UnexpectedAnswer(request, response,
                            kind == nlohmann::ordered_json::value_t::array
                                ? "without the expected Result list"
                                : "without the expected Result object");
  }
  return *result;
}

// Result as records; a missing or null Result is an empty list.
absl::StatusOr<std::vector<Record>> RecordsOf(const ApiRequest& request,
                                              const ApiResponse& response) {
  const nlohmann::ordered_json* result =
      response.body ? FindMember(*response.body, "Result") : nullptr;
  if (result == nullptr || result->is_null()) return std::vector<Record>();
  if (!result->is_array()) {
    return UnexpectedAnswer(request, response, "with a Result that is no list");
  }
  std::vector<Record> records;
  for (const auto& record : *result) {
    if (!record.is_object()) {
      return UnexpectedAnswer(request, response,
                              "with a Result item that is no record");
    }
    records.push_back(record);
  }
  return records;
}

// Caspio's count for an update or delete. An empty answer has been seen
// from proxies that dropped the body; the count is then unknown and
// inventing 0 would hide a write that happened.
absl::StatusOr<std::int64_t> RecordsAffectedOf(const ApiRequest& request,
                                               const ApiResponse& response) {
  auto count = response.body ? IntegerMember(*response.body, "RecordsAffected")
                             : std::nullopt;
  if (!count || *count < 0) {
    return UnexpectedAnswer(request, response,
                            "without a RecordsAffected count; the records may "
                            "or may not have been changed");
  }
  return *count;
}

absl::Status CheckWhere(std::string_view where, std::string_view verb) {
  if (!IsBlank(where)) return absl::OkStatus();
  return UserInputError(
      "refusing to " + std::string(verb) +
      " records without a where clause; to address every record, say so "
      "with a real condition such as PK_ID>0");
}

ApiRequest RecordsRequest(std::string method, std::string_view table,
                          std::string operation) {
  return ApiRequest{.method = std::move(method),
                    .path = EncodePath({"tables", table, "records"}),
                    .operation = std::move(operation),
                    .table = std::string(table)};
}

absl::Status CheckPage(const PageRequest& page) {
  if (page.page_number < 1) {
    return UserInputError("page number must be 1 or more, not " +
                          std::to_string(page.page_number));
  }
  if (page.page_size < kMinPageSize || page.page_size > kMaxPageSize) {
    return UserInputError("page size must be between 5 and 1000, not " +
                          std::to_string(page.page_size));
  }
  return absl::OkStatus();
}

std::optional<Pagination> PaginationOf(const ApiResponse& response) {
  const nlohmann::ordered_json* block =
      response.body ? FindMember(*response.body, "Pagination") : nullptr;
  if (block == nullptr || !block->is_object()) return std::nullopt;
  auto total = IntegerMember(*block, "TotalCount");
  if (!total) return std::nullopt;
  Pagination pagination;
  pagination.total_count = *total;
  pagination.page_number =
      static_cast<int>(IntegerMember(*block, "PageNumber").value_or(0));
  pagination.page_size =
      static_cast<int>(IntegerMember(*block, "PageSize").value_or(0));
  return pagination;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> InListLiterals(const InList& list) {
  if (auto field = QuoteFieldName(list.field); !field.ok()) {
    return field.status();
  }
  std::vector<std::string> literals;
  for (std::size_t i = 0; i < list.values.size(); ++i) {
    auto literal = SqlLiteral(list.values[i]);
    if (!literal.ok()) {
      return UserInputError("IN-list value " + std::to_string(i) +
                            " must be text, a number or a boolean");
    }
    literals.push_back(*std::move(literal));
  }
  return literals;
}

std::string InListText(std::string_view field,
                       const std::vector<std::string>& literals,
                       std::size_t begin, std::size_t end) {
  std::string text = "[" + std::string(field) + "] IN (";
  for (std::size_t i = begin; i < end; ++i) {
    if (i > begin) text += ",";
    text += literals[i];
  }
  return text + ")";
}

std::string AndWhere(std::string_view where, std::string_view in_list) {
  if (IsBlank(where)) return std::string(in_list);
  return "(" + std::string(where) + ") AND (" + std::string(in_list) + ")";
}

absl::StatusOr<std::string> InListWhere(const InList& list) {
  auto literals = InListLiterals(list);
  if (!literals.ok()) return literals.status();
  if (literals->empty()) {
    return UserInputError("the IN list for " + list.field + " is empty");
  }
  return InListText(list.field, *literals, 0, literals->size());
}

ApiRequest RecordsReadRequest(std::string_view table, const RecordQuery& query,
                              std::string_view where, const PageRequest* page) {
  ApiRequest request = RecordsRequest("GET", table, "ListTableRecords");
  auto add = [&](const char* name, std::string_view value) {
    if (!value.empty()) request.query.emplace_back(name, std::string(value));
  };
  add("q.select", query.select);
  add("q.where", where);
  add("q.groupBy", query.group_by);
  add("q.orderBy", query.order_by);
  // Never q.limit: Caspio ignores it next to paging and picks other rows.
  if (page != nullptr) {
    add("q.pageNumber", std::to_string(page->page_number));
    add("q.pageSize", std::to_string(page->page_size));
    if (page->pagination_info) add("q.getPaginationInfo", "true");
  }
  request.query_checked = true;
  return request;
}

absl::StatusOr<RecordPage> ReadRecords(Connection& connection,
                                       std::string_view table,
                                       const RecordQuery& query,
                                       std::string_view where,
                                       const PageRequest* page) {
  if (page != nullptr) {
    if (auto status = CheckPage(*page); !status.ok()) return status;
  }
  ApiRequest request = RecordsReadRequest(table, query, where, page);
  auto response = connection.Call(request);
  if (!response.ok()) return response.status();
  if (!response->body) {
    return UnexpectedAnswer(request, *response, "with an empty body");
  }
  auto result =
      ResultOf(request, *response, nlohmann::ordered_json::value_t::array);
  if (!result.ok()) return result.status();
  auto records = RecordsOf(request, *response);
  if (!records.ok()) return records.status();
  return RecordPage{.records = *std::move(records),
                    .pagination = PaginationOf(*response)};
}

absl::StatusOr<RecordPage> FetchRecordPage(Connection& connection,
                                           std::string_view table,
                                           const RecordQuery& query,
                                           const PageRequest& page) {
  if (auto status = CheckPage(page); !status.ok()) return status;
  std::string where = query.where;
  if (query.in_list) {
    if (query.in_list->values.empty()) return RecordPage{};
    auto in_list = InListWhere(*query.in_list);
    if (!in_list.ok()) return in_list.status();
    where = AndWhere(where, *in_list);
  }
  return ReadRecords(connection, table, query, where, &page);
}

absl::StatusOr<Client> Client::Create(Credentials credentials,
                                      ClientOptions options) {
  auto url = NormalizeIntegrationUrl(credentials.integration_url);
  if (!url.ok()) return url.status();
  credentials.integration_url = *std::move(url);
  if (IsBlank(credentials.client_id)) {
    return UserInputError("the client ID is empty");
  }
  if (IsBlank(credentials.client_secret)) {
    return UserInputError("the client secret is empty");
  }

  auto transport = options.transport_override
                       ? std::move(options.transport_override)
                       : MakeCurlTransport(std::move(options.transport));
  auto clock = options.clock ? std::move(options.clock) : MakeSystemClock();
  std::string integration_url = credentials.integration_url;
  auto tokens =
      MakeClientTokenSource(std::move(credentials), transport, clock, options);
  return Client(std::make_shared<Connection>(
      ConnectionOptions{.integration_url = std::move(integration_url),
                        .tokens = std::move(tokens),
                        .transport = std::move(transport),
                        .clock = std::move(clock),
                        .sleeper = std::move(options.sleeper),
                        .observer = std::move(options.observer),
                        .retry = options.retry}));
}

Client::Client(std::shared_ptr<Connection> connection)
    : connection_(std::move(connection)) {}

absl::Status Client::RefreshToken() { return connection_->RefreshToken(); }

absl::StatusOr<std::vector<std::string>> Client::ListTables() {
  ApiRequest request{
      .method = "GET", .path = "/tables", .operation = "ListTables"};
  auto response = connection_->Call(request);
  if (!response.ok()) return response.status();
  auto result =
      ResultOf(request, *response, nlohmann::ordered_json::value_t::array);
  if (!result.ok()) return result.status();

  std::vector<std::string> names;
  for (const auto& name : *result) {
    if (!name.is_string()) {
      return UnexpectedAnswer(request, *response,
                              "with a table name that is not text");
    }
    names.push_back(name.get<std::string>());
  }
  return names;
}

absl::StatusOr<TableInfo> Client::GetTable(std::string_view table) {
  ApiRequest request{.method = "GET",
                     .path = EncodePath({"tables", table}),
                     .operation = "GetTable",
                     .table = std::string(table)};
  auto response = connection_->Call(request);
  if (!response.ok()) return response.status();
  auto result =
      ResultOf(request, *response, nlohmann::ordered_json::value_t::object);
  if (!result.ok()) return result.status();
  return TableInfo{.name = StringMember(*result, "Name"),
                   .note = StringMember(*result, "Note")};
}

absl::StatusOr<std::vector<nlohmann::ordered_json>> Client::ListTableFields(
    std::string_view table) {
  ApiRequest request{.method = "GET",
                     .path = EncodePath({"tables", table, "fields"}),
                     .operation = "ListTableFields",
                     .table = std::string(table)};
  auto response = connection_->Call(request);
  if (!response.ok()) return response.status();
  auto result =
      ResultOf(request, *response, nlohmann::ordered_json::value_t::array);
  if (!result.ok()) return result.status();
  return std::vector<nlohmann::ordered_json>(result->begin(), result->end());
}

absl::StatusOr<nlohmann::ordered_json> Client::GetTableField(
    std::string_view table, std::string_view field) {
  ApiRequest request{.method = "GET",
                     .path = EncodePath({"tables", table, "fields", field}),
                     .operation = "GetTableField",
                     .table = std::string(table)};
  auto response = connection_->Call(request);
  if (!response.ok()) return response.status();
  return ResultOf(request, *response, nlohmann::ordered_json::value_t::object);
}

absl::Status Client::CreateTable(const nlohmann::ordered_json& definition) {
  if (!definition.is_object()) {
    return UserInputError("a table definition must be a JSON object");
  }
  ApiRequest request{.method = "POST",
                     .path = "/tables",
                     .body = definition,
                     .operation = "CreateTable",
                     .table = StringMember(definition, "Name")};
  return connection_->Call(request).status();
}

absl::Status Client::CreateTableField(std::string_view table,
                                      const nlohmann::ordered_json& field) {
  if (!field.is_object()) {
    return UserInputError("a field definition must be a JSON object");
  }
  ApiRequest request{.method = "POST",
                     .path = EncodePath({"tables", table, "fields"}),
                     .body = field,
                     .operation = "CreateTableField",
                     .table = std::string(table)};
  return connection_->Call(request).status();
}

absl::StatusOr<RecordPage> Client::ListTableRecords(std::string_view table,
                                                    const RecordQuery& query,
                                                    const PageRequest& page) {
  return FetchRecordPage(*connection_, table, query, page);
}

RecordPager Client::ListAllTableRecords(std::string_view table,
                                        RecordQuery query, int page_size) {
  return RecordPager(connection_, std::string(table), std::move(query),
                     page_size);
}

absl::StatusOr<WriteResult> Client::CreateTableRecord(std::string_view table,
                                                      const Record& record,
                                                      ReturnRows rows) {
  if (!record.is_object()) {
    return UserInputError("a record must be a JSON object");
  }
  ApiRequest request = RecordsRequest("POST", table, "CreateTableRecord");
  if (rows == ReturnRows::kYes) request.query.emplace_back("response", "rows");
  request.body = record;

  auto response = connection_->Call(request);
  if (!response.ok()) return response.status();
  auto records = RecordsOf(request, *response);
  if (!records.ok()) return records.status();

  // Caspio answers 201 with no body unless rows were asked for; either way
  // the record was created.
  WriteResult result;
  result.records = *std::move(records);
  result.records_affected = std::max<std::int64_t>(
      1, static_cast<std::int64_t>(result.records.size()));
  return result;
}

absl::StatusOr<WriteResult> Client::UpdateTableRecords(std::string_view table,
                                                       std::string_view where,
                                                       const Record& values,
                                                       ReturnRows rows) {
  if (auto status = CheckWhere(where, "update"); !status.ok()) return status;
  if (!values.is_object()) {
    return UserInputError("the new values must be a JSON object");
  }
  ApiRequest request = RecordsRequest("PUT", table, "UpdateTableRecords");
  request.query.emplace_back("q.where", std::string(where));
  request.query_checked = true;
  if (rows == ReturnRows::kYes) request.query.emplace_back("response", "rows");
  request.body = values;

  auto response = connection_->Call(request);
  if (!response.ok()) return response.status();
  auto count = RecordsAffectedOf(request, *response);
  if (!count.ok()) return count.status();
  auto records = RecordsOf(request, *response);
  if (!records.ok()) return records.status();
  return WriteResult{.records_affected = *count,
                     .records = *std::move(records),
                     .replayed = response->replayed};
}

absl::StatusOr<WriteResult> Client::DeleteTableRecords(std::string_view table,
                                                       std::string_view where) {
  if (auto status = CheckWhere(where, "delete"); !status.ok()) return status;
  ApiRequest request = RecordsRequest("DELETE", table, "DeleteTableRecords");
  request.query.emplace_back("q.where", std::string(where));
  request.query_checked = true;

  auto response = connection_->Call(request);
  if (!response.ok()) return response.status();
  auto count = RecordsAffectedOf(request, *response);
  if (!count.ok()) return count.status();
  return WriteResult{.records_affected = *count,
                     .replayed = response->replayed};
}

}  // namespace caspio
