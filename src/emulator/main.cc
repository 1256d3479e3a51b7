// caspio-emulator: a local server that speaks Caspio's REST API on a SQLite
// file, and the commands that prepare that file.
#include <csignal>
#include <cstdio>
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>

#include "absl/strings/str_cat.h"
#include "emulator/http/server.h"
#include "emulator/store/store.h"
#include "import/schema.h"
#include "import/source.h"

namespace caspio::emulator {
namespace {

std::unique_ptr<Store> OpenOrExit(const std::string& path) {
  auto store = Store::Open(path);
  if (!store.ok()) {
    std::cerr << "caspio-emulator: " << store.status().message() << "\n";
    std::exit(1);
  }
  return std::move(*store);
}

// Stops the server on SIGINT/SIGTERM from a thread of its own, since
// stopping it is not safe inside a signal handler.
void StopOnSignal(Server& server) {
  static sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread([&server] {
    int signal = 0;
    sigwait(&signals, &signal);
    server.Stop();
  }).detach();
}

int Serve(const std::string& data, const std::string& host, int port,
          const ServerOptions& options) {
  auto store = OpenOrExit(data);
  auto server = Server::Create(*store, options);
  if (!server.ok()) {
    std::cerr << "caspio-emulator: " << server.status().message() << "\n";
    return 1;
  }
  StopOnSignal(**server);
  int bound = (*server)->Bind(host, port);
  if (bound <= 0) {
    std::cerr << "caspio-emulator: cannot listen on " << host << ":" << port
              << "\n";
    return 1;
  }
  std::string shown =
      host.find(':') != std::string::npos ? absl::StrCat("[", host, "]") : host;
  std::cout << (options.tls_cert.empty() ? "http://" : "https://") << shown
            << ":" << bound << std::endl;
  return (*server)->Listen() ? 0 : 1;
}

int CreateProfile(const std::string& data) {
  auto profile = OpenOrExit(data)->CreateProfile();
  if (!profile.ok()) {
    std::cerr << "caspio-emulator: " << profile.status().message() << "\n";
    return 1;
  }
  Json out = {{"ClientId", profile->client_id},
              {"ClientSecret", profile->client_secret}};
  std::cout << out.dump() << std::endl;
  return 0;
}

int DisableProfile(const std::string& data, const std::string& id) {
  auto status = OpenOrExit(data)->DisableProfile(id);
  if (!status.ok()) {
    std::cerr << "caspio-emulator: " << status.message() << "\n";
    return 1;
  }
  return 0;
}

Json ToJson(const import::Cell& cell) {
  return std::visit(
      [](const auto& v) -> Json {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>,
                                     std::monostate>) {
          return nullptr;
        } else {
          return v;
        }
      },
      cell);
}

int Import(const std::string& data, const std::string& table,
           const std::string& path) {
  auto raw = import::ReadDataFile(path);
  if (!raw.ok()) {
    std::cerr << "caspio-emulator: " << raw.status().message() << "\n";
    return 1;
  }
  auto fields = import::InferSchema(*raw);
  std::vector<Json> models;
  for (const auto& f : fields) {
    models.push_back({{"Name", f.name}, {"Type", import::TypeToken(f.type)}});
  }
  std::vector<std::vector<Json>> rows;
  rows.reserve(raw->rows.size());
  for (const auto& raw_row : raw->rows) {
    std::vector<Json> row;
    for (std::size_t c = 0; c < fields.size(); ++c) {
      row.push_back(ToJson(import::ConvertValue(raw_row[c], fields[c].type)));
    }
    rows.push_back(std::move(row));
  }
  auto imported = OpenOrExit(data)->ImportTable(table, models, rows);
  if (!imported.ok()) {
    std::cerr << "caspio-emulator: " << imported.error->message << "\n";
    return 1;
  }
  std::cout << "table " << table << ": " << *imported.value << " records\n";
  for (const auto& f : fields) {
    std::cout << "  " << f.name << " " << import::TypeToken(f.type);
    if (f.name != f.heading) std::cout << "  (from \"" << f.heading << "\")";
    std::cout << "\n";
  }
  return 0;
}

int Main(int argc, char** argv) {
  CLI::App app{"A local server that speaks Caspio's REST API on a SQLite file"};
  app.require_subcommand(1);
  std::string data, host = "127.0.0.1", table, path, id;
  int port = 0, lifetime = 86399;
  ServerOptions options;

  auto* serve = app.add_subcommand("serve", "Serve the REST API");
  serve->add_option("--data", data, "SQLite file")->required();
  serve->add_option("--host", host, "Address to listen on");
  serve->add_option("--port", port, "Port (0 picks a free one)");
  serve
      ->add_option("--token-lifetime", lifetime,
                   "Access token lifetime in seconds")
      ->check(CLI::PositiveNumber);
  serve->add_flag("--control", options.control,
                  "Serve /_emulator/faults to inject faults (tests only)");
  auto* cert = serve
                   ->add_option("--tls-cert", options.tls_cert,
                                "PEM certificate: serve HTTPS")
                   ->check(CLI::ExistingFile);
  auto* key = serve
                  ->add_option("--tls-key", options.tls_key,
                               "PEM private key of --tls-cert")
                  ->check(CLI::ExistingFile);
  cert->needs(key);
  key->needs(cert);

  auto* profile = app.add_subcommand("profile", "Manage API profiles");
  profile->require_subcommand(1);
  auto* create = profile->add_subcommand("create", "Create a profile");
  create->add_option("--data", data, "SQLite file")->required();
  auto* disable = profile->add_subcommand("disable", "Disable a profile");
  disable->add_option("--data", data, "SQLite file")->required();
  disable->add_option("ID", id, "Client ID")->required();

  auto* import = app.add_subcommand("import", "Import a CSV or JSON file");
  import->add_option("--data", data, "SQLite file")->required();
  import->add_option("--table", table, "Table to create")->required();
  import->add_option("PATH", path, "CSV, JSON array or JSON lines")->required();

  CLI11_PARSE(app, argc, argv);
  if (serve->parsed()) {
    options.token_lifetime = std::chrono::seconds(lifetime);
    return Serve(data, host, port, options);
  }
  if (create->parsed()) return CreateProfile(data);
  if (disable->parsed()) return DisableProfile(data, id);
  if (import->parsed()) return Import(data, table, path);
  return 2;
}

}  // namespace
}  // namespace caspio::emulator

int main(int argc, char** argv) {
  try {
    return caspio::emulator::Main(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "caspio-emulator: " << e.what() << "\n";
    return 1;
  }
}
