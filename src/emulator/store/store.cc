#include "emulator/store/store.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <ctime>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "emulator/store/sqlite.h"
#include "import/names.h"
#include "import/schema.h"

namespace caspio::emulator {
namespace {

using query::ValueKind;

constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS caspio_profiles (
  client_id TEXT PRIMARY KEY,
  secret_sha256 TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS caspio_tokens (
  token_sha256 TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  client_id TEXT NOT NULL,
  expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS caspio_tables (
  name TEXT PRIMARY KEY COLLATE NOCASE,
  sql_name TEXT NOT NULL UNIQUE,
  note TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS caspio_fields (
  table_name TEXT NOT NULL COLLATE NOCASE,
  name TEXT NOT NULL COLLATE NOCASE,
  position INTEGER NOT NULL,
  type TEXT NOT NULL,
  definition TEXT NOT NULL,
  PRIMARY KEY (table_name, name));
)sql";

// Refresh tokens last a year (Caspio: one year, 60 days if unused).
constexpr std::int64_t kRefreshLifetimeSeconds = 365LL * 24 * 3600;

struct TypeRule {
  std::string_view token;
  ValueKind kind;
  std::string_view sql_type;
  bool writable;
};

// The field types the emulator stores. TODO(#2): LIST-*, RANDOM ID,
// PREFIXED AUTONUMBER and ATTACHMENT fields.
constexpr std::array<TypeRule, 12> kTypes = {{
    {"STRING", ValueKind::kText, "TEXT", true},
    {"TEXT", ValueKind::kText, "TEXT", true},
    {"NUMBER", ValueKind::kNumber, "REAL", true},
    {"CURRENCY", ValueKind::kNumber, "REAL", true},
    {"INTEGER", ValueKind::kInteger, "INTEGER", true},
    {"DATE/TIME", ValueKind::kDateTime, "TEXT", true},
    {"YES/NO", ValueKind::kYesNo, "INTEGER", true},
    {"AUTONUMBER", ValueKind::kInteger, "INTEGER", false},
    {"GUID", ValueKind::kText, "TEXT", false},
    {"TIMESTAMP", ValueKind::kDateTime, "TEXT", false},
    {"PASSWORD", ValueKind::kText, "TEXT", true},
    {"FILE", ValueKind::kText, "TEXT", true},
}};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return absl::EqualsIgnoreCase(absl::string_view(a.data(), a.size()),
                                absl::string_view(b.data(), b.size()));
}

const TypeRule* FindType(std::string_view token) {
  for (const auto& rule : kTypes) {
    if (EqualsIgnoreCase(rule.token, token)) return &rule;
  }
  return nullptr;
}

ApiError BadRequest(std::string code, std::string message) {
  return {400, std::move(code), std::move(message)};
}

template <typename T>
Outcome<T> Fail(ApiError error) {
  Outcome<T> out;
  out.error = std::move(error);
  return out;
}

template <typename T>
Outcome<T> Ok(T value) {
  Outcome<T> out;
  out.value = std::move(value);
  return out;
}

ApiError Internal(const absl::Status& status) {
  return {500, "InternalError", std::string(status.message())};
}

ApiError TableNotFound(const std::string& name) {
  return {404, "ObjectNotFound",
          absl::StrCat("Cannot perform operation because the object '", name,
                       "' does not exist.")};
}

std::int64_t NowSeconds() {
  return static_cast<std::int64_t>(std::time(nullptr));
}

// Local wall-clock time as Caspio returns it: naive ISO 8601.
std::string NowIso() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char out[20];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%S", &tm);
  return out;
}

std::string RandomHex(std::size_t bytes) {
  std::vector<unsigned char> buffer(bytes);
  RAND_bytes(buffer.data(), static_cast<int>(bytes));
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : buffer) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

// An opaque access token in the RFC 6750 b64token alphabet.
std::string RandomToken(std::size_t length) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::vector<unsigned char> buffer(length);
  RAND_bytes(buffer.data(), static_cast<int>(length));
  std::string out;
  for (unsigned char b : buffer) out += kAlphabet[b & 63];
  return out;
}

std::string RandomGuid() {
  std::string h = RandomHex(16);
  return absl::StrCat(h.substr(0, 8), "-", h.substr(8, 4), "-4",
                      h.substr(13, 3), "-a", h.substr(17, 3), "-",
                      h.substr(20, 12));
}

// Secrets and tokens are stored only as SHA-256 digests.
std::string Sha256Hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

const FieldInfo* FindField(const TableInfo& table, std::string_view name) {
  for (const auto& f : table.fields) {
    if (EqualsIgnoreCase(f.name, name)) return &f;
  }
  return nullptr;
}

// DATE/TIME input: ISO date or date-time; like Caspio, a trailing "Z" and
// fractions of a second are dropped.
std::optional<std::string> ParseDateTimeInput(std::string text) {
  if (!text.empty() && (text.back() == 'Z' || text.back() == 'z')) {
    text.pop_back();
  }
  if (text.size() > 19 && text[19] == '.') text.resize(19);
  if (text.size() > 10 && text[10] == ' ') text[10] = 'T';
  return import::NormalizeIsoDateTime(text);
}

std::optional<double> ParseNumberText(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

// Converts a JSON value from a request body to what the field stores.
// nullopt when the value does not match the field's type.
std::optional<query::Param> ToStored(const FieldInfo& field, const Json& v) {
  if (v.is_null()) return query::Param{};
  const TypeRule* rule = FindType(field.type);
  switch (rule->kind) {
    case ValueKind::kText: {
      std::string text;
      if (v.is_string()) {
        text = v.get<std::string>();
      } else if (v.is_number()) {
        text = v.dump();
      } else {
        return std::nullopt;
      }
      std::size_t limit = field.type == "STRING" ? 255 : 64000;
      if (field.type != "PASSWORD" && text.size() > limit) return std::nullopt;
      return query::Param{std::move(text)};
    }
    case ValueKind::kInteger: {
      if (v.is_number_integer()) {
        std::int64_t i = v.get<std::int64_t>();
        if (i < INT32_MIN || i > INT32_MAX) return std::nullopt;
        return query::Param{i};
      }
      return std::nullopt;
    }
    case ValueKind::kNumber: {
      if (v.is_number_integer()) return query::Param{v.get<std::int64_t>()};
      if (v.is_number()) return query::Param{v.get<double>()};
      if (v.is_string()) {
        auto d = ParseNumberText(v.get<std::string>());
        if (d) return query::Param{*d};
      }
      return std::nullopt;
    }
    case ValueKind::kYesNo:
      if (v.is_boolean()) return query::Param{std::int64_t{v.get<bool>()}};
      return std::nullopt;
    case ValueKind::kDateTime: {
      if (!v.is_string()) return std::nullopt;
      auto iso = ParseDateTimeInput(v.get<std::string>());
      if (!iso) return std::nullopt;
      return query::Param{*iso};
    }
  }
  return std::nullopt;
}

Json Render(const Statement& row, int column, ValueKind kind) {
  switch (row.ColumnType(column)) {
    case SQLITE_NULL:
      return nullptr;
    case SQLITE_INTEGER:
      if (kind == ValueKind::kYesNo) return row.Int(column) != 0;
      if (kind == ValueKind::kText || kind == ValueKind::kDateTime) {
        return row.Text(column);
      }
      return row.Int(column);
    case SQLITE_FLOAT: {
      double d = row.Double(column);
      if (kind == ValueKind::kText) return row.Text(column);
      // Caspio prints whole numbers without a fraction.
      if (std::trunc(d) == d && std::fabs(d) < 9007199254740992.0) {
        return static_cast<std::int64_t>(d);
      }
      return d;
    }
    default:
      if (kind == ValueKind::kYesNo) return row.Int(column) != 0;
      return row.Text(column);
  }
}

// The columns of a plain read of every field (PK_ID first).
std::vector<query::Column> AllColumns(const TableInfo& table) {
  std::vector<query::Column> columns = {{"PK_ID", ValueKind::kInteger}};
  for (const auto& f : table.fields) {
    if (f.type == "PASSWORD") continue;
    columns.push_back({f.name, FindType(f.type)->kind});
  }
  return columns;
}

std::string AllColumnsSql(const TableInfo& table) {
  std::vector<std::string> names;
  for (const auto& c : AllColumns(table))
    names.push_back(QuoteIdentifier(c.name));
  return absl::StrCat("SELECT ", absl::StrJoin(names, ", "), " FROM ",
                      QuoteIdentifier(table.sql_name));
}

Json RenderRow(const Statement& row, const std::vector<query::Column>& cols) {
  Json record = Json::object();
  for (std::size_t c = 0; c < cols.size(); ++c) {
    record[cols[c].name] = Render(row, static_cast<int>(c), cols[c].kind);
  }
  return record;
}

// Caspio's answer to a bad clause: SQL Server's text in a SqlServerError.
ApiError ClauseError(const absl::Status& status) {
  return BadRequest("SqlServerError", std::string(status.message()));
}

ApiError ConstraintError(const Statement& stmt, const std::string& table) {
  if ((stmt.error_code() & 0xff) == SQLITE_CONSTRAINT) {
    return BadRequest(
        "SqlServerError",
        absl::StrCat("Violation of UNIQUE KEY constraint. Cannot insert "
                     "duplicate key in object '",
                     table, "'."));
  }
  return Internal(stmt.status());
}

// Validates a FieldModel and returns the BaseColumnResult stored for it.
Outcome<Json> FieldDefinition(const Json& model, int display_order) {
  static constexpr std::array<std::string_view, 12> kKnown = {
      "Name",     "Type",        "Unique",       "UniqueAllowNulls",
      "Label",    "Description", "DisplayOrder", "OnInsert",
      "OnUpdate", "TimeZone",    "IsFormula",    "Length"};
  if (!model.is_object()) {
    return Fail<Json>(BadRequest("IncorrectBodyParameter",
                                 "A field definition must be an object."));
  }
  for (const auto& [key, value] : model.items()) {
    if (std::find(kKnown.begin(), kKnown.end(), key) == kKnown.end()) {
      return Fail<Json>(
          BadRequest("IncorrectBodyParameter",
                     absl::StrCat("Unsupported field property '", key, "'.")));
    }
  }
  std::string name = model.value("Name", "");
  std::string type = model.value("Type", "");
  if (!import::IsValidName(name) || EqualsIgnoreCase(name, "PK_ID")) {
    return Fail<Json>(BadRequest(
        "IncorrectBodyParameter",
        absl::StrCat("Invalid field name '", name,
                     "': use letters, digits and underscores, start with a "
                     "letter, at most 32 characters, no reserved words.")));
  }
  const TypeRule* rule = FindType(type);
  if (rule == nullptr) {
    return Fail<Json>(
        BadRequest("IncorrectBodyParameter",
                   absl::StrCat("Field type '", type, "' is not supported.")));
  }
  bool unique = model.value("Unique", false);
  bool auto_value = rule->token == "AUTONUMBER" || rule->token == "GUID";
  if (auto_value && !unique) {
    return Fail<Json>(BadRequest(
        "IncorrectBodyParameter",
        absl::StrCat("Field '", name, "' of type ", std::string(rule->token),
                     " must be created with Unique = true.")));
  }
  if (unique && (rule->token == "TEXT" || rule->token == "YES/NO" ||
                 rule->token == "PASSWORD")) {
    return Fail<Json>(BadRequest(
        "IncorrectBodyParameter",
        absl::StrCat("Field '", name, "' of type ", std::string(rule->token),
                     " cannot be unique.")));
  }

  Json d = Json::object();
  d["Name"] = name;
  d["Type"] = rule->token;
  d["Unique"] = unique;
  d["UniqueAllowNulls"] = model.value("UniqueAllowNulls", false);
  d["Label"] = model.value("Label", "");
  d["Description"] = model.value("Description", "");
  d["DisplayOrder"] = display_order;
  d["Editable"] = rule->writable;
  d["IsFormula"] = false;
  if (rule->token == "TIMESTAMP") {
    d["OnInsert"] = model.value("OnInsert", false);
    d["OnUpdate"] = model.value("OnUpdate", false);
    d["TimeZone"] = model.value("TimeZone", "");
  }
  return Ok(std::move(d));
}

std::string ColumnSql(const Json& definition) {
  const TypeRule* rule = FindType(definition["Type"].get<std::string>());
  std::string sql =
      absl::StrCat(QuoteIdentifier(definition["Name"].get<std::string>()), " ",
                   std::string(rule->sql_type));
  if (rule->kind == ValueKind::kText) absl::StrAppend(&sql, " COLLATE NOCASE");
  return sql;
}

std::string UniqueIndexSql(const std::string& sql_table,
                           const std::string& field) {
  return absl::StrCat(
      "CREATE UNIQUE INDEX ", QuoteIdentifier(sql_table + "__" + field), " ON ",
      QuoteIdentifier(sql_table), " (", QuoteIdentifier(field), ")");
}

// Runs `body` in a write transaction; rolls back when it fails.
template <typename T, typename F>
Outcome<T> InTransaction(sqlite3* db, F body) {
  if (auto s = Exec(db, "BEGIN IMMEDIATE"); !s.ok()) {
    return Fail<T>(Internal(s));
  }
  Outcome<T> out = body();
  auto s = Exec(db, out.ok() ? "COMMIT" : "ROLLBACK");
  if (out.ok() && !s.ok()) return Fail<T>(Internal(s));
  return out;
}

}  // namespace

query::Table CompilerTable(const TableInfo& table) {
  query::Table t;
  t.sql_name = table.sql_name;
  t.fields.push_back({"PK_ID", ValueKind::kInteger, false});
  for (const auto& f : table.fields) {
    t.fields.push_back({f.name, FindType(f.type)->kind, f.type == "PASSWORD"});
  }
  return t;
}

absl::StatusOr<std::unique_ptr<Store>> Store::Open(const std::string& path) {
  // The file holds API secrets: only its owner may read it. SQLite gives
  // its -wal and -shm files the same mode.
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::PermissionDeniedError(absl::StrCat("cannot open ", path));
  }
  ::fchmod(fd, 0600);
  ::close(fd);

  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return absl::InternalError(
        absl::StrCat("cannot open ", path, ": ", message));
  }
  std::unique_ptr<Store> store(new Store(db));
  // Writers from other processes (an import while serving) wait their turn.
  sqlite3_busy_timeout(db, 60'000);
  for (const char* sql :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", kSchema}) {
    if (auto s = Exec(db, sql); !s.ok()) return s;
  }
  if (auto s = query::RegisterSqlFunctions(db); !s.ok()) return s;
  return store;
}

