// Turns a connector's row selection (a raw `where`, a `match` object, or
// the explicit `all_records` opt-in) into q.where text for Caspio.
#ifndef CASPIO_CONNECTOR_WHERE_H_
#define CASPIO_CONNECTOR_WHERE_H_

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "caspio/client.h"

namespace caspio::connector {

// The predicate that selects every row of a table. Caspio refuses a PUT or
// DELETE without q.where, so "all rows" has to be a real condition.
inline constexpr std::string_view kAllRecordsWhere = "PK_ID>0";

// AND-ed equality tests for a `match` object (field -> value): text through
// caspio::QuoteText, numbers as JSON renders them, booleans as 1/0 (Caspio
// refuses `Flag=true`), null as IS NULL, a list of text, numbers or
// booleans as [Field] IN (...) (caspio::InListWhere), names through
// caspio::QuoteFieldName. Errors (kUserInput) name the offending member as a
// JSON pointer below `pointer`, e.g. "/match/Bad Name". An empty object gives
// "". TODO(#2): contains / starts-with tests (caspio::EscapeLike) and
// not-equal, for users who now need a raw `where` for them.
absl::StatusOr<std::string> BuildMatchWhere(
    const nlohmann::ordered_json& match, std::string_view pointer = "/match");

// "(where) AND (match)" when both are non-empty, else the non-empty one.
std::string CombineWhere(std::string_view where, std::string_view match_where);

// The q.where of a read: `where` and `match` of `input`, either optional.
absl::StatusOr<std::string> ReadWhere(const nlohmann::ordered_json& input);

// A read's row selection with the first list-valued member of `match`
// kept as data, so that the client can split a long list into several
// requests (caspio::RecordQuery::in_list); `where` holds the rest.
struct ReadSelection {
  std::string where;
  std::optional<caspio::InList> in_list;
};
absl::StatusOr<ReadSelection> ReadSelectionOf(
    const nlohmann::ordered_json& input);

// The q.where of an update or delete. Exactly one way to select rows is
// required: a non-blank `where` and/or a non-empty `match`, or
// `all_records: true` (sent as PK_ID>0). Anything else is kUserInput, found
// before a request is sent.
absl::StatusOr<std::string> WriteWhere(const nlohmann::ordered_json& input);

}  // namespace caspio::connector

#endif  // CASPIO_CONNECTOR_WHERE_H_
