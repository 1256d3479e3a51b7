#include "cli/secret_prompt.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"

namespace caspio::cli {
namespace {

absl::StatusOr<std::string> ReadFromTerminal(std::string_view prompt) {
  const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    return absl::FailedPreconditionError(
        "no terminal to ask for the Client Secret on; pipe it on stdin");
  }
  (void)!::write(fd, prompt.data(), prompt.size());

  // TODO(#2): restore echo when interrupted (SIGINT) while it is off.
  termios saved{};
  const bool is_tty = ::tcgetattr(fd, &saved) == 0;
  if (is_tty) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(fd, TCSAFLUSH, &quiet);
  }

  std::string line;
  char c = 0;
  for (;;) {
    const ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || c == '\n') break;
    line += c;
  }

  if (is_tty) ::tcsetattr(fd, TCSAFLUSH, &saved);
  (void)!::write(fd, "\n", 1);
  ::close(fd);
  return line;
}

}  // namespace

absl::StatusOr<std::string> ReadSecret(std::string_view prompt,
                                       std::istream& in) {
  std::string secret;
  if (::isatty(STDIN_FILENO)) {
    absl::StatusOr<std::string> typed = ReadFromTerminal(prompt);
    if (!typed.ok()) return typed.status();
    secret = *std::move(typed);
  } else {
    std::getline(in, secret);
  }

  absl::StripAsciiWhitespace(&secret);
  if (secret.empty()) {
    return absl::InvalidArgumentError(
        "the Client Secret is empty; type it at the prompt or pipe it on "
        "stdin");
  }
  return secret;
}

}  // namespace caspio::cli
