// A thin RAII layer over the SQLite C API for the emulator's store.
#ifndef CASPIO_EMULATOR_STORE_SQLITE_H_
#define CASPIO_EMULATOR_STORE_SQLITE_H_

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "emulator/query/query.h"

namespace caspio::emulator {

// One prepared statement. Parameters are bound by position from 1.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // The preparation error, if any (reported by Step as well).
  const absl::Status& status() const { return status_; }

  Statement& BindParam(int index, const query::Param& value);
  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, std::int64_t value);
  Statement& BindNull(int index);

  // One step: true with a row, false when done. Errors leave in `status()`.
  bool Step();
  // Steps to the end of a statement that returns no rows.
  absl::Status Run();
  // Makes the statement ready to run again; bindings stay.
  void Reset();

  int ColumnCount() const;
  int ColumnType(int column) const;  // SQLITE_INTEGER, ...
  std::int64_t Int(int column) const;
  double Double(int column) const;
  std::string Text(int column) const;

  // The SQLite result code of the last failed step (e.g. SQLITE_CONSTRAINT).
  int error_code() const { return error_code_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  absl::Status status_;
  int error_code_ = SQLITE_OK;
};

// Runs statements without parameters or results (DDL, BEGIN, COMMIT).
absl::Status Exec(sqlite3* db, const std::string& sql);

// "abc" -> "\"abc\"" with embedded quotes doubled.
std::string QuoteIdentifier(std::string_view name);

}  // namespace caspio::emulator

#endif  // CASPIO_EMULATOR_STORE_SQLITE_H_
