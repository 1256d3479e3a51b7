#include "client/token_sources.h"

#include <utility>

namespace caspio {

std::shared_ptr<TokenSource> MakeClientTokenSource(
    Credentials credentials, std::shared_ptr<Transport> transport,
    std::shared_ptr<Clock> clock, const ClientOptions&) {
  // TODO(#3): share tokens between processes (options.token_cache_dir).
  return MakeCachingTokenSource(
      MakeOAuthTokenSource(std::move(credentials), std::move(transport),
                           clock),
      clock);
}

}  // namespace caspio
