#include "cli/commands.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "caspio/error.h"
#include "cli/auth_store.h"
#include "cli/billing.h"
#include "cli/call_meter.h"
#include "cli/exit_codes.h"
#include "cli/secret_prompt.h"
#include "cli/usage_report.h"
#include "cli/usage_store.h"
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
  bool stats = false;
  // Billing flags of `auth add` and `auth set`; these values mean "not
  // given".
  int billing_day = 0;
  std::string time_zone;
  std::int64_t quota = -1;
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

// Whom a command talks to: credentials, and how their calls are billed.
struct Profile {
  caspio::Credentials credentials;
  MeteredProfile metered;
};

Profile ProfileOf(caspio::Credentials credentials, std::string label,
                  BillingSettings billing) {
  Profile profile;
  profile.metered = {.label = std::move(label),
                     .id = {.integration_url = credentials.integration_url,
                            .client_id = credentials.client_id},
                     .billing = std::move(billing)};
  profile.credentials = std::move(credentials);
  return profile;
}

absl::StatusOr<Profile> ProfileOf(const Authentication& auth) {
  absl::StatusOr<caspio::Credentials> credentials = auth.ToCredentials();
  if (!credentials.ok()) return credentials.status();
  return ProfileOf(*std::move(credentials), "authentication " + auth.name,
                   auth.billing);
}

// CASPIO_BILLING_DAY, CASPIO_TIME_ZONE and CASPIO_QUOTA, each optional.
absl::StatusOr<BillingSettings> BillingFromEnvironment() {
  BillingSettings billing;
  auto number = [](const char* name, auto& value) -> absl::Status {
    const char* text = std::getenv(name);
    if (text == nullptr || *text == '\0') return absl::OkStatus();
    if (!absl::SimpleAtoi(text, &value)) {
      return absl::InvalidArgumentError(std::string(name) +
                                        " is not a whole number");
    }
    return absl::OkStatus();
  };
  if (absl::Status day = number("CASPIO_BILLING_DAY", billing.start_day);
      !day.ok()) {
    return day;
  }
  if (absl::Status quota = number("CASPIO_QUOTA", billing.quota); !quota.ok()) {
    return quota;
  }
  if (const char* zone = std::getenv("CASPIO_TIME_ZONE"); zone && *zone) {
    billing.time_zone = zone;
  }
  if (absl::Status valid = CheckBillingSettings(billing); !valid.ok()) {
    return absl::InvalidArgumentError(
        "CASPIO_BILLING_DAY, CASPIO_TIME_ZONE or CASPIO_QUOTA: " + Text(valid));
  }
  return billing;
}

// The profile of --auth NAME, or of the environment without it.
absl::StatusOr<Profile> ResolveProfile(const Options& options) {
  if (options.auth.empty()) {
    absl::StatusOr<caspio::Credentials> env =
        caspio::CredentialsFromEnvironment();
    if (!env.ok()) return NoCredentials(env.status());
    absl::StatusOr<BillingSettings> billing = BillingFromEnvironment();
    if (!billing.ok()) return billing.status();
    return ProfileOf(*std::move(env), "the CASPIO_* credentials",
                     *std::move(billing));
  }
  absl::StatusOr<AuthStore> store = AuthStore::AtDefaultLocation();
  if (!store.ok()) return store.status();
  absl::StatusOr<Authentication> auth = store->Get(options.auth);
  if (!auth.ok()) return auth.status();
  return ProfileOf(*auth);
}

// The client of `credentials`, telling `meter` about every exchange and
// sharing access tokens with the command's other runs.
absl::StatusOr<caspio::Client> MakeClient(Io& io,
                                          caspio::Credentials credentials,
                                          std::shared_ptr<CallMeter> meter) {
  caspio::ClientOptions options;
  options.observer = std::move(meter);
  options.token_cache_dir = TokenCacheDirectory();
  return io.make_client(std::move(credentials), std::move(options));
}

