// The emulator's HTTP face: Caspio's token endpoint and REST API v3 routes
// over a Store, with Caspio's status codes, headers and error shapes.
#ifndef CASPIO_EMULATOR_HTTP_SERVER_H_
#define CASPIO_EMULATOR_HTTP_SERVER_H_

#include <chrono>
#include <memory>
#include <string>

#include "emulator/store/store.h"

namespace httplib {
class Server;
}

namespace caspio::emulator {

struct ServerOptions {
  // Lifetime of issued access tokens (Caspio: 86399 s).
  std::chrono::seconds token_lifetime{86399};
};

class Server {
 public:
  Server(Store& store, ServerOptions options);
  ~Server();

  // Binds to `host`:`port` (0 picks a free port); returns the port, or -1.
  int Bind(const std::string& host, int port);
  // Serves until Stop() is called (from any thread or a signal handler's
  // helper thread).
  bool Listen();
  void Stop();

 private:
  void Route();

  Store& store_;
  ServerOptions options_;
  std::unique_ptr<httplib::Server> http_;
};

}  // namespace caspio::emulator

#endif  // CASPIO_EMULATOR_HTTP_SERVER_H_
