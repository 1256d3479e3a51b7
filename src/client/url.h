// Percent-encoding for URLs and form bodies (internal).
#ifndef CASPIO_SRC_CLIENT_URL_H_
#define CASPIO_SRC_CLIENT_URL_H_

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace caspio {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// Every byte except RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~)
// becomes %XX, so reserved characters (' = & + # % / ?) and UTF-8 bytes are
// all escaped. Used for query names, values, path segments and form bodies.
std::string PercentEncode(std::string_view text);

// "a=1&b=2" with names and values percent-encoded; "" for no parameters.
std::string EncodeQuery(const QueryParams& params);

// "/tables/My%20Table/records": each segment percent-encoded.
std::string EncodePath(std::initializer_list<std::string_view> segments);

// The host (and port) of an absolute URL, without scheme, path or query.
std::string UrlHost(std::string_view url);

}  // namespace caspio

#endif  // CASPIO_SRC_CLIENT_URL_H_