// Adds the calls `meter` saw to the profile's count (warning near the
// quota), then prints --stats.
void FinishMetering(Io& io, const Options& options, const Profile& profile,
                    const CallMeter& meter) {
  absl::StatusOr<UsageStore> store = UsageStore::AtDefaultLocation();
  if (store.ok()) {
    RecordCalls(*store, profile.metered, meter.AnsweredExchanges(), absl::Now(),
                io.err);
  } else {
    io.err << "caspio: warning: the call count was not updated: "
           << Text(store.status()) << "\n";
  }
  if (options.stats) io.err << Dump(meter.Summary(), false) << "\n";
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

  absl::StatusOr<Profile> profile = ResolveProfile(options);
  if (!profile.ok() && options.auth.empty()) {
    return EmitError(io, profile.status(), options.pretty);
  }
  if (!profile.ok()) {
    // A wrong --auth name is a command-line mistake, not a Caspio answer.
    const int code = FailStore(io, profile.status());
    return code == kExitNotFound ? kExitUsage : code;
  }
  auto meter = std::make_shared<CallMeter>();
  absl::StatusOr<caspio::Client> client =
      MakeClient(io, profile->credentials, meter);
  if (!client.ok()) return EmitError(io, client.status(), options.pretty);

  const int code = Emit(io, connector::Run(*client, options.operation, *input),
                        options.pretty);
  FinishMetering(io, options, *profile, *meter);
  return code;
}

// ---- caspio auth ---------------------------------------------------------

absl::StatusOr<AuthStore> OpenStore() { return AuthStore::AtDefaultLocation(); }

// Copies the billing flags that were given.
void ApplyBillingFlags(const Options& options, BillingSettings& billing) {
  if (options.billing_day != 0) billing.start_day = options.billing_day;
  if (!options.time_zone.empty()) billing.time_zone = options.time_zone;
  if (options.quota >= 0) billing.quota = options.quota;
}

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
  ApplyBillingFlags(options, auth.billing);

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

int TestClient(Io& io, caspio::Client& client, const std::string& name,
               const std::string& url) {
  // A fresh token proves the credentials now, not a cached token's past
  // (RefreshToken bypasses the shared token cache, and renews it).
  if (absl::Status token = client.RefreshToken(); !token.ok()) {
    return ReportConnectionProblem(io, name, url, token, false);
  }
  absl::StatusOr<std::vector<std::string>> tables = client.ListTables();
  if (!tables.ok()) {
    return ReportConnectionProblem(io, name, url, tables.status(), true);
  }
  io.out << "ok: " << name << " works with " << url << "; the profile "
         << "sees " << tables->size() << " tables\n";
  return kExitSuccess;
}

