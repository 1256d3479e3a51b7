#include "caspio/transport.h"

#include <string>
#include <string_view>

#include "absl/strings/match.h"

namespace caspio {

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [header_name, value] : headers) {
    if (absl::EqualsIgnoreCase(header_name,
                               absl::string_view(name.data(), name.size()))) {
      return value;
    }
  }
  return "";
}

}  // namespace caspio
