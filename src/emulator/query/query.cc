// CompileSelect and CompileWhere: parse each clause, compile its
// expressions, apply SQL Server's grouping rules and assemble the SELECT.
#include "emulator/query/query.h"

#include <memory>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "emulator/query/expression_compiler.h"
#include "emulator/query/parser.h"
#include "emulator/query/status_macros.h"
#include "emulator/query/text_util.h"

namespace caspio::emulator::query {
namespace {

using NodePtr = std::unique_ptr<Node>;

bool ContainsColumn(const Node& node) {
  if (node.kind == NodeKind::kColumn) return true;
  for (std::size_t i = 0; i < node.children.size(); ++i) {
    if (!IsDatePartArgument(node, i) && ContainsColumn(*node.children[i])) {
      return true;
    }
  }
  return false;
}

Fragment WithSuffix(Fragment fragment, std::string_view suffix) {
  fragment.sql += suffix;
  return fragment;
}

// Text groups and sorts without case, as under SQL Server's collation.
Fragment Collated(Fragment fragment) {
  if (fragment.type != Type::kText) return fragment;
  return WithSuffix(std::move(fragment), " COLLATE NOCASE");
}

class SelectCompiler {
 public:
  SelectCompiler(const Table& table, DefaultOrder order)
      : table_(table), default_order_(order) {}

  absl::StatusOr<CompiledSelect> Run(const Clauses& clauses) {
    ASSIGN_OR_RETURN(items, ParseSelectList(clauses.select));
    ASSIGN_OR_RETURN(condition, ParseCondition(clauses.where));
    ASSIGN_OR_RETURN(keys, ParseGroupBy(clauses.group_by));
    ASSIGN_OR_RETURN(order, ParseOrderBy(clauses.order_by));

    RETURN_IF_ERROR(CompileColumns(std::move(items)));
    if (condition != nullptr) {
      ExpressionCompiler compiler(table_, Clause::kWhere);
      ASSIGN_OR_RETURN(where, compiler.Condition(*condition));
      where_ = std::move(where);
    }
    RETURN_IF_ERROR(CompileGroupBy(std::move(keys)));

    aggregate_ = !group_keys_.empty();
    for (const SelectItem& item : select_) {
      aggregate_ = aggregate_ || ContainsAggregate(*item.expr);
    }
    for (const OrderItem& item : order) {
      aggregate_ = aggregate_ || ContainsAggregate(*item.expr);
    }
    if (aggregate_) {
      for (const SelectItem& item : select_) {
        RETURN_IF_ERROR(CheckGrouped(*item.expr, "select list"));
      }
    }

    RETURN_IF_ERROR(CompileOrderBy(order));
    AddDefaultOrder();
    return Assemble();
  }

 private:
  // An empty select list or a * stands for every field but passwords, in
  // table order. Unnamed expressions are called Expr1, Expr2, ...
  absl::Status CompileColumns(std::vector<SelectItem> items) {
    if (items.empty()) items.emplace_back();
    for (SelectItem& item : items) {
      if (item.expr != nullptr) {
        select_.push_back(std::move(item));
        continue;
      }
      for (const Field& field : table_.fields) {
        if (field.password) continue;
        SelectItem expanded;
        expanded.expr = std::make_unique<Node>();
        expanded.expr->kind = NodeKind::kColumn;
        expanded.expr->text = field.name;
        select_.push_back(std::move(expanded));
      }
    }

    ExpressionCompiler compiler(table_, Clause::kSelect);
    int unnamed = 0;
    for (const SelectItem& item : select_) {
      ASSIGN_OR_RETURN(fragment, compiler.Value(*item.expr));
      Column column{item.alias, KindOf(fragment.type)};
      if (column.name.empty() && item.expr->kind == NodeKind::kColumn) {
        ASSIGN_OR_RETURN(field, compiler.Resolve(item.expr->text));
        column.name = field->name;
      } else if (column.name.empty()) {
        column.name = absl::StrCat("Expr", ++unnamed);
      }
      columns_.push_back(std::move(column));
      column_sql_.push_back(std::move(fragment));
    }
    return absl::OkStatus();
  }

  absl::Status CompileGroupBy(std::vector<NodePtr> keys) {
    ExpressionCompiler compiler(table_, Clause::kGroupBy);
    for (NodePtr& key : keys) {
      ASSIGN_OR_RETURN(fragment, compiler.Value(*key));
      if (!ContainsColumn(*key)) {
        return absl::InvalidArgumentError(
            "Each GROUP BY expression must contain at least one column that "
            "is not an outer reference.");
      }
      group_sql_.push_back(Collated(std::move(fragment)));
      group_keys_.push_back(std::move(key));
    }
    return absl::OkStatus();
  }

