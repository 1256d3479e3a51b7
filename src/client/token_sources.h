// The token source a Client gets: OAuth requests behind the caches its
// options ask for (internal).
#ifndef CASPIO_SRC_CLIENT_TOKEN_SOURCES_H_
#define CASPIO_SRC_CLIENT_TOKEN_SOURCES_H_

#include <memory>

#include "caspio/client.h"

namespace caspio {

std::shared_ptr<TokenSource> MakeClientTokenSource(
    Credentials credentials, std::shared_ptr<Transport> transport,
    std::shared_ptr<Clock> clock, const ClientOptions& options);

}  // namespace caspio

#endif  // CASPIO_SRC_CLIENT_TOKEN_SOURCES_H_
