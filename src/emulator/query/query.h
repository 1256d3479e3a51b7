// The emulator's query compiler: Caspio's q.select / q.where / q.groupBy /
// q.orderBy text, parsed into a syntax tree, checked against a table's
// fields and compiled to SQLite SQL with bound parameters. Text from a
// request never reaches SQL except through a bound parameter; identifiers in
// the output come from the table definition, never from the request.
//
// Each clause may be at most 4096 characters and nest at most 200 levels
// deep; longer or deeper input is InvalidArgument. The functions share no
// state and are thread-safe.
#ifndef CASPIO_EMULATOR_QUERY_QUERY_H_
#define CASPIO_EMULATOR_QUERY_QUERY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

struct sqlite3;

namespace caspio::emulator::query {

// How a value is stored and compared. DATE/TIME values are stored as text
// "YYYY-MM-DDTHH:MM:SS"; YES/NO as 0/1; text compares case-insensitively.
enum class ValueKind { kText, kInteger, kNumber, kYesNo, kDateTime };

struct Field {
  std::string name;  // as Caspio spells it; also the SQLite column name
  ValueKind kind = ValueKind::kText;
  bool password = false;  // never selected by *, never allowed in clauses
};

// A table as the compiler sees it. `fields` includes PK_ID (kInteger).
struct Table {
  std::string sql_name;  // the SQLite table that stores the records
  std::vector<Field> fields;
};

// The q.* clauses of a request, as received (any may be empty).
struct Clauses {
  std::string select;
  std::string where;
  std::string group_by;
  std::string order_by;
};

using Param = std::variant<std::monostate, std::int64_t, double, std::string>;

// One column of a result, in order. `kind` says how to render the value
// (YES/NO as a JSON boolean, numbers as numbers, the rest as strings).
//
// `name` is the alias when one was given, else the field's own spelling for
// a plain field reference, else "Expr1", "Expr2", ... numbering the unnamed
// expressions left to right. Names may repeat (`Name, Name`).
//
// `kind` is the field's kind for a plain field; COUNT, LEN, CHARINDEX,
// YEAR, MONTH, DAY, DATEPART and DATEDIFF give kInteger; + - * % and SUM
// give kInteger when every input is an integer (or YES/NO), else kNumber;
// / and AVG give kNumber; text functions and + on text give kText; DATEADD
// and GETDATE give kDateTime; MIN, MAX, ISNULL, ABS and ROUND keep their
// argument's kind; a NULL literal is kText.
struct Column {
  std::string name;
  ValueKind kind = ValueKind::kText;
};

struct CompiledSelect {
  // A complete SELECT, no LIMIT/OFFSET. Its result columns carry no SQL
  // aliases: read them by position, as `columns` describes them.
  std::string sql;
  std::vector<Param> params;
  std::vector<Column> columns;
  bool ordered = false;    // the caller gave q.orderBy
  bool aggregate = false;  // grouped, or aggregates in the select list
};

struct CompiledWhere {
  std::string sql;  // an expression for use after WHERE; "1" when empty
  std::vector<Param> params;
};

enum class DefaultOrder { kNone, kPkId };

// Compiles a read. An empty q.select means *, which lists every field but
// password fields, in table order; an empty q.where matches every record.
// With DefaultOrder::kPkId the order ends with PK_ID for a plain read and
// with the GROUP BY keys for a grouped one, so that pages are stable; after
// a q.orderBy these only break ties. Text compares, groups and sorts
// without case.
// Errors: InvalidArgument with a SQL Server style message for bad syntax or
// unknown names ("Invalid column name 'X'."), Unimplemented naming the
// construct for valid T-SQL the emulator does not support.
absl::StatusOr<CompiledSelect> CompileSelect(
    const Table& table, const Clauses& clauses,
    DefaultOrder order = DefaultOrder::kPkId);

// Compiles the q.where of an update or delete. An empty `where` compiles
// to "1", matching every record: refusing an unfiltered delete is the
// caller's rule. Errors as CompileSelect.
absl::StatusOr<CompiledWhere> CompileWhere(const Table& table,
                                           std::string_view where);

// Registers the SQL functions compiled queries call (LIKE with SQL Server
// classes, LEN, CHARINDEX, DATEADD, ...). Call once per connection, before
// preparing compiled SQL. Errors: Internal when SQLite refuses one. Some
// failures only show when a statement runs (a text value that is not a
// date compared with a date, a negative SUBSTRING length, a DATEADD
// overflow): sqlite3_step then fails with SQL Server's message.
absl::Status RegisterSqlFunctions(sqlite3* db);

}  // namespace caspio::emulator::query

#endif  // CASPIO_EMULATOR_QUERY_QUERY_H_
