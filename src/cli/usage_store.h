// The `caspio` command's count of the calls it made, per profile and
// billing period, kept in $XDG_STATE_HOME/caspio/usage.json. It counts
// this machine's calls only: Caspio's own meter also counts other
// machines, webhooks and integrations.
#ifndef CASPIO_CLI_USAGE_STORE_H_
#define CASPIO_CLI_USAGE_STORE_H_

#include <cstdint>
#include <filesystem>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"

namespace caspio::cli {

// A Caspio API profile as the meter knows it (no secret).
struct ProfileId {
  std::string integration_url;
  std::string client_id;
};

// The file is JSON, 0600 in a 0700 directory:
//   {"version": 1, "profiles": [{"integration_url": "...",
//     "client_id": "...", "periods": {"2026-11-27": 1234, ...}}]}
// where each period is named by its first day. The 13 latest periods of a
// profile are kept. Changes hold an exclusive flock on usage.json.lock and
// replace the file atomically, so concurrent commands lose no count.
class UsageStore {
 public:
  explicit UsageStore(std::filesystem::path file);

  // $XDG_STATE_HOME/caspio/usage.json, falling back to
  // ~/.local/state/caspio/; FailedPrecondition when neither variable is set.
  static absl::StatusOr<UsageStore> AtDefaultLocation();

  const std::filesystem::path& file() const { return file_; }

  // Adds `calls` to the count of `profile` for the period that starts on
  // `first_day`, and returns the new count. DataLoss when the file is not
  // a usage file (it is left alone); PermissionDenied when it cannot be
  // written.
  absl::StatusOr<std::int64_t> Add(const ProfileId& profile,
                                   absl::CivilDay first_day,
                                   std::int64_t calls);

  // The count of `profile` for the period that starts on `first_day`; 0
  // when none was recorded. DataLoss as for Add.
  absl::StatusOr<std::int64_t> Count(const ProfileId& profile,
                                     absl::CivilDay first_day) const;

 private:
  std::filesystem::path file_;
};

}  // namespace caspio::cli

#endif  // CASPIO_CLI_USAGE_STORE_H_
