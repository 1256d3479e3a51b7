// A small HTTP/1.1 front for the emulator's own server, so that a fault
// plan can cut a client's connection, which cpp-httplib handlers cannot do.
//
// Clients connect to the proxy's public port. It reads each request (keep-
// alive, Content-Length bodies), forwards it on a fresh loopback connection
// to the inner server and relays the answer, unless the answer carries
// kDropHeader: then it closes the client's connection without sending a
// byte. Whether the request was processed before is the inner server's
// choice (drop_before answers without processing, drop_after after it).
// The inner server never sends chunked answers; chunked requests are
// refused with 501.
#ifndef CASPIO_EMULATOR_FAULTS_PROXY_H_
#define CASPIO_EMULATOR_FAULTS_PROXY_H_

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace caspio::emulator {

// An answer with this header is dropped; the header never leaves the
// emulator.
inline constexpr char kDropHeader[] = "X-Caspio-Emulator-Drop";

class FrontProxy {
 public:
  // Forwards to 127.0.0.1:`inner_port`.
  explicit FrontProxy(int inner_port);
  // Stops and waits for every connection's thread to finish.
  ~FrontProxy();

  // Listens on `host`:`port` (0 picks a free port); returns the port, or -1.
  int Bind(const std::string& host, int port);
  // Accepts connections on a thread of its own, one thread per connection.
  void Start();
  // Closes the listening socket and every open connection; returns at once.
  // Thread-safe.
  void Stop();

 private:
  void AcceptLoop();
  void Serve(int client);
  // One request's round trip to the inner server; false when the client's
  // connection must close (drop, error, or Connection: close).
  bool Forward(int client, std::string& pending);
  int ConnectInner();
  // Sockets open now, so that Stop() can shut them down.
  void Track(int fd);
  void CloseTracked(int fd);

  const int inner_port_;
  int listen_fd_ = -1;
  std::thread acceptor_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::condition_variable idle_;
  std::set<int> open_;
  int connections_ = 0;  // threads serving a client
};

}  // namespace caspio::emulator

#endif  // CASPIO_EMULATOR_FAULTS_PROXY_H_
