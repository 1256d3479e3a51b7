#include "cli/auth_store.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <utility>

#include <nlohmann/json.hpp>

#include "client/private_file.h"

namespace caspio::cli {
namespace {

constexpr int kFormatVersion = 1;
// Far more than any list of authentications; a larger file is not ours.
constexpr std::size_t kMaxFileSize = std::size_t{1} << 20;

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
  absl::StatusOr<std::string> text = internal::ReadPrivateFile(
      file_, kMaxFileSize, internal::LaxFile::kRestrict);
  if (absl::IsNotFound(text.status())) return std::vector<Authentication>{};
  if (!text.ok()) return text.status();

  auto json = nlohmann::ordered_json::parse(*text, nullptr, false);
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

// Two commands changing the store at once take turns, so that neither
// change is lost.
absl::StatusOr<internal::FileLock> AuthStore::LockForChange() const {
  auto dir = internal::PrivateDirectory::Open(file_.parent_path(),
                                              internal::Creation::kCreate);
  if (!dir.ok()) return dir.status();
  return dir->Lock(file_.filename().string() + ".lock");
}

absl::Status AuthStore::Put(const Authentication& auth) {
  if (absl::Status complete = CheckComplete(auth); !complete.ok()) {
    return complete;
  }
  auto lock = LockForChange();
  if (!lock.ok()) return lock.status();
  absl::StatusOr<std::vector<Authentication>> all = List();
  if (!all.ok()) return all.status();

  std::erase_if(*all, [&](const auto& a) { return a.name == auth.name; });
  all->push_back(auth);
  return Save(*all);
}

absl::Status AuthStore::Remove(std::string_view name) {
  auto lock = LockForChange();
  if (!lock.ok()) return lock.status();
  absl::StatusOr<std::vector<Authentication>> all = List();
  if (!all.ok()) return all.status();

  if (std::erase_if(*all, [&](const auto& a) { return a.name == name; }) == 0) {
    return absl::NotFoundError("no authentication named \"" +
                               std::string(name) + "\"");
  }
  return Save(*all);
}

// The file is written 0600 from its first byte, so the secret is never
// readable by others, not even for a moment.
absl::Status AuthStore::Save(const std::vector<Authentication>& all) {
  nlohmann::ordered_json json;
  json["version"] = kFormatVersion;
  json["authentications"] = nlohmann::ordered_json::array();
  for (const Authentication& auth : all) {
    json["authentications"].push_back(ToJson(auth));
  }
  return internal::ReplacePrivateFile(file_, json.dump(2) + "\n");
}

}  // namespace caspio::cli
