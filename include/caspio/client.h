// The Caspio REST API v3, one typed call per operation.
#ifndef CASPIO_CLIENT_H_
#define CASPIO_CLIENT_H_

#include <cstdint>
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

// The q.* clauses of a read, passed to Caspio as they are. Build values in
// `where` with QuoteText() and friends (caspio/query.h), never by pasting.
struct RecordQuery {
  std::string select;
  std::string where;
  std::string group_by;
  std::string order_by;
};

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
};

class Connection;  // tokens, errors; see src/client/connection.h

// Reads every record matching a query, one page per call to NextPage(),
// using only q.pageSize and q.pageNumber, in a total order: the caller's
// q.orderBy plus PK_ID (unless already there); a grouped read is ordered by
// its group keys. Stops when Pagination.TotalCount is reached or a page is
// shorter than the page size. Not thread-safe.
class RecordPager {
 public:
  // The next page; empty with done() true at the end.
  absl::StatusOr<std::vector<Record>> NextPage();
  bool done() const { return done_; }
  // The query as actually sent (with the order completed).
  const RecordQuery& query() const { return query_; }

 private:
  friend class Client;
  RecordPager(std::shared_ptr<Connection> connection, std::string table,
              RecordQuery query, int page_size);

  std::shared_ptr<Connection> connection_;
  std::string table_;
  RecordQuery query_;
  int page_size_;
  int next_page_ = 1;
  std::int64_t seen_ = 0;
  bool done_ = false;
};

// Thread-safe; copies share one connection (and token).
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
  absl::StatusOr<std::int64_t> DeleteTableRecords(std::string_view table,
                                                  std::string_view where);

 private:
  std::shared_ptr<Connection> connection_;
};

}  // namespace caspio

#endif  // CASPIO_CLIENT_H_