int TestAuthentication(Io& io, const Options& options) {
  absl::StatusOr<AuthStore> store = OpenStore();
  if (!store.ok()) return FailStore(io, store.status());
  absl::StatusOr<Authentication> auth = store->Get(options.name);
  if (!auth.ok()) return FailStore(io, auth.status());
  absl::StatusOr<Profile> profile = ProfileOf(*auth);
  if (!profile.ok()) return FailStore(io, profile.status());
  const std::string url = profile->credentials.integration_url;

  auto meter = std::make_shared<CallMeter>();
  absl::StatusOr<caspio::Client> client =
      MakeClient(io, profile->credentials, meter);
  if (!client.ok()) return Fail(io, client.status());
  const int code = TestClient(io, *client, auth->name, url);
  FinishMetering(io, options, *profile, *meter);
  return code;
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

int SetAuthentication(Io& io, const Options& options) {
  absl::StatusOr<AuthStore> store = OpenStore();
  if (!store.ok()) return FailStore(io, store.status());
  absl::StatusOr<Authentication> auth = store->Get(options.name);
  if (!auth.ok()) return FailStore(io, auth.status());

  ApplyBillingFlags(options, auth->billing);
  if (absl::Status saved = store->Put(*auth); !saved.ok()) {
    return FailStore(io, saved);
  }
  const BillingSettings& billing = auth->billing;
  io.err << "caspio: authentication " << auth->name
         << ": billing periods start on day " << billing.start_day << " in "
         << billing.time_zone << "; quota "
         << (billing.quota > 0 ? std::to_string(billing.quota) : "none")
         << "\n";
  return kExitSuccess;
}

// ---- caspio usage --------------------------------------------------------

// --auth NAME; else the CASPIO_* credentials; else every authentication.
absl::StatusOr<std::vector<MeteredProfile>> ProfilesToReport(
    const Options& options) {
  const bool from_environment =
      options.auth.empty() && caspio::CredentialsFromEnvironment().ok();
  if (!options.auth.empty() || from_environment) {
    absl::StatusOr<Profile> profile = ResolveProfile(options);
    if (!profile.ok()) return profile.status();
    return std::vector<MeteredProfile>{profile->metered};
  }
  absl::StatusOr<AuthStore> store = OpenStore();
  if (!store.ok()) return store.status();
  absl::StatusOr<std::vector<Authentication>> all = store->List();
  if (!all.ok()) return all.status();
  std::vector<MeteredProfile> profiles;
  for (const Authentication& auth : *all) {
    absl::StatusOr<Profile> profile = ProfileOf(auth);
    if (profile.ok()) profiles.push_back(profile->metered);
  }
  return profiles;
}

int ShowUsage(Io& io, const Options& options) {
  absl::StatusOr<std::vector<MeteredProfile>> profiles =
      ProfilesToReport(options);
  if (!profiles.ok()) return FailStore(io, profiles.status());
  if (profiles->empty()) {
    io.err << "caspio: no authentications yet; nothing was counted\n";
    return kExitSuccess;
  }
  absl::StatusOr<UsageStore> store = UsageStore::AtDefaultLocation();
  if (!store.ok()) return FailStore(io, store.status());

  const absl::Time now = absl::Now();
  for (const MeteredProfile& profile : *profiles) {
    if (absl::Status shown = ReportUsage(*store, profile, now, io.out);
        !shown.ok()) {
      return FailStore(io, shown);
    }
  }
  io.out << kUsageCaveat << "\n";
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
  CLI::App* auth_set = nullptr;
  CLI::App* auth_remove = nullptr;
  CLI::App* usage = nullptr;
};

void AddBillingOptions(CLI::App* command, Options& options) {
  command
      ->add_option("--billing-day", options.billing_day,
                   "Day of the month the account's billing period starts "
                   "(1-31; past a month's end: its last day). Default 1")
      ->check(CLI::Range(1, 31));
  command->add_option("--time-zone", options.time_zone,
                      "The account's time zone, in which periods start at "
                      "midnight (IANA name, e.g. America/Los_Angeles). "
                      "Default UTC");
  command
      ->add_option("--quota", options.quota,
                   "Calls per billing period in the account's plan; warn "
                   "at 80% and 100% of it (0: no quota)")
      ->check(CLI::NonNegativeNumber);
}

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
  commands.run->add_flag("--stats", options.stats,
                         "After the output, print on stderr a JSON summary "
                         "of the HTTP calls made, by operation and table");

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
  AddBillingOptions(commands.auth_add, options);
  commands.auth_list =
      auth->add_subcommand("list", "Saved authentications (no secrets)");
  commands.auth_test = auth->add_subcommand(
      "test", "Get a fresh token and list tables, explaining any failure");
  commands.auth_test->add_option("NAME", options.name)->required();
  commands.auth_set = auth->add_subcommand(
      "set", "Change the billing period and quota of an authentication");
  commands.auth_set->add_option("NAME", options.name)->required();
  AddBillingOptions(commands.auth_set, options);
  commands.auth_remove =
      auth->add_subcommand("remove", "Forget a saved authentication");
  commands.auth_remove->add_option("NAME", options.name)->required();

  commands.usage = app.add_subcommand(
      "usage", "Calls made from this machine in the billing period");
  commands.usage->footer(
      "Counts the calls the caspio command made from this machine, per "
      "profile, in the current billing period (see `caspio auth set "
      "--help`), against the quota. Caspio's own meter also counts other "
      "machines, webhooks and integrations. Without --auth: the CASPIO_* "
      "credentials (with CASPIO_BILLING_DAY, CASPIO_TIME_ZONE and "
      "CASPIO_QUOTA in the part of the billing flags), or else every saved "
      "authentication. The counts are kept in $XDG_STATE_HOME/caspio/"
      "usage.json (default ~/.local/state/caspio/); access tokens are "
      "shared between runs in $XDG_CACHE_HOME/caspio/tokens (default "
      "~/.cache/caspio/tokens).\n\n" +
      std::string(ExitCodesHelp()));
  commands.usage->add_option("--auth", options.auth, "Saved authentication");
  return commands;
}

int Dispatch(const Commands& commands, const Options& options, Io& io) {
  if (commands.ops_list->parsed()) return ListOperations(io);
  if (commands.ops_describe->parsed()) return DescribeOperation(io, options);
  if (commands.run->parsed()) return RunOperation(io, options);
  if (commands.auth_add->parsed()) return AddAuthentication(io, options);
  if (commands.auth_list->parsed()) return ListAuthentications(io);
  if (commands.auth_test->parsed()) return TestAuthentication(io, options);
  if (commands.auth_set->parsed()) return SetAuthentication(io, options);
  if (commands.usage->parsed()) return ShowUsage(io, options);
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
          [](caspio::Credentials credentials, caspio::ClientOptions options) {
            return caspio::Client::Create(std::move(credentials),
                                          std::move(options));
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
