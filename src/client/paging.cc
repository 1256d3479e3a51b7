#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "caspio/client.h"
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

RecordPager::RecordPager(std::shared_ptr<Connection> connection,
                         std::string table, RecordQuery query, int page_size)
    : connection_(std::move(connection)),
      table_(std::move(table)),
      query_(std::move(query)),
      page_size_(std::clamp(page_size, kMinPageSize, kMaxPageSize)) {
  // Without a total order Caspio may return a row on two pages, or none.
  query_.order_by = CompleteOrderBy(query_.order_by, query_.group_by);
}

absl::StatusOr<std::vector<Record>> RecordPager::NextPage() {
  if (done_) return std::vector<Record>();

  PageRequest request{.page_number = next_page_,
                      .page_size = page_size_,
                      .pagination_info = true};
  auto page = FetchRecordPage(*connection_, table_, query_, request);
  if (!page.ok()) return page.status();  // the same page is asked again

  ++next_page_;
  seen_ += static_cast<std::int64_t>(page->records.size());
  // TotalCount saves the empty request after an exact multiple of the page
  // size; the short page is the rule when it is missing.
  bool short_page = static_cast<int>(page->records.size()) < page_size_;
  bool counted_all = page->pagination && seen_ >= page->pagination->total_count;
  done_ = short_page || counted_all;
  return std::move(page->records);
}

}  // namespace caspio
