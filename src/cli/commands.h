// The `caspio` command: parses a command line and runs it. Everything the
// executable does lives here so that it can be tested; main() only wires
// the real streams, terminal and network in.
#ifndef CASPIO_CLI_COMMANDS_H_
#define CASPIO_CLI_COMMANDS_H_

#include <functional>
#include <istream>
#include <ostream>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "caspio/client.h"
#include "caspio/credentials.h"

namespace caspio::cli {

// What a command may touch. Data goes to `out`, diagnostics to `err`.
struct Io {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  // Reads the Client Secret for `auth add` (a prompt without echo).
  std::function<absl::StatusOr<std::string>(std::string_view prompt)>
      read_secret;
  // Builds a client with the command's options (call observer, token
  // cache); tests pass one that adds a fake transport.
  std::function<absl::StatusOr<caspio::Client>(caspio::Credentials,
                                               caspio::ClientOptions)>
      make_client;
};

// An Io on the process's standard streams, terminal and network.
Io StandardIo();

// Runs `caspio ARGS...` and returns the exit code (see exit_codes.h).
// Does not throw for anything a user can cause.
int RunCommandLine(int argc, const char* const* argv, Io& io);

}  // namespace caspio::cli

#endif  // CASPIO_CLI_COMMANDS_H_
