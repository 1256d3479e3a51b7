#include "emulator/faults/injector.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cmath>

namespace caspio::emulator {
namespace {

// The log keeps the newest entries; counters stay exact beyond it.
constexpr std::size_t kMaxLogEntries = 10'000;

// Stale tokens are remembered by digest only.
std::string Digest(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(digest), size);
}

std::optional<int> StatusOf(FaultKind kind) {
  switch (kind) {
    case FaultKind::kRateLimit429:
      return 429;
    case FaultKind::kRateLimit400:
    case FaultKind::kStaleToken:
      return 400;
    case FaultKind::kError500:
      return 500;
    case FaultKind::kError503:
      return 503;
    default:
      return std::nullopt;
  }
}

}  // namespace

absl::Status FaultInjector::SetPlan(const Json& json) {
  auto plan = ParsePlan(json, drops_);
  if (!plan.ok()) return plan.status();
  std::lock_guard lock(mu_);
  plan_ = std::move(*plan);
  random_.seed(plan_.random ? plan_.random->seed : 0);
  seen_.clear();
  buckets_.clear();
  stale_.clear();
  return absl::OkStatus();
}

Json FaultInjector::PlanJson() const {
  std::lock_guard lock(mu_);
  return plan_.source;
}

bool FaultInjector::active() const {
  std::lock_guard lock(mu_);
  return !plan_.empty();
}

std::optional<Injection> FaultInjector::Decide(const RequestFacts& request) {
  std::lock_guard lock(mu_);
  ++requests_total_;
  ++requests_[std::string(request.route)];
  bool token_route = request.route == kTokenRoute;
  if (!token_route && !stale_.empty() && !request.token.empty() &&
      stale_.count(Digest(request.token)) > 0) {
    ++stale_rejections_;
    return Injection{FaultKind::kStaleToken, 400};
  }
  if (plan_.empty()) return std::nullopt;

  // The token route is its own scope: "token" is counted once.
  ++seen_[std::string(request.route)];
  if (!token_route) ++seen_["resource"];
  ++seen_["any"];
  std::optional<FaultSpec> spec = Scheduled(request);
  if (!spec) spec = Random(request);
  std::optional<Injection> injection;
  if (spec) injection = Resolve(*spec, request);
  if (!injection && !token_route && plan_.token_bucket) {
    injection = TakeFromBucket(request.profile);
  }
  if (injection) Record(*injection, request);
  return injection;
}

std::optional<FaultSpec> FaultInjector::Scheduled(const RequestFacts& request) {
  bool token_route = request.route == kTokenRoute;
  for (const auto& entry : plan_.schedule) {
    bool applies = entry.on == "any" || entry.on == request.route ||
                   (entry.on == "resource" && !token_route);
    if (!applies) continue;
    std::int64_t n = seen_[entry.on];
    if (n >= entry.at && n - entry.at < entry.count) return entry.fault;
  }
  return std::nullopt;
}

std::optional<FaultSpec> FaultInjector::Random(const RequestFacts& request) {
  if (!plan_.random) return std::nullopt;
  const RandomFaults& random = *plan_.random;
  if (request.route == kTokenRoute && !random.token_endpoint) {
    return std::nullopt;
  }
  std::uniform_real_distribution<double> unit(0, 1);
  if (unit(random_) >= random.rate) return std::nullopt;
  double total = 0;
  for (const auto& f : random.faults) total += f.weight;
  double pick = unit(random_) * total;
  for (const auto& f : random.faults) {
    if (pick < f.weight) return f.fault;
    pick -= f.weight;
  }
  return std::nullopt;
}

