#include "client/token_sources.h"

#include <chrono>
#include <memory>
#include <string_view>
#include <utility>

#include "client/file_token_cache.h"
#include "client/token_cache.h"

namespace caspio {
namespace {

constexpr std::chrono::seconds kSkew(300);

// Whether the file may answer the in-memory cache's request on this thread.
// Connection::RefreshToken finds the in-memory cache by its type and calls
// its non-virtual Refresh(), which asks the layer below through GetToken();
// only the calling thread knows whether a refresh was meant.
// TODO(#3): give TokenSource a virtual Refresh() that each layer passes
// down, and drop this flag.
thread_local bool file_may_answer = false;

class FileMayAnswer {
 public:
  FileMayAnswer() : previous_(std::exchange(file_may_answer, true)) {}
  ~FileMayAnswer() { file_may_answer = previous_; }

 private:
  bool previous_;
};

// The file cache as the in-memory cache sees it: read, or bypassed for a
// refresh.
class FileLayer : public TokenSource {
 public:
  explicit FileLayer(std::shared_ptr<FileTokenCache> file)
      : file_(std::move(file)) {}

  absl::StatusOr<AccessToken> GetToken() override {
    return file_may_answer ? file_->GetToken() : file_->Refresh();
  }
  void Invalidate(std::string_view token_value) override {
    file_->Invalidate(token_value);
  }

 private:
  std::shared_ptr<FileTokenCache> file_;
};

// The in-memory cache over the file cache. CachingTokenSource forgets a
// refused token only in memory; here the file forgets it too, first, so
// that the next read cannot bring it back.
class SharedCachingTokenSource : public CachingTokenSource {
 public:
  SharedCachingTokenSource(std::shared_ptr<FileTokenCache> file,
                           std::shared_ptr<Clock> clock)
      : CachingTokenSource(std::make_shared<FileLayer>(file), std::move(clock),
                           kSkew),
        file_(std::move(file)) {}

  absl::StatusOr<AccessToken> GetToken() override {
    FileMayAnswer scope;
    return CachingTokenSource::GetToken();
  }
  void Invalidate(std::string_view token_value) override {
    file_->Invalidate(token_value);
    CachingTokenSource::Invalidate(token_value);
  }

 private:
  std::shared_ptr<FileTokenCache> file_;
};

}  // namespace

std::shared_ptr<TokenSource> MakeClientTokenSource(
    Credentials credentials, std::shared_ptr<Transport> transport,
    std::shared_ptr<Clock> clock, const ClientOptions& options) {
  if (options.token_cache_dir.empty()) {
    return MakeCachingTokenSource(
        MakeOAuthTokenSource(std::move(credentials), std::move(transport),
                             clock, options.observer),
        clock, kSkew);
  }
  auto file = std::make_shared<FileTokenCache>(
      MakeOAuthTokenSource(credentials, std::move(transport), clock,
                           options.observer),
      credentials, options.token_cache_dir, clock, kSkew);
  return std::make_shared<SharedCachingTokenSource>(std::move(file), clock);
}

}  // namespace caspio
