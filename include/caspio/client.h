// The Caspio REST API v3, one typed call per operation.
#ifndef CASPIO_CLIENT_H_
#define CASPIO_CLIENT_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "caspio/credentials.h"
#include "caspio/error.h"
#include "caspio/observer.h"
#include "caspio/retry.h"
#include "caspio/token.h"
#include "caspio/transport.h"

namespace caspio {

// A record as Caspio returns it, fields in the table's order.
using Record = nlohmann::ordered_json;

struct ClientOptions {
  TransportOptions transport;
  // Replaces the libcurl transport (tests, instrumentation).
  std::shared_ptr<Transport> transport_override;
  std::shared_ptr<Clock> clock;  // system clock when null
  RetryPolicy retry;
  std::shared_ptr<Sleeper> sleeper;  // real sleeping when null
  // Told about every HTTP exchange, token requests included.
  std::shared_ptr<CallObserver> observer;
  // Where access tokens are shared between processes (a directory only the
  // user can read); no sharing when empty. See caspio/token.h.
  std::string token_cache_dir;
};

struct TableInfo {
  std::string name;
  std::string note;
};

// `field IN (values...)`, given as data so that the client quotes the
// values (text through QuoteText, numbers as JSON writes them, booleans as
// 1/0) and, when reading every page, can split a list too long for one
// request URI into several reads.
struct InList {
  std::string field;  // a Caspio field name (see QuoteFieldName)
  // Text, numbers or booleans; null, objects and arrays are refused.
  std::vector<nlohmann::ordered_json> values;
};

// The q.* clauses of a read, passed to Caspio as they are. Build values in
// `where` with QuoteText() and friends (caspio/query.h), never by pasting.
// `in_list`, when set, is AND-ed to `where`; an empty list selects no
// record (and sends nothing).
//
// Caspio refuses request URIs over 2,047 characters. A single-page read
// (and a write) that would exceed it fails with kUserInput before sending.
// RecordPager instead splits a long `in_list` into chunks that fit, reads
// each chunk in the completed order and merges them by comparing the order
// fields' values, so the records come out as one ordered read would give
// them. Such a split read needs an order of plain field names (with ASC or
// DESC; PK_ID is added), no group_by and no aggregate select, and every
// order field among the selected ones; otherwise it fails with kUserInput.
struct RecordQuery {
  std::string select;
  std::string where;
  std::string group_by;
  std::string order_by;
  std::optional<InList> in_list;
};

// "[Field] IN ('a', 2)": the q.where text of `list`. Errors (kUserInput): a
// bad field name, an empty list, a value that is not text, a number or a
// boolean.
absl::StatusOr<std::string> InListWhere(const InList& list);

// One page of a read: q.pageNumber (from 1) and q.pageSize (5..1000).
struct PageRequest {
  int page_number = 1;
  int page_size = 100;
  bool pagination_info = false;  // sends q.getPaginationInfo=true
};

struct Pagination {
  std::int64_t total_count = 0;
  int page_number = 0;
  int page_size = 0;
};

struct RecordPage {
  std::vector<Record> records;
  std::optional<Pagination> pagination;  // when requested and returned
};

enum class ReturnRows { kNo, kYes };  // response=rows on writes

struct WriteResult {
  // Rows the server reported as affected; 0 is a normal answer (no match).
  // For an insert: the number of records returned, or 1 without rows.
  std::int64_t records_affected = 0;
  std::vector<Record> records;  // with ReturnRows::kYes
  // An update or delete was sent more than once: an earlier attempt got a
  // 5xx answer or lost its connection and may have been applied too. The
  // repeat is harmless (same values, same rows), but records_affected
  // counts only the last attempt (0 for a delete the first one did).
  bool replayed = false;
};

class Connection;  // tokens, errors; see src/client/connection.h

// Reads every record matching a query, one page per call to NextPage(),
// using only q.pageSize and q.pageNumber, in a total order: the caller's
// q.orderBy plus PK_ID (unless already there); a grouped read is ordered by
// its group keys. Stops when Pagination.TotalCount is reached or a page is
// shorter than the page size. An aggregate select without group_by (e.g.
// "COUNT(*) AS n") gives one row: it is read with one request, neither
// paged nor ordered. A long RecordQuery::in_list is read in chunks and
// merged (see RecordQuery); NextPage() then returns at most page_size
// records at a time. A failed NextPage() can be called again: it asks for
// the same page. Not thread-safe.
class RecordPager {
 public:
  // The next records; empty with done() true at the end.
  absl::StatusOr<std::vector<Record>> NextPage();
  bool done() const { return done_; }
  // The query as actually sent (with the order completed; a chunked read
  // sends `in_list` a chunk at a time).
  const RecordQuery& query() const { return query_; }