  // SQL Server's rule for grouped reads: outside an aggregate, a column may
  // only appear within an expression that is one of the GROUP BY keys.
  absl::Status CheckGrouped(const Node& node, std::string_view clause) const {
    for (const NodePtr& key : group_keys_) {
      if (SameExpression(node, *key)) return absl::OkStatus();
    }
    if (IsAggregateCall(node)) return absl::OkStatus();
    if (node.kind == NodeKind::kColumn) {
      ASSIGN_OR_RETURN(
          field,
          ExpressionCompiler(table_, Clause::kSelect).Resolve(node.text));
      return absl::InvalidArgumentError(absl::StrCat(
          "Column '", field->name, "' is invalid in the ", std::string(clause),
          " because it is not contained in either an aggregate function or "
          "the GROUP BY clause."));
    }
    for (std::size_t i = 0; i < node.children.size(); ++i) {
      if (IsDatePartArgument(node, i)) continue;
      RETURN_IF_ERROR(CheckGrouped(*node.children[i], clause));
    }
    return absl::OkStatus();
  }

  absl::Status CompileOrderBy(const std::vector<OrderItem>& items) {
    ordered_ = !items.empty();
    ExpressionCompiler compiler(table_, Clause::kOrderBy);
    for (std::size_t i = 0; i < items.size(); ++i) {
      const Node& expr = *items[i].expr;
      std::optional<Fragment> fragment;
      if (expr.kind == NodeKind::kLiteral) {
        ASSIGN_OR_RETURN(selected, ByPosition(expr, i));
        fragment = std::move(selected);
      } else if (const Fragment* aliased = ByAlias(expr)) {
        fragment = *aliased;
      } else {
        ASSIGN_OR_RETURN(compiled, compiler.Value(expr));
        if (aggregate_) RETURN_IF_ERROR(CheckGrouped(expr, "ORDER BY clause"));
        fragment = std::move(compiled);
      }
      order_sql_.push_back(WithSuffix(Collated(*std::move(fragment)),
                                      items[i].descending ? " DESC" : ""));
    }
    return absl::OkStatus();
  }

  // ORDER BY 2 sorts by the second selected column; other constants are
  // errors in SQL Server.
  absl::StatusOr<Fragment> ByPosition(const Node& literal,
                                      std::size_t index) const {
    const auto* position = std::get_if<std::int64_t>(&literal.value);
    if (position == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "A constant expression was encountered in the ORDER BY list, "
          "position ",
          index + 1, "."));
    }
    if (*position < 1 ||
        *position > static_cast<std::int64_t>(column_sql_.size())) {
      return absl::InvalidArgumentError(absl::StrCat(
          "The ORDER BY position number ", *position,
          " is out of range of the number of items in the select list."));
    }
    return column_sql_[*position - 1];
  }

  const Fragment* ByAlias(const Node& expr) const {
    if (expr.kind != NodeKind::kColumn) return nullptr;
    for (std::size_t i = 0; i < select_.size(); ++i) {
      if (!select_[i].alias.empty() &&
          EqualsIgnoreCase(select_[i].alias, expr.text)) {
        return &column_sql_[i];
      }
    }
    return nullptr;
  }

  // Pages must not shift between requests, so reads end with a total
  // order: plain reads with PK_ID, grouped reads with their keys. After a
  // q.orderBy these only break ties.
  void AddDefaultOrder() {
    if (default_order_ == DefaultOrder::kNone) return;
    if (aggregate_) {
      order_sql_.insert(order_sql_.end(), group_sql_.begin(), group_sql_.end());
      return;
    }
    for (const Field& field : table_.fields) {
      if (!EqualsIgnoreCase(field.name, "PK_ID")) continue;
      order_sql_.push_back(Fragment{QuoteName(field.name), {}, Type::kInteger});
    }
  }

  CompiledSelect Assemble() {
    SqlBuilder sql;
    sql.Text("SELECT ").AddList(column_sql_);
    sql.Text(" FROM ").Text(QuoteName(table_.sql_name));
    if (where_) sql.Text(" WHERE ").Add(*where_);
    if (!group_sql_.empty()) sql.Text(" GROUP BY ").AddList(group_sql_);
    if (!order_sql_.empty()) sql.Text(" ORDER BY ").AddList(order_sql_);
    Fragment built = sql.Build(Type::kNull);

    CompiledSelect result;
    result.sql = std::move(built.sql);
    result.params = std::move(built.params);
    result.columns = std::move(columns_);
    result.ordered = ordered_;
    result.aggregate = aggregate_;
    return result;
  }

  const Table& table_;
  DefaultOrder default_order_;
  std::vector<SelectItem> select_;  // * expanded
  std::vector<Column> columns_;
  std::vector<Fragment> column_sql_;
  std::optional<Fragment> where_;
  std::vector<NodePtr> group_keys_;
  std::vector<Fragment> group_sql_;
  std::vector<Fragment> order_sql_;
  bool aggregate_ = false;
  bool ordered_ = false;
};

}  // namespace

absl::StatusOr<CompiledSelect> CompileSelect(const Table& table,
                                             const Clauses& clauses,
                                             DefaultOrder order) {
  return SelectCompiler(table, order).Run(clauses);
}

absl::StatusOr<CompiledWhere> CompileWhere(const Table& table,
                                           std::string_view where) {
  ASSIGN_OR_RETURN(condition, ParseCondition(where));
  if (condition == nullptr) return CompiledWhere{"1", {}};
  ExpressionCompiler compiler(table, Clause::kWhere);
  ASSIGN_OR_RETURN(fragment, compiler.Condition(*condition));
  return CompiledWhere{std::move(fragment.sql), std::move(fragment.params)};
}

}  // namespace caspio::emulator::query
