#include "cli/usage_store.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace caspio::cli {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kFormatVersion = 1;
constexpr std::size_t kPeriodsKept = 13;

std::string ErrnoText(int error) { return std::strerror(error); }

bool WriteAll(int fd, const std::string& data) {
  std::size_t written = 0;
  while (written < data.size()) {
    ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    written += static_cast<std::size_t>(n);
  }
  return true;
}

absl::Status PrepareDirectory(const std::filesystem::path& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return absl::PermissionDeniedError("cannot create " + dir.string() + ": " +
                                       error.message());
  }
  if (::chmod(dir.c_str(), 0700) != 0) {
    return absl::PermissionDeniedError("cannot restrict " + dir.string() +
                                       " to 0700: " + ErrnoText(errno));
  }
  return absl::OkStatus();
}

// An exclusive flock on `path`, released when the descriptor is closed.
class FileLock {
 public:
  static absl::StatusOr<FileLock> Acquire(const std::filesystem::path& path) {
    const int fd =
        ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
      return absl::PermissionDeniedError("cannot open " + path.string() + ": " +
                                         ErrnoText(errno));
    }
    FileLock lock(fd);
    while (::flock(fd, LOCK_EX) != 0) {
      if (errno == EINTR) continue;
      return absl::PermissionDeniedError("cannot lock " + path.string() + ": " +
                                         ErrnoText(errno));
    }
    return lock;
  }
  FileLock(FileLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  FileLock& operator=(FileLock&&) = delete;
  ~FileLock() {
    if (fd_ >= 0) ::close(fd_);
  }

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_;
};

// The whole file; an empty document when there is none yet.
absl::StatusOr<Json> Load(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) {
    if (!std::filesystem::exists(file)) {
      return Json{{"version", kFormatVersion}, {"profiles", Json::array()}};
    }
    return absl::PermissionDeniedError("cannot read " + file.string());
  }
  std::stringstream text;
  text << in.rdbuf();
  Json json = Json::parse(text.str(), nullptr, false);
  if (!json.is_object() || json.value("version", 0) != kFormatVersion ||
      !json.contains("profiles") || !json["profiles"].is_array()) {
    return absl::DataLossError(file.string() +
                               " is not a call count file; fix or remove it");
  }
  return json;
}

absl::Status Save(const std::filesystem::path& file, const Json& json) {
  const std::filesystem::path dir = file.parent_path();
  std::string temp = (dir / ".usage.json.XXXXXX").string();
  const int fd = ::mkstemp(temp.data());  // created 0600
  if (fd < 0) {
    return absl::PermissionDeniedError("cannot create a file in " +
                                       dir.string() + ": " + ErrnoText(errno));
  }
  const bool written = WriteAll(fd, json.dump(2) + "\n");
  const int write_errno = errno;
  ::close(fd);
  if (!written || ::rename(temp.c_str(), file.c_str()) != 0) {
    const int error = written ? errno : write_errno;
    ::unlink(temp.c_str());
    return absl::PermissionDeniedError("cannot write " + file.string() + ": " +
                                       ErrnoText(error));
  }
  return absl::OkStatus();
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
  if (absl::Status ready = PrepareDirectory(file_.parent_path()); !ready.ok()) {
    return ready;
  }
  absl::StatusOr<FileLock> lock = FileLock::Acquire(file_.string() + ".lock");
  if (!lock.ok()) return lock.status();

  absl::StatusOr<Json> json = Load(file_);
  if (!json.ok()) return json.status();
  Json& periods = ProfileEntry(*json, profile)["periods"];
  const std::string key = absl::FormatCivilTime(first_day);
  const std::int64_t count = CountIn(periods, key) + calls;
  periods[key] = count;
  DropOldPeriods(periods);

  if (absl::Status saved = Save(file_, *json); !saved.ok()) return saved;
  return count;
}

absl::StatusOr<std::int64_t> UsageStore::Count(const ProfileId& profile,
                                               absl::CivilDay first_day) const {
  absl::StatusOr<Json> json = Load(file_);
  if (!json.ok()) return json.status();
  const Json& periods = ProfileEntry(*json, profile)["periods"];
  return CountIn(periods, absl::FormatCivilTime(first_day));
}

}  // namespace caspio::cli
