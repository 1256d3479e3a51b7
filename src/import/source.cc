#include "import/source.h"

#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace caspio::import {
namespace {

using Kind = RawValue::Kind;

// Accumulates rows keyed by heading, adding headings as they appear.
class TableBuilder {
 public:
  void StartRow() { row_.clear(); }
  void Set(const std::string& heading, RawValue value) {
    auto [it, added] = index_.emplace(heading, table_.headings.size());
    if (added) table_.headings.push_back(heading);
    if (row_.size() <= it->second) row_.resize(it->second + 1);
    row_[it->second] = std::move(value);
  }
  void EndRow() { table_.rows.push_back(std::move(row_)); }

  RawTable Finish() && {
    table_.typed = true;
    for (auto& row : table_.rows) row.resize(table_.headings.size());
    return std::move(table_);
  }

 private:
  RawTable table_;
  std::map<std::string, std::size_t> index_;
  std::vector<RawValue> row_;
};

// SAX events for a stream of objects (in an array, or one per line). Values
// directly inside an object keep their exact text; nested objects and arrays
// are serialised as JSON.
class RecordSax : public nlohmann::json_sax<nlohmann::ordered_json> {
 public:
  explicit RecordSax(TableBuilder& builder) : builder_(builder) {}

  bool null() override { return Nested(nullptr) || Scalar({Kind::kNull, ""}); }
  bool boolean(bool v) override {
    return Nested(v) || Scalar({Kind::kBoolean, v ? "true" : "false"});
  }
  bool number_integer(number_integer_t v) override {
    return Nested(v) || Scalar({Kind::kNumber, std::to_string(v)});
  }
  bool number_unsigned(number_unsigned_t v) override {
    return Nested(v) || Scalar({Kind::kNumber, std::to_string(v)});
  }
  bool number_float(number_float_t v, const string_t& text) override {
    return Nested(v) || Scalar({Kind::kNumber, text});
  }
  bool string(string_t& v) override {
    if (Nested(v)) return true;
    return Scalar({v.empty() ? Kind::kNull : Kind::kText, v});
  }
  bool binary(binary_t&) override { return Fail("binary values"); }

  bool start_object(std::size_t) override {
    if (depth_ == in_record()) {
      builder_.StartRow();
    } else if (depth_ > in_record()) {
      Push(nlohmann::ordered_json::object());
    }
    ++depth_;
    return true;
  }
  bool end_object() override {
    --depth_;
    if (depth_ == in_record()) builder_.EndRow();
    if (depth_ > in_record()) Pop();
    return true;
  }
  bool start_array(std::size_t) override {
    if (depth_ == 0 && !top_is_array_) {
      top_is_array_ = true;
    } else if (depth_ > in_record()) {
      Push(nlohmann::ordered_json::array());
    } else {
      return Fail("an array where a record was expected");
    }
    ++depth_;
    return true;
  }
  bool end_array() override {
    --depth_;
    if (depth_ > in_record()) Pop();
    return true;
  }
  bool key(string_t& k) override {
    if (depth_ == in_record() + 1) {
      key_ = k;
    } else {
      nested_key_ = k;
    }
    return true;
  }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& e) override {
    error_ = absl::StrCat("invalid JSON at byte ", position, ": ", e.what());
    return false;
  }

  const std::string& error() const { return error_; }

 private:
  std::size_t in_record() const { return top_is_array_ ? 1 : 0; }

  bool Scalar(RawValue value) {
    if (depth_ != in_record() + 1) return Fail("a value outside a record");
    builder_.Set(key_, std::move(value));
    return true;
  }

