#include "emulator/store/sqlite.h"

#include "absl/strings/str_cat.h"

namespace caspio::emulator {

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()),
                              &stmt_, nullptr);
  if (rc != SQLITE_OK) {
    error_code_ = rc;
    status_ = absl::InternalError(
        absl::StrCat("SQLite prepare failed: ", sqlite3_errmsg(db)));
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::BindParam(int index, const query::Param& value) {
  if (std::holds_alternative<std::int64_t>(value)) {
    return Bind(index, std::get<std::int64_t>(value));
  }
  if (std::holds_alternative<double>(value)) {
    if (stmt_) sqlite3_bind_double(stmt_, index, std::get<double>(value));
    return *this;
  }
  if (std::holds_alternative<std::string>(value)) {
    return Bind(index, std::string_view(std::get<std::string>(value)));
  }
  return BindNull(index);
}

Statement& Statement::Bind(int index, std::string_view text) {
  if (stmt_) {
    sqlite3_bind_text64(stmt_, index, text.data(), text.size(),
                        SQLITE_TRANSIENT, SQLITE_UTF8);
  }
  return *this;
}

Statement& Statement::Bind(int index, std::int64_t value) {
  if (stmt_) sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::BindNull(int index) {
  if (stmt_) sqlite3_bind_null(stmt_, index);
  return *this;
}

bool Statement::Step() {
  if (!status_.ok()) return false;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) {
    error_code_ = rc;
    status_ = absl::InternalError(sqlite3_errmsg(db_));
  }
  return false;
}

absl::Status Statement::Run() {
  while (Step()) {
  }
  return status_;
}

void Statement::Reset() {
  if (stmt_) sqlite3_reset(stmt_);
  if (error_code_ != SQLITE_OK && stmt_) {
    status_ = absl::OkStatus();
    error_code_ = SQLITE_OK;
  }
}

int Statement::ColumnCount() const { return sqlite3_column_count(stmt_); }
int Statement::ColumnType(int c) const { return sqlite3_column_type(stmt_, c); }
std::int64_t Statement::Int(int c) const {
  return sqlite3_column_int64(stmt_, c);
}
double Statement::Double(int c) const {
  return sqlite3_column_double(stmt_, c);
}
std::string Statement::Text(int c) const {
  const auto* p = sqlite3_column_text(stmt_, c);
  if (p == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     sqlite3_column_bytes(stmt_, c));
}

absl::Status Exec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    return absl::InternalError(absl::StrCat("SQLite: ", message));
  }
  return absl::OkStatus();
}

std::string QuoteIdentifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

}  // namespace caspio::emulator
