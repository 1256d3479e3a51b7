// The emulator's HTTP face: Caspio's token endpoint and REST API v3 routes
// over a Store, with Caspio's status codes, headers and error shapes.
#ifndef CASPIO_EMULATOR_HTTP_SERVER_H_
#define CASPIO_EMULATOR_HTTP_SERVER_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "emulator/store/store.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace caspio::emulator {

class FaultInjector;
class FrontProxy;
struct Injection;

struct ServerOptions {
  // Lifetime of issued access tokens (Caspio: 86399 s).
  std::chrono::seconds token_lifetime{86399};
  // Serves the fault control interface under /_emulator (see
  // doc/emulator-faults.md) and, over plain HTTP, puts a FrontProxy in
  // front of the routes so that faults can cut connections. Without it the
  // emulator never injects a fault and /_emulator paths are unknown (404).
  bool control = false;
  // PEM files; with both set the server speaks HTTPS only.
  std::string tls_cert;
  std::string tls_key;
};

class Server {
 public:
  // Errors: InvalidArgument when the TLS certificate or key cannot be used.
  static absl::StatusOr<std::unique_ptr<Server>> Create(Store& store,
                                                        ServerOptions options);
  ~Server();

  // Binds to `host`:`port` (0 picks a free port); returns the port, or -1.
  int Bind(const std::string& host, int port);
  // Serves until Stop() is called (from any thread or a signal handler's
  // helper thread).
  bool Listen();
  void Stop();

 private:
  using Handler =
      std::function<void(const httplib::Request&, httplib::Response&)>;

  Server(Store& store, ServerOptions options);
  void Route();
  void RouteControl();
  // `handler` with the fault plan applied before it (or after it, for a
  // drop_after); `handler` itself when control is off.
  Handler Guard(std::string_view route, Handler handler);
  void Inject(const Injection& injection, const httplib::Request& req,
              httplib::Response& res, const Handler& handler);

  Store& store_;
  ServerOptions options_;
  std::unique_ptr<httplib::Server> http_;
  std::unique_ptr<FaultInjector> faults_;  // with control only
  std::unique_ptr<FrontProxy> proxy_;      // with control, plain HTTP only
};

}  // namespace caspio::emulator

#endif  // CASPIO_EMULATOR_HTTP_SERVER_H_
