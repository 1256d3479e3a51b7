// Starting the project's own programs from tests: the emulator as a server
// on a free loopback port, and one-shot commands with their output.
#ifndef CASPIO_TESTS_SUPPORT_PROCESS_H_
#define CASPIO_TESTS_SUPPORT_PROCESS_H_

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace caspio::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `argv` to completion with `input` on its stdin. `env` entries are
// added to (or replace) the test's own environment; an empty value removes
// the variable.
CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& env = {},
                         const std::string& input = "");

// A scratch directory removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A caspio-emulator serving a fresh SQLite file on a free loopback port,
// with one API profile. Stopped (SIGTERM) when destroyed.
class Emulator {
 public:
  struct Options {
    int token_lifetime = 86399;
    // Serves the fault control interface (doc/emulator-faults.md).
    bool control = false;
    // PEM files; with both set the emulator serves HTTPS.
    std::string tls_cert;
    std::string tls_key;
  };
  static std::unique_ptr<Emulator> Start(Options options);
  static std::unique_ptr<Emulator> Start() { return Start(Options{}); }
  ~Emulator();

  const std::string& base_url() const { return base_url_; }
  const std::string& client_id() const { return client_id_; }
  const std::string& client_secret() const { return client_secret_; }
  const std::string& data_path() const { return data_path_; }

  // Runs `caspio-emulator ARGS... --data <this file>`.
  CommandResult Command(std::vector<std::string> args) const;
  // Imports CSV/JSON `content` as `table`; fails the test on error.
  void Import(const std::string& table, const std::string& content,
              const std::string& extension) const;
  // A second profile on the same data.
  std::pair<std::string, std::string> CreateProfile() const;

  // The fault control interface; needs Options::control. Each throws
  // std::runtime_error with the emulator's message when it refuses.
  // Replaces the fault plan (`{}` for none); returns the plan as stored.
  nlohmann::json SetFaults(const nlohmann::json& plan) const;
  // What was injected, and the request counters.
  nlohmann::json FaultLog() const;
  // Clears the log and the counters.
  void ResetFaultLog() const;

 private:
  Emulator() = default;

  TempDir dir_;
  std::string data_path_;
  std::string base_url_;
  std::string client_id_;
  std::string client_secret_;
  pid_t pid_ = -1;
};

// Where `name` is on PATH, or "" when it is not.
std::string FindProgram(const std::string& name);

// A self-signed certificate for 127.0.0.1, made with the openssl command in
// `dir`; throws when openssl is missing or fails.
struct Certificate {
  std::string cert_path;  // PEM; also the root to trust
  std::string key_path;
};
Certificate MakeLoopbackCertificate(const std::string& dir);

// Paths of the built programs (set by CMake).
std::string EmulatorPath();
std::string CliPath();

}  // namespace caspio::testing

#endif  // CASPIO_TESTS_SUPPORT_PROCESS_H_
