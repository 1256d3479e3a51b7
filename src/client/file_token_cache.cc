#include "client/file_token_cache.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "absl/strings/escaping.h"

namespace caspio {
namespace {

using std::chrono::system_clock;

constexpr int kFormatVersion = 1;
// A token file is a few hundred bytes; anything much larger is not ours.
constexpr std::size_t kMaxFileSize = std::size_t{64} * 1024;

// Closes a file descriptor (and so releases its flock) when it goes.
class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    std::swap(fd_, other.fd_);
    return *this;
  }
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

 private:
  int fd_;
};

// Ours alone: owned by this user, no access for group or others.
bool IsPrivate(const struct stat& st) {
  return st.st_uid == ::geteuid() && (st.st_mode & 077) == 0;
}

// Creates `dir` 0700 when missing and opens it, refusing a symbolic link or
// a directory that belongs to someone else. An existing directory of ours
// that others may read is restricted to 0700 first.
UniqueFd OpenDirectory(const std::filesystem::path& dir) {
  std::error_code ignored;
  std::filesystem::create_directories(dir.parent_path(), ignored);
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return UniqueFd();

  UniqueFd fd(
      ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid()) return UniqueFd();
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || st.st_uid != ::geteuid()) {
    return UniqueFd();
  }
  if ((st.st_mode & 077) != 0 && ::fchmod(fd.get(), 0700) != 0) {
    return UniqueFd();
  }
  return fd;
}

// Opens DIR/NAME and waits for an exclusive flock on it.
UniqueFd LockFile(int dir_fd, const std::string& name) {
  UniqueFd fd(::openat(dir_fd, name.c_str(),
                       O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd.valid()) return UniqueFd();
  while (::flock(fd.get(), LOCK_EX) != 0) {
    if (errno != EINTR) return UniqueFd();
  }
  return fd;
}

std::optional<std::string> ReadSmallFile(int dir_fd, const std::string& name) {
  UniqueFd fd(
      ::openat(dir_fd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid()) return std::nullopt;
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || !IsPrivate(st) ||
      static_cast<std::size_t>(st.st_size) > kMaxFileSize) {
    return std::nullopt;
  }
  std::string text(kMaxFileSize + 1, '\0');
  std::size_t size = 0;
  while (size < text.size()) {
    ssize_t n = ::read(fd.get(), text.data() + size, text.size() - size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::nullopt;
    if (n == 0) break;
    size += static_cast<std::size_t>(n);
  }
  if (size > kMaxFileSize) return std::nullopt;
  text.resize(size);
  return text;
}

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

// Replaces DIR/NAME with `text` at once: readers see the old file or the
// new one, never a part. The temporary file is created exclusively, 0600.
bool ReplaceFile(int dir_fd, const std::string& name, const std::string& text) {
  static std::atomic<unsigned> counter{0};
  for (int tries = 0; tries < 16; ++tries) {
    std::string temp = "." + name + ".tmp." + std::to_string(::getpid()) + "." +
                       std::to_string(counter++);
    UniqueFd fd(::openat(dir_fd, temp.c_str(),
                         O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                         0600));
    if (!fd.valid() && errno == EEXIST) continue;  // left by a dead process
    if (!fd.valid()) return false;
    const bool ok = ::fchmod(fd.get(), 0600) == 0 && WriteAll(fd.get(), text) &&
                    ::fsync(fd.get()) == 0 &&
                    ::renameat(dir_fd, temp.c_str(), dir_fd, name.c_str()) == 0;
    if (!ok) ::unlinkat(dir_fd, temp.c_str(), 0);
    return ok;
  }
  return false;
}

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
  UniqueFd dir = OpenDirectory(directory_);
  if (!dir.valid()) return inner_->GetToken();
  if (auto token = ReadFresh(dir.get())) return *std::move(token);

  // Whoever holds the lock may be fetching a token right now: wait, then
  // look again before asking for another.
  UniqueFd lock = LockFile(dir.get(), lock_file_);
  if (!lock.valid()) return inner_->GetToken();
  if (auto token = ReadFresh(dir.get())) return *std::move(token);
  return FetchAndStore(dir.get());
}

absl::StatusOr<AccessToken> FileTokenCache::Refresh() {
  UniqueFd dir = OpenDirectory(directory_);
  if (!dir.valid()) return inner_->GetToken();
  UniqueFd lock = LockFile(dir.get(), lock_file_);
  if (!lock.valid()) return inner_->GetToken();
  return FetchAndStore(dir.get());
}

void FileTokenCache::Invalidate(std::string_view token_value) {
  inner_->Invalidate(token_value);
  UniqueFd dir = OpenDirectory(directory_);
  if (!dir.valid()) return;
  UniqueFd lock = LockFile(dir.get(), lock_file_);
  if (!lock.valid()) return;
  // Another process may have replaced the refused token already.
  std::optional<AccessToken> stored = Read(dir.get());
  if (stored && stored->value == token_value) {
    ::unlinkat(dir.get(), token_file_.c_str(), 0);
  }
}

// The same rule as CachingTokenSource: renew `skew_` before expiry, but
// never earlier than half the lifetime.
std::optional<AccessToken> FileTokenCache::ReadFresh(int dir_fd) {
  std::optional<AccessToken> token = Read(dir_fd);
  if (!token) return std::nullopt;
  system_clock::duration lifetime = token->expires_at - token->issued_at;
  system_clock::duration skew = std::min<system_clock::duration>(
      skew_, std::max(lifetime / 2, system_clock::duration::zero()));
  if (clock_->Now() >= token->expires_at - skew) return std::nullopt;
  return token;
}

std::optional<AccessToken> FileTokenCache::Read(int dir_fd) const {
  std::optional<std::string> text = ReadSmallFile(dir_fd, token_file_);
  if (!text) return std::nullopt;
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
void FileTokenCache::Write(int dir_fd, AccessToken token) const {
  // A source that cannot tell when it got the token leaves the epoch.
  if (token.issued_at == system_clock::time_point()) {
    token.issued_at = clock_->Now();
  }
  nlohmann::json json;
  json["version"] = kFormatVersion;
  json["access_token"] = token.value;
  json["expires_at_ms"] = ToMillis(token.expires_at);
  json["issued_at_ms"] = ToMillis(token.issued_at);
  ReplaceFile(dir_fd, token_file_, json.dump() + "\n");
}

// Called with the lock held.
absl::StatusOr<AccessToken> FileTokenCache::FetchAndStore(int dir_fd) {
  absl::StatusOr<AccessToken> token = inner_->GetToken();
  if (!token.ok()) return token;
  Write(dir_fd, *token);
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
