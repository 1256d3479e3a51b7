#include "emulator/faults/plan.h"

#include <algorithm>
#include <initializer_list>
#include <random>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace caspio::emulator {
namespace {

struct KindEntry {
  FaultKind kind;
  std::string_view name;
};

constexpr std::array<KindEntry, 10> kKinds = {{
    {FaultKind::kRateLimit429, "rate_limit_429"},
    {FaultKind::kRateLimit400, "rate_limit_400"},
    {FaultKind::kError500, "error_500"},
    {FaultKind::kError503, "error_503"},
    {FaultKind::kDropBefore, "drop_before"},
    {FaultKind::kDropAfter, "drop_after"},
    {FaultKind::kLatency, "latency"},
    {FaultKind::kTokenExpiry, "token_expiry"},
    {FaultKind::kStaleToken, "stale_token"},
    {FaultKind::kTokenBucket, "token_bucket"},
}};

// The longest delay a plan may ask for, so a typo cannot hang a test run.
constexpr int kMaxLatencyMs = 120'000;

absl::Status Invalid(std::string_view where, std::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat(absl::string_view(where.data(), where.size()), ": ",
                   absl::string_view(what.data(), what.size())));
}

absl::Status OnlyKeys(const Json& object, std::string_view where,
                      std::initializer_list<std::string_view> keys) {
  if (!object.is_object()) return Invalid(where, "must be an object");
  for (const auto& [key, value] : object.items()) {
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      return Invalid(where, absl::StrCat("unknown member \"", key, "\""));
    }
  }
  return absl::OkStatus();
}

// Reads an integer member in [low, high] into `out`, if present.
template <typename Int>
absl::Status ReadInt(const Json& object, std::string_view where,
                     std::string_view key, std::int64_t low, std::int64_t high,
                     Int& out) {
  auto it = object.find(key);
  if (it == object.end()) return absl::OkStatus();
  if (!it->is_number_integer() || it->get<std::int64_t>() < low ||
      it->get<std::int64_t>() > high) {
    return Invalid(
        where, absl::StrCat(absl::string_view(key.data(), key.size()),
                            " must be an integer from ", low, " to ", high));
  }
  out = static_cast<Int>(it->get<std::int64_t>());
  return absl::OkStatus();
}

absl::Status ReadNumber(const Json& object, std::string_view where,
                        std::string_view key, double low, double high,
                        double& out) {
  auto it = object.find(key);
  if (it == object.end()) return absl::OkStatus();
  if (!it->is_number() || it->get<double>() < low || it->get<double>() > high) {
    return Invalid(where,
                   absl::StrCat(absl::string_view(key.data(), key.size()),
                                " must be a number from ", low, " to ", high));
  }
  out = it->get<double>();
  return absl::OkStatus();
}

absl::Status ReadBool(const Json& object, std::string_view where,
                      std::string_view key, bool& out) {
  auto it = object.find(key);
  if (it == object.end()) return absl::OkStatus();
  if (!it->is_boolean()) {
    return Invalid(where,
                   absl::StrCat(absl::string_view(key.data(), key.size()),
                                " must be true or false"));
  }
  out = it->get<bool>();
  return absl::OkStatus();
}

absl::Status ReadRetryAfter(const Json& object, std::string_view where,
                            std::optional<int>& out) {
  int seconds = 0;
  if (auto s = ReadInt(object, where, "retry_after", 0, 86400, seconds);
      !s.ok()) {
    return s;
  }
  if (object.contains("retry_after")) out = seconds;
  return absl::OkStatus();
}

absl::StatusOr<FaultKind> ReadKind(const Json& object, std::string_view where,
                                   DropSupport drops) {
  auto it = object.find("kind");
  if (it == object.end() || !it->is_string()) {
    return Invalid(where, "kind must be a string");
  }
  std::string name = it->get<std::string>();
  for (const auto& entry : kKinds) {
    if (entry.name != name || entry.kind == FaultKind::kTokenBucket) continue;
    bool drop = entry.kind == FaultKind::kDropBefore ||
                entry.kind == FaultKind::kDropAfter;
    if (drop && drops == DropSupport::kUnsupported) {
      // TODO(#3): drops over TLS need the proxy to terminate TLS.
      return Invalid(where, absl::StrCat(name,
                                         " is not available on this server "
                                         "(HTTPS, or no --control proxy)"));
    }
    return entry.kind;
  }
  return Invalid(where, absl::StrCat("unknown kind \"", name, "\""));
}