Store::Store(sqlite3* db) : db_(db) {}
Store::~Store() { sqlite3_close(db_); }

absl::StatusOr<Profile> Store::CreateProfile() {
  std::lock_guard lock(mu_);
  Profile p{RandomHex(25), RandomHex(25)};
  Statement insert(db_,
                   "INSERT INTO caspio_profiles (client_id, secret_sha256, "
                   "created_at) VALUES (?, ?, ?)");
  insert.Bind(1, p.client_id).Bind(2, Sha256Hex(p.client_secret));
  insert.Bind(3, NowSeconds());
  if (auto s = insert.Run(); !s.ok()) return s;
  return p;
}

absl::Status Store::DisableProfile(const std::string& client_id) {
  std::lock_guard lock(mu_);
  Statement update(
      db_, "UPDATE caspio_profiles SET disabled = 1 WHERE client_id = ?");
  update.Bind(1, client_id);
  if (auto s = update.Run(); !s.ok()) return s;
  if (sqlite3_changes(db_) == 0) {
    return absl::NotFoundError(absl::StrCat("no profile ", client_id));
  }
  return absl::OkStatus();
}

absl::StatusOr<Token> Store::IssueToken(const std::string& client_id,
                                        const std::string& client_secret,
                                        std::chrono::seconds lifetime) {
  std::lock_guard lock(mu_);
  Statement find(db_,
                 "SELECT secret_sha256, disabled FROM caspio_profiles "
                 "WHERE client_id = ?");
  find.Bind(1, client_id);
  if (!find.Step()) {
    if (!find.status().ok()) return find.status();
    return absl::NotFoundError("unknown client");
  }
  if (find.Text(0) != Sha256Hex(client_secret)) {
    return absl::NotFoundError("wrong secret");
  }
  if (find.Int(1) != 0) return absl::FailedPreconditionError("disabled");

  Token token{RandomToken(400), RandomHex(32), lifetime.count()};
  Statement insert(db_,
                   "INSERT INTO caspio_tokens (token_sha256, kind, client_id, "
                   "expires_at) VALUES (?, 'access', ?, ?), "
                   "(?, 'refresh', ?, ?)");
  insert.Bind(1, Sha256Hex(token.access_token)).Bind(2, client_id);
  insert.Bind(3, NowSeconds() + lifetime.count());
  insert.Bind(4, Sha256Hex(token.refresh_token)).Bind(5, client_id);
  insert.Bind(6, NowSeconds() + kRefreshLifetimeSeconds);
  if (auto s = insert.Run(); !s.ok()) return s;
  return token;
}

