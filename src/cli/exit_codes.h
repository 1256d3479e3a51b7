// Exit codes of the `caspio` command (also in doc/exit-codes.md and the
// command's help). Codes 3-10 follow the error class of the envelope.
#ifndef CASPIO_CLI_EXIT_CODES_H_
#define CASPIO_CLI_EXIT_CODES_H_

#include <string_view>

namespace caspio::cli {

enum ExitCode : int {
  kExitSuccess = 0,
  kExitUnexpected = 1,  // a bug or an unforeseen failure
  kExitUsage = 2,       // the command line is wrong
  kExitUserInput = 3,   // the input or a value was refused
  kExitAuth = 4,
  kExitPermission = 5,
  kExitNotFound = 6,
  kExitConflict = 7,
  kExitRateLimited = 8,
  kExitServer = 9,
  kExitTransport = 10,
};

// The exit code for an envelope error class ("user_input", "auth", ...);
// kExitUnexpected for a name it does not know.
ExitCode ExitCodeForClass(std::string_view error_class);

// The help text block listing every exit code.
std::string_view ExitCodesHelp();

}  // namespace caspio::cli

#endif  // CASPIO_CLI_EXIT_CODES_H_
