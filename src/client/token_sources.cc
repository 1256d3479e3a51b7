#include "client/token_sources.h"

#include <chrono>
#include <memory>
#include <utility>

#include "client/file_token_cache.h"

namespace caspio {
namespace {

constexpr std::chrono::seconds kSkew(300);

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
  return MakeCachingTokenSource(std::move(file), clock, kSkew);
}

}  // namespace caspio
