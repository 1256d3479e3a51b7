#include "cli/commands.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "caspio/error.h"
#include "cli/auth_store.h"
#include "cli/exit_codes.h"
#include "cli/secret_prompt.h"
#include "connector/catalog.h"
#include "connector/envelope.h"

#ifndef CASPIO_VERSION
#error "CASPIO_VERSION must be defined by the build"
#endif

namespace caspio::cli {
namespace {

using Json = nlohmann::ordered_json;

struct Options {
  std::string operation;
  std::string input = "{}";
  std::string auth;
  bool pretty = false;
  std::string name;
  std::string subdomain;
  std::string integration_url;
  std::string client_id;
};

std::string Text(const absl::Status& status) {
  return std::string(status.message());
}

std::string Dump(const Json& json, bool pretty) {
  return json.dump(pretty ? 2 : -1, ' ', false, Json::error_handler_t::replace);
}

// Prints the envelope on stdout and returns the exit code it implies.
int Emit(Io& io, const Json& envelope, bool pretty) {
  io.out << Dump(envelope, pretty) << "\n";
  if (envelope.at("outcome") == "success") return kExitSuccess;
  return ExitCodeForClass(envelope.at("error").at("class").get<std::string>());
}

int EmitError(Io& io, const absl::Status& status, bool pretty) {
  return Emit(io, connector::ErrorEnvelope(status), pretty);
}

// --input is JSON text, @FILE, or - for standard input.
absl::StatusOr<std::string> ReadInputText(const std::string& spec,
                                          std::istream& in) {
  std::stringstream text;
  if (spec == "-") {
    text << in.rdbuf();
    return text.str();
  }
  if (absl::StartsWith(spec, "@")) {
    std::ifstream file(spec.substr(1));
    if (!file) {
      return connector::InputError(
          "", "cannot read the input file " + spec.substr(1));
    }
    text << file.rdbuf();
    return text.str();
  }
  return spec;
}

absl::StatusOr<Json> ParseInput(const std::string& text) {
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    return connector::InputError(
        "", "is not valid JSON (at byte " + std::to_string(e.byte) + ")");
  }
}

absl::Status NoCredentials(const absl::Status& why) {
  caspio::ErrorInfo info;
  info.error_class = caspio::ErrorClass::kAuth;
  info.code = "NoCredentials";
  info.message =
      "no credentials: pass --auth NAME (see `caspio auth list`) "
      "or set CASPIO_SUBDOMAIN (or CASPIO_INTEGRATION_URL), "
      "CASPIO_CLIENT_ID and CASPIO_CLIENT_SECRET (" +
      Text(why) + ")";
  return caspio::MakeError(std::move(info));
}

// ---- caspio ops ----------------------------------------------------------

int ListOperations(Io& io) {
  std::size_t width = 0;
  for (const auto& op : connector::Operations()) {
    width = std::max(width, op.name.size());
  }
  for (const auto& op : connector::Operations()) {
    io.out << op.name << std::string(width + 2 - op.name.size(), ' ')
           << op.title << "\n";
  }
  return kExitSuccess;
}

int DescribeOperation(Io& io, const Options& options) {
  const connector::Operation* op = connector::FindOperation(options.operation);
  if (op == nullptr) {
    io.err << "caspio: unknown operation \"" << options.operation
           << "\"; `caspio ops list` shows the operations\n";
    return kExitUsage;
  }
  Json description;
  description["name"] = op->name;
  description["title"] = op->title;
  description["description"] = op->description;
  description["input_schema"] = op->input_schema;
  description["output_schema"] = op->output_schema;
  io.out << Dump(description, /*pretty=*/true) << "\n";
  return kExitSuccess;
}

// ---- caspio run ----------------------------------------------------------

// Reports a failure from the client library on stderr; the exit code
// follows its error class.
int Fail(Io& io, const absl::Status& status) {
  io.err << "caspio: " << Text(status) << "\n";
  const caspio::ErrorInfo info = caspio::GetErrorInfo(status);
  return ExitCodeForClass(caspio::ErrorClassName(info.error_class));
}

// Reports a problem of the authentication store or its input on stderr.
int FailStore(Io& io, const absl::Status& status) {
  io.err << "caspio: " << Text(status) << "\n";
  if (absl::IsNotFound(status)) return kExitNotFound;
  if (absl::IsInvalidArgument(status)) return kExitUserInput;
  return kExitUnexpected;
}

// The credentials of --auth NAME, or of the environment without it.
absl::StatusOr<caspio::Credentials> ResolveCredentials(const Options& options) {
  if (options.auth.empty()) {
    absl::StatusOr<caspio::Credentials> env =
        caspio::CredentialsFromEnvironment();
    if (!env.ok()) return NoCredentials(env.status());
    return env;
  }
  absl::StatusOr<AuthStore> store = AuthStore::AtDefaultLocation();
  if (!store.ok()) return store.status();
  absl::StatusOr<Authentication> auth = store->Get(options.auth);
  if (!auth.ok()) return auth.status();
  return auth->ToCredentials();
}

int RunOperation(Io& io, const Options& options) {
  if (connector::FindOperation(options.operation) == nullptr) {
    io.err << "caspio: unknown operation \"" << options.operation
           << "\"; `caspio ops list` shows the operations\n";
    return kExitUsage;
  }

  // The input is checked before credentials are looked at, so a bad input
  // is reported the same way with or without an account.
  absl::StatusOr<std::string> text = ReadInputText(options.input, io.in);
  if (!text.ok()) return EmitError(io, text.status(), options.pretty);
  absl::StatusOr<Json> input = ParseInput(*text);
  if (!input.ok()) return EmitError(io, input.status(), options.pretty);
  absl::Status valid = connector::ValidateInput(options.operation, *input);
  if (!valid.ok()) return EmitError(io, valid, options.pretty);

  absl::StatusOr<caspio::Credentials> credentials = ResolveCredentials(options);
  if (!credentials.ok() && options.auth.empty()) {
    return EmitError(io, credentials.status(), options.pretty);
  }
  if (!credentials.ok()) {
    // A wrong --auth name is a command-line mistake, not a Caspio answer.
    const int code = FailStore(io, credentials.status());
    return code == kExitNotFound ? kExitUsage : code;
  }
  absl::StatusOr<caspio::Client> client =
      io.make_client(*std::move(credentials));
  if (!client.ok()) return EmitError(io, client.status(), options.pretty);

  return Emit(io, connector::Run(*client, options.operation, *input),
              options.pretty);
}

// ---- caspio auth ---------------------------------------------------------

absl::StatusOr<AuthStore> OpenStore() { return AuthStore::AtDefaultLocation(); }

int AddAuthentication(Io& io, const Options& options) {
  if (options.subdomain.empty() == options.integration_url.empty()) {
    io.err << "caspio: give --subdomain (e.g. b3poa for b3poa.caspio.com) "
              "or --integration-url, not both\n";
    return kExitUsage;
  }
  if (absl::Status name = CheckAuthenticationName(options.name); !name.ok()) {
    return FailStore(io, name);
  }

  Authentication auth;
  auth.name = options.name;
  if (!options.subdomain.empty()) {
    absl::StatusOr<std::string> subdomain =
        caspio::NormalizeSubdomain(options.subdomain);
    if (!subdomain.ok()) return FailStore(io, subdomain.status());
    auth.subdomain = *std::move(subdomain);
  } else {
    absl::StatusOr<std::string> url =
        caspio::NormalizeIntegrationUrl(options.integration_url);
    if (!url.ok()) return FailStore(io, url.status());
    auth.integration_url = *std::move(url);
  }
  auth.client_id = std::string(absl::StripAsciiWhitespace(options.client_id));
  if (auth.client_id.empty()) {
    io.err << "caspio: --client-id is empty\n";
    return kExitUserInput;
  }

  absl::StatusOr<std::string> secret = io.read_secret("Client Secret: ");
  if (!secret.ok()) {
    io.err << "caspio: " << Text(secret.status()) << "\n";
    return absl::IsInvalidArgument(secret.status()) ? kExitUserInput
                                                    : kExitUsage;
  }
  auth.client_secret = *std::move(secret);

  absl::StatusOr<AuthStore> store = OpenStore();
  if (!store.ok()) return FailStore(io, store.status());
  if (absl::Status saved = store->Put(auth); !saved.ok()) {
    return FailStore(io, saved);
  }
  io.err << "caspio: saved authentication " << auth.name << " ("
         << auth.Location() << ") in " << store->file().string()
         << "; check it with `caspio auth test " << auth.name << "`\n";
  return kExitSuccess;
}

int ListAuthentications(Io& io) {
  absl::StatusOr<AuthStore> store = OpenStore();
  if (!store.ok()) return FailStore(io, store.status());
  absl::StatusOr<std::vector<Authentication>> all = store->List();
  if (!all.ok()) return FailStore(io, all.status());
  if (all->empty()) {
    io.err << "caspio: no authentications yet; add one with `caspio auth "
              "add NAME --subdomain S --client-id ID`\n";
    return kExitSuccess;
  }

  std::size_t name_width = 4, where_width = 5;
  for (const Authentication& auth : *all) {
    name_width = std::max(name_width, auth.name.size());
    where_width = std::max(where_width, auth.Location().size());
  }
  auto row = [&](const std::string& name, const std::string& where,
                 const std::string& client_id) {
    io.out << name << std::string(name_width + 2 - name.size(), ' ') << where
           << std::string(where_width + 2 - where.size(), ' ') << client_id
           << "\n";
  };
  row("NAME", "WHERE", "CLIENT ID");
  for (const Authentication& auth : *all) {
    row(auth.name, auth.Location(), auth.client_id);
  }
  return kExitSuccess;
}

// What went wrong while testing an authentication, in a user's words.
std::string ExplainConnectionProblem(const caspio::ErrorInfo& info,
                                     const std::string& url,
                                     bool token_obtained) {
  // ProfileDisabled is Caspio's documented code; a token endpoint answering
  // invalid_client may say it only in its message.
  const std::string message = absl::AsciiStrToLower(info.message);
  if (info.code == "ProfileDisabled" ||
      absl::StrContains(message, "profile is disabled")) {
    return "the Web Services profile is disabled; enable it in Caspio, "
           "in the profile's settings";
  }
  switch (info.error_class) {
    case caspio::ErrorClass::kTransport:
      if (absl::StrContains(message, "resolve")) {
        return "unknown host in " + url +
               ": check the subdomain (the one of the profile's "
               "Integration URL)";
      }
      return "cannot connect to " + url +
             " (no network, a firewall, or nothing listening there)";
    case caspio::ErrorClass::kAuth:
      return "Caspio refused the Client ID and Client Secret; copy both "
             "again from the Web Services profile";
    case caspio::ErrorClass::kNotFound:
      return "nothing at " + url +
             " answers as Caspio's REST API: wrong subdomain or URL (use "
             "the host of the profile's Integration URL, not a vanity name)";
    case caspio::ErrorClass::kPermission:
      return token_obtained
                 ? "the credentials work, but the profile may not list "
                   "tables (its permissions exclude them)"
                 : "Caspio refused access from here (profile IP rules or "
                   "an unsecured connection)";
    case caspio::ErrorClass::kRateLimited:
      return "Caspio is rate limiting this account; try again later";
    case caspio::ErrorClass::kServer:
      return "Caspio failed (HTTP " + std::to_string(info.http_status) +
             "); try again later";
    case caspio::ErrorClass::kUserInput:
    case caspio::ErrorClass::kConflict:
      break;
  }
  return "Caspio refused the request";
}

int ReportConnectionProblem(Io& io, const std::string& name,
                            const std::string& url, const absl::Status& status,
                            bool token_obtained) {
  const caspio::ErrorInfo info = caspio::GetErrorInfo(status);
  io.err << "caspio: authentication " << name << " does not work: "
         << ExplainConnectionProblem(info, url, token_obtained) << "\n";
  io.err << "  details: " << caspio::ErrorClassName(info.error_class);
  if (info.http_status != 0) io.err << ", HTTP " << info.http_status;
  if (!info.code.empty()) io.err << ", " << info.code;
  if (!info.message.empty()) io.err << ": " << info.message;
  if (!info.request_id.empty())
    io.err << " (request " << info.request_id << ")";
  io.err << "\n";
  return ExitCodeForClass(caspio::ErrorClassName(info.error_class));
}

int TestAuthentication(Io& io, const Options& options) {
  absl::StatusOr<AuthStore> store = OpenStore();
  if (!store.ok()) return FailStore(io, store.status());
  absl::StatusOr<Authentication> auth = store->Get(options.name);
  if (!auth.ok()) return FailStore(io, auth.status());
  absl::StatusOr<caspio::Credentials> credentials = auth->ToCredentials();
  if (!credentials.ok()) return FailStore(io, credentials.status());
  const std::string url = credentials->integration_url;

  absl::StatusOr<caspio::Client> client =
      io.make_client(*std::move(credentials));
  if (!client.ok()) return Fail(io, client.status());

  // A fresh token proves the credentials now, not a cached token's past.
  if (absl::Status token = client->RefreshToken(); !token.ok()) {
    return ReportConnectionProblem(io, auth->name, url, token, false);
  }
  absl::StatusOr<std::vector<std::string>> tables = client->ListTables();
  if (!tables.ok()) {
    return ReportConnectionProblem(io, auth->name, url, tables.status(), true);
  }
  io.out << "ok: " << auth->name << " works with " << url << "; the profile "
         << "sees " << tables->size() << " tables\n";
  return kExitSuccess;
}

int RemoveAuthentication(Io& io, const Options& options) {
  absl::StatusOr<AuthStore> store = OpenStore();
  if (!store.ok()) return FailStore(io, store.status());
  if (absl::Status removed = store->Remove(options.name); !removed.ok()) {
    return FailStore(io, removed);
  }
  io.err << "caspio: removed authentication " << options.name << "\n";
  return kExitSuccess;
}

// ---- the command line ----------------------------------------------------

struct Commands {
  CLI::App* ops_list = nullptr;
  CLI::App* ops_describe = nullptr;
  CLI::App* run = nullptr;
  CLI::App* auth_add = nullptr;
  CLI::App* auth_list = nullptr;
  CLI::App* auth_test = nullptr;
  CLI::App* auth_remove = nullptr;
};

Commands DefineCommands(CLI::App& app, Options& options) {
  Commands commands;
  app.set_version_flag("--version", CASPIO_VERSION);
  app.require_subcommand(1);
  app.footer(std::string(ExitCodesHelp()));

  CLI::App* ops = app.add_subcommand("ops", "Browse the operation catalog");
  ops->require_subcommand(1);
  commands.ops_list = ops->add_subcommand("list", "Name and title of each");
  commands.ops_describe =
      ops->add_subcommand("describe", "Input and output schemas of one");
  commands.ops_describe->add_option("OP", options.operation)->required();

  commands.run = app.add_subcommand(
      "run", "Run an operation; prints {\"outcome\": ...} on stdout");
  commands.run->add_option("OP", options.operation, "Operation name")
      ->required();
  commands.run->add_option("--input", options.input,
                           "Input JSON: the text, @FILE, or - for stdin "
                           "(default {})");
  commands.run->add_option("--auth", options.auth,
                           "Saved authentication (default: CASPIO_* "
                           "environment variables)");
  commands.run->add_flag("--pretty", options.pretty, "Indent the output");

  CLI::App* auth = app.add_subcommand(
      "auth", "Manage saved authentications (Web Services profiles)");
  auth->require_subcommand(1);
  commands.auth_add = auth->add_subcommand(
      "add",
      "Save an authentication; the Client Secret is read from a "
      "prompt (or stdin), never from the command line");
  commands.auth_add->add_option("NAME", options.name)->required();
  auto* subdomain = commands.auth_add->add_option(
      "--subdomain", options.subdomain,
      "Account subdomain: b3poa, b3poa.caspio.com or "
      "https://b3poa.caspio.com/");
  auto* url = commands.auth_add->add_option(
      "--integration-url", options.integration_url,
      "Full integration URL instead (e.g. the local emulator)");
  subdomain->excludes(url);
  commands.auth_add
      ->add_option("--client-id", options.client_id, "The profile's Client ID")
      ->required();
  commands.auth_list =
      auth->add_subcommand("list", "Saved authentications (no secrets)");
  commands.auth_test = auth->add_subcommand(
      "test", "Get a fresh token and list tables, explaining any failure");
  commands.auth_test->add_option("NAME", options.name)->required();
  commands.auth_remove =
      auth->add_subcommand("remove", "Forget a saved authentication");
  commands.auth_remove->add_option("NAME", options.name)->required();
  return commands;
}

int Dispatch(const Commands& commands, const Options& options, Io& io) {
  if (commands.ops_list->parsed()) return ListOperations(io);
  if (commands.ops_describe->parsed()) return DescribeOperation(io, options);
  if (commands.run->parsed()) return RunOperation(io, options);
  if (commands.auth_add->parsed()) return AddAuthentication(io, options);
  if (commands.auth_list->parsed()) return ListAuthentications(io);
  if (commands.auth_test->parsed()) return TestAuthentication(io, options);
  if (commands.auth_remove->parsed()) return RemoveAuthentication(io, options);
  return kExitUsage;
}

}  // namespace

Io StandardIo() {
  return Io{
      .in = std::cin,
      .out = std::cout,
      .err = std::cerr,
      .read_secret =
          [](std::string_view prompt) { return ReadSecret(prompt, std::cin); },
      .make_client =
          [](caspio::Credentials credentials) {
            return caspio::Client::Create(std::move(credentials));
          },
  };
}

int RunCommandLine(int argc, const char* const* argv, Io& io) {
  CLI::App app(
      "Caspio connector: run operations with JSON in and out, and "
      "manage authentications.",
      "caspio");
  Options options;
  const Commands commands = DefineCommands(app, options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, io.out, io.err);
    return code == 0 ? kExitSuccess : kExitUsage;
  }
  return Dispatch(commands, options, io);
}

}  // namespace caspio::cli
