// Where a Caspio account is and how to prove who we are to it.
#ifndef CASPIO_CREDENTIALS_H_
#define CASPIO_CREDENTIALS_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace caspio {

// The three values of a Caspio Web Services (API) profile. The integration
// URL is the host root, e.g. "https://c0abc123.caspio.com" (no path, no
// trailing slash); the token endpoint and the REST paths are derived from it.
struct Credentials {
  std::string integration_url;
  std::string client_id;
  std::string client_secret;
};

// Normalises a subdomain as users paste it: "b3poa", "b3poa.caspio.com" or
// "https://b3poa.caspio.com/" all give "b3poa". Anything else is an
// InvalidArgument whose message says what a subdomain looks like.
absl::StatusOr<std::string> NormalizeSubdomain(std::string_view text);

// "b3poa" -> "https://b3poa.caspio.com" (after NormalizeSubdomain).
absl::StatusOr<std::string> IntegrationUrlFromSubdomain(std::string_view text);

// Normalises a full integration URL: scheme and host (and port) only. A
// trailing slash or a pasted "/integrations/rest..." or "/oauth/token" path
// is dropped; any other path, a query, or user info is refused. Plain http is
// accepted only for loopback hosts (127.0.0.0/8, ::1, localhost).
absl::StatusOr<std::string> NormalizeIntegrationUrl(std::string_view url);

// Reads CASPIO_SUBDOMAIN or CASPIO_INTEGRATION_URL, CASPIO_CLIENT_ID and
// CASPIO_CLIENT_SECRET. Errors name the missing or malformed variable.
absl::StatusOr<Credentials> CredentialsFromEnvironment();

}  // namespace caspio

#endif  // CASPIO_CREDENTIALS_H_