// "ms" for a fixed delay, or "min_ms" and "max_ms" for a range.
absl::Status ReadLatency(const Json& object, std::string_view where,
                         FaultSpec& spec) {
  int ms = 0;
  if (auto s = ReadInt(object, where, "ms", 0, kMaxLatencyMs, ms); !s.ok()) {
    return s;
  }
  spec.min_ms = spec.max_ms = ms;
  if (auto s = ReadInt(object, where, "min_ms", 0, kMaxLatencyMs, spec.min_ms);
      !s.ok()) {
    return s;
  }
  if (auto s = ReadInt(object, where, "max_ms", 0, kMaxLatencyMs, spec.max_ms);
      !s.ok()) {
    return s;
  }
  if (spec.max_ms < spec.min_ms) spec.max_ms = spec.min_ms;
  return absl::OkStatus();
}

// The members of a fault common to schedules and random picks; `extra`
// names the members the caller reads itself.
absl::StatusOr<FaultSpec> ReadFault(
    const Json& object, std::string_view where, DropSupport drops,
    std::initializer_list<std::string_view> extra) {
  std::vector<std::string_view> keys = {"kind", "retry_after", "body",
                                        "ms",   "min_ms",      "max_ms"};
  keys.insert(keys.end(), extra.begin(), extra.end());
  if (!object.is_object()) return Invalid(where, "must be an object");
  for (const auto& [key, value] : object.items()) {
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      return Invalid(where, absl::StrCat("unknown member \"", key, "\""));
    }
  }
  FaultSpec spec;
  auto kind = ReadKind(object, where, drops);
  if (!kind.ok()) return kind.status();
  spec.kind = *kind;
  if (auto s = ReadRetryAfter(object, where, spec.retry_after); !s.ok()) {
    return s;
  }
  if (auto it = object.find("body"); it != object.end()) {
    if (*it != "empty" && *it != "text") {
      return Invalid(where, "body must be \"empty\" or \"text\"");
    }
    spec.text_body = *it == "text";
  }
  if (auto s = ReadLatency(object, where, spec); !s.ok()) return s;
  return spec;
}

bool IsCountedName(const std::string& on) {
  if (on == "resource" || on == "any") return true;
  return std::find(kRouteNames.begin(), kRouteNames.end(), on) !=
         kRouteNames.end();
}

absl::StatusOr<ScheduledFault> ReadScheduled(const Json& object,
                                             std::string_view where,
                                             DropSupport drops) {
  auto spec = ReadFault(object, where, drops, {"on", "at", "count"});
  if (!spec.ok()) return spec.status();
  ScheduledFault entry;
  entry.fault = *spec;
  if (auto it = object.find("on"); it != object.end()) {
    if (!it->is_string() || !IsCountedName(it->get<std::string>())) {
      return Invalid(where,
                     "on must be \"resource\", \"token\", \"any\" or a route "
                     "name such as \"records.read\"");
    }
    entry.on = it->get<std::string>();
  }
  if (!object.contains("at")) return Invalid(where, "at is required");
  if (auto s = ReadInt(object, where, "at", 1, INT64_MAX, entry.at); !s.ok()) {
    return s;
  }
  if (auto s = ReadInt(object, where, "count", 1, 1'000'000, entry.count);
      !s.ok()) {
    return s;
  }
  return entry;
}

