#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "caspio/client.h"
#include "caspio/error.h"
#include "client/connection.h"
#include "client/records.h"

namespace caspio {
namespace {

std::string Trim(std::string_view text) {
  std::string out(text);
  absl::StripAsciiWhitespace(&out);
  return out;
}

// Splits a clause on commas outside parentheses, brackets and quotes, so
// "COALESCE(a, b) DESC, [c]" gives two items.
std::vector<std::string> SplitItems(std::string_view clause) {
  std::vector<std::string> items;
  std::string current;
  int depth = 0;
  bool in_quote = false;
  bool in_bracket = false;
  for (char c : clause) {
    if (in_quote) {
      in_quote = c != '\'';
    } else if (in_bracket) {
      in_bracket = c != ']';
    } else if (c == '\'') {
      in_quote = true;
    } else if (c == '[') {
      in_bracket = true;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      depth = std::max(0, depth - 1);
    } else if (c == ',' && depth == 0) {
      items.push_back(Trim(current));
      current.clear();
      continue;
    }
    current.push_back(c);
  }
  items.push_back(Trim(current));
  items.erase(std::remove(items.begin(), items.end(), ""), items.end());
  return items;
}

// The column an ORDER BY or GROUP BY item names, for comparison:
// "[Name] DESC" and "name" both give "name".
std::string ItemKey(std::string_view item) {
  std::string key = absl::AsciiStrToLower(Trim(item));
  auto last_space = key.find_last_of(" \t\r\n");
  if (last_space != std::string::npos) {
    std::string_view direction = std::string_view(key).substr(last_space + 1);
    if (direction == "asc" || direction == "desc") {
      key = Trim(std::string_view(key).substr(0, last_space));
    }
  }
  if (key.size() >= 2 && key.front() == '[' && key.back() == ']') {
    key = key.substr(1, key.size() - 2);
  }
  return key;
}

bool HasItem(const std::vector<std::string>& items, std::string_view key) {
  return std::any_of(items.begin(), items.end(), [&](const std::string& item) {
    return ItemKey(item) == key;
  });
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

absl::Status UserInputError(std::string message) {
  return MakeError(
      {.error_class = ErrorClass::kUserInput, .message = std::move(message)});
}

bool IsIdentifierChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_';
}

bool IsAggregateName(std::string_view name) {
  static constexpr std::string_view kAggregates[] = {
      "avg", "checksum_agg", "count", "count_big", "grouping",
      "max", "min",          "stdev", "stdevp",    "string_agg",
      "sum", "var",          "varp"};
  std::string lower =
      absl::AsciiStrToLower(absl::string_view(name.data(), name.size()));
  return std::find(std::begin(kAggregates), std::end(kAggregates), lower) !=
         std::end(kAggregates);
}

// Whether `item` (one select item) calls an aggregate at its top level
// without OVER: "COUNT(*) AS n" yes, "(SELECT COUNT(*) FROM T) AS c" and
// "ROW_NUMBER() OVER (ORDER BY x)" no.
bool HasTopLevelAggregate(std::string_view item) {
  std::size_t i = 0;
  while (i < item.size()) {
    char c = item[i];
    if (c == '\'' || c == '[') {
      std::size_t close = item.find(c == '\'' ? '\'' : ']', i + 1);
      i = close == std::string_view::npos ? item.size() : close + 1;
    } else if (c == '(') {
      // Skip a parenthesised part: subqueries do not aggregate this read.
      int depth = 0;
      for (; i < item.size(); ++i) {
        if (item[i] == '(') ++depth;
        if (item[i] == ')' && --depth == 0) break;
      }
      ++i;
    } else if (IsIdentifierChar(c)) {
      std::size_t end = i;
      while (end < item.size() && IsIdentifierChar(item[end])) ++end;
      std::string_view name = item.substr(i, end - i);
      std::size_t next = item.find_first_not_of(" \t\r\n", end);
      if (next != std::string_view::npos && item[next] == '(' &&
          IsAggregateName(name)) {
        int depth = 0;
        std::size_t close = next;
        for (; close < item.size(); ++close) {
          if (item[close] == '(') ++depth;
          if (item[close] == ')' && --depth == 0) break;
        }
        std::string after = Trim(item.substr(std::min(close + 1, item.size())));
        if (!absl::StartsWithIgnoreCase(after, "over")) return true;
      }
      i = end;
    } else {
      ++i;
    }
  }
  return false;
}

// The order of a chunked read as (field, direction) pairs, or an error for
// an order the merge cannot reproduce.
struct MergeKey {
  std::string field;
  bool descending = false;
};

absl::StatusOr<std::vector<MergeKey>> MergeOrder(std::string_view order_by) {
  std::vector<MergeKey> keys;
  for (const std::string& item : SplitItems(order_by)) {
    MergeKey key;
    std::string lower = absl::AsciiStrToLower(item);
    key.descending =
        absl::EndsWith(lower, " desc") || absl::EndsWith(lower, "\tdesc");
    std::string name = ItemKey(item);
    // ItemKey lowers the case; take the name as written.
    auto start = item.find_first_not_of(" \t[");
    key.field =
        start == std::string::npos ? "" : item.substr(start, name.size());
    bool plain = !key.field.empty() &&
                 absl::AsciiStrToLower(key.field) == name &&
                 std::all_of(name.begin(), name.end(), IsIdentifierChar);
    if (!plain) {
      return UserInputError(
          "a long IN list is read in several requests merged by their "
          "order, which may name only fields (with ASC or DESC); q.orderBy "
          "item \"" +
          item + "\" is not one");
    }
    keys.push_back(std::move(key));
  }
  return keys;
}

const nlohmann::ordered_json* FieldOf(const Record& record,
                                      std::string_view field) {
  for (auto it = record.begin(); it != record.end(); ++it) {
    if (absl::EqualsIgnoreCase(it.key(),
                               absl::string_view(field.data(), field.size()))) {
      return &it.value();
    }
  }
  return nullptr;
}

// SQL Server's order, as far as JSON shows it: NULL first, then values of
// one kind; text without regard to ASCII case, as the default collation.
int CompareValues(const nlohmann::ordered_json& a,
                  const nlohmann::ordered_json& b) {
  auto rank = [](const nlohmann::ordered_json& v) {
    if (v.is_null()) return 0;
    if (v.is_boolean()) return 1;
    if (v.is_number()) return 2;
    if (v.is_string()) return 3;
    return 4;
  };
  if (rank(a) != rank(b)) return rank(a) < rank(b) ? -1 : 1;
  switch (rank(a)) {
    case 0:
      return 0;
    case 1:
      return static_cast<int>(a.get<bool>()) - static_cast<int>(b.get<bool>());
    case 2:
      if (a.is_number_integer() && b.is_number_integer()) {
        auto x = a.get<std::int64_t>(), y = b.get<std::int64_t>();
        return x < y ? -1 : (x > y ? 1 : 0);
      } else {
        auto x = a.get<double>(), y = b.get<double>();
        return x < y ? -1 : (x > y ? 1 : 0);
      }
    case 3: {
      std::string x = absl::AsciiStrToLower(a.get<std::string>());
      std::string y = absl::AsciiStrToLower(b.get<std::string>());
      return x.compare(y) < 0 ? -1 : (x == y ? 0 : 1);
    }
    default: {
      std::string x = a.dump(), y = b.dump();
      return x.compare(y) < 0 ? -1 : (x == y ? 0 : 1);
    }
  }
}

// Room left for q.pageNumber to grow past "1".
constexpr std::size_t kPageNumberReserve = 9;

}  // namespace

std::string CompleteOrderBy(std::string_view order_by,
                            std::string_view group_by) {
  std::vector<std::string> items = SplitItems(order_by);
  std::vector<std::string> keys = SplitItems(group_by);
  if (keys.empty()) keys = {"PK_ID"};

  for (const std::string& key : keys) {
    if (!HasItem(items, ItemKey(key))) items.push_back(key);
  }
  return Join(items);
}

bool IsAggregateRead(std::string_view select, std::string_view group_by) {
  if (!Trim(group_by).empty()) return false;
  std::vector<std::string> items = SplitItems(select);
  return std::any_of(items.begin(), items.end(), [](const std::string& item) {
    return HasTopLevelAggregate(item);
  });
}

RecordPager::RecordPager(std::shared_ptr<Connection> connection,
                         std::string table, RecordQuery query, int page_size)
    : connection_(std::move(connection)),
      table_(std::move(table)),
      query_(std::move(query)),
      page_size_(std::clamp(page_size, kMinPageSize, kMaxPageSize)) {
  plan_status_ = Plan();
}

// Decides the reads: one, or one per chunk of a long IN list.
absl::Status RecordPager::Plan() {
  single_row_ = IsAggregateRead(query_.select, query_.group_by);
  // Without a total order Caspio may return a row on two pages, or none.
  // One row needs no order, and PK_ID next to an aggregate is an error.
  if (!single_row_) {
    query_.order_by = CompleteOrderBy(query_.order_by, query_.group_by);
  }
  if (!query_.in_list) {
    streams_.push_back({.where = query_.where});
    return absl::OkStatus();
  }

  const InList& list = *query_.in_list;
  auto literals = InListLiterals(list);
  if (!literals.ok()) return literals.status();
  if (literals->empty()) {
    done_ = true;  // selects nothing
    return absl::OkStatus();
  }
  auto length = [&](std::size_t begin, std::size_t end) {
    std::string where =
        AndWhere(query_.where, InListText(list.field, *literals, begin, end));
    PageRequest page{
        .page_number = 1, .page_size = page_size_, .pagination_info = true};
    return connection_
               ->Url(RecordsReadRequest(table_, query_, where,
                                        single_row_ ? nullptr : &page))
               .size() +
           kPageNumberReserve;
  };
  if (length(0, literals->size()) <= kMaxUriLength || single_row_) {
    // An aggregate cannot be merged; Connection refuses it if too long.
    streams_.push_back(
        {.where = AndWhere(query_.where, InListText(list.field, *literals, 0,
                                                    literals->size()))});
    return absl::OkStatus();
  }

  if (!Trim(query_.group_by).empty()) {
    return UserInputError(
        "a long IN list is read in several requests, which cannot be "
        "combined with q.groupBy; shorten the list or drop the grouping");
  }
  auto order = MergeOrder(query_.order_by);
  if (!order.ok()) return order.status();
  for (MergeKey& key : *order) {
    merge_order_.push_back({std::move(key.field), key.descending});
  }

  // Greedy chunks: each as long as the URI allows. The encoded length of
  // the text grows by each literal's encoded length plus an encoded comma.
  const std::size_t base = length(0, 0);
  const std::size_t comma = PercentEncode(",").size();
  std::size_t begin = 0;
  std::size_t used = base;
  for (std::size_t i = 0; i < literals->size(); ++i) {
    std::size_t grow =
        PercentEncode((*literals)[i]).size() + (i > begin ? comma : 0);
    if (used + grow > kMaxUriLength && i > begin) {
      streams_.push_back(
          {.where = AndWhere(query_.where,
                             InListText(list.field, *literals, begin, i))});
      begin = i;
      used = base;
      grow = PercentEncode((*literals)[i]).size();
    }
    if (used + grow > kMaxUriLength) {
      return UserInputError("IN-list value " + std::to_string(i) +
                            " alone makes the request URI longer than "
                            "Caspio's 2047 characters; shorten q.where");
    }
    used += grow;
  }
  streams_.push_back(
      {.where = AndWhere(query_.where, InListText(list.field, *literals, begin,
                                                  literals->size()))});
  return absl::OkStatus();
}

absl::Status RecordPager::Fill(Stream& stream) {
  PageRequest request{.page_number = stream.next_page,
                      .page_size = page_size_,
                      .pagination_info = true};
  auto page = ReadRecords(*connection_, table_, query_, stream.where,
                          single_row_ ? nullptr : &request);
  if (!page.ok()) return page.status();  // the same page is asked again

  ++stream.next_page;
  stream.seen += static_cast<std::int64_t>(page->records.size());
  // TotalCount saves the empty request after an exact multiple of the page
  // size; the short page is the rule when it is missing.
  bool short_page = static_cast<int>(page->records.size()) < page_size_;
  bool counted_all =
      page->pagination && stream.seen >= page->pagination->total_count;
  stream.done = single_row_ || short_page || counted_all;

  for (Record& record : page->records) {
    for (const OrderKey& key : merge_order_) {
      if (FieldOf(record, key.field) == nullptr) {
        return UserInputError(
            "a long IN list is read in several requests merged by their "
            "order; the records lack the order field " +
            key.field + ": add it to q.select");
      }
    }
    stream.buffer.push_back(std::move(record));
  }
  return absl::OkStatus();
}

int RecordPager::Compare(const Record& a, const Record& b) const {
  for (const OrderKey& key : merge_order_) {
    int order = CompareValues(*FieldOf(a, key.field), *FieldOf(b, key.field));
    if (order != 0) return key.descending ? -order : order;
  }
  return 0;
}

absl::StatusOr<std::vector<Record>> RecordPager::NextPage() {
  if (!plan_status_.ok()) return plan_status_;
  if (done_) return std::vector<Record>();

  // Every read that may have more records needs some at hand, so that the
  // smallest of all is known. A failure leaves what was fetched in place.
  for (Stream& stream : streams_) {
    if (stream.done || !stream.buffer.empty()) continue;
    if (auto status = Fill(stream); !status.ok()) return status;
  }

  std::vector<Record> records;
  while (static_cast<int>(records.size()) < page_size_) {
    Stream* next = nullptr;
    bool starved = false;
    for (Stream& stream : streams_) {
      if (stream.buffer.empty()) {
        starved = starved || !stream.done;
        continue;
      }
      if (next == nullptr ||
          Compare(stream.buffer.front(), next->buffer.front()) < 0) {
        next = &stream;
      }
    }
    if (next == nullptr || starved) break;
    records.push_back(std::move(next->buffer.front()));
    next->buffer.pop_front();
  }

  done_ = std::all_of(streams_.begin(), streams_.end(), [](const Stream& s) {
    return s.done && s.buffer.empty();
  });
  return records;
}

}  // namespace caspio
