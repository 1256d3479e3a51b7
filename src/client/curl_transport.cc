#include <curl/curl.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "caspio/error.h"
#include "caspio/transport.h"
#include "client/url.h"

namespace caspio {
namespace {

constexpr char kSystemCaBundle[] = "/etc/ssl/certs/ca-certificates.crt";
// Idle handles kept for reuse; each keeps its live connections.
constexpr std::size_t kMaxIdleHandles = 8;

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct HandleDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
using Handle = std::unique_ptr<CURL, HandleDeleter>;

struct HeaderListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using HeaderList = std::unique_ptr<curl_slist, HeaderListDeleter>;

// Easy handles reused across requests, so that connections (and TLS
// sessions) are too. Thread-safe.
class HandlePool {
 public:
  Handle Acquire() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!idle_.empty()) {
        Handle handle = std::move(idle_.back());
        idle_.pop_back();
        return handle;
      }
    }
    return Handle(curl_easy_init());
  }

  void Release(Handle handle) {
    // Reset forgets options (and pointers into the last request) but keeps
    // the connection cache.
    curl_easy_reset(handle.get());
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_.size() < kMaxIdleHandles) idle_.push_back(std::move(handle));
  }

 private:
  std::mutex mu_;
  std::vector<Handle> idle_;  // guarded by mu_
};

absl::Status TransportError(std::string message, std::string code = "") {
  return MakeError({.error_class = ErrorClass::kTransport,
                    .code = std::move(code),
                    .message = std::move(message)});
}

// Failures that happen before a byte of the request goes out.
bool FailsBeforeSending(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
      return true;
    default:
      return false;
  }
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::NotFoundError(path);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// The system bundle followed by the extra certificates, or "" when there
// are none (libcurl then uses the system bundle alone). `extra` is PEM text
// or the path of a PEM file.
absl::StatusOr<std::string> CombinedCaBundle(const std::string& extra) {
  if (extra.empty()) return std::string();
  std::string extra_pem = extra;
  if (extra.find("-----BEGIN") == std::string::npos) {
    auto file = ReadFile(extra);
    if (!file.ok()) {
      return MakeError({.error_class = ErrorClass::kUserInput,
                        .message = "cannot read the CA bundle " + extra});
    }
    extra_pem = *std::move(file);
  }
  auto system = ReadFile(kSystemCaBundle);
  return (system.ok() ? *system + "\n" : std::string()) + extra_pem;
}

std::size_t AppendBody(char* data, std::size_t size, std::size_t count,
                       void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

std::size_t AppendHeader(char* data, std::size_t size, std::size_t count,
                         void* user) {
  auto* headers = static_cast<Headers*>(user);
  std::string_view line(data, size * count);
  // A new status line starts a new answer (after 100 Continue, or a
  // proxy's CONNECT reply); only the last answer's headers count.
  if (line.substr(0, 5) == "HTTP/") {
    headers->clear();
    return size * count;
  }
  auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string value(line.substr(colon + 1));
    absl::StripAsciiWhitespace(&value);
    headers->emplace_back(std::string(line.substr(0, colon)), std::move(value));
  }
  return size * count;
}

std::string HostWithoutPort(const std::string& host) {
  auto colon = host.rfind(':');
  if (colon == std::string::npos ||
      host.find(']', colon) != std::string::npos) {
    return host;
  }
  return host.substr(0, colon);
}

// Names the host and what went wrong; never the URL's query (long, and it
// may hold data) or a header (it holds the token). The ErrorInfo code tells
// the retry loop whether the request can have reached the server:
// kConnectFailed when it certainly did not (`request_bytes` is what libcurl
// reports as sent), kConnectionLost otherwise.
absl::Status CurlError(CURLcode code, const char* error_buffer,
                       const HttpRequest& request, long request_bytes) {
  std::string host = UrlHost(request.url);
  std::string detail =
      error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
  auto query = request.url.find('?');
  if (query != std::string::npos &&
      detail.find(request.url.substr(query)) != std::string::npos) {
    detail = curl_easy_strerror(code);
  }

  std::string kind = FailsBeforeSending(code) || request_bytes == 0
                         ? kConnectFailed
                         : kConnectionLost;
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
      return TransportError("could not resolve host " + HostWithoutPort(host),
                            kind);
    case CURLE_COULDNT_CONNECT:
      return TransportError(
          "could not connect to " + host + " (" + detail + ")", kind);
    case CURLE_OPERATION_TIMEDOUT:
      return TransportError(
          "timed out talking to " + host + " (" + detail + ")", kind);
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
      return TransportError("TLS failure with " + host + ": " + detail, kind);
    default:
      return TransportError("request to " + host + " failed: " + detail, kind);
  }
}

