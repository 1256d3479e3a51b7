// Reading a Client Secret without it ever reaching argv, the shell history
// or the screen.
#ifndef CASPIO_CLI_SECRET_PROMPT_H_
#define CASPIO_CLI_SECRET_PROMPT_H_

#include <istream>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace caspio::cli {

// When standard input is a terminal, shows `prompt` on /dev/tty and reads
// one line with echo turned off. Otherwise reads the first line of `in`
// (e.g. `pass show caspio | caspio auth add ...`). Surrounding whitespace is
// dropped; an empty secret is InvalidArgument.
absl::StatusOr<std::string> ReadSecret(std::string_view prompt,
                                       std::istream& in);

}  // namespace caspio::cli

#endif  // CASPIO_CLI_SECRET_PROMPT_H_
