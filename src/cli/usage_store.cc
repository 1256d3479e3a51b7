#include "cli/usage_store.h"

#include <algorithm>
#include <cstdlib>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "client/private_file.h"

namespace caspio::cli {
namespace {

using internal::Creation;
using internal::LaxFile;
using internal::PrivateDirectory;
using Json = nlohmann::ordered_json;

constexpr int kFormatVersion = 1;
constexpr std::size_t kPeriodsKept = 13;
// Far more than 13 periods of any number of profiles.
constexpr std::size_t kMaxFileSize = std::size_t{4} << 20;

Json EmptyDocument() {
  return Json{{"version", kFormatVersion}, {"profiles", Json::array()}};
}

// The whole file of `name` in `dir`; an empty document when there is none
// yet.
absl::StatusOr<Json> Load(const PrivateDirectory& dir,
                          const std::string& name) {
  absl::StatusOr<std::string> text =
      dir.Read(name, kMaxFileSize, LaxFile::kRestrict);
  if (absl::IsNotFound(text.status())) return EmptyDocument();
  if (!text.ok()) return text.status();

  Json json = Json::parse(*text, nullptr, false);
  if (!json.is_object() || json.value("version", 0) != kFormatVersion ||
      !json.contains("profiles") || !json["profiles"].is_array()) {
    return absl::DataLossError((dir.path() / name).string() +
                               " is not a call count file; fix or remove it");
  }
  return json;
}

// The entry of `profile` in `json`, added when missing.
Json& ProfileEntry(Json& json, const ProfileId& profile) {
  for (Json& entry : json["profiles"]) {
    if (entry.is_object() &&
        entry.value("integration_url", "") == profile.integration_url &&
        entry.value("client_id", "") == profile.client_id) {
      if (!entry.contains("periods") || !entry["periods"].is_object()) {
        entry["periods"] = Json::object();
      }
      return entry;
    }
  }
  json["profiles"].push_back({{"integration_url", profile.integration_url},
                              {"client_id", profile.client_id},
                              {"periods", Json::object()}});
  return json["profiles"].back();
}

std::int64_t CountIn(const Json& periods, const std::string& key) {
  auto it = periods.find(key);
  if (it == periods.end() || !it->is_number_integer()) return 0;
  return std::max<std::int64_t>(0, it->get<std::int64_t>());
}

// ISO dates sort as text; the oldest go first.
void DropOldPeriods(Json& periods) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : periods.items()) keys.push_back(key);
  if (keys.size() <= kPeriodsKept) return;
  std::sort(keys.begin(), keys.end());
  for (std::size_t i = 0; i + kPeriodsKept < keys.size(); ++i) {
    periods.erase(keys[i]);
  }
}

}  // namespace

UsageStore::UsageStore(std::filesystem::path file) : file_(std::move(file)) {}

absl::StatusOr<UsageStore> UsageStore::AtDefaultLocation() {
  std::filesystem::path base;
  if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg && *xdg) {
    base = xdg;
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    base = std::filesystem::path(home) / ".local" / "state";
  } else {
    return absl::FailedPreconditionError(
        "cannot find the state directory: set XDG_STATE_HOME or HOME");
  }
  return UsageStore(base / "caspio" / "usage.json");
}

absl::StatusOr<std::int64_t> UsageStore::Add(const ProfileId& profile,
                                             absl::CivilDay first_day,
                                             std::int64_t calls) {
  absl::StatusOr<PrivateDirectory> dir =
      PrivateDirectory::Open(file_.parent_path(), Creation::kCreate);
  if (!dir.ok()) return dir.status();
  const std::string name = file_.filename().string();
  absl::StatusOr<internal::FileLock> lock = dir->Lock(name + ".lock");
  if (!lock.ok()) return lock.status();

  absl::StatusOr<Json> json = Load(*dir, name);
  if (!json.ok()) return json.status();
  Json& periods = ProfileEntry(*json, profile)["periods"];
  const std::string key = absl::FormatCivilTime(first_day);
  const std::int64_t count = CountIn(periods, key) + calls;
  periods[key] = count;
  DropOldPeriods(periods);

  absl::Status saved = dir->Replace(name, json->dump(2) + "\n");
  if (!saved.ok()) return saved;
  return count;
}

absl::StatusOr<std::int64_t> UsageStore::Count(const ProfileId& profile,
                                               absl::CivilDay first_day) const {
  absl::StatusOr<PrivateDirectory> dir =
      PrivateDirectory::Open(file_.parent_path(), Creation::kExistingOnly);
  if (absl::IsNotFound(dir.status())) return 0;
  if (!dir.ok()) return dir.status();
  absl::StatusOr<Json> json = Load(*dir, file_.filename().string());
  if (!json.ok()) return json.status();
  const Json& periods = ProfileEntry(*json, profile)["periods"];
  return CountIn(periods, absl::FormatCivilTime(first_day));
}

}  // namespace caspio::cli