// Tokens are not refilled for refused requests, so a client that keeps
// hammering an empty bucket stays limited.
std::optional<Injection> FaultInjector::TakeFromBucket(
    std::string_view profile) {
  if (profile.empty()) return std::nullopt;
  const TokenBucketPlan& plan = *plan_.token_bucket;
  auto now = std::chrono::steady_clock::now();
  auto [it, created] = buckets_.try_emplace(std::string(profile));
  Bucket& bucket = it->second;
  if (created) bucket = {plan.capacity, plan.burst_per_second, now};
  double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
  bucket.updated = now;
  double window_rate =
      plan.window_seconds > 0 ? plan.capacity / plan.window_seconds : 0;
  bucket.window =
      std::min(plan.capacity, bucket.window + elapsed * window_rate);
  bucket.burst = std::min(plan.burst_per_second,
                          bucket.burst + elapsed * plan.burst_per_second);

  bool window_ok = plan.capacity == 0 || bucket.window >= 1;
  bool burst_ok = plan.burst_per_second == 0 || bucket.burst >= 1;
  if (window_ok && burst_ok) {
    bucket.window -= 1;
    bucket.burst -= 1;
    return std::nullopt;
  }
  double wait = 0;
  if (!window_ok) wait = (1 - bucket.window) / window_rate;
  if (!burst_ok) {
    wait = std::max(wait, (1 - bucket.burst) / plan.burst_per_second);
  }
  Injection injection{FaultKind::kTokenBucket, plan.status};
  injection.retry_after =
      plan.retry_after.value_or(std::max(1, static_cast<int>(std::ceil(wait))));
  return injection;
}

std::optional<Injection> FaultInjector::Resolve(const FaultSpec& spec,
                                                const RequestFacts& request) {
  Injection injection{spec.kind, StatusOf(spec.kind).value_or(0)};
  switch (spec.kind) {
    case FaultKind::kStaleToken:
      // Only a resource request carries a token to spoil.
      if (request.route == kTokenRoute || request.token.empty()) {
        return std::nullopt;
      }
      stale_.insert(Digest(request.token));
      break;
    case FaultKind::kRateLimit429:
    case FaultKind::kRateLimit400:
    case FaultKind::kError503:
      injection.retry_after = spec.retry_after;
      injection.text_body = spec.text_body;
      break;
    case FaultKind::kLatency: {
      std::uniform_int_distribution<int> ms(spec.min_ms, spec.max_ms);
      injection.delay = std::chrono::milliseconds(ms(random_));
      break;
    }
    default:
      break;
  }
  return injection;
}

void FaultInjector::Record(const Injection& injection,
                           const RequestFacts& request) {
  std::string kind(KindName(injection.kind));
  ++injections_[kind];
  Json entry = Json::object();
  entry["seq"] = ++injection_seq_;
  entry["request"] = seen_["any"];
  entry["kind"] = kind;
  entry["route"] = request.route;
  entry["method"] = request.method;
  entry["path"] = request.path;
  entry["profile"] = request.profile;
  if (injection.status != 0) entry["status"] = injection.status;
  if (injection.retry_after) entry["retry_after"] = *injection.retry_after;
  if (injection.kind == FaultKind::kLatency) {
    entry["delay_ms"] = injection.delay.count();
  }
  log_.push_back(std::move(entry));
  if (log_.size() > kMaxLogEntries) {
    log_.pop_front();
    ++log_dropped_;
  }
}

UnorderedReads FaultInjector::ReadOrder(bool has_order_by, bool paged) {
  std::lock_guard lock(mu_);
  if (has_order_by) return UnorderedReads::kByPkId;
  if (!paged && plan_.limit_from_end) return UnorderedReads::kNewestFirst;
  if (!plan_.shuffle_unordered) return UnorderedReads::kByPkId;
  ++shuffled_reads_;
  return UnorderedReads::kShuffled;
}

Json FaultInjector::Log() const {
  std::lock_guard lock(mu_);
  Json out = Json::object();
  out["plan_active"] = !plan_.empty();
  out["injections"] = Json::array();
  for (const auto& entry : log_) out["injections"].push_back(entry);
  out["dropped_entries"] = log_dropped_;

  Json counters = Json::object();
  counters["requests_total"] = requests_total_;
  counters["requests"] = Json::object();
  for (const auto& [route, n] : requests_) counters["requests"][route] = n;
  counters["injections_total"] = injection_seq_;
  counters["injections"] = Json::object();
  for (const auto& [kind, n] : injections_) counters["injections"][kind] = n;
  counters["stale_token_rejections"] = stale_rejections_;
  counters["shuffled_reads"] = shuffled_reads_;
  out["counters"] = std::move(counters);
  return out;
}

void FaultInjector::ResetLog() {
  std::lock_guard lock(mu_);
  log_.clear();
  log_dropped_ = 0;
  injection_seq_ = 0;
  requests_total_ = 0;
  requests_.clear();
  injections_.clear();
  stale_rejections_ = 0;
  shuffled_reads_ = 0;
}

}  // namespace caspio::emulator