bool HasLineBreak(const std::string& text) {
  return text.find_first_of("\r\n") != std::string::npos;
}

class CurlTransport : public Transport {
 public:
  explicit CurlTransport(TransportOptions options)
      : options_(std::move(options)) {
    GlobalInit();
    std::string extra = options_.ca_bundle;
    if (extra.empty()) {
      const char* env = std::getenv("CASPIO_CA_BUNDLE");
      if (env != nullptr) extra = env;
    }
    auto bundle = CombinedCaBundle(extra);
    if (bundle.ok()) {
      ca_bundle_ = *std::move(bundle);
    } else {
      ca_status_ = bundle.status();
    }
  }

  absl::StatusOr<HttpResponse> Send(const HttpRequest& request) override;

 private:
  absl::StatusOr<HeaderList> BuildHeaders(const HttpRequest& request) const;
  void SetOptions(CURL* handle, const HttpRequest& request, curl_slist* headers,
                  HttpResponse& response, char* error_buffer) const;

  TransportOptions options_;
  std::string ca_bundle_;  // empty: libcurl's default bundle
  absl::Status ca_status_;
  HandlePool pool_;
};

absl::StatusOr<HttpResponse> CurlTransport::Send(const HttpRequest& request) {
  if (!ca_status_.ok()) return ca_status_;
  auto headers = BuildHeaders(request);
  if (!headers.ok()) return headers.status();
  Handle handle = pool_.Acquire();
  if (!handle) return TransportError("libcurl could not create a handle");

  HttpResponse response;
  char error_buffer[CURL_ERROR_SIZE] = {};
  SetOptions(handle.get(), request, headers->get(), response, error_buffer);
  CURLcode code = curl_easy_perform(handle.get());
  long status = 0;  // NOLINT(google-runtime-int): libcurl's type
  curl_easy_getinfo(handle.get(), CURLINFO_RESPONSE_CODE, &status);
  long request_bytes = 0;  // NOLINT(google-runtime-int): libcurl's type
  curl_easy_getinfo(handle.get(), CURLINFO_REQUEST_SIZE, &request_bytes);
  pool_.Release(std::move(handle));

  if (code != CURLE_OK) {
    return CurlError(code, error_buffer, request, request_bytes);
  }
  response.status = static_cast<int>(status);
  return response;
}

absl::StatusOr<HeaderList> CurlTransport::BuildHeaders(
    const HttpRequest& request) const {
  HeaderList list;
  auto append = [&list](const std::string& line) {
    curl_slist* next = curl_slist_append(list.get(), line.c_str());
    if (next != nullptr) {
      (void)list.release();
      list.reset(next);
    }
    return next != nullptr;
  };
  for (const auto& [name, value] : request.headers) {
    // A line break would start a header of the sender's choosing.
    if (HasLineBreak(name) || HasLineBreak(value)) {
      return MakeError({.error_class = ErrorClass::kUserInput,
                        .message = "header " + name + " holds a line break"});
    }
    if (!append(std::string(name).append(": ").append(value))) {
      return TransportError("libcurl could not build the request headers");
    }
  }
  // Without this libcurl waits for "100 Continue" before large bodies.
  if (!append("Expect:")) {
    return TransportError("libcurl could not build the request headers");
  }
  return list;
}

void CurlTransport::SetOptions(CURL* handle, const HttpRequest& request,
                               curl_slist* headers, HttpResponse& response,
                               char* error_buffer) const {
  curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(handle, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(options_.total_timeout.count()));

  // Certificates are always verified; only the trusted set can grow.
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!ca_bundle_.empty()) {
    curl_blob blob{const_cast<char*>(ca_bundle_.data()), ca_bundle_.size(),
                   CURL_BLOB_NOCOPY};
    curl_easy_setopt(handle, CURLOPT_CAINFO_BLOB, &blob);
  }

  // libcurl silently sends a request again when a reused connection closes
  // before any answer, which would insert a record twice if the server had
  // done the work. It never does so on a new connection.
  curl_easy_setopt(handle, CURLOPT_FRESH_CONNECT,
                   request.repeatable == Repeatable::kNo ? 1L : 0L);
  if (request.method == "GET") {
    curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  // POST and PUT always carry a body (Content-Length: 0 when empty).
  if (!request.body.empty() || request.method == "POST" ||
      request.method == "PUT") {
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.data());
  }

  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, AppendHeader);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &response.headers);
}

}  // namespace

std::shared_ptr<Transport> MakeCurlTransport(TransportOptions options) {
  return std::make_shared<CurlTransport>(std::move(options));
}

}  // namespace caspio
