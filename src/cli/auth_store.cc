#include "cli/auth_store.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include <nlohmann/json.hpp>

namespace caspio::cli {
namespace {

constexpr int kFormatVersion = 1;

std::string ErrnoText(int error) { return std::strerror(error); }

nlohmann::ordered_json ToJson(const Authentication& auth) {
  nlohmann::ordered_json json;
  json["name"] = auth.name;
  if (!auth.subdomain.empty()) json["subdomain"] = auth.subdomain;
  if (!auth.integration_url.empty()) {
    json["integration_url"] = auth.integration_url;
  }
  json["client_id"] = auth.client_id;
  json["client_secret"] = auth.client_secret;
  const BillingSettings defaults;
  if (auth.billing.start_day != defaults.start_day ||
      auth.billing.time_zone != defaults.time_zone ||
      auth.billing.quota != defaults.quota) {
    json["billing"] = {{"start_day", auth.billing.start_day},
                       {"time_zone", auth.billing.time_zone},
                       {"quota", auth.billing.quota}};
  }
  return json;
}

// Members of the wrong type keep their defaults; Put checks the values.
BillingSettings BillingFromJson(const nlohmann::ordered_json& json) {
  BillingSettings billing;
  if (auto day = json.find("start_day");
      day != json.end() && day->is_number_integer()) {
    billing.start_day = day->get<int>();
  }
  if (auto zone = json.find("time_zone");
      zone != json.end() && zone->is_string()) {
    billing.time_zone = zone->get<std::string>();
  }
  if (auto quota = json.find("quota");
      quota != json.end() && quota->is_number_integer()) {
    billing.quota = quota->get<std::int64_t>();
  }
  return billing;
}

Authentication FromJson(const nlohmann::ordered_json& json) {
  Authentication auth;
  auth.name = json.value("name", "");
  auth.subdomain = json.value("subdomain", "");
  auth.integration_url = json.value("integration_url", "");
  auth.client_id = json.value("client_id", "");
  auth.client_secret = json.value("client_secret", "");
  if (auto billing = json.find("billing");
      billing != json.end() && billing->is_object()) {
    auth.billing = BillingFromJson(*billing);
  }
  return auth;
}

absl::Status CheckComplete(const Authentication& auth) {
  if (absl::Status name = CheckAuthenticationName(auth.name); !name.ok()) {
    return name;
  }
  if (auth.subdomain.empty() == auth.integration_url.empty()) {
    return absl::InvalidArgumentError(
        "an authentication needs a subdomain or an integration URL (one)");
  }
  if (auth.client_id.empty() || auth.client_secret.empty()) {
    return absl::InvalidArgumentError(
        "an authentication needs a Client ID and a Client Secret");
  }
  return CheckBillingSettings(auth.billing);
}

// Writes all of `data` to `fd`, through short writes and EINTR.
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

// Creates `dir` if needed and makes it private to the user (0700).
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

}  // namespace

std::string Authentication::Location() const {
  if (!subdomain.empty()) return "subdomain " + subdomain;
  return integration_url;
}

absl::StatusOr<caspio::Credentials> Authentication::ToCredentials() const {
  caspio::Credentials credentials;
  if (!subdomain.empty()) {
    absl::StatusOr<std::string> url =
        caspio::IntegrationUrlFromSubdomain(subdomain);
    if (!url.ok()) return url.status();
    credentials.integration_url = *std::move(url);
  } else {
    absl::StatusOr<std::string> url =
        caspio::NormalizeIntegrationUrl(integration_url);
    if (!url.ok()) return url.status();
    credentials.integration_url = *std::move(url);
  }
  credentials.client_id = client_id;
  credentials.client_secret = client_secret;
  return credentials;
}

absl::Status CheckAuthenticationName(std::string_view name) {
  const bool valid =
      !name.empty() && name.size() <= 64 &&
      std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '.' || c == '_' || c == '-';
      });
  if (valid) return absl::OkStatus();
  return absl::InvalidArgumentError(
      "an authentication name is 1-64 letters, digits, '.', '_' or '-'");
}