absl::StatusOr<Token> Store::RefreshToken(const std::string& refresh_token,
                                          const std::string& client_id,
                                          std::chrono::seconds lifetime) {
  std::string owner;
  {
    std::lock_guard lock(mu_);
    Statement find(db_,
                   "SELECT t.client_id, p.disabled FROM caspio_tokens t "
                   "JOIN caspio_profiles p USING (client_id) "
                   "WHERE t.token_sha256 = ? AND t.kind = 'refresh' "
                   "AND t.expires_at > ?");
    find.Bind(1, Sha256Hex(refresh_token)).Bind(2, NowSeconds());
    if (!find.Step()) {
      if (!find.status().ok()) return find.status();
      return absl::NotFoundError("unknown refresh token");
    }
    owner = find.Text(0);
    if (!client_id.empty() && owner != client_id) {
      return absl::NotFoundError("refresh token of another client");
    }
    if (find.Int(1) != 0) return absl::FailedPreconditionError("disabled");
  }
  std::lock_guard lock(mu_);
  Token token{RandomToken(400), refresh_token, lifetime.count()};
  Statement insert(db_,
                   "INSERT INTO caspio_tokens (token_sha256, kind, client_id, "
                   "expires_at) VALUES (?, 'access', ?, ?)");
  insert.Bind(1, Sha256Hex(token.access_token)).Bind(2, owner);
  insert.Bind(3, NowSeconds() + lifetime.count());
  if (auto s = insert.Run(); !s.ok()) return s;
  return token;
}

