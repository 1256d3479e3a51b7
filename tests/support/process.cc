#include "support/process.h"

#include "support/scratch_dir.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <httplib.h>

extern char** environ;

namespace caspio::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

std::vector<std::string> MergedEnvironment(
    const std::map<std::string, std::string>& overrides) {
  std::map<std::string, std::string> merged;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq != std::string::npos)
      merged[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (const auto& [k, v] : overrides) {
    if (v.empty()) {
      merged.erase(k);
    } else {
      merged[k] = v;
    }
  }
  std::vector<std::string> out;
  for (const auto& [k, v] : merged) out.push_back(k + "=" + v);
  return out;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// fork + exec with stdin/stdout/stderr redirected to the given files.
pid_t Spawn(std::vector<std::string> argv,
            const std::map<std::string, std::string>& env,
            const std::string& in, const std::string& out,
            const std::string& err) {
  std::vector<std::string> envs = MergedEnvironment(env);
  auto argp = Pointers(argv);
  auto envp = Pointers(envs);
  pid_t pid = fork();
  if (pid == 0) {
    int fin = open(in.c_str(), O_RDONLY);
    int fout = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int ferr = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fin, 0);
    dup2(fout, 1);
    dup2(ferr, 2);
    execve(argp[0], argp.data(), envp.data());
    _exit(127);
  }
  return pid;
}

}  // namespace

TempDir::TempDir() : path_(MakeScratchDirectory("test").string()) {}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& env,
                         const std::string& input) {
  TempDir io;
  std::string in = io.path() + "/in", out = io.path() + "/out",
              err = io.path() + "/err";
  WriteFile(in, input);
  pid_t pid = Spawn(argv, env, in, out, err);
  int status = 0;
  waitpid(pid, &status, 0);
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = ReadFile(out);
  result.err = ReadFile(err);
  return result;
}

std::unique_ptr<Emulator> Emulator::Start(Options options) {
  std::unique_ptr<Emulator> e(new Emulator());
  e->data_path_ = e->dir_.path() + "/caspio.db";
  auto [id, secret] = e->CreateProfile();
  e->client_id_ = id;
  e->client_secret_ = secret;

  std::string out = e->dir_.path() + "/serve.out";
  std::string err = e->dir_.path() + "/serve.err";
  std::vector<std::string> argv = {
      EmulatorPath(),     "serve",
      "--data",           e->data_path_,
      "--port",           "0",
      "--token-lifetime", std::to_string(options.token_lifetime)};
  if (options.control) argv.push_back("--control");
  if (!options.tls_cert.empty()) {
    argv.insert(argv.end(),
                {"--tls-cert", options.tls_cert, "--tls-key", options.tls_key});
  }
  e->pid_ = Spawn(argv, {}, "/dev/null", out, err);
  // The first line on stdout is the base URL, once the port is bound.
  for (int i = 0; i < 500 && e->base_url_.empty(); ++i) {
    std::string text = ReadFile(out);
    auto nl = text.find('\n');
    if (nl != std::string::npos) {
      e->base_url_ = text.substr(0, nl);
    } else {
      usleep(10'000);
    }
  }
  if (e->base_url_.empty()) {
    throw std::runtime_error("the emulator did not start: " + ReadFile(err));
  }
  return e;
}

Emulator::~Emulator() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
}

CommandResult Emulator::Command(std::vector<std::string> args) const {
  std::vector<std::string> argv = {EmulatorPath()};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("--data");
  argv.push_back(data_path_);
  return RunCommand(argv);
}

void Emulator::Import(const std::string& table, const std::string& content,
                      const std::string& extension) const {
  std::string path = dir_.path() + "/" + table + "." + extension;
  WriteFile(path, content);
  auto r = Command({"import", "--table", table, path});
  if (r.exit_code != 0) {
    throw std::runtime_error("import failed: " + r.err);
  }
}

std::pair<std::string, std::string> Emulator::CreateProfile() const {
  auto r = Command({"profile", "create"});
  if (r.exit_code != 0) {
    throw std::runtime_error("profile create failed: " + r.err);
  }
  auto json = nlohmann::json::parse(r.out);
  return {json.at("ClientId").get<std::string>(),
          json.at("ClientSecret").get<std::string>()};
}

namespace {

// A client for the control interface. Over HTTPS it does not check the
// emulator's certificate: the tests that care check it themselves.
httplib::Client ControlClient(const std::string& base_url) {
  httplib::Client client(base_url);
  client.enable_server_certificate_verification(false);
  return client;
}

nlohmann::json ControlAnswer(const httplib::Result& res, const char* what) {
  if (!res) {
    throw std::runtime_error(std::string(what) + ": no answer (" +
                             httplib::to_string(res.error()) + ")");
  }
  if (res->status != 200 && res->status != 204) {
    throw std::runtime_error(std::string(what) + ": " +
                             std::to_string(res->status) + " " + res->body);
  }
  if (res->body.empty()) return nullptr;
  return nlohmann::json::parse(res->body);
}

}  // namespace

nlohmann::json Emulator::SetFaults(const nlohmann::json& plan) const {
  auto client = ControlClient(base_url_);
  return ControlAnswer(
      client.Put("/_emulator/faults", plan.dump(), "application/json"),
      "set faults");
}

nlohmann::json Emulator::FaultLog() const {
  auto client = ControlClient(base_url_);
  return ControlAnswer(client.Get("/_emulator/faults/log"), "fault log");
}

void Emulator::ResetFaultLog() const {
  auto client = ControlClient(base_url_);
  ControlAnswer(client.Delete("/_emulator/faults/log"), "reset fault log");
}

std::string FindProgram(const std::string& name) {
  std::stringstream path(std::getenv("PATH") ? std::getenv("PATH") : "");
  for (std::string dir; std::getline(path, dir, ':');) {
    std::string candidate = dir + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

Certificate MakeLoopbackCertificate(const std::string& dir) {
  std::string openssl = FindProgram("openssl");
  if (openssl.empty()) {
    throw std::runtime_error(
        "openssl is not installed "
        "(scripts/install-deps.sh)");
  }
  Certificate c{dir + "/cert.pem", dir + "/key.pem"};
  auto made = RunCommand({openssl, "req", "-x509", "-newkey", "rsa:2048",
                          "-nodes", "-keyout", c.key_path, "-out", c.cert_path,
                          "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
                          "subjectAltName=IP:127.0.0.1"});
  if (made.exit_code != 0) {
    throw std::runtime_error("openssl failed: " + made.err);
  }
  return c;
}

std::string EmulatorPath() { return CASPIO_EMULATOR_PATH; }
std::string CliPath() { return CASPIO_CLI_PATH; }

}  // namespace caspio::testing