AuthStore::AuthStore(std::filesystem::path file) : file_(std::move(file)) {}

absl::StatusOr<AuthStore> AuthStore::AtDefaultLocation() {
  std::filesystem::path base;
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) {
    base = xdg;
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    base = std::filesystem::path(home) / ".config";
  } else {
    return absl::FailedPreconditionError(
        "cannot find the configuration directory: set XDG_CONFIG_HOME or "
        "HOME");
  }
  return AuthStore(base / "caspio" / "authentications.json");
}

absl::StatusOr<std::vector<Authentication>> AuthStore::List() const {
  std::ifstream in(file_);
  if (!in) {
    if (!std::filesystem::exists(file_)) return std::vector<Authentication>{};
    return absl::PermissionDeniedError("cannot read " + file_.string());
  }
  std::stringstream text;
  text << in.rdbuf();

  auto json = nlohmann::ordered_json::parse(text.str(), nullptr, false);
  if (json.is_discarded() || !json.is_object() ||
      !json.contains("authentications") ||
      !json["authentications"].is_array()) {
    return absl::DataLossError(file_.string() +
                               " is not an authentications file; fix or "
                               "remove it");
  }
  std::vector<Authentication> all;
  for (const auto& entry : json["authentications"]) {
    if (entry.is_object()) all.push_back(FromJson(entry));
  }
  std::sort(all.begin(), all.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return all;
}

absl::StatusOr<Authentication> AuthStore::Get(std::string_view name) const {
  absl::StatusOr<std::vector<Authentication>> all = List();
  if (!all.ok()) return all.status();
  for (Authentication& auth : *all) {
    if (auth.name == name) return std::move(auth);
  }
  return absl::NotFoundError("no authentication named \"" + std::string(name) +
                             "\"; `caspio auth list` shows them");
}

absl::Status AuthStore::Put(const Authentication& auth) {
  if (absl::Status complete = CheckComplete(auth); !complete.ok()) {
    return complete;
  }
  absl::StatusOr<std::vector<Authentication>> all = List();
  if (!all.ok()) return all.status();

  std::erase_if(*all, [&](const auto& a) { return a.name == auth.name; });
  all->push_back(auth);
  return Save(*all);
}

absl::Status AuthStore::Remove(std::string_view name) {
  absl::StatusOr<std::vector<Authentication>> all = List();
  if (!all.ok()) return all.status();

  if (std::erase_if(*all, [&](const auto& a) { return a.name == name; }) == 0) {
    return absl::NotFoundError("no authentication named \"" +
                               std::string(name) + "\"");
  }
  return Save(*all);
}

absl::Status AuthStore::Save(const std::vector<Authentication>& all) {
  const std::filesystem::path dir = file_.parent_path();
  if (absl::Status ready = PrepareDirectory(dir); !ready.ok()) return ready;

  nlohmann::ordered_json json;
  json["version"] = kFormatVersion;
  json["authentications"] = nlohmann::ordered_json::array();
  for (const Authentication& auth : all) {
    json["authentications"].push_back(ToJson(auth));
  }
  const std::string text = json.dump(2) + "\n";

  // mkstemp creates the file 0600, so the secret is never readable by
  // others, not even for a moment; rename makes the change atomic.
  std::string temp = (dir / ".authentications.json.XXXXXX").string();
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    return absl::PermissionDeniedError("cannot create a file in " +
                                       dir.string() + ": " + ErrnoText(errno));
  }
  const bool written = WriteAll(fd, text) && ::fsync(fd) == 0;
  const int write_errno = errno;
  ::close(fd);
  if (!written || ::rename(temp.c_str(), file_.c_str()) != 0) {
    const int error = written ? errno : write_errno;
    ::unlink(temp.c_str());
    return absl::PermissionDeniedError("cannot write " + file_.string() + ": " +
                                       ErrnoText(error));
  }
  return absl::OkStatus();
}

}  // namespace caspio::cli
