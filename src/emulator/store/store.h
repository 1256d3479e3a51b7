// The emulator's storage: one SQLite file holding API profiles, tokens,
// table definitions and records. Thread-safe: calls are serialised on one
// connection; other processes writing the same file wait their turn.
#ifndef CASPIO_EMULATOR_STORE_STORE_H_
#define CASPIO_EMULATOR_STORE_STORE_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "emulator/query/query.h"

struct sqlite3;

namespace caspio::emulator {

using Json = nlohmann::ordered_json;

// A failure with Caspio's answer: HTTP status, Code and Message.
struct ApiError {
  int status = 400;
  std::string code;
  std::string message;
};

template <typename T>
struct Outcome {
  std::optional<T> value;
  std::optional<ApiError> error;
  bool ok() const { return !error.has_value(); }
};

struct Profile {
  std::string client_id;
  std::string client_secret;  // only when just created
};

struct Token {
  std::string access_token;
  std::string refresh_token;
  std::int64_t expires_in = 0;
};

enum class TokenCheck { kValid, kUnknownOrExpired, kProfileDisabled };

// A field as stored: its definition as Caspio returns it, and how the query
// compiler sees it.
struct FieldInfo {
  std::string name;
  std::string type;  // Caspio token, e.g. "STRING", "DATE/TIME"
  Json definition;   // BaseColumnResult
};

struct TableInfo {
  std::string name;  // canonical spelling
  std::string note;
  std::string sql_name;
  std::vector<FieldInfo> fields;  // without PK_ID, in display order
};

// The paging part of a read, already validated.
struct Window {
  std::int64_t limit = 100;
  std::int64_t offset = 0;
};

// How a read without q.orderBy is ordered: by PK_ID (stable pages, the
// default), shuffled anew on every read (Caspio's real, unstable order), or
// newest first (so that q.limit picks other records than page 1).
enum class UnorderedReads { kByPkId, kShuffled, kNewestFirst };

struct ReadResult {
  std::vector<Json> rows;
  std::int64_t total_count = 0;  // rows matching, ignoring the window
};

struct WriteOutcome {
  std::int64_t records_affected = 0;
  std::vector<Json> rows;  // with response=rows
};

class Store {
 public:
  // Opens or creates the file (mode 0600, WAL).
  static absl::StatusOr<std::unique_ptr<Store>> Open(const std::string& path);
  ~Store();

  // Profiles and tokens.
  absl::StatusOr<Profile> CreateProfile();
  absl::Status DisableProfile(const std::string& client_id);
  // Issues a token for a client-credentials grant. Errors: NotFound for bad
  // credentials, FailedPrecondition for a disabled profile.
  absl::StatusOr<Token> IssueToken(const std::string& client_id,
                                   const std::string& client_secret,
                                   std::chrono::seconds lifetime);
  absl::StatusOr<Token> RefreshToken(const std::string& refresh_token,
                                     const std::string& client_id,
                                     std::chrono::seconds lifetime);
  TokenCheck CheckAccessToken(const std::string& access_token);
  // The client id that owns a valid access token, or empty.
  std::string AccessTokenOwner(const std::string& access_token);
  // Makes every access token issued so far expired (refresh tokens stay).
  absl::Status ExpireAccessTokens();

  // Tables and fields. Names match case-insensitively.
  std::vector<std::string> ListTables();
  Outcome<TableInfo> GetTable(const std::string& name);
  Outcome<bool> CreateTable(const Json& request);
  Outcome<bool> CreateField(const std::string& table, const Json& field);

  // Records.
  Outcome<ReadResult> ReadRecords(
      const std::string& table, const query::Clauses& clauses,
      const Window& window, bool count_total,
      UnorderedReads unordered = UnorderedReads::kByPkId);
  Outcome<WriteOutcome> InsertRecord(const std::string& table,
                                     const Json& record, bool return_rows);
  Outcome<WriteOutcome> UpdateRecords(const std::string& table,
                                      const std::string& where,
                                      const Json& values, bool return_rows);
  Outcome<WriteOutcome> DeleteRecords(const std::string& table,
                                      const std::string& where);

  // Bulk load for the import command: creates the table from `fields`
  // (Caspio field models) and inserts `rows` (values in field order) in one
  // transaction.
  Outcome<std::int64_t> ImportTable(const std::string& name,
                                    const std::vector<Json>& fields,
                                    const std::vector<std::vector<Json>>& rows);

 private:
  explicit Store(sqlite3* db);

  sqlite3* db_;
  std::mutex mu_;
};

// The query compiler's view of a table, PK_ID first.
query::Table CompilerTable(const TableInfo& table);

}  // namespace caspio::emulator

#endif  // CASPIO_EMULATOR_STORE_STORE_H_
