#include "emulator/faults/proxy.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <optional>
#include <string_view>

namespace caspio::emulator {
namespace {

constexpr std::size_t kMaxHead = 64 * 1024;
// How long a kept-alive client may stay silent (cpp-httplib's own value).
constexpr int kIdleSeconds = 5;

bool SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Appends what `fd` has to `buffer`; false on end of stream or error.
bool ReadMore(int fd, std::string& buffer) {
  char chunk[16384];
  for (;;) {
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(n));
    return true;
  }
}

// Reads until `buffer` holds a whole head; returns its size including the
// blank line, or 0 when the stream ends first or the head is too large.
std::size_t ReadHead(int fd, std::string& buffer) {
  for (;;) {
    auto end = buffer.find("\r\n\r\n");
    if (end != std::string::npos) return end + 4;
    if (buffer.size() > kMaxHead || !ReadMore(fd, buffer)) return 0;
  }
}

bool ReadAtLeast(int fd, std::string& buffer, std::size_t size) {
  while (buffer.size() < size) {
    if (!ReadMore(fd, buffer)) return false;
  }
  return true;
}

// The value of header `name` in `head`, matched without case.
std::optional<std::string_view> Header(std::string_view head,
                                       std::string_view name) {
  std::size_t line = head.find("\r\n");
  while (line != std::string_view::npos && line + 2 < head.size()) {
    std::size_t start = line + 2;
    std::size_t end = head.find("\r\n", start);
    if (end == std::string_view::npos) break;
    std::string_view text = head.substr(start, end - start);
    if (text.size() > name.size() && text[name.size()] == ':' &&
        strncasecmp(text.data(), name.data(), name.size()) == 0) {
      std::string_view value = text.substr(name.size() + 1);
      while (!value.empty() &&
             (value.front() == ' ' || value.front() == '\t')) {
        value.remove_prefix(1);
      }
      while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) {
        value.remove_suffix(1);
      }
      return value;
    }
    line = end;
  }
  return std::nullopt;
}

bool HeaderIs(std::string_view head, std::string_view name,
              std::string_view value) {
  auto found = Header(head, name);
  return found && found->size() == value.size() &&
         strncasecmp(found->data(), value.data(), value.size()) == 0;
}

// The Content-Length of `head`; 0 when absent, nullopt when malformed.
std::optional<std::size_t> ContentLength(std::string_view head) {
  auto value = Header(head, "Content-Length");
  if (!value) return 0;
  std::string text(*value);
  char* end = nullptr;
  unsigned long long n = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0') return std::nullopt;
  return static_cast<std::size_t>(n);
}

int StatusCode(std::string_view head) {
  // "HTTP/1.1 200 OK"
  if (head.size() < 12) return 0;
  return std::atoi(std::string(head.substr(9, 3)).c_str());
}

void SetNoDelay(int fd) {
  int on = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

constexpr std::string_view kNotImplemented =
    "HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\n"
    "Connection: close\r\n\r\n";
constexpr std::string_view kBadRequest =
    "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n"
    "Connection: close\r\n\r\n";
constexpr std::string_view kBadGateway =
    "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n"
    "Connection: close\r\n\r\n";

struct Request {
  std::string bytes;
  bool head_only = false;  // HEAD: the answer has no body
  bool closes = false;     // Connection: close
};

// The next request from the client, with its body; nullopt when the
// connection must close (end of stream, or a request the proxy refuses).
std::optional<Request> ReadRequest(int client, std::string& pending) {
  std::size_t head_size = ReadHead(client, pending);
  if (head_size == 0) return std::nullopt;
  Request request{pending.substr(0, head_size)};
  pending.erase(0, head_size);
  if (Header(request.bytes, "Transfer-Encoding")) {
    // TODO(#3): chunked request bodies.
    SendAll(client, kNotImplemented);
    return std::nullopt;
  }
  auto length = ContentLength(request.bytes);
  if (!length) {
    SendAll(client, kBadRequest);
    return std::nullopt;
  }
  // The inner server's own 100 Continue is skipped by ReadAnswer.
  if (HeaderIs(request.bytes, "Expect", "100-continue") &&
      !SendAll(client, "HTTP/1.1 100 Continue\r\n\r\n")) {
    return std::nullopt;
  }
  if (!ReadAtLeast(client, pending, *length)) return std::nullopt;
  request.head_only = request.bytes.compare(0, 5, "HEAD ") == 0;
  request.closes = HeaderIs(request.bytes, "Connection", "close");
  request.bytes.append(pending, 0, *length);
  pending.erase(0, *length);
  return request;
}

struct Answer {
  std::string bytes;
  std::size_t head_size = 0;
  std::string_view head() const {
    return std::string_view(bytes).substr(0, head_size);
  }
};

// The inner server's final answer, after any 1xx interim ones.
std::optional<Answer> ReadAnswer(int inner, bool head_only) {
  Answer answer;
  for (;;) {
    answer.head_size = ReadHead(inner, answer.bytes);
    if (answer.head_size == 0) return std::nullopt;
    if (StatusCode(answer.bytes) >= 200) break;
    answer.bytes.erase(0, answer.head_size);
  }
  int status = StatusCode(answer.bytes);
  std::optional<std::size_t> body = 0;
  if (!head_only && status != 204 && status != 304) {
    body = ContentLength(answer.head());
  }
  if (!body || !ReadAtLeast(inner, answer.bytes, answer.head_size + *body)) {
    return std::nullopt;
  }
  answer.bytes.resize(answer.head_size + *body);
  return answer;
}

}  // namespace

