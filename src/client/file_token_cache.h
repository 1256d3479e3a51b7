// Access tokens shared between processes through files (internal; the
// public face is MakeFileTokenCache in caspio/token.h).
#ifndef CASPIO_SRC_CLIENT_FILE_TOKEN_CACHE_H_
#define CASPIO_SRC_CLIENT_FILE_TOKEN_CACHE_H_

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "caspio/credentials.h"
#include "caspio/token.h"
#include "client/private_file.h"

namespace caspio {

// Keeps the token of one profile in DIR/KEY.json, written only while
// DIR/KEY.lock is locked (flock). See MakeFileTokenCache for the contract.
// Thread-safe; processes sharing the directory cooperate through the lock.
class FileTokenCache : public TokenSource {
 public:
  FileTokenCache(std::shared_ptr<TokenSource> inner,
                 const Credentials& credentials,
                 std::filesystem::path directory, std::shared_ptr<Clock> clock,
                 std::chrono::seconds skew);

  absl::StatusOr<AccessToken> GetToken() override;
  void Invalidate(std::string_view token_value) override;

  // A new token from `inner` (its Refresh), stored for other processes;
  // the file is not read first.
  absl::StatusOr<AccessToken> Refresh() override;

  const std::filesystem::path& directory() const { return directory_; }
  // "KEY.json", relative to directory().
  const std::string& token_file_name() const { return token_file_; }

 private:
  using Dir = internal::PrivateDirectory;

  std::optional<AccessToken> ReadFresh(const Dir& dir);
  std::optional<AccessToken> Read(const Dir& dir) const;
  void Write(const Dir& dir, AccessToken token) const;
  absl::StatusOr<AccessToken> Store(const Dir& dir,
                                    absl::StatusOr<AccessToken> token) const;

  std::shared_ptr<TokenSource> inner_;
  std::filesystem::path directory_;
  std::shared_ptr<Clock> clock_;
  std::chrono::seconds skew_;
  std::string token_file_;
  std::string lock_file_;
};

// 64 hex digits naming a profile's token in a cache directory: a SHA-256
// digest of the integration URL, Client ID and Client Secret, so that it
// reveals none of them and changes with any of them.
std::string TokenCacheKey(const Credentials& credentials);

}  // namespace caspio

#endif  // CASPIO_SRC_CLIENT_FILE_TOKEN_CACHE_H_
