// The token source a Client gets: OAuth requests behind the caches its
// options ask for (internal).
#ifndef CASPIO_SRC_CLIENT_TOKEN_SOURCES_H_
#define CASPIO_SRC_CLIENT_TOKEN_SOURCES_H_

#include <memory>

#include "caspio/client.h"

namespace caspio {

// OAuth client credentials behind an in-memory cache; with
// options.token_cache_dir, a file cache shared with other processes sits
// between them (MakeFileTokenCache). Client::RefreshToken reaches the token
// endpoint through both, and the file keeps the new token. Thread-safe.
std::shared_ptr<TokenSource> MakeClientTokenSource(
    Credentials credentials, std::shared_ptr<Transport> transport,
    std::shared_ptr<Clock> clock, const ClientOptions& options);

}  // namespace caspio

#endif  // CASPIO_SRC_CLIENT_TOKEN_SOURCES_H_