TokenCheck Store::CheckAccessToken(const std::string& access_token) {
  std::lock_guard lock(mu_);
  Statement find(db_,
                 "SELECT p.disabled FROM caspio_tokens t "
                 "JOIN caspio_profiles p USING (client_id) "
                 "WHERE t.token_sha256 = ? AND t.kind = 'access' "
                 "AND t.expires_at > ?");
  find.Bind(1, Sha256Hex(access_token)).Bind(2, NowSeconds());
  if (!find.Step()) return TokenCheck::kUnknownOrExpired;
  return find.Int(0) != 0 ? TokenCheck::kProfileDisabled : TokenCheck::kValid;
}

std::string Store::AccessTokenOwner(const std::string& access_token) {
  std::lock_guard lock(mu_);
  Statement find(db_,
                 "SELECT client_id FROM caspio_tokens WHERE token_sha256 = ? "
                 "AND kind = 'access' AND expires_at > ?");
  find.Bind(1, Sha256Hex(access_token)).Bind(2, NowSeconds());
  if (!find.Step()) return "";
  return find.Text(0);
}

absl::Status Store::ExpireAccessTokens() {
  std::lock_guard lock(mu_);
  Statement expire(db_,
                   "UPDATE caspio_tokens SET expires_at = 0 "
                   "WHERE kind = 'access'");
  return expire.Run();
}

std::vector<std::string> Store::ListTables() {
  std::lock_guard lock(mu_);
  std::vector<std::string> names;
  Statement list(db_, "SELECT name FROM caspio_tables ORDER BY name");
  while (list.Step()) names.push_back(list.Text(0));
  return names;
}