 private:
  friend class Client;
  // One read of the plan: the whole query, or one chunk of its IN list.
  struct Stream {
    std::string where;  // q.where with this chunk's IN list
    int next_page = 1;
    std::int64_t seen = 0;
    bool done = false;
    std::deque<Record> buffer;  // fetched, not yet returned
  };
  struct OrderKey {
    std::string field;
    bool descending = false;
  };

  RecordPager(std::shared_ptr<Connection> connection, std::string table,
              RecordQuery query, int page_size);
  absl::Status Plan();
  absl::Status Fill(Stream& stream);
  int Compare(const Record& a, const Record& b) const;

  std::shared_ptr<Connection> connection_;
  std::string table_;
  RecordQuery query_;
  int page_size_;
  bool single_row_ = false;  // an aggregate without GROUP BY
  absl::Status plan_status_;
  std::vector<Stream> streams_;
  std::vector<OrderKey> merge_order_;  // only when merging chunks
  bool done_ = false;
};

// Thread-safe; copies share one connection (and token, and rate-limit
// throttle). Every call is repeated as ClientOptions::retry allows (see
// caspio/retry.h): rate limits for any call, 5xx and lost connections for
// reads, updates and deletes, never an insert that may have reached
// Caspio. When retries run out the error says what was called, how many
// attempts were made over how long, and what Caspio last said. Calls whose
// request URI would exceed Caspio's 2,047 characters fail with kUserInput
// before sending.
class Client {
 public:
  // Builds a client from a profile's credentials. Fails only on malformed
  // credentials; nothing is sent until the first call.
  static absl::StatusOr<Client> Create(Credentials credentials,
                                       ClientOptions options = {});
  explicit Client(std::shared_ptr<Connection> connection);

  // Obtains a new access token now, bypassing any cached one.
  absl::Status RefreshToken();

  absl::StatusOr<std::vector<std::string>> ListTables();
  absl::StatusOr<TableInfo> GetTable(std::string_view table);
  // Field definitions as Caspio returns them (BaseColumnResult objects).
  absl::StatusOr<std::vector<nlohmann::ordered_json>> ListTableFields(
      std::string_view table);
  absl::StatusOr<nlohmann::ordered_json> GetTableField(std::string_view table,
                                                       std::string_view field);
  // `definition` is a CreateTableRequest: {"Name": ..., "Fields": [...]}.
  absl::Status CreateTable(const nlohmann::ordered_json& definition);
  // `field` is a FieldModel: {"Name": ..., "Type": ..., ...}.
  absl::Status CreateTableField(std::string_view table,
                                const nlohmann::ordered_json& field);

  absl::StatusOr<RecordPage> ListTableRecords(std::string_view table,
                                              const RecordQuery& query,
                                              const PageRequest& page);
  // Every record of `query`, page by page (see RecordPager). `page_size` is
  // clamped to Caspio's limits, 5..1000. Nothing is sent until NextPage().
  RecordPager ListAllTableRecords(std::string_view table, RecordQuery query,
                                  int page_size = 1000);

  absl::StatusOr<WriteResult> CreateTableRecord(std::string_view table,
                                                const Record& record,
                                                ReturnRows rows);
  // `where` must not be empty (kUserInput before anything is sent).
  absl::StatusOr<WriteResult> UpdateTableRecords(std::string_view table,
                                                 std::string_view where,
                                                 const Record& values,
                                                 ReturnRows rows);
  // `where` must not be empty (kUserInput before anything is sent). The
  // WriteResult holds RecordsAffected and `replayed`, never records.
  absl::StatusOr<WriteResult> DeleteTableRecords(std::string_view table,
                                                 std::string_view where);

 private:
  std::shared_ptr<Connection> connection_;
};

}  // namespace caspio

#endif  // CASPIO_CLIENT_H_
