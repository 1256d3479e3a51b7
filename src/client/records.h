// Reading records, shared by Client and RecordPager (internal).
#ifndef CASPIO_SRC_CLIENT_RECORDS_H_
#define CASPIO_SRC_CLIENT_RECORDS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "caspio/client.h"
#include "client/connection.h"

namespace caspio {

inline constexpr int kMinPageSize = 5;
inline constexpr int kMaxPageSize = 1000;

// GET /tables/{table}/records for one page, `query.in_list` AND-ed to its
// where. Errors: kUserInput for a page outside Caspio's limits or a bad IN
// list (nothing is sent), else as Connection::Call. An empty IN list gives
// an empty page without a request.
absl::StatusOr<RecordPage> FetchRecordPage(Connection& connection,
                                           std::string_view table,
                                           const RecordQuery& query,
                                           const PageRequest& page);

// The GET of `query` with `where` in place of query.where (in_list is
// ignored), paged by `page`, or unpaged when `page` is null.
ApiRequest RecordsReadRequest(std::string_view table, const RecordQuery& query,
                              std::string_view where, const PageRequest* page);
absl::StatusOr<RecordPage> ReadRecords(Connection& connection,
                                       std::string_view table,
                                       const RecordQuery& query,
                                       std::string_view where,
                                       const PageRequest* page);

// The q.where literals of `list`'s values, after checking its field name.
absl::StatusOr<std::vector<std::string>> InListLiterals(const InList& list);
// "[field] IN (literals[begin], ..., literals[end - 1])".
std::string InListText(std::string_view field,
                       const std::vector<std::string>& literals,
                       std::size_t begin, std::size_t end);
// "(where) AND (in_list)", or `in_list` when `where` is blank.
std::string AndWhere(std::string_view where, std::string_view in_list);

// The q.orderBy that makes paging deterministic: `order_by` plus PK_ID
// unless PK_ID is already an item; for a grouped read, `order_by` plus the
// group keys it lacks (PK_ID does not exist in grouped rows).
std::string CompleteOrderBy(std::string_view order_by,
                            std::string_view group_by);

// True for a select with an aggregate (COUNT(...), SUM(...), ...) outside
// any parentheses and not used as a window function (OVER), when there is
// no GROUP BY: such a read gives one row, and ordering it by PK_ID is an
// error to SQL Server.
bool IsAggregateRead(std::string_view select, std::string_view group_by);

}  // namespace caspio

#endif  // CASPIO_SRC_CLIENT_RECORDS_H_
