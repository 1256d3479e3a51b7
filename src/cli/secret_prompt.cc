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

  // Echo is off while the secret is typed. Keyboard signals and line
  // editing are off too, so that Ctrl-C arrives here at once as a character
  // and the terminal always gets its echo back; erasing is done below.
  termios saved{};
  const bool is_tty = ::tcgetattr(fd, &saved) == 0;
  if (is_tty) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO | ISIG | ICANON);
    quiet.c_cc[VMIN] = 1;
    quiet.c_cc[VTIME] = 0;
    ::tcsetattr(fd, TCSAFLUSH, &quiet);
  }

  constexpr char kInterrupt = 0x03, kEndOfText = 0x04, kBackspace = 0x08,
                 kKillLine = 0x15, kDelete = 0x7f;
  std::string line;
  char c = 0;
  bool cancelled = false;
  for (;;) {
    const ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || c == '\n' || c == '\r') break;
    if (c == kInterrupt || c == kEndOfText) {
      cancelled = true;
      break;
    }
    if (c == kBackspace || c == kDelete) {
      if (!line.empty()) line.pop_back();
    } else if (c == kKillLine) {
      line.clear();
    } else {
      line += c;
    }
  }

  if (is_tty) ::tcsetattr(fd, TCSAFLUSH, &saved);
  (void)!::write(fd, "\n", 1);
  ::close(fd);
  if (cancelled) return absl::CancelledError("cancelled at the prompt");
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
