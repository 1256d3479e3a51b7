// Reading records, shared by Client and RecordPager (internal).
#ifndef CASPIO_SRC_CLIENT_RECORDS_H_
#define CASPIO_SRC_CLIENT_RECORDS_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "caspio/client.h"
#include "client/connection.h"

namespace caspio {

inline constexpr int kMinPageSize = 5;
inline constexpr int kMaxPageSize = 1000;

// GET /tables/{table}/records for one page. Errors: kUserInput for a page
// outside Caspio's limits (nothing is sent), else as Connection::Call.
absl::StatusOr<RecordPage> FetchRecordPage(Connection& connection,
                                           std::string_view table,
                                           const RecordQuery& query,
                                           const PageRequest& page);

// The q.orderBy that makes paging deterministic: `order_by` plus PK_ID
// unless PK_ID is already an item; for a grouped read, `order_by` plus the
// group keys it lacks (PK_ID does not exist in grouped rows).
std::string CompleteOrderBy(std::string_view order_by,
                            std::string_view group_by);

}  // namespace caspio

#endif  // CASPIO_SRC_CLIENT_RECORDS_H_