Outcome<TableInfo> Store::GetTable(const std::string& name) {
  std::lock_guard lock(mu_);
  Statement find(db_,
                 "SELECT name, note, sql_name FROM caspio_tables "
                 "WHERE name = ?");
  find.Bind(1, name);
  if (!find.Step()) {
    if (!find.status().ok()) return Fail<TableInfo>(Internal(find.status()));
    return Fail<TableInfo>(TableNotFound(name));
  }
  TableInfo table{find.Text(0), find.Text(1), find.Text(2), {}};
  Statement fields(db_,
                   "SELECT name, type, definition FROM caspio_fields "
                   "WHERE table_name = ? ORDER BY position");
  fields.Bind(1, table.name);
  while (fields.Step()) {
    table.fields.push_back(
        {fields.Text(0), fields.Text(1), Json::parse(fields.Text(2))});
  }
  if (!fields.status().ok()) return Fail<TableInfo>(Internal(fields.status()));
  return Ok(std::move(table));
}

Outcome<bool> Store::CreateTable(const Json& request) {
  if (!request.is_object()) {
    return Fail<bool>(BadRequest("IncorrectBodyParameter",
                                 "The request body must be a JSON object."));
  }
  for (const auto& [key, value] : request.items()) {
    if (key != "Name" && key != "Fields" && key != "Note") {
      return Fail<bool>(
          BadRequest("IncorrectBodyParameter",
                     absl::StrCat("Unsupported property '", key, "'.")));
    }
  }
  std::string name = request.value("Name", "");
  const Json fields = request.value("Fields", Json::array());
  if (!fields.is_array() || fields.empty()) {
    return Fail<bool>(BadRequest("IncorrectBodyParameter",
                                 "A table needs at least one field."));
  }
  std::vector<Json> models(fields.begin(), fields.end());
  auto created = ImportTable(name, models, {});
  if (!created.ok()) return Fail<bool>(*created.error);
  if (request.contains("Note") && request["Note"].is_string()) {
    std::lock_guard lock(mu_);
    Statement note(db_, "UPDATE caspio_tables SET note = ? WHERE name = ?");
    note.Bind(1, request["Note"].get<std::string>()).Bind(2, name);
    if (auto s = note.Run(); !s.ok()) return Fail<bool>(Internal(s));
  }
  return Ok(true);
}

Outcome<bool> Store::CreateField(const std::string& table_name,
                                 const Json& model) {
  auto table = GetTable(table_name);
  if (!table.ok()) return Fail<bool>(*table.error);
  auto definition =
      FieldDefinition(model, static_cast<int>(table.value->fields.size()) + 1);
  if (!definition.ok()) return Fail<bool>(*definition.error);
  const Json& d = *definition.value;
  std::string name = d["Name"].get<std::string>();
  if (FindField(*table.value, name) != nullptr) {
    return Fail<bool>(
        BadRequest("IncorrectBodyParameter",
                   absl::StrCat("Field '", name, "' already exists.")));
  }

  std::lock_guard lock(mu_);
  const std::string& sql_name = table.value->sql_name;
  return InTransaction<bool>(db_, [&]() -> Outcome<bool> {
    auto s = Exec(db_, absl::StrCat("ALTER TABLE ", QuoteIdentifier(sql_name),
                                    " ADD COLUMN ", ColumnSql(d)));
    if (s.ok() && d["Unique"].get<bool>()) {
      s = Exec(db_, UniqueIndexSql(sql_name, name));
    }
    if (!s.ok()) return Fail<bool>(Internal(s));
    Statement insert(db_,
                     "INSERT INTO caspio_fields (table_name, name, position, "
                     "type, definition) VALUES (?, ?, ?, ?, ?)");
    insert.Bind(1, table.value->name).Bind(2, name);
    insert.Bind(3, d["DisplayOrder"].get<std::int64_t>());
    insert.Bind(4, d["Type"].get<std::string>()).Bind(5, d.dump());
    if (auto r = insert.Run(); !r.ok()) return Fail<bool>(Internal(r));
    return Ok(true);
  });
}

