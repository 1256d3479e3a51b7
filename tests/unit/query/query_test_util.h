// A small in-memory SQLite database with one Caspio-like table, for running
// what the query compiler produces.
#ifndef CASPIO_TESTS_UNIT_QUERY_QUERY_TEST_UTIL_H_
#define CASPIO_TESTS_UNIT_QUERY_QUERY_TEST_UTIL_H_

#include <sqlite3.h>

#include <cstdio>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "emulator/query/query.h"

namespace caspio::emulator::query {

using Rows = std::vector<std::vector<std::string>>;

inline Table PeopleTable() {
  return Table{"people data",
               {{"PK_ID", ValueKind::kInteger},
                {"Name", ValueKind::kText},
                {"City", ValueKind::kText},
                {"Age", ValueKind::kInteger},
                {"Score", ValueKind::kNumber},
                {"Active", ValueKind::kYesNo},
                {"Born", ValueKind::kDateTime},
                {"Secret", ValueKind::kText, true},
                {"Notes", ValueKind::kText}}};
}

class Database {
 public:
  Database() {
    EXPECT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK);
    EXPECT_TRUE(RegisterSqlFunctions(db_).ok());
    Exec(R"sql(
      CREATE TABLE "people data" (PK_ID INTEGER PRIMARY KEY, Name TEXT,
        City TEXT, Age INTEGER, Score REAL, Active INTEGER, Born TEXT,
        Secret TEXT, Notes TEXT);
      INSERT INTO "people data" VALUES
        (1, 'Alice', 'Paris', 30, 88.5, 1, '1994-03-15T08:30:00', 's1',
         'O''Brien''s note'),
        (2, 'bob', 'London', 25, 72.25, 0, '1999-12-31T23:59:59', 's2', NULL),
        (3, 'Carol', 'paris', 41, NULL, 1, '1983-07-04T00:00:00', 's3',
         'x'' OR ''1''=''1'),
        (4, 'dave', 'Berlin', NULL, 95, 0, NULL, 's4', '100% sure'),
        (5, 'Eve', 'London', 30, 60, 1, '2024-01-01T10:00:00', 's5',
         '[tag]');
    )sql");
  }
  ~Database() { sqlite3_close(db_); }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  sqlite3* db() { return db_; }

  void Exec(const std::string& sql) {
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error),
              SQLITE_OK)
        << (error ? error : "");
    sqlite3_free(error);
  }

  // Runs `sql` with `params` bound; a SQLite error becomes one row holding
  // "error: <message>".
  Rows Query(const std::string& sql, const std::vector<Param>& params) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sqlite3_errmsg(db_) << " in " << sql;
      return {};
    }
    EXPECT_EQ(sqlite3_bind_parameter_count(stmt),
              static_cast<int>(params.size()));
    for (std::size_t i = 0; i < params.size(); ++i)
      Bind(stmt, i + 1, params[i]);
    Rows rows;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
        row.push_back(Text(stmt, c));
      }
      rows.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) {
      rows = {{std::string("error: ") + sqlite3_errmsg(db_)}};
    }
    sqlite3_finalize(stmt);
    return rows;
  }

 private:
  static void Bind(sqlite3_stmt* stmt, std::size_t index, const Param& p) {
    int i = static_cast<int>(index);
    if (const auto* n = std::get_if<std::int64_t>(&p)) {
      sqlite3_bind_int64(stmt, i, *n);
    } else if (const auto* d = std::get_if<double>(&p)) {
      sqlite3_bind_double(stmt, i, *d);
    } else if (const auto* s = std::get_if<std::string>(&p)) {
      sqlite3_bind_text(stmt, i, s->data(), static_cast<int>(s->size()),
                        SQLITE_TRANSIENT);
    } else {
      sqlite3_bind_null(stmt, i);
    }
  }

  static std::string Text(sqlite3_stmt* stmt, int column) {
    switch (sqlite3_column_type(stmt, column)) {
      case SQLITE_NULL:
        return "NULL";
      case SQLITE_FLOAT: {
        char buffer[64];
        std::snprintf(buffer, sizeof(buffer), "%.15g",
                      sqlite3_column_double(stmt, column));
        return buffer;
      }
      default:
        return reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
    }
  }

  sqlite3* db_ = nullptr;
};

}  // namespace caspio::emulator::query

#endif  // CASPIO_TESTS_UNIT_QUERY_QUERY_TEST_UTIL_H_
