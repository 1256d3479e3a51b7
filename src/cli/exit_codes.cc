#include "cli/exit_codes.h"

#include <utility>

namespace caspio::cli {

ExitCode ExitCodeForClass(std::string_view error_class) {
  static constexpr std::pair<std::string_view, ExitCode> kCodes[] = {
      {"user_input", kExitUserInput},  {"auth", kExitAuth},
      {"permission", kExitPermission}, {"not_found", kExitNotFound},
      {"conflict", kExitConflict},     {"rate_limited", kExitRateLimited},
      {"server", kExitServer},         {"transport", kExitTransport},
  };
  for (const auto& [name, code] : kCodes) {
    if (name == error_class) return code;
  }
  return kExitUnexpected;
}

std::string_view ExitCodesHelp() {
  return "Exit codes:\n"
         "  0  success\n"
         "  1  unexpected failure (a bug)\n"
         "  2  command-line usage\n"
         "  3  user_input: the input or a value was refused\n"
         "  4  auth: credentials refused, no credentials, profile disabled\n"
         "  5  permission: the profile may not do this\n"
         "  6  not_found: table, field, record, endpoint or authentication\n"
         "  7  conflict: already exists or in the wrong state\n"
         "  8  rate_limited: Caspio throttled the account\n"
         "  9  server: Caspio failed\n"
         " 10  transport: no usable answer (DNS, connect, TLS, timeout)\n";
}

}  // namespace caspio::cli