absl::StatusOr<RandomFaults> ReadRandom(const Json& object, DropSupport drops,
                                        Json& source) {
  constexpr std::string_view kWhere = "random";
  if (auto s = OnlyKeys(object, kWhere,
                        {"rate", "seed", "token_endpoint", "faults"});
      !s.ok()) {
    return s;
  }
  RandomFaults random;
  if (auto s = ReadNumber(object, kWhere, "rate", 0, 1, random.rate); !s.ok()) {
    return s;
  }
  if (auto s =
          ReadBool(object, kWhere, "token_endpoint", random.token_endpoint);
      !s.ok()) {
    return s;
  }
  if (auto it = object.find("seed"); it != object.end()) {
    if (!it->is_number_unsigned()) {
      return Invalid(kWhere, "seed must be a non-negative integer");
    }
    random.seed = it->get<std::uint64_t>();
  } else {
    // Recorded in the plan, so that a failing run can be replayed.
    random.seed = std::random_device{}() & 0xffffffffu;
    source["random"]["seed"] = random.seed;
  }
  auto faults = object.find("faults");
  if (faults == object.end() || !faults->is_array() || faults->empty()) {
    return Invalid(kWhere, "faults must be a non-empty array");
  }
  for (std::size_t i = 0; i < faults->size(); ++i) {
    std::string where = absl::StrCat("random.faults[", i, "]");
    auto spec = ReadFault((*faults)[i], where, drops, {"weight"});
    if (!spec.ok()) return spec.status();
    WeightedFault weighted{1, *spec};
    if (auto s =
            ReadNumber((*faults)[i], where, "weight", 0, 1e9, weighted.weight);
        !s.ok()) {
      return s;
    }
    random.faults.push_back(weighted);
  }
  return random;
}

absl::StatusOr<TokenBucketPlan> ReadTokenBucket(const Json& object) {
  constexpr std::string_view kWhere = "token_bucket";
  if (auto s = OnlyKeys(object, kWhere,
                        {"capacity", "window_seconds", "burst_per_second",
                         "status", "retry_after"});
      !s.ok()) {
    return s;
  }
  TokenBucketPlan bucket;
  for (auto [key, out] :
       {std::pair{"capacity", &bucket.capacity},
        std::pair{"window_seconds", &bucket.window_seconds},
        std::pair{"burst_per_second", &bucket.burst_per_second}}) {
    if (auto s = ReadNumber(object, kWhere, key, 0, 1e9, *out); !s.ok()) {
      return s;
    }
  }
  if ((bucket.capacity > 0) != (bucket.window_seconds > 0)) {
    return Invalid(kWhere, "capacity and window_seconds go together");
  }
  if (bucket.capacity == 0 && bucket.burst_per_second == 0) {
    return Invalid(kWhere,
                   "set capacity and window_seconds, "
                   "burst_per_second, or both");
  }
  if (auto s = ReadInt(object, kWhere, "status", 400, 429, bucket.status);
      !s.ok() || (bucket.status != 400 && bucket.status != 429)) {
    return Invalid(kWhere, "status must be 429 or 400");
  }
  if (auto s = ReadRetryAfter(object, kWhere, bucket.retry_after); !s.ok()) {
    return s;
  }
  return bucket;
}

}  // namespace

std::string_view KindName(FaultKind kind) {
  for (const auto& entry : kKinds) {
    if (entry.kind == kind) return entry.name;
  }
  return "unknown";
}

absl::StatusOr<FaultPlan> ParsePlan(const Json& json, DropSupport drops) {
  if (auto s = OnlyKeys(json, "plan",
                        {"schedule", "random", "token_bucket",
                         "shuffle_unordered", "limit_from_end"});
      !s.ok()) {
    return s;
  }
  FaultPlan plan;
  plan.source = json;
  if (auto it = json.find("schedule"); it != json.end()) {
    if (!it->is_array()) return Invalid("schedule", "must be an array");
    for (std::size_t i = 0; i < it->size(); ++i) {
      auto entry =
          ReadScheduled((*it)[i], absl::StrCat("schedule[", i, "]"), drops);
      if (!entry.ok()) return entry.status();
      plan.schedule.push_back(*entry);
    }
  }
  if (auto it = json.find("random"); it != json.end()) {
    auto random = ReadRandom(*it, drops, plan.source);
    if (!random.ok()) return random.status();
    plan.random = *random;
  }
  if (auto it = json.find("token_bucket"); it != json.end()) {
    auto bucket = ReadTokenBucket(*it);
    if (!bucket.ok()) return bucket.status();
    plan.token_bucket = *bucket;
  }
  for (auto [key, out] :
       {std::pair{"shuffle_unordered", &plan.shuffle_unordered},
        std::pair{"limit_from_end", &plan.limit_from_end}}) {
    if (auto s = ReadBool(json, "plan", key, *out); !s.ok()) return s;
  }
  return plan;
}

}  // namespace caspio::emulator
