#include "client/file_token_cache.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "absl/strings/escaping.h"

namespace caspio {
namespace {

using internal::Creation;
using internal::LaxFile;
using internal::PrivateDirectory;
using std::chrono::system_clock;

constexpr int kFormatVersion = 1;
// A token file is a few hundred bytes; anything much larger is not ours.
constexpr std::size_t kMaxFileSize = std::size_t{64} * 1024;

std::int64_t ToMillis(system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             t.time_since_epoch())
      .count();
}

system_clock::time_point FromMillis(std::int64_t ms) {
  return system_clock::time_point(
      std::chrono::duration_cast<system_clock::duration>(
          std::chrono::milliseconds(ms)));
}

std::string Sha256Hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
  return absl::BytesToHexString(
      std::string(reinterpret_cast<const char*>(digest), size));
}

}  // namespace

std::string TokenCacheKey(const Credentials& credentials) {
  // NUL separators: no two different triples give the same input.
  std::string input = "caspio-token-cache-v1";
  for (const std::string* part :
       {&credentials.integration_url, &credentials.client_id,
        &credentials.client_secret}) {
    input.push_back('\0');
    input += *part;
  }
  return Sha256Hex(input);
}

FileTokenCache::FileTokenCache(std::shared_ptr<TokenSource> inner,
                               const Credentials& credentials,
                               std::filesystem::path directory,
                               std::shared_ptr<Clock> clock,
                               std::chrono::seconds skew)
    : inner_(std::move(inner)),
      directory_(std::move(directory)),
      clock_(std::move(clock)),
      skew_(skew) {
  const std::string key = TokenCacheKey(credentials);
  token_file_ = key + ".json";
  lock_file_ = key + ".lock";
}

// A cache that cannot be used (no home directory, full disk, someone
// else's directory) only costs token requests; it never fails a call.
absl::StatusOr<AccessToken> FileTokenCache::GetToken() {
  absl::StatusOr<PrivateDirectory> dir =
      PrivateDirectory::Open(directory_, Creation::kCreate);
  if (!dir.ok()) return inner_->GetToken();
  if (auto token = ReadFresh(*dir)) return *std::move(token);

  // Whoever holds the lock may be fetching a token right now: wait, then
  // look again before asking for another.
  absl::StatusOr<internal::FileLock> lock = dir->Lock(lock_file_);
  if (!lock.ok()) return inner_->GetToken();
  if (auto token = ReadFresh(*dir)) return *std::move(token);
  return Store(*dir, inner_->GetToken());
}

absl::StatusOr<AccessToken> FileTokenCache::Refresh() {
  absl::StatusOr<PrivateDirectory> dir =
      PrivateDirectory::Open(directory_, Creation::kCreate);
  if (!dir.ok()) return inner_->Refresh();
  absl::StatusOr<internal::FileLock> lock = dir->Lock(lock_file_);
  if (!lock.ok()) return inner_->Refresh();
  return Store(*dir, inner_->Refresh());
}

void FileTokenCache::Invalidate(std::string_view token_value) {
  inner_->Invalidate(token_value);
  absl::StatusOr<PrivateDirectory> dir =
      PrivateDirectory::Open(directory_, Creation::kCreate);
  if (!dir.ok()) return;
  absl::StatusOr<internal::FileLock> lock = dir->Lock(lock_file_);
  if (!lock.ok()) return;
  // Another process may have replaced the refused token already.
  std::optional<AccessToken> stored = Read(*dir);
  if (stored && stored->value == token_value) {
    dir->Remove(token_file_).IgnoreError();
  }
}

// The same rule as CachingTokenSource: renew `skew_` before expiry, but
// never earlier than half the lifetime.
std::optional<AccessToken> FileTokenCache::ReadFresh(const Dir& dir) {
  std::optional<AccessToken> token = Read(dir);
  if (!token) return std::nullopt;
  system_clock::duration lifetime = token->expires_at - token->issued_at;
  system_clock::duration skew = std::min<system_clock::duration>(
      skew_, std::max(lifetime / 2, system_clock::duration::zero()));
  if (clock_->Now() >= token->expires_at - skew) return std::nullopt;
  return token;
}

// Files others could read or write are ignored, and replaced by the next
// Write.
std::optional<AccessToken> FileTokenCache::Read(const Dir& dir) const {
  absl::StatusOr<std::string> text =
      dir.Read(token_file_, kMaxFileSize, LaxFile::kRefuse);
  if (!text.ok()) return std::nullopt;
  auto json = nlohmann::json::parse(*text, nullptr, false);
  if (!json.is_object() || json.value("version", 0) != kFormatVersion) {
    return std::nullopt;
  }
  auto access_token = json.find("access_token");
  auto expires_at = json.find("expires_at_ms");
  auto issued_at = json.find("issued_at_ms");
  if (access_token == json.end() || !access_token->is_string() ||
      access_token->get<std::string>().empty() || expires_at == json.end() ||
      !expires_at->is_number_integer() || issued_at == json.end() ||
      !issued_at->is_number_integer()) {
    return std::nullopt;
  }
  AccessToken token;
  token.value = access_token->get<std::string>();
  token.expires_at = FromMillis(expires_at->get<std::int64_t>());
  token.issued_at = FromMillis(issued_at->get<std::int64_t>());
  return token;
}

// The refresh token stays in this process's memory: other processes
// would not use it, and it would be one more secret on disk.
void FileTokenCache::Write(const Dir& dir, AccessToken token) const {
  // A source that cannot tell when it got the token leaves the epoch.
  if (token.issued_at == system_clock::time_point()) {
    token.issued_at = clock_->Now();
  }
  nlohmann::json json;
  json["version"] = kFormatVersion;
  json["access_token"] = token.value;
  json["expires_at_ms"] = ToMillis(token.expires_at);
  json["issued_at_ms"] = ToMillis(token.issued_at);
  // A token that cannot be stored is still good for this call.
  dir.Replace(token_file_, json.dump() + "\n").IgnoreError();
}

// Called with the lock held.
absl::StatusOr<AccessToken> FileTokenCache::Store(
    const Dir& dir, absl::StatusOr<AccessToken> token) const {
  if (token.ok()) Write(dir, *token);
  return token;
}

std::shared_ptr<TokenSource> MakeFileTokenCache(
    std::shared_ptr<TokenSource> inner, const Credentials& credentials,
    std::string directory, std::shared_ptr<Clock> clock,
    std::chrono::seconds skew) {
  return std::make_shared<FileTokenCache>(std::move(inner), credentials,
                                          std::move(directory),
                                          std::move(clock), skew);
}

}  // namespace caspio
