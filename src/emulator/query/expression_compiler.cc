#include "emulator/query/expression_compiler.h"

#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "emulator/query/date_time.h"
#include "emulator/query/status_macros.h"
#include "emulator/query/text_util.h"

namespace caspio::emulator::query {
namespace {

constexpr char kDateConversionFailed[] =
    "Conversion failed when converting date and/or time from character "
    "string.";

Fragment CallSql(std::string_view function, const std::vector<Fragment>& args,
                 Type type) {
  return SqlBuilder().Text(function).Text("(").AddList(args).Text(")").Build(
      type);
}

Type TypeOf(ValueKind kind) {
  switch (kind) {
    case ValueKind::kText:
      return Type::kText;
    case ValueKind::kInteger:
      return Type::kInteger;
    case ValueKind::kNumber:
      return Type::kNumber;
    case ValueKind::kYesNo:
      return Type::kYesNo;
    case ValueKind::kDateTime:
      return Type::kDateTime;
  }
  return Type::kText;
}

// SQL Server's names, for messages.
std::string TypeName(Type type) {
  switch (type) {
    case Type::kNull:
      return "NULL";
    case Type::kText:
      return "nvarchar";
    case Type::kInteger:
      return "int";
    case Type::kNumber:
      return "float";
    case Type::kYesNo:
      return "bit";
    case Type::kDateTime:
      return "datetime";
    case Type::kBoolean:
      return "boolean";
  }
  return "";
}

bool IsInteger(Type type) {
  return type == Type::kInteger || type == Type::kYesNo || type == Type::kNull;
}

bool IsNumeric(Type type) { return IsInteger(type) || type == Type::kNumber; }

bool IsAlphabetic(std::string_view text) {
  return !text.empty() && absl::ascii_isalpha(text[0]);
}

std::string Lower(std::string_view text) {
  return absl::AsciiStrToLower(std::string(text));
}

absl::Status SyntaxNear(const Node& node) {
  return absl::InvalidArgumentError(absl::StrCat(
      "Incorrect syntax near ", IsAlphabetic(node.text) ? "the keyword " : "",
      "'", node.text, "'."));
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

std::optional<std::int64_t> ParseInteger(std::string_view text) {
  text = Trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  std::int64_t value = 0;
  auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

std::optional<double> ParseNumber(std::string_view text) {
  text = Trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0;
  auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::int64_t> ParseBit(std::string_view text) {
  if (EqualsIgnoreCase(Trim(text), "true")) return 1;
  if (EqualsIgnoreCase(Trim(text), "false")) return 0;
  std::optional<std::int64_t> number = ParseInteger(text);
  if (!number) return std::nullopt;
  return *number != 0 ? 1 : 0;
}

absl::Status ConversionFailed(const Node& literal, std::string_view text,
                              std::string_view to) {
  return absl::InvalidArgumentError(
      absl::StrCat("Conversion failed when converting the ",
                   literal.national ? "nvarchar" : "varchar", " value '",
                   std::string(text), "' to data type ", std::string(to), "."));
}

// SQL Server converts a string literal compared with (or passed in place
// of) a number, bit or date to that type; the emulator does it here so
// that a bad literal fails before the query runs. Other text compared with
// a date is converted as the query runs.
absl::Status Coerce(const Node& node, Fragment& fragment, Type peer) {
  const std::string* text = node.kind == NodeKind::kLiteral
                                ? std::get_if<std::string>(&node.value)
                                : nullptr;
  if (text == nullptr) {
    if (fragment.type == Type::kText && peer == Type::kDateTime) {
      fragment.sql = "caspio_datetime(" + fragment.sql + ")";
      fragment.type = Type::kDateTime;
    }
    return absl::OkStatus();
  }
  switch (peer) {
    case Type::kDateTime: {
      std::optional<DateTime> date = ParseDateTime(*text);
      if (!date) return absl::InvalidArgumentError(kDateConversionFailed);
      fragment.params[0] = FormatDateTime(*date);
      break;
    }
    case Type::kInteger: {
      std::optional<std::int64_t> number = ParseInteger(*text);
      if (!number) return ConversionFailed(node, *text, "int");
      fragment.params[0] = *number;
      break;
    }
    case Type::kNumber: {
      std::optional<double> number = ParseNumber(*text);
      if (!number) {
        return absl::InvalidArgumentError(
            absl::StrCat("Error converting data type ",
                         node.national ? "nvarchar" : "varchar", " to float."));
      }
      fragment.params[0] = *number;
      break;
    }
    case Type::kYesNo: {
      std::optional<std::int64_t> bit = ParseBit(*text);
      if (!bit) return ConversionFailed(node, *text, "bit");
      fragment.params[0] = *bit;
      break;
    }
    default:
      return absl::OkStatus();
  }
  fragment.type = peer;
  return absl::OkStatus();
}

// Appends NOCASE to text, the emulator's stand-in for SQL Server's default
// case-insensitive collation.
// TODO(#2): SQL Server also ignores trailing spaces when comparing text.
std::string Collated(const Fragment& fragment) {
  return fragment.type == Type::kText ? " COLLATE NOCASE" : "";
}

std::string Arity(std::string_view function, std::size_t min, std::size_t max) {
  std::string name = Lower(function);
  if (min == max) {
    return absl::StrCat("The ", name, " function requires ", min,
                        " argument(s).");
  }
  if (max == std::numeric_limits<std::size_t>::max()) {
    return absl::StrCat("The ", name, " function requires at least ", min,
                        " argument(s).");
  }
  return absl::StrCat("The ", name, " function requires ", min, " to ", max,
                      " arguments.");
}

bool IsOneOf(std::string_view name,
             std::initializer_list<std::string_view> names) {
  for (std::string_view candidate : names) {
    if (EqualsIgnoreCase(name, candidate)) return true;
  }
  return false;
}

// Built-in T-SQL functions that the emulator does not implement, so that
// they fail as unsupported rather than unknown.
bool IsUnsupportedFunction(std::string_view name) {
  static const std::set<std::string, std::less<>> kNames = {
      "ACOS",
      "APPROX_COUNT_DISTINCT",
      "ASCII",
      "ASIN",
      "ATAN",
      "ATN2",
      "CEILING",
      "CHAR",
      "CHECKSUM",
      "CHECKSUM_AGG",
      "CHOOSE",
      "CONCAT",
      "CONCAT_WS",
      "COS",
      "COT",
      "DATEDIFF_BIG",
      "DATEFROMPARTS",
      "DATENAME",
      "DATETIMEFROMPARTS",
      "DATETRUNC",
      "DEGREES",
      "DENSE_RANK",
      "DIFFERENCE",
      "EOMONTH",
      "EXP",
      "FIRST_VALUE",
      "FLOOR",
      "FORMAT",
      "GETUTCDATE",
      "GROUPING",
      "GROUPING_ID",
      "IIF",
      "ISDATE",
      "ISJSON",
      "ISNUMERIC",
      "JSON_QUERY",
      "JSON_VALUE",
      "LAG",
      "LAST_VALUE",
      "LEAD",
      "LEFT",
      "LOG",
      "LOG10",
      "NCHAR",
      "NEWID",
      "NTILE",
      "NULLIF",
      "PATINDEX",
      "PI",
      "POWER",
      "QUOTENAME",
      "RADIANS",
      "RAND",
      "RANK",
      "REPLACE",
      "REPLICATE",
      "REVERSE",
      "RIGHT",
      "ROW_NUMBER",
      "SIGN",
      "SIN",
      "SOUNDEX",
      "SPACE",
      "SQRT",
      "SQUARE",
      "STDEV",
      "STDEVP",
      "STR",
      "STRING_AGG",
      "STRING_SPLIT",
      "STUFF",
      "SYSDATETIME",
      "SYSDATETIMEOFFSET",
      "SYSUTCDATETIME",
      "TAN",
      "TRANSLATE",
      "UNICODE",
      "VAR",
      "VARP"};
  return kNames.count(ToUpperAscii(name)) > 0;
}

}  // namespace

ValueKind KindOf(Type type) {
  switch (type) {
    case Type::kInteger:
      return ValueKind::kInteger;
    case Type::kNumber:
      return ValueKind::kNumber;
    case Type::kYesNo:
      return ValueKind::kYesNo;
    case Type::kDateTime:
      return ValueKind::kDateTime;
    default:
      return ValueKind::kText;
  }
}

std::string QuoteName(std::string_view name) {
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

bool IsAggregateCall(const Node& node) {
  return node.kind == NodeKind::kCall &&
         IsOneOf(node.text, {"COUNT", "COUNT_BIG", "SUM", "AVG", "MIN", "MAX"});
}

bool ContainsAggregate(const Node& node) {
  if (IsAggregateCall(node)) return true;
  for (const auto& child : node.children) {
    if (ContainsAggregate(*child)) return true;
  }
  return false;
}

bool IsDatePartArgument(const Node& node, std::size_t index) {
  return index == 0 && node.kind == NodeKind::kCall &&
         IsOneOf(node.text, {"DATEADD", "DATEDIFF", "DATEPART"});
}

bool SameExpression(const Node& a, const Node& b) {
  bool names = a.kind == NodeKind::kColumn || a.kind == NodeKind::kCall;
  if (a.kind != b.kind || a.negated != b.negated || a.distinct != b.distinct ||
      a.star != b.star || a.value != b.value ||
      a.children.size() != b.children.size()) {
    return false;
  }
  if (names ? !EqualsIgnoreCase(a.text, b.text) : a.text != b.text) {
    return false;
  }
  for (std::size_t i = 0; i < a.children.size(); ++i) {
    if (!SameExpression(*a.children[i], *b.children[i])) return false;
  }
  return true;
}

absl::StatusOr<const Field*> ExpressionCompiler::Resolve(
    std::string_view name) const {
  for (const Field& field : table_.fields) {
    if (EqualsIgnoreCase(field.name, name)) return &field;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("Invalid column name '", std::string(name), "'."));
}

absl::StatusOr<Fragment> ExpressionCompiler::Value(const Node& node) {
  ASSIGN_OR_RETURN(fragment, Compile(node));
  if (fragment.type == Type::kBoolean) return SyntaxNear(node);
  return fragment;
}

absl::StatusOr<Fragment> ExpressionCompiler::Condition(const Node& node) {
  ASSIGN_OR_RETURN(fragment, Compile(node));
  if (fragment.type != Type::kBoolean) {
    return absl::InvalidArgumentError(
        "An expression of non-boolean type specified in a context where a "
        "condition is expected.");
  }
  return fragment;
}

absl::StatusOr<Fragment> ExpressionCompiler::Compile(const Node& node) {
  switch (node.kind) {
    case NodeKind::kLiteral: {
      Type type = Type::kNull;
      if (std::holds_alternative<std::int64_t>(node.value)) {
        type = Type::kInteger;
      } else if (std::holds_alternative<double>(node.value)) {
        type = Type::kNumber;
      } else if (std::holds_alternative<std::string>(node.value)) {
        type = Type::kText;
      }
      return Fragment{"?", {node.value}, type};
    }
    case NodeKind::kColumn:
      return Column(node);
    case NodeKind::kNegate:
      return Negate(node);
    case NodeKind::kArithmetic:
      return Arithmetic(node);
    case NodeKind::kComparison:
      return Comparison(node);
    case NodeKind::kLike:
      return Like(node);
    case NodeKind::kIn:
      return In(node);
    case NodeKind::kBetween:
      return Between(node);
    case NodeKind::kIsNull:
      return IsNull(node);
    case NodeKind::kNot:
    case NodeKind::kAnd:
    case NodeKind::kOr:
      return Logical(node);
    case NodeKind::kCall:
      return Call(node);
  }
  return absl::InternalError("unknown syntax node");
}

absl::StatusOr<Fragment> ExpressionCompiler::Column(const Node& node) {
  ASSIGN_OR_RETURN(field, Resolve(node.text));
  // Caspio never reveals password values, not even through criteria.
  if (field->password) {
    return absl::InvalidArgumentError(
        absl::StrCat("Password field '", field->name,
                     "' cannot be selected or used in a query."));
  }
  return Fragment{QuoteName(field->name), {}, TypeOf(field->kind)};
}

absl::StatusOr<Fragment> ExpressionCompiler::Negate(const Node& node) {
  ASSIGN_OR_RETURN(operand, Value(*node.children[0]));
  if (!IsNumeric(operand.type)) {
    return absl::InvalidArgumentError(
        absl::StrCat("Operand data type ", TypeName(operand.type),
                     " is invalid for minus operator."));
  }
  Type type = IsInteger(operand.type) ? Type::kInteger : Type::kNumber;
  return SqlBuilder().Text("(-").Add(operand).Text(")").Build(type);
}

absl::StatusOr<Fragment> ExpressionCompiler::Arithmetic(const Node& node) {
  ASSIGN_OR_RETURN(left, Value(*node.children[0]));
  ASSIGN_OR_RETURN(right, Value(*node.children[1]));
  const std::string& op = node.text;
  // TODO(#2): SQL Server converts the text to a number when the other
  // operand is numeric ('1' + 1 is 2); the emulator joins them as text.
  if (op == "+" && (left.type == Type::kText || right.type == Type::kText)) {
    return SqlBuilder()
        .Text("(")
        .Add(left)
        .Text(" || ")
        .Add(right)
        .Text(")")
        .Build(Type::kText);
  }
  if (left.type == Type::kDateTime || right.type == Type::kDateTime) {
    return absl::UnimplementedError(
        "date arithmetic with + and - is not supported by the emulator; use "
        "DATEADD");
  }
  static constexpr std::pair<std::string_view, std::string_view> kNames[] = {
      {"+", "add"},
      {"-", "subtract"},
      {"*", "multiply"},
      {"/", "divide"},
      {"%", "modulo"}};
  for (const Fragment* operand : {&left, &right}) {
    if (IsNumeric(operand->type)) continue;
    std::string_view name;
    for (const auto& [symbol, word] : kNames) {
      if (symbol == op) name = word;
    }
    return absl::InvalidArgumentError(
        absl::StrCat("Operand data type ", TypeName(operand->type),
                     " is invalid for ", std::string(name), " operator."));
  }
  // TODO(#2): SQL Server fails on division by zero; SQLite yields NULL.
  bool integer = IsInteger(left.type) && IsInteger(right.type) && op != "/";
  return SqlBuilder()
      .Text("(")
      .Add(left)
      .Text(" " + op + " ")
      .Add(right)
      .Text(")")
      .Build(integer ? Type::kInteger : Type::kNumber);
}

absl::StatusOr<Fragment> ExpressionCompiler::Comparison(const Node& node) {
  const Node& left_node = *node.children[0];
  const Node& right_node = *node.children[1];
  ASSIGN_OR_RETURN(left, Value(left_node));
  ASSIGN_OR_RETURN(right, Value(right_node));
  // TODO(#2): SQL Server converts a text column compared with a number
  // (Name = 5) and fails on non-numeric values; SQLite never matches them.
  Type left_type = left.type;
  RETURN_IF_ERROR(Coerce(left_node, left, right.type));
  RETURN_IF_ERROR(Coerce(right_node, right, left_type));
  std::string collate =
      left.type == Type::kText ? Collated(left) : Collated(right);
  return SqlBuilder()
      .Text("(")
      .Add(left)
      .Text(" " + node.text + " ")
      .Add(right)
      .Text(collate + ")")
      .Build(Type::kBoolean);
}

absl::StatusOr<Fragment> ExpressionCompiler::Like(const Node& node) {
  std::vector<Fragment> args;
  for (const auto& child : node.children) {
    ASSIGN_OR_RETURN(arg, Value(*child));
    args.push_back(std::move(arg));
  }
  // TODO(#2): SQL Server matches a DATE/TIME value in its display form
  // ("Jan  1 2024 12:00AM"); the emulator matches the stored text.
  Fragment call = CallSql("caspio_like", args, Type::kBoolean);
  if (!node.negated) return call;
  return SqlBuilder().Text("(NOT ").Add(call).Text(")").Build(Type::kBoolean);
}

absl::StatusOr<Fragment> ExpressionCompiler::In(const Node& node) {
  ASSIGN_OR_RETURN(value, Value(*node.children[0]));
  std::vector<Fragment> items;
  for (std::size_t i = 1; i < node.children.size(); ++i) {
    ASSIGN_OR_RETURN(item, Value(*node.children[i]));
    RETURN_IF_ERROR(Coerce(*node.children[i], item, value.type));
    items.push_back(std::move(item));
  }
  return SqlBuilder()
      .Text("(")
      .Add(value)
      .Text(Collated(value))
      .Text(node.negated ? " NOT IN (" : " IN (")
      .AddList(items)
      .Text("))")
      .Build(Type::kBoolean);
}

absl::StatusOr<Fragment> ExpressionCompiler::Between(const Node& node) {
  const Node& value_node = *node.children[0];
  ASSIGN_OR_RETURN(value, Value(value_node));
  ASSIGN_OR_RETURN(low, Value(*node.children[1]));
  ASSIGN_OR_RETURN(high, Value(*node.children[2]));
  RETURN_IF_ERROR(Coerce(value_node, value, low.type));
  RETURN_IF_ERROR(Coerce(*node.children[1], low, value.type));
  RETURN_IF_ERROR(Coerce(*node.children[2], high, value.type));
  bool text = value.type == Type::kText || low.type == Type::kText ||
              high.type == Type::kText;
  return SqlBuilder()
      .Text("(")
      .Add(value)
      .Text(text ? " COLLATE NOCASE" : "")
      .Text(node.negated ? " NOT BETWEEN " : " BETWEEN ")
      .Add(low)
      .Text(" AND ")
      .Add(high)
      .Text(")")
      .Build(Type::kBoolean);
}

absl::StatusOr<Fragment> ExpressionCompiler::IsNull(const Node& node) {
  ASSIGN_OR_RETURN(value, Value(*node.children[0]));
  return SqlBuilder()
      .Text("(")
      .Add(value)
      .Text(node.negated ? " IS NOT NULL)" : " IS NULL)")
      .Build(Type::kBoolean);
}

absl::StatusOr<Fragment> ExpressionCompiler::Logical(const Node& node) {
  SqlBuilder sql;
  sql.Text(node.kind == NodeKind::kNot ? "(NOT " : "(");
  for (std::size_t i = 0; i < node.children.size(); ++i) {
    ASSIGN_OR_RETURN(operand, Condition(*node.children[i]));
    if (i > 0) sql.Text(" " + node.text + " ");
    sql.Add(operand);
  }
  return sql.Text(")").Build(Type::kBoolean);
}

absl::StatusOr<Fragment> ExpressionCompiler::Call(const Node& node) {
  if (IsAggregateCall(node)) return Aggregate(node);
  if (node.distinct) {
    return absl::InvalidArgumentError(
        "Incorrect syntax near the keyword 'DISTINCT'.");
  }
  const std::string& name = node.text;
  if (IsOneOf(name, {"LEN", "UPPER", "LOWER", "LTRIM", "RTRIM", "TRIM",
                     "SUBSTRING", "CHARINDEX"})) {
    return TextFunction(node);
  }
  if (IsOneOf(name, {"ISNULL", "COALESCE"})) return NullFunction(node);
  if (IsOneOf(name, {"ROUND", "ABS"})) return NumberFunction(node);
  if (IsOneOf(name, {"YEAR", "MONTH", "DAY", "DATEPART", "DATEADD", "DATEDIFF",
                     "GETDATE"})) {
    return DateFunction(node);
  }
  if (IsUnsupportedFunction(name)) {
    return absl::UnimplementedError(
        absl::StrCat("the function ", ToUpperAscii(name),
                     " is not supported by the emulator"));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("'", name, "' is not a recognized built-in function name."));
}

absl::StatusOr<Fragment> ExpressionCompiler::Aggregate(const Node& node) {
  if (clause_ == Clause::kWhere) {
    return absl::InvalidArgumentError(
        "An aggregate may not appear in the WHERE clause unless it is in a "
        "subquery contained in a HAVING clause or a select list, and the "
        "column being aggregated is an outer reference.");
  }
  if (clause_ == Clause::kGroupBy) {
    return absl::InvalidArgumentError(
        "Cannot use an aggregate or a subquery in an expression used for the "
        "group by list of a GROUP BY clause.");
  }
  if (in_aggregate_) {
    return absl::InvalidArgumentError(
        "Cannot perform an aggregate function on an expression containing an "
        "aggregate or a subquery.");
  }
  if (node.star) return Fragment{"count(*)", {}, Type::kInteger};
  if (node.children.size() != 1) {
    return absl::InvalidArgumentError(Arity(node.text, 1, 1));
  }

  in_aggregate_ = true;
  absl::StatusOr<Fragment> argument = Value(*node.children[0]);
  in_aggregate_ = false;
  if (!argument.ok()) return argument.status();

  std::string name = ToUpperAscii(node.text);
  bool count = name == "COUNT" || name == "COUNT_BIG";
  bool sum = name == "SUM";
  if ((sum || name == "AVG") && argument->type != Type::kInteger &&
      argument->type != Type::kNumber) {
    return absl::InvalidArgumentError(
        absl::StrCat("Operand data type ", TypeName(argument->type),
                     " is invalid for ", Lower(name), " operator."));
  }
  Type type = argument->type;
  if (count) type = Type::kInteger;
  if (sum && type != Type::kInteger) type = Type::kNumber;
  // TODO(#2): SQL Server's AVG of integers is an integer (truncated).
  if (name == "AVG") type = Type::kNumber;
  // Text compares without case in SQL Server, so it also counts DISTINCT
  // and finds MIN and MAX without case.
  std::string collate = sum || name == "AVG" ? "" : Collated(*argument);
  return SqlBuilder()
      .Text(count ? "count(" : Lower(name) + "(")
      .Text(node.distinct ? "DISTINCT " : "")
      .Add(*argument)
      .Text(collate + ")")
      .Build(type);
}

absl::StatusOr<std::vector<Fragment>> ExpressionCompiler::Arguments(
    const Node& node, std::size_t min, std::size_t max) {
  if (node.children.size() < min || node.children.size() > max) {
    return absl::InvalidArgumentError(Arity(node.text, min, max));
  }
  std::vector<Fragment> args;
  for (const auto& child : node.children) {
    ASSIGN_OR_RETURN(arg, Value(*child));
    args.push_back(std::move(arg));
  }
  return args;
}

absl::StatusOr<Fragment> ExpressionCompiler::TextFunction(const Node& node) {
  std::string name = ToUpperAscii(node.text);
  if (name == "SUBSTRING") {
    ASSIGN_OR_RETURN(args, Arguments(node, 3, 3));
    return CallSql("caspio_substring", args, Type::kText);
  }
  if (name == "CHARINDEX") {
    ASSIGN_OR_RETURN(args, Arguments(node, 2, 3));
    return CallSql("caspio_charindex", args, Type::kInteger);
  }
  ASSIGN_OR_RETURN(args, Arguments(node, 1, 1));
  if (name == "LEN") return CallSql("caspio_len", args, Type::kInteger);
  // SQLite's trim functions remove spaces only, as SQL Server's do.
  // TODO(#2): UPPER and LOWER change ASCII letters only.
  return CallSql(Lower(name), args, Type::kText);
}

absl::StatusOr<Fragment> ExpressionCompiler::NullFunction(const Node& node) {
  bool isnull = EqualsIgnoreCase(node.text, "ISNULL");
  ASSIGN_OR_RETURN(
      args,
      Arguments(node, 2, isnull ? 2 : std::numeric_limits<std::size_t>::max()));
  // ISNULL takes the type of its first argument; COALESCE the widest.
  Type type = Type::kNull;
  for (const Fragment& arg : args) {
    if (type == Type::kNull) {
      type = arg.type;
    } else if (!isnull && IsNumeric(type) && arg.type == Type::kNumber) {
      type = Type::kNumber;
    }
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    RETURN_IF_ERROR(Coerce(*node.children[i], args[i], type));
  }
  return CallSql(isnull ? "ifnull" : "coalesce", args, type);
}

absl::StatusOr<Fragment> ExpressionCompiler::NumberFunction(const Node& node) {
  bool round = EqualsIgnoreCase(node.text, "ROUND");
  if (round && node.children.size() == 3) {
    return absl::UnimplementedError(
        "ROUND with a truncation argument is not supported by the emulator");
  }
  ASSIGN_OR_RETURN(args, Arguments(node, round ? 2 : 1, round ? 2 : 1));
  if (args[0].type == Type::kDateTime) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Argument data type datetime is invalid for argument 1 of ",
        Lower(node.text), " function."));
  }
  Type type = IsInteger(args[0].type) && args[0].type != Type::kNull
                  ? Type::kInteger
                  : Type::kNumber;
  if (!round) return CallSql("abs", args, type);
  RETURN_IF_ERROR(Coerce(*node.children[1], args[1], Type::kInteger));
  return CallSql("caspio_round", args, type);
}

absl::StatusOr<Fragment> ExpressionCompiler::DateFunction(const Node& node) {
  std::string name = ToUpperAscii(node.text);
  if (name == "GETDATE") {
    RETURN_IF_ERROR(Arguments(node, 0, 0).status());
    return Fragment{"caspio_getdate()", {}, Type::kDateTime};
  }
  bool named_part =
      name == "DATEPART" || name == "DATEADD" || name == "DATEDIFF";
  std::size_t count = name == "DATEPART" ? 2 : named_part ? 3 : 1;
  if (node.children.size() != count) {
    return absl::InvalidArgumentError(Arity(node.text, count, count));
  }
  std::string part = "'" + Lower(name) + "'";
  if (named_part) {
    ASSIGN_OR_RETURN(written, DatePartArgument(node, node.text));
    part = written;
  }

  std::vector<Fragment> args = {Fragment{part, {}, Type::kText}};
  for (std::size_t i = named_part ? 1 : 0; i < count; ++i) {
    if (name == "DATEADD" && i == 1) {
      ASSIGN_OR_RETURN(amount, Value(*node.children[1]));
      RETURN_IF_ERROR(Coerce(*node.children[1], amount, Type::kInteger));
      if (!IsNumeric(amount.type)) {
        return absl::InvalidArgumentError(
            absl::StrCat("Argument data type ", TypeName(amount.type),
                         " is invalid for argument 2 of dateadd function."));
      }
      args.push_back(std::move(amount));
      continue;
    }
    ASSIGN_OR_RETURN(date, Value(*node.children[i]));
    RETURN_IF_ERROR(Coerce(*node.children[i], date, Type::kDateTime));
    if (date.type != Type::kDateTime && date.type != Type::kNull) {
      return absl::InvalidArgumentError(
          absl::StrCat("Argument data type ", TypeName(date.type),
                       " is invalid for argument ", i + 1, " of ", Lower(name),
                       " function."));
    }
    args.push_back(std::move(date));
  }
  if (name == "DATEADD")
    return CallSql("caspio_dateadd", args, Type::kDateTime);
  if (name == "DATEDIFF") {
    return CallSql("caspio_datediff", args, Type::kInteger);
  }
  return CallSql("caspio_datepart", args, Type::kInteger);
}

// The date part is a bare word (DATEADD(month, ...)); the SQL gets our own
// canonical spelling of it, never the request's text.
absl::StatusOr<std::string> ExpressionCompiler::DatePartArgument(
    const Node& node, std::string_view function) {
  const Node& part = *node.children[0];
  if (part.kind != NodeKind::kColumn) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Invalid parameter 1 specified for ", Lower(function), "."));
  }
  std::optional<DatePart> parsed = ParseDatePart(part.text);
  if (parsed) return "'" + std::string(DatePartName(*parsed)) + "'";
  if (IsOneOf(part.text,
              {"dayofyear", "dy", "y", "weekday", "dw", "w", "millisecond",
               "ms", "microsecond", "mcs", "nanosecond", "ns", "iso_week",
               "isowk", "isoww", "tzoffset", "tz"})) {
    return absl::UnimplementedError(absl::StrCat(
        "the date part ", part.text, " is not supported by the emulator"));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "'", part.text, "' is not a recognized ", Lower(function), " option."));
}

}  // namespace caspio::emulator::query