Outcome<std::int64_t> Store::ImportTable(
    const std::string& name, const std::vector<Json>& fields,
    const std::vector<std::vector<Json>>& rows) {
  if (!import::IsValidName(name)) {
    return Fail<std::int64_t>(BadRequest(
        "IncorrectBodyParameter",
        absl::StrCat("Invalid table name '", name,
                     "': use letters, digits and underscores, start with a "
                     "letter, at most 32 characters, no reserved words.")));
  }
  std::vector<Json> definitions;
  std::vector<std::string> columns = {
      "\"PK_ID\" INTEGER PRIMARY KEY "
      "AUTOINCREMENT"};
  for (const auto& model : fields) {
    auto d = FieldDefinition(model, static_cast<int>(definitions.size()) + 1);
    if (!d.ok()) return Fail<std::int64_t>(*d.error);
    for (const auto& earlier : definitions) {
      if (EqualsIgnoreCase(earlier["Name"].get<std::string>(),
                           (*d.value)["Name"].get<std::string>())) {
        return Fail<std::int64_t>(BadRequest(
            "IncorrectBodyParameter",
            absl::StrCat("Field '", earlier["Name"].get<std::string>(),
                         "' is defined twice.")));
      }
    }
    columns.push_back(ColumnSql(*d.value));
    definitions.push_back(std::move(*d.value));
  }
  std::string sql_name = "records_" + absl::AsciiStrToLower(name);

  std::lock_guard lock(mu_);
  return InTransaction<std::int64_t>(db_, [&]() -> Outcome<std::int64_t> {
    Statement table(db_,
                    "INSERT INTO caspio_tables (name, sql_name) VALUES (?, ?)");
    table.Bind(1, name).Bind(2, sql_name);
    if (!table.Run().ok()) {
      return Fail<std::int64_t>(
          BadRequest("IncorrectBodyParameter",
                     absl::StrCat("Table '", name, "' already exists.")));
    }
    auto s = Exec(db_, absl::StrCat("CREATE TABLE ", QuoteIdentifier(sql_name),
                                    " (", absl::StrJoin(columns, ", "), ")"));
    if (!s.ok()) return Fail<std::int64_t>(Internal(s));
    for (std::size_t i = 0; i < definitions.size(); ++i) {
      const Json& d = definitions[i];
      if (d["Unique"].get<bool>()) {
        s = Exec(db_, UniqueIndexSql(sql_name, d["Name"].get<std::string>()));
        if (!s.ok()) return Fail<std::int64_t>(Internal(s));
      }
      Statement field(db_,
                      "INSERT INTO caspio_fields (table_name, name, position,"
                      " type, definition) VALUES (?, ?, ?, ?, ?)");
      field.Bind(1, name).Bind(2, d["Name"].get<std::string>());
      field.Bind(3, static_cast<std::int64_t>(i + 1));
      field.Bind(4, d["Type"].get<std::string>()).Bind(5, d.dump());
      if (auto r = field.Run(); !r.ok()) return Fail<std::int64_t>(Internal(r));
    }
    if (rows.empty()) return Ok<std::int64_t>(0);

    std::vector<std::string> names, marks;
    for (const auto& d : definitions) {
      names.push_back(QuoteIdentifier(d["Name"].get<std::string>()));
      marks.push_back("?");
    }
    Statement insert(
        db_, absl::StrCat("INSERT INTO ", QuoteIdentifier(sql_name), " (",
                          absl::StrJoin(names, ", "), ") VALUES (",
                          absl::StrJoin(marks, ", "), ")"));
    for (const auto& row : rows) {
      for (std::size_t c = 0; c < definitions.size(); ++c) {
        const Json& v = c < row.size() ? row[c] : Json();
        int index = static_cast<int>(c + 1);
        if (v.is_boolean()) {
          insert.Bind(index, std::int64_t{v.get<bool>()});
        } else if (v.is_number_integer()) {
          insert.Bind(index, v.get<std::int64_t>());
        } else if (v.is_number()) {
          insert.BindParam(index, query::Param{v.get<double>()});
        } else if (v.is_string()) {
          insert.Bind(index, std::string_view(v.get_ref<const std::string&>()));
        } else {
          insert.BindNull(index);
        }
      }
      if (auto r = insert.Run(); !r.ok()) {
        return Fail<std::int64_t>(ConstraintError(insert, name));
      }
      insert.Reset();
    }
    return Ok<std::int64_t>(static_cast<std::int64_t>(rows.size()));
  });
}