FrontProxy::FrontProxy(int inner_port) : inner_port_(inner_port) {}

FrontProxy::~FrontProxy() {
  Stop();
  if (acceptor_.joinable()) acceptor_.join();
  std::unique_lock lock(mu_);
  idle_.wait(lock, [this] { return connections_ == 0; });
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

int FrontProxy::Bind(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string service = std::to_string(port);
  if (getaddrinfo(host.c_str(), service.c_str(), &hints, &found) != 0) {
    return -1;
  }
  for (addrinfo* a = found; a != nullptr && listen_fd_ < 0; a = a->ai_next) {
    int fd =
        ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) == 0 && ::listen(fd, 128) == 0) {
      listen_fd_ = fd;
    } else {
      ::close(fd);
    }
  }
  freeaddrinfo(found);
  if (listen_fd_ < 0) return -1;

  sockaddr_storage bound{};
  socklen_t size = sizeof bound;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&bound), &size);
  if (bound.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port);
  }
  return ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
}

void FrontProxy::Start() {
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

void FrontProxy::Stop() {
  stopping_ = true;
  std::lock_guard lock(mu_);
  // shutdown() wakes the threads blocked on these sockets; each thread
  // closes its own, so no descriptor is reused under another's feet.
  if (listen_fd_ >= 0) ::shutdown(listen_fd_, SHUT_RDWR);
  for (int fd : open_) ::shutdown(fd, SHUT_RDWR);
}

void FrontProxy::AcceptLoop() {
  while (!stopping_) {
    int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      break;
    }
    std::lock_guard lock(mu_);
    if (stopping_) {
      ::close(client);
      break;
    }
    open_.insert(client);
    ++connections_;
    std::thread([this, client] { Serve(client); }).detach();
  }
}

void FrontProxy::Track(int fd) {
  std::lock_guard lock(mu_);
  open_.insert(fd);
  if (stopping_) ::shutdown(fd, SHUT_RDWR);
}

void FrontProxy::CloseTracked(int fd) {
  std::lock_guard lock(mu_);
  open_.erase(fd);
  ::close(fd);
}

void FrontProxy::Serve(int client) {
  SetNoDelay(client);
  timeval idle{kIdleSeconds, 0};
  setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof idle);
  std::string pending;
  while (!stopping_ && Forward(client, pending)) {
  }
  CloseTracked(client);
  std::lock_guard lock(mu_);
  --connections_;
  idle_.notify_all();
}

bool FrontProxy::Forward(int client, std::string& pending) {
  auto request = ReadRequest(client, pending);
  if (!request) return false;
  int inner = ConnectInner();
  if (inner < 0) {
    SendAll(client, kBadGateway);
    return false;
  }
  std::optional<Answer> answer;
  if (SendAll(inner, request->bytes)) {
    answer = ReadAnswer(inner, request->head_only);
  }
  CloseTracked(inner);
  if (!answer) {
    SendAll(client, kBadGateway);
    return false;
  }

  // The fault itself: the client sees its connection close, no answer.
  if (Header(answer->head(), kDropHeader)) return false;
  if (!SendAll(client, answer->bytes)) return false;
  return !request->closes && !HeaderIs(answer->head(), "Connection", "close");
}

int FrontProxy::ConnectInner() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(inner_port_));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) !=
      0) {
    ::close(fd);
    return -1;
  }
  SetNoDelay(fd);
  Track(fd);
  return fd;
}

}  // namespace caspio::emulator
