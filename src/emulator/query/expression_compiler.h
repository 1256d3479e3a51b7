// Compiles one syntax tree to SQLite SQL: names are checked against the
// table and emitted from its definition, literals become parameters.
#ifndef CASPIO_EMULATOR_QUERY_EXPRESSION_COMPILER_H_
#define CASPIO_EMULATOR_QUERY_EXPRESSION_COMPILER_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "emulator/query/parser.h"
#include "emulator/query/query.h"

namespace caspio::emulator::query {

// What an expression yields. kBoolean marks predicates, which SQL Server
// does not treat as values; kNull is the NULL literal.
enum class Type {
  kNull,
  kText,
  kInteger,
  kNumber,
  kYesNo,
  kDateTime,
  kBoolean
};

// SQLite SQL with the parameters it binds, in order. Anything but a single
// name, parameter or function call is parenthesised, so a fragment can be
// placed next to any operator.
struct Fragment {
  std::string sql;
  std::vector<Param> params;
  Type type = Type::kNull;
};

// Concatenates SQL text and fragments, keeping parameters in text order.
class SqlBuilder {
 public:
  SqlBuilder& Text(std::string_view text) {
    sql_ += text;
    return *this;
  }
  SqlBuilder& Add(const Fragment& fragment) {
    sql_ += fragment.sql;
    params_.insert(params_.end(), fragment.params.begin(),
                   fragment.params.end());
    return *this;
  }
  SqlBuilder& AddList(const std::vector<Fragment>& fragments) {
    for (std::size_t i = 0; i < fragments.size(); ++i) {
      if (i > 0) Text(", ");
      Add(fragments[i]);
    }
    return *this;
  }
  Fragment Build(Type type) {
    return Fragment{std::move(sql_), std::move(params_), type};
  }

 private:
  std::string sql_;
  std::vector<Param> params_;
};

enum class Clause { kSelect, kWhere, kGroupBy, kOrderBy };

ValueKind KindOf(Type type);
std::string QuoteName(std::string_view name);

bool IsAggregateCall(const Node& node);
bool ContainsAggregate(const Node& node);
// Whether child `index` of `node` names a date part (DATEADD(day, ...))
// rather than a column.
bool IsDatePartArgument(const Node& node, std::size_t index);
// Structural equality, with names compared as SQL Server does.
bool SameExpression(const Node& a, const Node& b);

class ExpressionCompiler {
 public:
  ExpressionCompiler(const Table& table, Clause clause)
      : table_(table), clause_(clause) {}

  // A value; a predicate here is a syntax error.
  absl::StatusOr<Fragment> Value(const Node& node);
  // A predicate, as WHERE needs.
  absl::StatusOr<Fragment> Condition(const Node& node);
  // The field `name` refers to. Errors: "Invalid column name 'X'.".
  absl::StatusOr<const Field*> Resolve(std::string_view name) const;

 private:
  absl::StatusOr<Fragment> Compile(const Node& node);
  absl::StatusOr<Fragment> Column(const Node& node);
  absl::StatusOr<Fragment> Negate(const Node& node);
  absl::StatusOr<Fragment> Arithmetic(const Node& node);
  absl::StatusOr<Fragment> Comparison(const Node& node);
  absl::StatusOr<Fragment> Like(const Node& node);
  absl::StatusOr<Fragment> In(const Node& node);
  absl::StatusOr<Fragment> Between(const Node& node);
  absl::StatusOr<Fragment> IsNull(const Node& node);
  absl::StatusOr<Fragment> Logical(const Node& node);
  absl::StatusOr<Fragment> Call(const Node& node);
  absl::StatusOr<Fragment> Aggregate(const Node& node);
  absl::StatusOr<Fragment> TextFunction(const Node& node);
  absl::StatusOr<Fragment> NullFunction(const Node& node);
  absl::StatusOr<Fragment> NumberFunction(const Node& node);
  absl::StatusOr<Fragment> DateFunction(const Node& node);

  absl::StatusOr<std::vector<Fragment>> Arguments(const Node& node,
                                                  std::size_t min,
                                                  std::size_t max);
  absl::StatusOr<std::string> DatePartArgument(const Node& node,
                                               std::string_view function);

  const Table& table_;
  Clause clause_;
  bool in_aggregate_ = false;
};

}  // namespace caspio::emulator::query

#endif  // CASPIO_EMULATOR_QUERY_EXPRESSION_COMPILER_H_