namespace {

// Body fields checked against the table: unknown names are 404
// FieldNotFound, read-only ones AlterReadOnlyData, values that do not fit
// their type InvalidInputValue, each naming every offending field.
struct Assignment {
  const FieldInfo* field;
  query::Param value;
};

Outcome<std::vector<Assignment>> CheckValues(const TableInfo& table,
                                             const Json& body) {
  using Result = std::vector<Assignment>;
  if (!body.is_object()) {
    return Fail<Result>(BadRequest("IncorrectBodyParameter",
                                   "The request body must be a JSON object."));
  }
  std::vector<std::string> unknown, read_only, mismatched;
  Result assignments;
  for (const auto& [key, value] : body.items()) {
    const FieldInfo* field = FindField(table, key);
    if (EqualsIgnoreCase(key, "PK_ID")) {
      read_only.push_back(absl::StrCat("'", key, "'"));
    } else if (field == nullptr) {
      unknown.push_back(absl::StrCat("'", key, "'"));
    } else if (!FindType(field->type)->writable) {
      read_only.push_back(absl::StrCat("'", field->name, "'"));
    } else if (auto stored = ToStored(*field, value)) {
      assignments.push_back({field, std::move(*stored)});
    } else {
      mismatched.push_back(field->name);
    }
  }
  if (!unknown.empty()) {
    return Fail<Result>(
        {404, "FieldNotFound",
         absl::StrCat("Cannot perform operation because the following "
                      "field(s) do not exist: ",
                      absl::StrJoin(unknown, ", "))});
  }
  if (!read_only.empty()) {
    return Fail<Result>(
        {500, "AlterReadOnlyData",
         absl::StrCat("Cannot perform operation because the following "
                      "field(s) are read-only: ",
                      absl::StrJoin(read_only, ", "))});
  }
  if (!mismatched.empty()) {
    return Fail<Result>(BadRequest(
        "InvalidInputValue",
        absl::StrCat("Cannot perform operation because the value doesn't "
                     "match the data type of the following field(s): ",
                     absl::StrJoin(mismatched, ", "))));
  }
  return Ok(std::move(assignments));
}

// The rows with the given PK_IDs, every readable field, in PK_ID order.
Outcome<std::vector<Json>> RowsById(sqlite3* db, const TableInfo& table,
                                    const std::vector<std::int64_t>& ids) {
  Json id_list = ids;
  Statement select(db, absl::StrCat(AllColumnsSql(table),
                                    " WHERE \"PK_ID\" IN (SELECT value FROM "
                                    "json_each(?)) ORDER BY \"PK_ID\""));
  select.Bind(1, id_list.dump());
  std::vector<Json> rows;
  auto columns = AllColumns(table);
  while (select.Step()) rows.push_back(RenderRow(select, columns));
  if (!select.status().ok()) {
    return Fail<std::vector<Json>>(Internal(select.status()));
  }
  return Ok(std::move(rows));
}

// PK_IDs of the rows a where clause selects.
Outcome<std::vector<std::int64_t>> MatchingIds(
    sqlite3* db, const TableInfo& table, const query::CompiledWhere& where) {
  Statement select(
      db, absl::StrCat("SELECT \"PK_ID\" FROM ",
                       QuoteIdentifier(table.sql_name), " WHERE ", where.sql));
  for (std::size_t i = 0; i < where.params.size(); ++i) {
    select.BindParam(static_cast<int>(i + 1), where.params[i]);
  }
  std::vector<std::int64_t> ids;
  while (select.Step()) ids.push_back(select.Int(0));
  if (!select.status().ok()) {
    return Fail<std::vector<std::int64_t>>(Internal(select.status()));
  }
  return Ok(std::move(ids));
}

// Values the table sets by itself: AUTONUMBER, GUID, TIMESTAMP on insert;
// TIMESTAMP on update when OnUpdate is set.
std::vector<std::pair<const FieldInfo*, std::string>> AutoValues(
    const TableInfo& table, bool insert) {
  std::vector<std::pair<const FieldInfo*, std::string>> out;
  for (const auto& f : table.fields) {
    std::string column = QuoteIdentifier(f.name);
    if (insert && f.type == "AUTONUMBER") {
      out.emplace_back(
          &f, absl::StrCat("(SELECT COALESCE(MAX(", column, "), 0) + 1 FROM ",
                           QuoteIdentifier(table.sql_name), ")"));
    } else if (insert && f.type == "GUID") {
      out.emplace_back(&f, absl::StrCat("'", RandomGuid(), "'"));
    } else if (f.type == "TIMESTAMP" &&
               f.definition.value(insert ? "OnInsert" : "OnUpdate", false)) {
      out.emplace_back(&f, absl::StrCat("'", NowIso(), "'"));
    }
  }
  return out;
}

// A read without q.orderBy in the order `unordered` asks for. Grouped
// reads have no PK_ID, so newest first leaves them in SQLite's order.
absl::StatusOr<query::CompiledSelect> CompileUnordered(
    const query::Table& table, const query::Clauses& clauses,
    UnorderedReads unordered) {
  auto compiled =
      query::CompileSelect(table, clauses, query::DefaultOrder::kNone);
  if (!compiled.ok()) return compiled;
  if (unordered == UnorderedReads::kShuffled) {
    compiled->sql += " ORDER BY random()";
  } else if (!compiled->aggregate) {
    compiled->sql += " ORDER BY \"PK_ID\" DESC";
  }
  return compiled;
}

}  // namespace

Outcome<ReadResult> Store::ReadRecords(const std::string& table_name,
                                       const query::Clauses& clauses,
                                       const Window& window, bool count_total,
                                       UnorderedReads unordered) {
  auto table = GetTable(table_name);
  if (!table.ok()) return Fail<ReadResult>(*table.error);
  query::Table compiler_table = CompilerTable(*table.value);
  auto compiled = query::CompileSelect(compiler_table, clauses);
  if (compiled.ok() && !compiled->ordered &&
      unordered != UnorderedReads::kByPkId) {
    compiled = CompileUnordered(compiler_table, clauses, unordered);
  }
  if (!compiled.ok()) {
    // Caspio answers an unknown field in q.select with a 500.
    query::Clauses select_only{clauses.select, "", "", ""};
    if (!query::CompileSelect(compiler_table, select_only).ok()) {
      return Fail<ReadResult>(
          {500, "SqlServerError", std::string(compiled.status().message())});
    }
    return Fail<ReadResult>(ClauseError(compiled.status()));
  }

  std::lock_guard lock(mu_);
  ReadResult result;
  if (count_total) {
    Statement count(db_,
                    absl::StrCat("SELECT COUNT(*) FROM (", compiled->sql, ")"));
    for (std::size_t i = 0; i < compiled->params.size(); ++i) {
      count.BindParam(static_cast<int>(i + 1), compiled->params[i]);
    }
    if (!count.Step()) return Fail<ReadResult>(Internal(count.status()));
    result.total_count = count.Int(0);
  }
  Statement select(db_, compiled->sql + " LIMIT ? OFFSET ?");
  int n = static_cast<int>(compiled->params.size());
  for (int i = 0; i < n; ++i) select.BindParam(i + 1, compiled->params[i]);
  select.Bind(n + 1, window.limit).Bind(n + 2, window.offset);
  while (select.Step())
    result.rows.push_back(RenderRow(select, compiled->columns));
  if (!select.status().ok()) {
    return Fail<ReadResult>(ClauseError(select.status()));
  }
  return Ok(std::move(result));
}