  // Adds `v` to the innermost nested container, if inside one.
  template <typename T>
  bool Nested(T&& v) {
    if (stack_.empty()) return false;
    Add(nlohmann::ordered_json(std::forward<T>(v)));
    return true;
  }
  void Add(nlohmann::ordered_json v) {
    auto& top = stack_.back();
    if (top.is_object()) {
      top[nested_key_] = std::move(v);
    } else {
      top.push_back(std::move(v));
    }
  }
  void Push(nlohmann::ordered_json container) {
    keys_.push_back(nested_key_);
    stack_.push_back(std::move(container));
  }
  void Pop() {
    nlohmann::ordered_json done = std::move(stack_.back());
    stack_.pop_back();
    nested_key_ = keys_.back();
    keys_.pop_back();
    if (stack_.empty()) {
      builder_.Set(key_, {Kind::kJson, done.dump()});
    } else {
      Add(std::move(done));
    }
  }
  bool Fail(std::string_view what) {
    error_ =
        absl::StrCat("unexpected ", std::string(what), " in the JSON data");
    return false;
  }

  TableBuilder& builder_;
  std::size_t depth_ = 0;
  bool top_is_array_ = false;
  std::string key_;
  std::string nested_key_;
  std::vector<std::string> keys_;
  std::vector<nlohmann::ordered_json> stack_;
  std::string error_;
};

absl::Status ParseJsonDocument(std::string_view text, TableBuilder& builder) {
  RecordSax sax(builder);
  bool ok = nlohmann::ordered_json::sax_parse(text.begin(), text.end(), &sax);
  if (!ok) return absl::InvalidArgumentError(sax.error());
  return absl::OkStatus();
}

std::size_t FirstNonSpace(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])))
    ++i;
  return i;
}

}  // namespace

absl::StatusOr<RawTable> ParseCsv(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);

  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string cell;
  bool quoted = false, cell_started = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c != '"') {
        cell += c;
      } else if (i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else {
        quoted = false;
      }
    } else if (c == '"' && cell.empty()) {
      quoted = cell_started = true;
    } else if (c == ',') {
      record.push_back(std::move(cell));
      cell.clear();
      cell_started = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (!record.empty() || !cell.empty() || cell_started) {
        record.push_back(std::move(cell));
        records.push_back(std::move(record));
      }
      record.clear();
      cell.clear();
      cell_started = false;
    } else {
      cell += c;
      cell_started = true;
    }
  }
  if (quoted) return absl::InvalidArgumentError("unterminated quoted CSV cell");
  if (!record.empty() || !cell.empty() || cell_started) {
    record.push_back(std::move(cell));
    records.push_back(std::move(record));
  }
  if (records.empty()) return absl::InvalidArgumentError("the CSV is empty");

  RawTable table;
  table.headings = records[0];
  for (std::size_t r = 1; r < records.size(); ++r) {
    if (records[r].size() > table.headings.size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "CSV row ", r + 1, " has ", records[r].size(), " cells; the heading",
          " row has ", table.headings.size()));
    }
    std::vector<RawValue> row(table.headings.size());
    for (std::size_t c = 0; c < records[r].size(); ++c) {
      auto& v = records[r][c];
      row[c] = v.empty() ? RawValue{Kind::kNull, ""}
                         : RawValue{Kind::kText, std::move(v)};
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

absl::StatusOr<RawTable> ParseJson(std::string_view text) {
  TableBuilder builder;
  std::size_t start = FirstNonSpace(text);
  if (start < text.size() && text[start] == '[') {
    auto status = ParseJsonDocument(text, builder);
    if (!status.ok()) return status;
    return std::move(builder).Finish();
  }
  std::size_t line_number = 0;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? "" : text.substr(end + 1);
    ++line_number;
    if (FirstNonSpace(line) == line.size()) continue;
    auto status = ParseJsonDocument(line, builder);
    if (!status.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "line ", line_number, ": ", std::string(status.message())));
    }
  }
  return std::move(builder).Finish();
}

absl::StatusOr<RawTable> ReadDataFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();

  std::size_t start = FirstNonSpace(text);
  bool json = start < text.size() && (text[start] == '[' || text[start] == '{');
  auto table = json ? ParseJson(text) : ParseCsv(text);
  if (!table.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", std::string(table.status().message())));
  }
  return table;
}

}  // namespace caspio::import
