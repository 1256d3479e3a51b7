// Operations on table records: list (one page or all), create, update,
// delete. Row selection for writes always goes through WriteWhere, so an
// update or delete can never go out without a real q.where.
#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "connector/envelope.h"
#include "connector/operation_parts.h"
#include "connector/where.h"

namespace caspio::connector {
namespace {

constexpr int kDefaultPageSize = 100;
constexpr int kAllPagesPageSize = 1000;  // fewest calls per record

std::string TableOf(const Json& input) {
  return input.at("table").get<std::string>();
}

caspio::ReturnRows ReturnRowsOf(const Json& input, const char* name,
                                bool fallback) {
  return input.value(name, fallback) ? caspio::ReturnRows::kYes
                                     : caspio::ReturnRows::kNo;
}

Json ToJson(std::vector<caspio::Record> records) {
  Json array = Json::array();
  for (caspio::Record& record : records) array.push_back(std::move(record));
  return array;
}

Json PaginationSchema() {
  return ObjectSchema({{"TotalCount", {{"type", "integer"}}},
                       {"PageNumber", {{"type", "integer"}}},
                       {"PageSize", {{"type", "integer"}}}},
                      {"TotalCount", "PageNumber", "PageSize"});
}

// Present (true) only when the write was sent more than once.
Json ReplayedSchema() {
  return {{"type", "boolean"},
          {"description",
           "The request was sent again after an attempt that failed in a "
           "way that may have applied it (5xx, lost connection); "
           "records_affected counts only the last attempt"}};
}

Json ClauseSchema(const char* description) {
  return {
      {"type", "string"}, {"maxLength", 1900}, {"description", description}};
}

absl::Status CheckListInput(const Json& input) {
  if (input.value("all_pages", false) && input.contains("page_number")) {
    return InputError("/page_number",
                      "cannot be combined with all_pages, which reads every "
                      "page from the first");
  }
  return ReadSelectionOf(input).status();
}

caspio::RecordQuery QueryOf(const Json& input, ReadSelection selection) {
  caspio::RecordQuery query;
  query.select = input.value("select", "");
  query.where = std::move(selection.where);
  query.in_list = std::move(selection.in_list);
  query.group_by = input.value("group_by", "");
  query.order_by = input.value("order_by", "");
  return query;
}

absl::StatusOr<Json> ListOnePage(caspio::Client& client, const Json& input,
                                 caspio::RecordQuery query) {
  caspio::PageRequest page;
  page.page_number = input.value("page_number", 1);
  page.page_size = input.value("page_size", kDefaultPageSize);
  page.pagination_info = true;
  absl::StatusOr<caspio::RecordPage> result =
      client.ListTableRecords(TableOf(input), query, page);
  if (!result.ok()) return result.status();

  if (auto max = input.find("max_records"); max != input.end()) {
    const auto keep = static_cast<std::size_t>(max->get<std::int64_t>());
    if (result->records.size() > keep) result->records.resize(keep);
  }
  Json output;
  const std::size_t count = result->records.size();
  output["records"] = ToJson(std::move(result->records));
  output["count"] = count;
  if (result->pagination.has_value()) {
    output["pagination"] = {{"TotalCount", result->pagination->total_count},
                            {"PageNumber", result->pagination->page_number},
                            {"PageSize", result->pagination->page_size}};
  }
  return output;
}

absl::StatusOr<Json> ListAllPages(caspio::Client& client, const Json& input,
                                  caspio::RecordQuery query) {
  const std::int64_t max_records = input.value("max_records", std::int64_t{-1});
  int page_size = input.value("page_size", kAllPagesPageSize);
  if (!input.contains("page_size") && max_records > 0) {
    // Caspio's page size is 5..1000; a small cap needs only a small page.
    page_size = static_cast<int>(
        std::clamp<std::int64_t>(max_records, 5, kAllPagesPageSize));
  }

  // TODO(#2): stream records to the caller instead of holding every page.
  caspio::RecordPager pager =
      client.ListAllTableRecords(TableOf(input), std::move(query), page_size);
  Json records = Json::array();
  auto full = [&] {
    return max_records >= 0 &&
           static_cast<std::int64_t>(records.size()) >= max_records;
  };
  bool dropped = false;
  while (!pager.done() && !full()) {
    absl::StatusOr<std::vector<caspio::Record>> page = pager.NextPage();
    if (!page.ok()) return page.status();
    for (caspio::Record& record : *page) {
      if (full()) {
        dropped = true;
        break;
      }
      records.push_back(std::move(record));
    }
  }

  const bool truncated = dropped || (full() && !pager.done());
  Json output;
  const std::size_t count = records.size();
  output["records"] = std::move(records);
  output["count"] = count;
  output["truncated"] = truncated;
  return output;
}

Operation ListTableRecords() {
  Operation op;
  op.name = "list_table_records";
  op.title = "List table records";
  op.description =
      "Reads records of a table: one page (page_number, page_size), or "
      "every page with all_pages, optionally capped by max_records. Filter "
      "with match (safe equality tests) and/or a raw where clause.";
  op.input_schema = DocumentSchema(
      "list_table_records input",
      {{"table", TableNameSchema()},
       {"select", ClauseSchema("q.select: fields or expressions, comma-"
                               "separated; all fields when absent")},
       {"where", WhereSchema()},
       {"match", MatchSchema()},
       {"group_by", ClauseSchema("q.groupBy: fields to group by")},
       {"order_by", ClauseSchema("q.orderBy, e.g. Name ASC, PK_ID DESC")},
       {"page_number",
        {{"type", "integer"},
         {"minimum", 1},
         {"default", 1},
         {"description", "Page to read, from 1 (not with all_pages)"}}},
       {"page_size",
        {{"type", "integer"},
         {"minimum", 5},
         {"maximum", 1000},
         {"default", kDefaultPageSize},
         {"description",
          "Records per page, 5..1000 (1000 by default with all_pages)"}}},
       {"all_pages",
        {{"type", "boolean"},
         {"default", false},
         {"description", "Read every page, in a stable order"}}},
       {"max_records",
        {{"type", "integer"},
         {"minimum", 1},
         {"description", "Return at most this many records"}}}},
      {"table"});
  op.output_schema = DocumentSchema(
      "list_table_records output",
      {{"records", RecordsSchema("Records, fields in the table's order")},
       {"count", {{"type", "integer"}, {"minimum", 0}}},
       {"pagination", PaginationSchema()},
       {"truncated",
        {{"type", "boolean"},
         {"description",
          "all_pages only: max_records stopped the read, so more "
          "records may match"}}}},
      {"records", "count"});
  op.check = CheckListInput;
  op.handler = [](caspio::Client& client,
                  const Json& input) -> absl::StatusOr<Json> {
    absl::StatusOr<ReadSelection> selection = ReadSelectionOf(input);
    if (!selection.ok()) return selection.status();
    caspio::RecordQuery query = QueryOf(input, *std::move(selection));
    if (input.value("all_pages", false)) {
      return ListAllPages(client, input, std::move(query));
    }
    return ListOnePage(client, input, std::move(query));
  };
  return op;
}

// TODO(#2): values of LIST-* fields go out as given; resolve labels to
// list-item ids from the field definitions (FIELD-CASES F09).
Operation CreateTableRecord() {
  Operation op;
  op.name = "create_table_record";
  op.title = "Create table record";
  op.description =
      "Inserts one record and, by default, returns it as stored (with "
      "PK_ID and generated values).";
  op.input_schema = DocumentSchema(
      "create_table_record input",
      {{"table", TableNameSchema()},
       {"record", RecordSchema("Field -> value of the new record")},
       {"return_record",
        {{"type", "boolean"},
         {"default", true},
         {"description", "Return the stored record (response=rows)"}}}},
      {"table", "record"});
  op.output_schema = DocumentSchema(
      "create_table_record output",
      {{"record",
        {{"type", {"object", "null"}},
         {"description",
          "The stored record; null when not asked for or "
          "when Caspio returned none"}}},
       {"records_affected", {{"type", "integer"}, {"minimum", 0}}}},
      {"record", "records_affected"});
  op.handler = [](caspio::Client& client,
                  const Json& input) -> absl::StatusOr<Json> {
    absl::StatusOr<caspio::WriteResult> result =
        client.CreateTableRecord(TableOf(input), input.at("record"),
                                 ReturnRowsOf(input, "return_record", true));
    if (!result.ok()) return result.status();
    Json output;
    output["record"] =
        result->records.empty() ? Json(nullptr) : result->records.front();
    output["records_affected"] = result->records_affected;
    return output;
  };
  return op;
}

Operation UpdateTableRecords() {
  Operation op;
  op.name = "update_table_records";
  op.title = "Update table records";
  op.description =
      "Sets values on the records selected by where and/or match, or on "
      "every record with all_records. 0 records affected is a success.";
  op.input_schema = DocumentSchema(
      "update_table_records input",
      {{"table", TableNameSchema()},
       {"where", WhereSchema()},
       {"match", MatchSchema()},
       {"values",
        {{"type", "object"},
         {"minProperties", 1},
         {"description", "Field -> new value; null clears a field"}}},
       {"return_records",
        {{"type", "boolean"},
         {"default", false},
         {"description", "Return the updated records (response=rows)"}}},
       {"all_records", AllRecordsSchema("update")}},
      {"table", "values"});
  op.output_schema = DocumentSchema(
      "update_table_records output",
      {{"records_affected", {{"type", "integer"}, {"minimum", 0}}},
       {"records", RecordsSchema("Updated records, with return_records")},
       {"replayed", ReplayedSchema()}},
      {"records_affected", "records"});
  op.check = [](const Json& input) { return WriteWhere(input).status(); };
  op.handler = [](caspio::Client& client,
                  const Json& input) -> absl::StatusOr<Json> {
    absl::StatusOr<std::string> where = WriteWhere(input);
    if (!where.ok()) return where.status();
    absl::StatusOr<caspio::WriteResult> result =
        client.UpdateTableRecords(TableOf(input), *where, input.at("values"),
                                  ReturnRowsOf(input, "return_records", false));
    if (!result.ok()) return result.status();
    Json output;
    output["records_affected"] = result->records_affected;
    output["records"] = ToJson(std::move(result->records));
    if (result->replayed) output["replayed"] = true;
    return output;
  };
  return op;
}

Operation DeleteTableRecords() {
  Operation op;
  op.name = "delete_table_records";
  op.title = "Delete table records";
  op.description =
      "Deletes the records selected by where and/or match, or every record "
      "with all_records. 0 records affected is a success; any failure is "
      "an error, never \"nothing to delete\".";
  op.input_schema =
      DocumentSchema("delete_table_records input",
                     {{"table", TableNameSchema()},
                      {"where", WhereSchema()},
                      {"match", MatchSchema()},
                      {"all_records", AllRecordsSchema("delete")}},
                     {"table"});
  op.output_schema = DocumentSchema(
      "delete_table_records output",
      {{"records_affected", {{"type", "integer"}, {"minimum", 0}}},
       {"replayed", ReplayedSchema()}},
      {"records_affected"});
  op.check = [](const Json& input) { return WriteWhere(input).status(); };
  op.handler = [](caspio::Client& client,
                  const Json& input) -> absl::StatusOr<Json> {
    absl::StatusOr<std::string> where = WriteWhere(input);
    if (!where.ok()) return where.status();
    absl::StatusOr<caspio::WriteResult> result =
        client.DeleteTableRecords(TableOf(input), *where);
    if (!result.ok()) return result.status();
    Json output{{"records_affected", result->records_affected}};
    if (result->replayed) output["replayed"] = true;
    return output;
  };
  return op;
}

}  // namespace

std::vector<Operation> RecordOperations() {
  std::vector<Operation> ops;
  ops.push_back(ListTableRecords());
  ops.push_back(CreateTableRecord());
  ops.push_back(UpdateTableRecords());
  ops.push_back(DeleteTableRecords());
  return ops;
}

}  // namespace caspio::connector