Outcome<WriteOutcome> Store::InsertRecord(const std::string& table_name,
                                          const Json& record,
                                          bool return_rows) {
  auto table = GetTable(table_name);
  if (!table.ok()) return Fail<WriteOutcome>(*table.error);
  auto values = CheckValues(*table.value, record);
  if (!values.ok()) return Fail<WriteOutcome>(*values.error);

  std::vector<std::string> names, marks;
  for (const auto& a : *values.value) {
    names.push_back(QuoteIdentifier(a.field->name));
    marks.push_back("?");
  }
  for (const auto& [field, sql] : AutoValues(*table.value, true)) {
    names.push_back(QuoteIdentifier(field->name));
    marks.push_back(sql);
  }
  std::string sql =
      names.empty()
          ? absl::StrCat("INSERT INTO ", QuoteIdentifier(table.value->sql_name),
                         " DEFAULT VALUES")
          : absl::StrCat("INSERT INTO ", QuoteIdentifier(table.value->sql_name),
                         " (", absl::StrJoin(names, ", "), ") VALUES (",
                         absl::StrJoin(marks, ", "), ")");

  std::lock_guard lock(mu_);
  return InTransaction<WriteOutcome>(db_, [&]() -> Outcome<WriteOutcome> {
    Statement insert(db_, sql);
    int index = 1;
    for (const auto& a : *values.value) insert.BindParam(index++, a.value);
    if (!insert.Run().ok()) {
      return Fail<WriteOutcome>(ConstraintError(insert, table.value->name));
    }
    WriteOutcome out{1, {}};
    if (return_rows) {
      auto rows = RowsById(db_, *table.value, {sqlite3_last_insert_rowid(db_)});
      if (!rows.ok()) return Fail<WriteOutcome>(*rows.error);
      out.rows = std::move(*rows.value);
    }
    return Ok(std::move(out));
  });
}

Outcome<WriteOutcome> Store::UpdateRecords(const std::string& table_name,
                                           const std::string& where,
                                           const Json& body, bool return_rows) {
  auto table = GetTable(table_name);
  if (!table.ok()) return Fail<WriteOutcome>(*table.error);
  auto values = CheckValues(*table.value, body);
  if (!values.ok()) return Fail<WriteOutcome>(*values.error);
  auto compiled = query::CompileWhere(CompilerTable(*table.value), where);
  if (!compiled.ok()) return Fail<WriteOutcome>(ClauseError(compiled.status()));

  std::vector<std::string> sets;
  for (const auto& a : *values.value) {
    sets.push_back(QuoteIdentifier(a.field->name) + " = ?");
  }
  for (const auto& [field, sql] : AutoValues(*table.value, false)) {
    sets.push_back(absl::StrCat(QuoteIdentifier(field->name), " = ", sql));
  }

  std::lock_guard lock(mu_);
  return InTransaction<WriteOutcome>(db_, [&]() -> Outcome<WriteOutcome> {
    auto ids = MatchingIds(db_, *table.value, *compiled);
    if (!ids.ok()) return Fail<WriteOutcome>(*ids.error);
    WriteOutcome out{static_cast<std::int64_t>(ids.value->size()), {}};
    if (!sets.empty() && !ids.value->empty()) {
      Json id_list = *ids.value;
      Statement update(
          db_, absl::StrCat("UPDATE ", QuoteIdentifier(table.value->sql_name),
                            " SET ", absl::StrJoin(sets, ", "),
                            " WHERE \"PK_ID\" IN (SELECT value FROM "
                            "json_each(?))"));
      int index = 1;
      for (const auto& a : *values.value) update.BindParam(index++, a.value);
      update.Bind(index, id_list.dump());
      if (!update.Run().ok()) {
        return Fail<WriteOutcome>(ConstraintError(update, table.value->name));
      }
    }
    if (return_rows) {
      auto rows = RowsById(db_, *table.value, *ids.value);
      if (!rows.ok()) return Fail<WriteOutcome>(*rows.error);
      out.rows = std::move(*rows.value);
    }
    return Ok(std::move(out));
  });
}

Outcome<WriteOutcome> Store::DeleteRecords(const std::string& table_name,
                                           const std::string& where) {
  auto table = GetTable(table_name);
  if (!table.ok()) return Fail<WriteOutcome>(*table.error);
  auto compiled = query::CompileWhere(CompilerTable(*table.value), where);
  if (!compiled.ok()) return Fail<WriteOutcome>(ClauseError(compiled.status()));

  std::lock_guard lock(mu_);
  return InTransaction<WriteOutcome>(db_, [&]() -> Outcome<WriteOutcome> {
    Statement remove(db_, absl::StrCat("DELETE FROM ",
                                       QuoteIdentifier(table.value->sql_name),
                                       " WHERE ", compiled->sql));
    for (std::size_t i = 0; i < compiled->params.size(); ++i) {
      remove.BindParam(static_cast<int>(i + 1), compiled->params[i]);
    }
    if (auto s = remove.Run(); !s.ok()) return Fail<WriteOutcome>(Internal(s));
    return Ok(WriteOutcome{sqlite3_changes64(db_), {}});
  });
}

}  // namespace caspio::emulator
