#include "caspio/credentials.h"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "caspio/error.h"

namespace caspio {
namespace {

constexpr char kCaspioDomain[] = ".caspio.com";

absl::Status UserInputError(std::string message) {
  return MakeError(
      {.error_class = ErrorClass::kUserInput, .message = std::move(message)});
}

std::string Lower(std::string_view text) {
  std::string out(text);
  absl::AsciiStrToLower(&out);
  return out;
}

std::string Trim(std::string_view text) {
  std::string out(text);
  absl::StripAsciiWhitespace(&out);
  return out;
}

// Echoes user input in a message without flooding it.
std::string Quoted(std::string_view text) {
  constexpr std::size_t kMax = 80;
  if (text.size() > kMax) {
    return "\"" + std::string(text.substr(0, kMax)) + "...\"";
  }
  return "\"" + std::string(text) + "\"";
}

bool StartsWithSegment(std::string_view path, std::string_view prefix) {
  if (path.size() < prefix.size() ||
      !absl::EqualsIgnoreCase(std::string(path.substr(0, prefix.size())),
                              std::string(prefix))) {
    return false;
  }
  return path.size() == prefix.size() || path[prefix.size()] == '/';
}

// True for the paths people paste along with the integration URL: the REST
// roots (v3 and v2) and the token endpoint.
bool IsPastedApiPath(std::string_view path) {
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  return path.empty() || StartsWithSegment(path, "/integrations/rest") ||
         StartsWithSegment(path, "/rest") ||
         absl::EqualsIgnoreCase(std::string(path), "/oauth/token");
}

bool IsLabel(std::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  for (char c : label) {
    if (!absl::ascii_isalnum(c) && c != '-') return false;
  }
  return true;
}

bool IsHostName(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = host.find('.', start);
    if (!IsLabel(host.substr(start, dot - start))) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool IsIpv6Literal(std::string_view host) {
  if (host.size() < 4 || host.front() != '[' || host.back() != ']') {
    return false;
  }
  for (char c : host.substr(1, host.size() - 2)) {
    if (!absl::ascii_isxdigit(c) && c != ':' && c != '.') return false;
  }
  return true;
}

// The first octet of a dotted-quad IPv4 address, or nullopt.
std::optional<int> FirstIpv4Octet(std::string_view host) {
  int octets = 0;
  int first = -1;
  std::size_t start = 0;
  while (start <= host.size()) {
    std::size_t dot = std::min(host.find('.', start), host.size());
    std::string_view part = host.substr(start, dot - start);
    if (part.empty() || part.size() > 3) return std::nullopt;
    int value = 0;
    for (char c : part) {
      if (!absl::ascii_isdigit(c)) return std::nullopt;
      value = value * 10 + (c - '0');
    }
    if (value > 255) return std::nullopt;
    if (octets++ == 0) first = value;
    start = dot + 1;
  }
  if (octets != 4) return std::nullopt;
  return first;
}

bool IsLoopback(std::string_view host) {
  return host == "localhost" || host == "[::1]" ||
         FirstIpv4Octet(host) == std::optional<int>(127);
}

bool IsPort(std::string_view port) {
  if (port.empty() || port.size() > 5) return false;
  int value = 0;
  for (char c : port) {
    if (!absl::ascii_isdigit(c)) return false;
    value = value * 10 + (c - '0');
  }
  return value >= 1 && value <= 65535;
}

struct UrlParts {
  std::string scheme;  // "https" when the text had none
  std::string host;    // lowercased
  std::string port;    // may be empty
  std::string path;    // may be empty
};

// Splits "scheme://host:port/path", refusing user info, queries and
// fragments. The host is checked by the caller.
absl::StatusOr<UrlParts> SplitUrl(std::string_view text) {
  UrlParts parts;
  std::string_view rest = text;
  auto scheme_end = rest.find("://");
  if (scheme_end == std::string_view::npos) {
    parts.scheme = "https";
  } else {
    parts.scheme = Lower(rest.substr(0, scheme_end));
    rest.remove_prefix(scheme_end + 3);
  }
  if (parts.scheme != "https" && parts.scheme != "http") {
    return UserInputError("integration URL " + Quoted(text) +
                          " must start with https://");
  }
  if (rest.find_first_of("?#") != std::string_view::npos) {
    return UserInputError("integration URL " + Quoted(text) +
                          " must not have a query or fragment");
  }
  auto path_start = std::min(rest.find('/'), rest.size());
  std::string_view authority = rest.substr(0, path_start);
  parts.path = std::string(rest.substr(path_start));
  if (authority.find('@') != std::string_view::npos) {
    // Quoting the text would echo a password pasted into the URL.
    return UserInputError(
        "the integration URL must not contain a user name or password; "
        "give the client ID and secret separately");
  }
  auto colon = authority.rfind(':');
  if (colon != std::string_view::npos &&
      authority.find(']', colon) == std::string_view::npos) {
    parts.port = std::string(authority.substr(colon + 1));
    authority = authority.substr(0, colon);
  }
  parts.host = Lower(authority);
  return parts;
}

// Reads an environment variable; unset and blank are the same.
std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : Trim(value);
}

}  // namespace

absl::StatusOr<std::string> NormalizeSubdomain(std::string_view text) {
  const std::string kExpected =
      " is not a Caspio subdomain: expected one DNS label of letters, digits "
      "and hyphens such as \"c0abc123\" (also accepted: c0abc123.caspio.com "
      "or https://c0abc123.caspio.com)";
  std::string trimmed = Trim(text);
  auto parts = SplitUrl(trimmed);
  // Do not echo text that holds a pasted password.
  if (!parts.ok() && trimmed.find('@') != std::string::npos) {
    return parts.status();
  }
  if (!parts.ok() || !parts->port.empty() || !IsPastedApiPath(parts->path)) {
    return UserInputError(Quoted(trimmed) + kExpected);
  }
  std::string label = parts->host;
  if (absl::EndsWith(label, kCaspioDomain)) {
    label.resize(label.size() - std::string_view(kCaspioDomain).size());
  }
  if (!IsLabel(label)) return UserInputError(Quoted(trimmed) + kExpected);
  return label;
}

absl::StatusOr<std::string> IntegrationUrlFromSubdomain(std::string_view text) {
  auto subdomain = NormalizeSubdomain(text);
  if (!subdomain.ok()) return subdomain.status();
  return "https://" + *subdomain + kCaspioDomain;
}

absl::StatusOr<std::string> NormalizeIntegrationUrl(std::string_view url) {
  std::string trimmed = Trim(url);
  auto parts = SplitUrl(trimmed);
  if (!parts.ok()) return parts.status();

  bool host_ok = IsHostName(parts->host) || IsIpv6Literal(parts->host);
  if (!host_ok) {
    return UserInputError("integration URL " + Quoted(trimmed) +
                          " has no valid host name");
  }
  if (!parts->port.empty() && !IsPort(parts->port)) {
    return UserInputError("integration URL " + Quoted(trimmed) +
                          " has an invalid port");
  }
  if (!IsPastedApiPath(parts->path)) {
    return UserInputError(
        "integration URL " + Quoted(trimmed) +
        " must be the host root, e.g. https://c0abc123.caspio.com (the "
        "REST and token paths are added by the client)");
  }
  if (parts->scheme == "http" && !IsLoopback(parts->host)) {
    return UserInputError(
        "integration URL " + Quoted(trimmed) +
        " uses plain http: the client secret and tokens would cross the "
        "network unencrypted, and Caspio refuses it; use https:// (http is "
        "allowed only for localhost, 127.0.0.0/8 and [::1])");
  }

  std::string normalized = parts->scheme + "://" + parts->host;
  if (!parts->port.empty()) normalized += ":" + parts->port;
  return normalized;
}

absl::StatusOr<Credentials> CredentialsFromEnvironment() {
  std::string subdomain = Env("CASPIO_SUBDOMAIN");
  std::string url = Env("CASPIO_INTEGRATION_URL");
  if (!subdomain.empty() && !url.empty()) {
    return UserInputError(
        "set either CASPIO_SUBDOMAIN or CASPIO_INTEGRATION_URL, not both");
  }
  if (subdomain.empty() && url.empty()) {
    return UserInputError(
        "CASPIO_SUBDOMAIN or CASPIO_INTEGRATION_URL must be set");
  }

  Credentials credentials;
  auto normalized = subdomain.empty() ? NormalizeIntegrationUrl(url)
                                      : IntegrationUrlFromSubdomain(subdomain);
  if (!normalized.ok()) {
    const char* name =
        subdomain.empty() ? "CASPIO_INTEGRATION_URL" : "CASPIO_SUBDOMAIN";
    return UserInputError(std::string(name) + ": " +
                          std::string(normalized.status().message()));
  }
  credentials.integration_url = *std::move(normalized);

  credentials.client_id = Env("CASPIO_CLIENT_ID");
  if (credentials.client_id.empty()) {
    return UserInputError("CASPIO_CLIENT_ID must be set");
  }
  credentials.client_secret = Env("CASPIO_CLIENT_SECRET");
  if (credentials.client_secret.empty()) {
    return UserInputError("CASPIO_CLIENT_SECRET must be set");
  }
  return credentials;
}

}  // namespace caspio
