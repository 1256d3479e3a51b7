// Named authentications for the `caspio` command: the Client ID, Client
// Secret and subdomain (or integration URL) of a Caspio Web Services
// profile, kept in $XDG_CONFIG_HOME/caspio/authentications.json.
#ifndef CASPIO_CLI_AUTH_STORE_H_
#define CASPIO_CLI_AUTH_STORE_H_

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "caspio/credentials.h"
#include "cli/billing.h"
#include "client/private_file.h"

namespace caspio::cli {

struct Authentication {
  std::string name;
  // Exactly one of these two: "b3poa" (normalised), or a full integration
  // URL such as "http://127.0.0.1:41234" (the local emulator).
  std::string subdomain;
  std::string integration_url;
  std::string client_id;
  std::string client_secret;  // secret: never print it
  // The account's billing period and quota, for `caspio usage`.
  BillingSettings billing;

  // "subdomain b3poa" or the URL, for listings.
  std::string Location() const;
  // Credentials for caspio::Client::Create.
  absl::StatusOr<caspio::Credentials> ToCredentials() const;
};

// The file of named authentications. The directory is kept 0700 and the
// file 0600; every change rewrites the file atomically (a temporary file
// created 0600, then renamed over the old one). A file of the user's that
// others may read is restricted to 0600 when read; a symbolic link, or a
// file or directory of someone else's, is refused. Changes hold a lock on
// a neighbouring ".lock" file, so concurrent commands lose no change.
class AuthStore {
 public:
  explicit AuthStore(std::filesystem::path file);

  // $XDG_CONFIG_HOME/caspio/authentications.json, falling back to
  // ~/.config/caspio/; FailedPrecondition when neither variable is set.
  static absl::StatusOr<AuthStore> AtDefaultLocation();

  const std::filesystem::path& file() const { return file_; }

  // All authentications, sorted by name; empty when the file is absent.
  absl::StatusOr<std::vector<Authentication>> List() const;
  // NotFound when there is none named `name`.
  absl::StatusOr<Authentication> Get(std::string_view name) const;
  // Adds `auth`, replacing one of the same name. InvalidArgument for a bad
  // name, an incomplete authentication or bad billing settings.
  absl::Status Put(const Authentication& auth);
  // NotFound when there is none named `name`.
  absl::Status Remove(std::string_view name);

 private:
  absl::StatusOr<internal::FileLock> LockForChange() const;
  absl::Status Save(const std::vector<Authentication>& all);

  std::filesystem::path file_;
};

// Names are 1-64 letters, digits, '.', '_' or '-'.
absl::Status CheckAuthenticationName(std::string_view name);

}  // namespace caspio::cli

#endif  // CASPIO_CLI_AUTH_STORE_H_
