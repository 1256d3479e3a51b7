// Compiles q.* clauses and runs the SQL against a real SQLite table.
#include "emulator/query/query.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "query_test_util.h"

namespace caspio::emulator::query {
namespace {

using ::testing::AnyOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::StartsWith;

class QueryTest : public ::testing::Test {
 protected:
  absl::StatusOr<CompiledSelect> Compile(
      const Clauses& clauses, DefaultOrder order = DefaultOrder::kPkId) {
    return CompileSelect(table_, clauses, order);
  }

  // The rows of a read, or one row naming the compile error.
  Rows Read(const Clauses& clauses) {
    absl::StatusOr<CompiledSelect> compiled = Compile(clauses);
    if (!compiled.ok())
      return {{"compile error: " + compiled.status().ToString()}};
    return db_.Query(compiled->sql, compiled->params);
  }

  // The Name of each record matching `where`, in PK_ID order.
  std::vector<std::string> Names(const std::string& where) {
    std::vector<std::string> names;
    for (const auto& row : Read({"Name", where, "", ""})) {
      names.push_back(row[0]);
    }
    return names;
  }

  // `expr` evaluated on record `pk`.
  std::string Eval(const std::string& expr, int pk = 1) {
    Rows rows = Read({expr, "PK_ID = " + std::to_string(pk), "", ""});
    if (rows.size() != 1) return "rows: " + std::to_string(rows.size());
    return rows[0][0];
  }

  absl::Status Error(const Clauses& clauses) {
    return Compile(clauses).status();
  }

  absl::Status WhereError(const std::string& where) {
    return Error({"", where, "", ""});
  }

  Table table_ = PeopleTable();
  Database db_;
};

void ExpectInvalid(const absl::Status& status, const std::string& message) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_EQ(std::string(status.message()), message);
}

void ExpectUnimplemented(const absl::Status& status, const std::string& what) {
  EXPECT_EQ(status.code(), absl::StatusCode::kUnimplemented) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr(what));
}

// --- select list and default order -----------------------------------------

TEST_F(QueryTest, StarSkipsPasswordFieldsAndOrdersByPkId) {
  absl::StatusOr<CompiledSelect> compiled = Compile({"*", "", "", ""});
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  std::vector<std::string> names;
  for (const Column& column : compiled->columns) names.push_back(column.name);
  EXPECT_THAT(names, ElementsAre("PK_ID", "Name", "City", "Age", "Score",
                                 "Active", "Born", "Notes"));
  EXPECT_EQ(compiled->columns[5].kind, ValueKind::kYesNo);
  EXPECT_EQ(compiled->columns[6].kind, ValueKind::kDateTime);
  EXPECT_THAT(compiled->sql, testing::EndsWith("ORDER BY \"PK_ID\""));
  EXPECT_FALSE(compiled->ordered);
  EXPECT_FALSE(compiled->aggregate);
  Rows rows = db_.Query(compiled->sql, compiled->params);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_THAT(rows[0], ElementsAre("1", "Alice", "Paris", "30", "88.5", "1",
                                   "1994-03-15T08:30:00", "O'Brien's note"));
}

TEST_F(QueryTest, EmptySelectMeansStar) {
  absl::StatusOr<CompiledSelect> compiled = Compile({"", "", "", ""});
  ASSERT_TRUE(compiled.ok());
  EXPECT_EQ(compiled->columns.size(), 8u);
}

TEST_F(QueryTest, DefaultOrderNoneAddsNoOrderBy) {
  absl::StatusOr<CompiledSelect> compiled =
      Compile({"Name", "", "", ""}, DefaultOrder::kNone);
  ASSERT_TRUE(compiled.ok());
  EXPECT_THAT(compiled->sql, Not(HasSubstr("ORDER BY")));
}

TEST_F(QueryTest, FieldNamesMatchCaseInsensitivelyAndKeepCanonicalSpelling) {
  absl::StatusOr<CompiledSelect> compiled =
      Compile({"name, [AGE], \"city\", pk_id", "", "", ""});
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  EXPECT_EQ(compiled->columns[0].name, "Name");
  EXPECT_EQ(compiled->columns[1].name, "Age");
  EXPECT_EQ(compiled->columns[1].kind, ValueKind::kInteger);
  EXPECT_EQ(compiled->columns[2].name, "City");
  EXPECT_EQ(compiled->columns[3].name, "PK_ID");
  EXPECT_THAT(db_.Query(compiled->sql, compiled->params)[1],
              ElementsAre("bob", "25", "London", "2"));
}

TEST_F(QueryTest, ColumnNamesComeFromAliasesFieldsOrExprN) {
  absl::StatusOr<CompiledSelect> compiled = Compile(
      {"Age + 1 AS next, UPPER(Name), Name n2, LEN(City) 'c', [Name] AS [x y], "
       "COUNT(*)",
       "", "Age, Name, City", ""});
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  std::vector<std::string> names;
  for (const Column& column : compiled->columns) names.push_back(column.name);
  EXPECT_THAT(names, ElementsAre("next", "Expr1", "n2", "c", "x y", "Expr2"));
}

TEST_F(QueryTest, AliasesNeverReachTheSql) {
  absl::StatusOr<CompiledSelect> compiled =
      Compile({"Name AS [a\"b], Name AS \"x\"\"y\", Age 'q'' FROM t --'", "",
               "", "[a\"b] DESC"});
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  EXPECT_EQ(compiled->columns[0].name, "a\"b");
  EXPECT_EQ(compiled->columns[1].name, "x\"y");
  EXPECT_EQ(compiled->columns[2].name, "q' FROM t --");
  EXPECT_THAT(compiled->sql, Not(HasSubstr("a\"\"b")));
  EXPECT_THAT(compiled->sql, Not(HasSubstr("x\"\"y")));
  EXPECT_THAT(compiled->sql, Not(HasSubstr("FROM t ")));
  Rows rows = db_.Query(compiled->sql, compiled->params);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0][0], "Eve");  // ORDER BY the alias, case-insensitively
}

TEST_F(QueryTest, OrderByTextIsCaseInsensitiveAndTiesEndByPkId) {
  absl::StatusOr<CompiledSelect> compiled =
      Compile({"Name, City", "", "", "City DESC"});
  ASSERT_TRUE(compiled.ok());
  EXPECT_TRUE(compiled->ordered);
  Rows rows = db_.Query(compiled->sql, compiled->params);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_THAT(rows[0], ElementsAre("Alice", "Paris"));
  EXPECT_THAT(rows[1], ElementsAre("Carol", "paris"));
  EXPECT_THAT(rows[2], ElementsAre("bob", "London"));
  EXPECT_THAT(rows[3], ElementsAre("Eve", "London"));
  EXPECT_THAT(rows[4], ElementsAre("dave", "Berlin"));
}

TEST_F(QueryTest, OrderByPositionAndExpressions) {
  EXPECT_EQ(Read({"Name, Age", "", "", "2 DESC, 1"}), (Rows{{"Carol", "41"},
                                                            {"Alice", "30"},
                                                            {"Eve", "30"},
                                                            {"bob", "25"},
                                                            {"dave", "NULL"}}));
  EXPECT_EQ(Read({"Name", "Age IS NOT NULL", "", "LEN(Name), Name DESC"}),
            (Rows{{"Eve"}, {"bob"}, {"Carol"}, {"Alice"}}));
  ExpectInvalid(Error({"Name", "", "", "3"}),
                "The ORDER BY position number 3 is out of range of the number "
                "of items in the select list.");
  ExpectInvalid(Error({"Name", "", "", "'x'"}),
                "A constant expression was encountered in the ORDER BY list, "
                "position 1.");
}

TEST_F(QueryTest, ComposesWithPagingAndCounting) {
  absl::StatusOr<CompiledSelect> compiled =
      Compile({"Name", "City = 'london' OR Age > 35", "", ""});
  ASSERT_TRUE(compiled.ok());
  std::vector<Param> params = compiled->params;
  params.push_back(std::int64_t{2});
  params.push_back(std::int64_t{1});
  EXPECT_EQ(db_.Query(compiled->sql + " LIMIT ? OFFSET ?", params),
            (Rows{{"Carol"}, {"Eve"}}));
  EXPECT_EQ(db_.Query("SELECT COUNT(*) FROM (" + compiled->sql + ")",
                      compiled->params),
            (Rows{{"3"}}));
}

// --- where: operators, precedence, literals ----------------------------------

TEST_F(QueryTest, EmptyWhereMeansEveryRecord) {
  EXPECT_EQ(Names("").size(), 5u);
  EXPECT_EQ(Names("   ").size(), 5u);
}

TEST_F(QueryTest, Comparisons) {
  EXPECT_THAT(Names("Age = 30"), ElementsAre("Alice", "Eve"));
  EXPECT_THAT(Names("Age != 30"), ElementsAre("bob", "Carol"));
  EXPECT_THAT(Names("Age <> 30"), ElementsAre("bob", "Carol"));
  EXPECT_THAT(Names("Age < 30"), ElementsAre("bob"));
  EXPECT_THAT(Names("Age <= 30"), ElementsAre("Alice", "bob", "Eve"));
  EXPECT_THAT(Names("Age > 30"), ElementsAre("Carol"));
  EXPECT_THAT(Names("Age >= 30"), ElementsAre("Alice", "Carol", "Eve"));
  EXPECT_THAT(Names("Age !< 41"), ElementsAre("Carol"));
  EXPECT_THAT(Names("Score > 72.25"), ElementsAre("Alice", "dave"));
  EXPECT_THAT(Names("Score = 60"), ElementsAre("Eve"));
  EXPECT_THAT(Names("30 = Age"), ElementsAre("Alice", "Eve"));
}

TEST_F(QueryTest, BooleanPrecedenceFollowsSqlServer) {
  // AND binds tighter than OR.
  EXPECT_THAT(Names("Age = 30 OR Age = 25 AND Name = 'x'"),
              ElementsAre("Alice", "Eve"));
  EXPECT_THAT(Names("(Age = 30 OR Age = 25) AND City = 'London'"),
              ElementsAre("bob", "Eve"));
  // NOT binds tighter than AND, comparisons tighter than NOT.
  EXPECT_THAT(Names("NOT Age = 30 AND City = 'London'"), ElementsAre("bob"));
  // dave's Age is NULL: NOT (UNKNOWN AND FALSE) is TRUE.
  EXPECT_THAT(Names("NOT (Age = 30 AND City = 'London')"),
              ElementsAre("Alice", "bob", "Carol", "dave"));
  EXPECT_THAT(Names("NOT NOT Age = 25"), ElementsAre("bob"));
  EXPECT_THAT(Names("Age=30AND City='Paris'"), ElementsAre("Alice"));
}

TEST_F(QueryTest, ArithmeticPrecedence) {
  EXPECT_THAT(Names("Age + 2 * 5 = 40"), ElementsAre("Alice", "Eve"));
  EXPECT_THAT(Names("(Age + 2) * 5 = 160"), ElementsAre("Alice", "Eve"));
  EXPECT_THAT(Names("-Age + 50 = 20"), ElementsAre("Alice", "Eve"));
  EXPECT_THAT(Names("Age - -5 = 30"), ElementsAre("bob"));
  EXPECT_THAT(Names("Age % 7 = 2"), ElementsAre("Alice", "Eve"));
  EXPECT_THAT(Names("Age / 2 = 12"), ElementsAre("bob"));  // integer division
  EXPECT_THAT(Names("100 - Age - 10 = 49"), ElementsAre("Carol"));
  EXPECT_EQ(Eval("Age * 2 + Score"), "148.5");
  EXPECT_EQ(Eval("7.0 / 2"), "3.5");
}

TEST_F(QueryTest, StringLiteralsWithDoubledQuotesAndNPrefix) {
  EXPECT_THAT(Names("Notes = 'O''Brien''s note'"), ElementsAre("Alice"));
  EXPECT_THAT(Names("Name = N'alice'"), ElementsAre("Alice"));
  EXPECT_THAT(Names("Name = n'BOB'"), ElementsAre("bob"));
  EXPECT_EQ(Eval("'it''s'"), "it's");
  EXPECT_EQ(Eval("N'héllo'"), "héllo");
}

TEST_F(QueryTest, InjectedQuotesStayInsideOneValue) {
  absl::StatusOr<CompiledSelect> compiled =
      Compile({"Name", "Notes = 'x'' OR ''1''=''1'", "", ""});
  ASSERT_TRUE(compiled.ok());
  EXPECT_THAT(compiled->sql, Not(HasSubstr("'1'")));
  ASSERT_EQ(compiled->params.size(), 1u);
  EXPECT_EQ(std::get<std::string>(compiled->params[0]), "x' OR '1'='1");
  EXPECT_EQ(db_.Query(compiled->sql, compiled->params), (Rows{{"Carol"}}));
  EXPECT_THAT(Names("Name = 'x'' OR ''1''=''1'"), IsEmpty());
}

TEST_F(QueryTest, StatementInjectionIsASyntaxError) {
  ExpectInvalid(WhereError("Age = 1; DROP TABLE [people data]"),
                "Incorrect syntax near ';'.");
  ExpectInvalid(WhereError("Name = 'x'; DELETE FROM t"),
                "Incorrect syntax near ';'.");
  ExpectUnimplemented(WhereError("Age = 1 -- comment"), "comments");
  ExpectUnimplemented(WhereError("Age = 1 /* x */"), "comments");
  ExpectInvalid(WhereError("Age = 1 UNION SELECT Secret"),
                "Incorrect syntax near the keyword 'UNION'.");
  EXPECT_EQ(Names("").size(), 5u);  // the table is still there
}

TEST_F(QueryTest, TextComparesWithoutCase) {
  EXPECT_THAT(Names("City = 'PARIS'"), ElementsAre("Alice", "Carol"));
  EXPECT_THAT(Names("Name > 'c'"), ElementsAre("Carol", "dave", "Eve"));
  EXPECT_THAT(Names("Name = City"), IsEmpty());
  EXPECT_THAT(Names("UPPER(Name) = 'bob'"), ElementsAre("bob"));
  EXPECT_THAT(Names("Name + 'x' = 'BOBX'"), ElementsAre("bob"));
}

TEST_F(QueryTest, InAndNotIn) {
  EXPECT_THAT(Names("City IN ('paris', 'BERLIN')"),
              ElementsAre("Alice", "Carol", "dave"));
  EXPECT_THAT(Names("City NOT IN ('paris')"),
              ElementsAre("bob", "dave", "Eve"));
  EXPECT_THAT(Names("Age IN (25, 40 + 1)"), ElementsAre("bob", "Carol"));
  EXPECT_THAT(Names("PK_ID IN ('1', '3')"), ElementsAre("Alice", "Carol"));
  EXPECT_THAT(Names("Age IN (NULL)"), IsEmpty());
  ExpectInvalid(WhereError("Age IN ()"), "Incorrect syntax near ')'.");
}

TEST_F(QueryTest, BetweenAndNotBetween) {
  EXPECT_THAT(Names("Age BETWEEN 25 AND 30"),
              ElementsAre("Alice", "bob", "Eve"));
  EXPECT_THAT(Names("Age NOT BETWEEN 25 AND 30"), ElementsAre("Carol"));
  EXPECT_THAT(Names("Name BETWEEN 'b' AND 'D'"), ElementsAre("bob", "Carol"));
  EXPECT_THAT(Names("Age BETWEEN 20 AND 30 AND City = 'London'"),
              ElementsAre("bob", "Eve"));
}

TEST_F(QueryTest, IsNullAndIsNotNull) {
  EXPECT_THAT(Names("Age IS NULL"), ElementsAre("dave"));
  EXPECT_THAT(Names("Notes IS NOT NULL"),
              ElementsAre("Alice", "Carol", "dave", "Eve"));
  EXPECT_THAT(Names("Notes IS NULL OR Notes = ''"), ElementsAre("bob"));
  EXPECT_THAT(Names("Age = NULL"), IsEmpty());  // ANSI_NULLS
}

TEST_F(QueryTest, LikeWithClassesIsCaseInsensitive) {
  EXPECT_THAT(Names("Name LIKE 'a%'"), ElementsAre("Alice"));
  EXPECT_THAT(Names("Name LIKE '_OB'"), ElementsAre("bob"));
  EXPECT_THAT(Names("Name LIKE '[a-c]%'"),
              ElementsAre("Alice", "bob", "Carol"));
  EXPECT_THAT(Names("Name LIKE '[^a-c]%'"), ElementsAre("dave", "Eve"));
  EXPECT_THAT(Names("Name LIKE '[AE]%'"), ElementsAre("Alice", "Eve"));
  EXPECT_THAT(Names("Name NOT LIKE '%e'"), ElementsAre("bob", "Carol"));
  EXPECT_THAT(Names("Notes LIKE '100[%]%'"), ElementsAre("dave"));
  EXPECT_THAT(Names("Notes LIKE '[[]tag]'"), ElementsAre("Eve"));
  EXPECT_THAT(Names("Notes LIKE '%!%%' ESCAPE '!'"), ElementsAre("dave"));
  EXPECT_THAT(Names("Age LIKE '3%'"), ElementsAre("Alice", "Eve"));
  EXPECT_THAT(Names("Name LIKE City"), IsEmpty());
  EXPECT_THAT(Names("Notes LIKE '%''%'"), ElementsAre("Alice", "Carol"));
}

// --- conversions: dates, YES/NO, numbers -------------------------------------

TEST_F(QueryTest, DateLiteralsAreNormalisedBeforeBinding) {
  EXPECT_THAT(Names("Born >= '2000-01-01'"), ElementsAre("Eve"));
  EXPECT_THAT(Names("Born = '1994-03-15 08:30'"), ElementsAre("Alice"));
  EXPECT_THAT(Names("Born = '1994-03-15T08:30:00.000Z'"), ElementsAre("Alice"));
  EXPECT_THAT(Names("Born = '1983-07-04'"), ElementsAre("Carol"));
  EXPECT_THAT(Names("Born BETWEEN '1990-01-01' AND '1999-12-31 23:59:59'"),
              ElementsAre("Alice", "bob"));
  EXPECT_THAT(Names("Born IN ('1983-07-04', '2024-01-01T10:00:00')"),
              ElementsAre("Carol", "Eve"));
  EXPECT_THAT(Names("Born < '20000101'"), ElementsAre("Alice", "bob", "Carol"));
  EXPECT_THAT(Names("Born > '12/31/1999 11:00 PM'"), ElementsAre("bob", "Eve"));
  EXPECT_THAT(Names("'2000-01-01' < Born"), ElementsAre("Eve"));
  EXPECT_THAT(Names("Born < GETDATE()"),
              ElementsAre("Alice", "bob", "Carol", "Eve"));
  EXPECT_THAT(Names("Born = LTRIM(' 1983-07-04')"), ElementsAre("Carol"));
}

TEST_F(QueryTest, UnparseableDateIsAConversionError) {
  const std::string message =
      "Conversion failed when converting date and/or time from character "
      "string.";
  ExpectInvalid(WhereError("Born = 'yesterday'"), message);
  ExpectInvalid(WhereError("Born > '2024-02-30'"), message);
  ExpectInvalid(WhereError("Born IN ('2024-01-01', '2024-13-01')"), message);
  ExpectInvalid(WhereError("Born BETWEEN '2024' AND '2025-01-01'"), message);
}

TEST_F(QueryTest, YesNoComparesWithOneAndZeroButNotTrue) {
  EXPECT_THAT(Names("Active = 1"), ElementsAre("Alice", "Carol", "Eve"));
  EXPECT_THAT(Names("Active = 0"), ElementsAre("bob", "dave"));
  EXPECT_THAT(Names("Active = 'true'"), ElementsAre("Alice", "Carol", "Eve"));
  ExpectInvalid(WhereError("Active = true"), "Invalid column name 'true'.");
  ExpectInvalid(WhereError("Active=false"), "Invalid column name 'false'.");
  ExpectInvalid(WhereError("Active = TRUE"), "Invalid column name 'TRUE'.");
  ExpectInvalid(WhereError("Active = 'yes'"),
                "Conversion failed when converting the varchar value 'yes' to "
                "data type bit.");
}

TEST_F(QueryTest, QuotedNumbersConvertLikeSqlServer) {
  EXPECT_THAT(Names("Age = '30'"), ElementsAre("Alice", "Eve"));
  EXPECT_THAT(Names("Score < ' 70.5 '"), ElementsAre("Eve"));
  ExpectInvalid(WhereError("Age = 'abc'"),
                "Conversion failed when converting the varchar value 'abc' to "
                "data type int.");
  ExpectInvalid(WhereError("Age = N'1.5'"),
                "Conversion failed when converting the nvarchar value '1.5' to "
                "data type int.");
  ExpectInvalid(WhereError("Score = 'x'"),
                "Error converting data type varchar to float.");
}

// --- names and errors --------------------------------------------------------

TEST_F(QueryTest, UnknownColumnsAreRefused) {
  ExpectInvalid(WhereError("Nope = 1"), "Invalid column name 'Nope'.");
  ExpectInvalid(WhereError("[Na me] = 1"), "Invalid column name 'Na me'.");
  ExpectInvalid(Error({"Name, Foo", "", "", ""}), "Invalid column name 'Foo'.");
  ExpectInvalid(Error({"", "", "Bar", ""}), "Invalid column name 'Bar'.");
  ExpectInvalid(Error({"", "", "", "Baz DESC"}), "Invalid column name 'Baz'.");
  ExpectInvalid(WhereError("@x = 1"),
                "Must declare the scalar variable \"@x\".");
}

TEST_F(QueryTest, PasswordFieldsAreNeverReadable) {
  EXPECT_EQ(WhereError("Secret = 's1'").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(WhereError("Secret IS NULL").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Error({"Name, Secret", "", "", ""}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Error({"LEN(secret)", "", "", ""}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Error({"Name", "", "", "Secret"}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Error({"COUNT(*)", "", "Secret", ""}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(WhereError("Secret = 's1'").message()),
              HasSubstr("Secret"));
}

TEST_F(QueryTest, SyntaxErrorsNameTheTokenLikeSqlServer) {
  ExpectInvalid(WhereError("Age ="), "Incorrect syntax near '='.");
  ExpectInvalid(WhereError("Age = 1 AND"),
                "Incorrect syntax near the keyword 'AND'.");
  ExpectInvalid(WhereError("Age = = 1"), "Incorrect syntax near '='.");
  ExpectInvalid(WhereError("(Age = 1"), "Incorrect syntax near '1'.");
  ExpectInvalid(WhereError("Age = 1)"), "Incorrect syntax near ')'.");
  ExpectInvalid(WhereError("Name = 'abc"),
                "Unclosed quotation mark after the character string 'abc'.");
  ExpectInvalid(WhereError("[Name = 1"),
                "Unclosed quotation mark after the character string 'Name = "
                "1'.");
  ExpectInvalid(WhereError("Age = 1 Name = 2"),
                "Incorrect syntax near 'Name'.");
  ExpectInvalid(WhereError("Age BETWEEN 1 OR 2"),
                "Incorrect syntax near the keyword 'OR'.");
  ExpectInvalid(WhereError("Age IS 5"), "Incorrect syntax near '5'.");
  ExpectInvalid(Error({"Name,", "", "", ""}), "Incorrect syntax near ','.");
  ExpectInvalid(Error({"Name AS", "", "", ""}),
                "Incorrect syntax near the keyword 'AS'.");
  ExpectInvalid(Error({"Age > 1", "", "", ""}), "Incorrect syntax near '>'.");
  ExpectInvalid(WhereError("Age"),
                "An expression of non-boolean type specified in a context "
                "where a condition is expected.");
  ExpectInvalid(WhereError("Age = 1 AND Name"),
                "An expression of non-boolean type specified in a context "
                "where a condition is expected.");
}

TEST_F(QueryTest, UnsupportedTsqlIsUnimplemented) {
  ExpectUnimplemented(WhereError("Age IN (SELECT Age FROM other)"),
                      "subqueries");
  ExpectUnimplemented(WhereError("(SELECT COUNT(*) FROM other) > 1"),
                      "subqueries");
  ExpectUnimplemented(WhereError("EXISTS (SELECT 1)"), "subqueries");
  ExpectUnimplemented(WhereError("Age > ALL (SELECT 1)"), "subqueries");
  ExpectUnimplemented(Error({"(SELECT COUNT(*) FROM other) AS c", "", "", ""}),
                      "subqueries");
  ExpectUnimplemented(
      Error({"ROW_NUMBER() OVER (ORDER BY Age) AS rnk", "", "", ""}),
      "window functions");
  ExpectUnimplemented(Error({"COUNT(*) OVER ()", "", "", ""}), "window");
  ExpectUnimplemented(WhereError("CASE WHEN Age > 1 THEN 1 END = 1"), "CASE");
  ExpectUnimplemented(WhereError("CAST(Age AS nvarchar) = '30'"), "CAST");
  ExpectUnimplemented(WhereError("CONVERT(nvarchar, Age) = '30'"), "CONVERT");
  ExpectUnimplemented(Error({"TOP 5 Name", "", "", ""}), "TOP");
  ExpectUnimplemented(Error({"DISTINCT City", "", "", ""}), "DISTINCT");
  ExpectUnimplemented(WhereError("Name COLLATE Latin1_General_CS_AS = 'x'"),
                      "COLLATE");
  ExpectUnimplemented(WhereError("Age & 1 = 1"), "bitwise");
  ExpectUnimplemented(WhereError("people.Age = 1"), "multi-part");
  ExpectUnimplemented(WhereError("REPLACE(Name, 'a', 'b') = 'x'"), "REPLACE");
  ExpectUnimplemented(WhereError("DATEADD(dayofyear, 1, Born) > Born"),
                      "dayofyear");
  ExpectUnimplemented(WhereError("Born + 1 > Born"), "DATEADD");
  ExpectUnimplemented(Error({"ROUND(Score, 1, 1)", "", "", ""}), "ROUND");
  ExpectUnimplemented(Error({"Name", "", "", "Name OFFSET 5 ROWS"}), "OFFSET");
  ExpectInvalid(WhereError("FOO(Age) = 1"),
                "'FOO' is not a recognized built-in function name.");
}

TEST_F(QueryTest, DeeplyNestedInputIsRefusedWithoutCrashing) {
  const std::string kTooDeep =
      "Some part of your SQL statement is nested too deeply. Rewrite the "
      "query or break it up into smaller queries.";
  std::string nested =
      std::string(1500, '(') + "Age = 1" + std::string(1500, ')');
  ExpectInvalid(WhereError(nested), kTooDeep);
  std::string nots;
  for (int i = 0; i < 500; ++i) nots += "NOT ";
  ExpectInvalid(WhereError(nots + "Age = 1"), kTooDeep);
  std::string minus;
  for (int i = 0; i < 1000; ++i) minus += "- ";
  ExpectInvalid(WhereError("Age = " + minus + "1"), kTooDeep);
  std::string sum = "Age";
  for (int i = 0; i < 300; ++i) sum += "+1";
  ExpectInvalid(WhereError(sum + " = 1"), kTooDeep);
  std::string calls = "Age";
  for (int i = 0; i < 300; ++i) calls = "ABS(" + calls + ")";
  ExpectInvalid(Error({calls, "", "", ""}), kTooDeep);
  // Moderate nesting is fine.
  std::string fine = std::string(50, '(') + "Age = 25" + std::string(50, ')');
  EXPECT_THAT(Names(fine), ElementsAre("bob"));
}

TEST_F(QueryTest, HugeInputIsRefused) {
  std::string huge = std::string(100000, '(');
  EXPECT_EQ(WhereError(huge).code(), absl::StatusCode::kInvalidArgument);
  std::string long_literal = "Name = '" + std::string(5000, 'x') + "'";
  EXPECT_EQ(WhereError(long_literal).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Error({std::string(5000, ' ') + "Name", "", "", ""}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CompileWhere(table_, huge).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(QueryTest, LongFlatConditionsAreFine) {
  std::string where = "PK_ID = 0";
  for (int i = 1; i <= 300; ++i) where += " OR PK_ID=" + std::to_string(i % 7);
  EXPECT_THAT(Names(where),
              ElementsAre("Alice", "bob", "Carol", "dave", "Eve"));
  std::string in = "PK_ID IN (0";
  for (int i = 0; i < 1000; ++i) in += ",2";
  EXPECT_THAT(Names(in + ")"), ElementsAre("bob"));
}

// --- aggregates and grouping
// ---------------------------------------------------

TEST_F(QueryTest, AggregatesWithoutGroupBy) {
  absl::StatusOr<CompiledSelect> compiled = Compile(
      {"COUNT(*), COUNT(Age), COUNT(DISTINCT City), SUM(Age), AVG(Age), "
       "MIN(Name), MAX(Name), MIN(Born), MAX(Score), SUM(Score)",
       "", "", ""});
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  EXPECT_TRUE(compiled->aggregate);
  EXPECT_FALSE(compiled->ordered);
  EXPECT_THAT(compiled->sql, Not(HasSubstr("ORDER BY")));
  std::vector<ValueKind> kinds;
  for (const Column& column : compiled->columns) kinds.push_back(column.kind);
  EXPECT_THAT(kinds, ElementsAre(ValueKind::kInteger, ValueKind::kInteger,
                                 ValueKind::kInteger, ValueKind::kInteger,
                                 ValueKind::kNumber, ValueKind::kText,
                                 ValueKind::kText, ValueKind::kDateTime,
                                 ValueKind::kNumber, ValueKind::kNumber));
  // DISTINCT, MIN and MAX ignore case: Paris = paris, Eve > dave.
  EXPECT_EQ(db_.Query(compiled->sql, compiled->params),
            (Rows{{"5", "4", "3", "126", "31.5", "Alice", "Eve",
                   "1983-07-04T00:00:00", "95", "315.75"}}));
}

TEST_F(QueryTest, AggregatesWithDistinctAndWhere) {
  EXPECT_EQ(Read({"SUM(DISTINCT Age), COUNT(DISTINCT Age)", "Age > 0", "", ""}),
            (Rows{{"96", "3"}}));
  EXPECT_EQ(Read({"COUNT(*) AS n", "City = 'nowhere'", "", ""}), (Rows{{"0"}}));
  EXPECT_EQ(Read({"count(*) + 1, MAX(Age) - MIN(Age)", "", "", ""}),
            (Rows{{"6", "16"}}));
}

TEST_F(QueryTest, GroupByTextGroupsWithoutCaseAndOrdersByKeys) {
  absl::StatusOr<CompiledSelect> compiled =
      Compile({"City, COUNT(*) AS n", "", "City", ""});
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  EXPECT_TRUE(compiled->aggregate);
  EXPECT_FALSE(compiled->ordered);
  EXPECT_EQ(compiled->columns[1].name, "n");
  Rows rows = db_.Query(compiled->sql, compiled->params);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_THAT(rows[0], ElementsAre("Berlin", "1"));
  EXPECT_THAT(rows[1], ElementsAre("London", "2"));
  EXPECT_EQ(rows[2][1], "2");
  EXPECT_THAT(rows[2][0], AnyOf("Paris", "paris"));
}

TEST_F(QueryTest, GroupedReadsOrderByAliasesAndAggregates) {
  EXPECT_EQ(Read({"City, COUNT(*) AS n", "", "City", "n DESC, City"}),
            (Rows{{"London", "2"}, {"Paris", "2"}, {"Berlin", "1"}}));
  // Ties end in GROUP BY key order, so pages stay stable.
  EXPECT_EQ(Read({"City, COUNT(*) AS n", "", "City", "n DESC"}),
            (Rows{{"London", "2"}, {"Paris", "2"}, {"Berlin", "1"}}));
  EXPECT_EQ(Read({"City", "", "City", "SUM(Age) DESC"}),
            (Rows{{"Paris"}, {"London"}, {"Berlin"}}));
  EXPECT_EQ(Read({"YEAR(Born) AS y, COUNT(*)", "Born IS NOT NULL", "YEAR(Born)",
                  "y DESC"}),
            (Rows{{"2024", "1"}, {"1999", "1"}, {"1994", "1"}, {"1983", "1"}}));
  EXPECT_EQ(Read({"Active, Age + 1, COUNT(*)", "Age IS NOT NULL", "Active, Age",
                  "1, 2"}),
            (Rows{{"0", "26", "1"}, {"1", "31", "2"}, {"1", "42", "1"}}));
}

TEST_F(QueryTest, UngroupedColumnsAreRefusedLikeSqlServer) {
  ExpectInvalid(Error({"Name, COUNT(*)", "", "City", ""}),
                "Column 'Name' is invalid in the select list because it is not "
                "contained in either an aggregate function or the GROUP BY "
                "clause.");
  ExpectInvalid(Error({"name, COUNT(*)", "", "", ""}),
                "Column 'Name' is invalid in the select list because it is not "
                "contained in either an aggregate function or the GROUP BY "
                "clause.");
  ExpectInvalid(
      Error({"*", "", "City", ""}),
      "Column 'PK_ID' is invalid in the select list because it is not "
      "contained in either an aggregate function or the GROUP BY "
      "clause.");
  ExpectInvalid(Error({"Age", "", "Age + 1", ""}),
                "Column 'Age' is invalid in the select list because it is not "
                "contained in either an aggregate function or the GROUP BY "
                "clause.");
  ExpectInvalid(Error({"City", "", "City", "Name"}),
                "Column 'Name' is invalid in the ORDER BY clause because it is "
                "not contained in either an aggregate function or the GROUP BY "
                "clause.");
  ExpectInvalid(Error({"Name", "", "", "COUNT(*)"}),
                "Column 'Name' is invalid in the select list because it is not "
                "contained in either an aggregate function or the GROUP BY "
                "clause.");
}

TEST_F(QueryTest, AggregatesOnlyWhereSqlServerAllowsThem) {
  EXPECT_THAT(std::string(WhereError("COUNT(*) > 1").message()),
              StartsWith("An aggregate may not appear in the WHERE clause"));
  EXPECT_THAT(std::string(WhereError("SUM(Age) > 1").message()),
              StartsWith("An aggregate may not appear in the WHERE clause"));
  ExpectInvalid(Error({"COUNT(*)", "", "COUNT(*)", ""}),
                "Cannot use an aggregate or a subquery in an expression used "
                "for the group by list of a GROUP BY clause.");
  ExpectInvalid(Error({"SUM(MAX(Age))", "", "", ""}),
                "Cannot perform an aggregate function on an expression "
                "containing an aggregate or a subquery.");
  ExpectInvalid(Error({"COUNT(*)", "", "1", ""}),
                "Each GROUP BY expression must contain at least one column "
                "that is not an outer reference.");
  ExpectInvalid(Error({"SUM(Name)", "", "", ""}),
                "Operand data type nvarchar is invalid for sum operator.");
  ExpectInvalid(Error({"AVG(Born)", "", "", ""}),
                "Operand data type datetime is invalid for avg operator.");
  ExpectInvalid(Error({"COUNT(Age, Name)", "", "", ""}),
                "The count function requires 1 argument(s).");
  ExpectInvalid(Error({"SUM(*)", "", "", ""}), "Incorrect syntax near '*'.");
}

// --- functions
// -----------------------------------------------------------------

TEST_F(QueryTest, TextFunctions) {
  EXPECT_EQ(Eval("LEN('abc  ')"), "3");
  EXPECT_EQ(Eval("LEN(Name)"), "5");
  EXPECT_EQ(Eval("LEN(N'héllo')"), "5");
  EXPECT_EQ(Eval("LEN('')"), "0");
  EXPECT_EQ(Eval("LEN(Notes)", 2), "NULL");
  EXPECT_EQ(Eval("UPPER(Name)"), "ALICE");
  EXPECT_EQ(Eval("lower(Name)"), "alice");
  EXPECT_EQ(Eval("'[' + LTRIM('  a  ') + ']'"), "[a  ]");
  EXPECT_EQ(Eval("'[' + RTRIM('  a  ') + ']'"), "[  a]");
  EXPECT_EQ(Eval("'[' + TRIM('  a  ') + ']'"), "[a]");
  EXPECT_EQ(Eval("SUBSTRING('abcdef', 2, 3)"), "bcd");
  EXPECT_EQ(Eval("SUBSTRING('abc', 0, 2)"), "a");
  EXPECT_EQ(Eval("SUBSTRING('abc', -1, 3)"), "a");
  EXPECT_EQ(Eval("SUBSTRING('abc', 2, 100)"), "bc");
  EXPECT_EQ(Eval("SUBSTRING('abc', 5, 1)"), "");
  EXPECT_EQ(Eval("SUBSTRING(N'héllo', 2, 2)"), "él");
  EXPECT_EQ(Eval("SUBSTRING(Name, 1, 3)"), "Ali");
  EXPECT_THAT(Eval("SUBSTRING('abc', 1, -1)"), HasSubstr("Invalid length"));
  EXPECT_EQ(Eval("CHARINDEX('B', 'abcb')"), "2");
  EXPECT_EQ(Eval("CHARINDEX('b', 'abcb', 3)"), "4");
  EXPECT_EQ(Eval("CHARINDEX('z', 'abc')"), "0");
  EXPECT_EQ(Eval("CHARINDEX('lic', Name)"), "2");
  EXPECT_EQ(Eval("CHARINDEX(NULL, Name)"), "NULL");
  EXPECT_EQ(Eval("Name + ' from ' + City"), "Alice from Paris");
  EXPECT_EQ(Eval("Name + Notes", 2), "NULL");
}

TEST_F(QueryTest, NullFunctions) {
  EXPECT_EQ(Eval("ISNULL(Age, 0)", 4), "0");
  EXPECT_EQ(Eval("ISNULL(Age, 0)", 1), "30");
  EXPECT_EQ(Eval("ISNULL(Age, '7')", 4), "7");
  EXPECT_EQ(Eval("COALESCE(Notes, City, 'x')", 2), "London");
  EXPECT_EQ(Eval("COALESCE(NULL, NULL, 'x')", 2), "x");
  EXPECT_EQ(Eval("ISNULL(Born, '2020-01-01')", 4), "2020-01-01T00:00:00");
  EXPECT_THAT(Names("ISNULL(Age, 0) = 0"), ElementsAre("dave"));
  ExpectInvalid(Error({"ISNULL(Age)", "", "", ""}),
                "The isnull function requires 2 argument(s).");
  ExpectInvalid(Error({"COALESCE(Age)", "", "", ""}),
                "The coalesce function requires at least 2 argument(s).");
}

TEST_F(QueryTest, NumberFunctions) {
  EXPECT_EQ(Eval("ROUND(2.675, 2)"), "2.68");
  EXPECT_EQ(Eval("ROUND(123.456, -1)"), "120");
  EXPECT_EQ(Eval("ROUND(-2.5, 0)"), "-3");
  EXPECT_EQ(Eval("ROUND(Score, 0)"), "89");
  EXPECT_EQ(Eval("ROUND(Age, -1)", 3), "40");
  EXPECT_EQ(Eval("ROUND(Age, -1)", 2), "30");
  EXPECT_EQ(Eval("ROUND(-45, -1)"), "-50");
  EXPECT_EQ(Eval("ROUND(Age, 2)", 3), "41");
  EXPECT_EQ(Eval("ABS(-5)"), "5");
  EXPECT_EQ(Eval("ABS(0 - Score)"), "88.5");
  EXPECT_EQ(Eval("ABS(Age)", 4), "NULL");
}

TEST_F(QueryTest, DateFunctions) {
  EXPECT_EQ(Eval("YEAR(Born)"), "1994");
  EXPECT_EQ(Eval("MONTH(Born)"), "3");
  EXPECT_EQ(Eval("DAY(Born)"), "15");
  EXPECT_EQ(Eval("YEAR('2024-02-29')"), "2024");
  EXPECT_EQ(Eval("YEAR(Born)", 4), "NULL");
  EXPECT_EQ(Eval("DATEPART(quarter, Born)"), "1");
  EXPECT_EQ(Eval("DATEPART(hh, Born)"), "8");
  EXPECT_EQ(Eval("DATEPART(week, '2024-01-07')"), "2");
  EXPECT_EQ(Eval("DATEADD(month, 1, '2024-01-31')"), "2024-02-29T00:00:00");
  EXPECT_EQ(Eval("DATEADD(yy, 1, '2024-02-29')"), "2025-02-28T00:00:00");
  EXPECT_EQ(Eval("DATEADD(day, -1, Born)"), "1994-03-14T08:30:00");
  EXPECT_EQ(Eval("DATEADD(hh, 16, Born)"), "1994-03-16T00:30:00");
  EXPECT_EQ(Eval("DATEADD(mi, -31, Born)"), "1994-03-15T07:59:00");
  EXPECT_EQ(Eval("DATEADD(ss, 3600, Born)"), "1994-03-15T09:30:00");
  EXPECT_EQ(Eval("DATEADD(wk, 2, Born)"), "1994-03-29T08:30:00");
  EXPECT_EQ(Eval("DATEADD(quarter, 4, Born)"), "1995-03-15T08:30:00");
  EXPECT_EQ(Eval("DATEADD(DAY, '2', Born)"), "1994-03-17T08:30:00");
  EXPECT_THAT(Eval("DATEADD(year, 9000, Born)"), HasSubstr("overflow"));
  EXPECT_EQ(Eval("DATEDIFF(year, '2023-12-31', '2024-01-01')"), "1");
  EXPECT_EQ(Eval("DATEDIFF(quarter, '2024-03-31', '2024-04-01')"), "1");
  EXPECT_EQ(Eval("DATEDIFF(month, '2024-01-31', '2024-02-01')"), "1");
  EXPECT_EQ(Eval("DATEDIFF(day, '2024-01-01 23:59', '2024-01-02 00:01')"), "1");
  EXPECT_EQ(Eval("DATEDIFF(dd, '2024-03-01', '2024-02-01')"), "-29");
  EXPECT_EQ(Eval("DATEDIFF(week, '2024-01-06', '2024-01-07')"), "1");
  EXPECT_EQ(Eval("DATEDIFF(wk, '2024-01-07', '2024-01-13')"), "0");
  EXPECT_EQ(Eval("DATEDIFF(hour, '2024-01-01 10:59', '2024-01-01 11:00')"),
            "1");
  EXPECT_EQ(Eval("DATEDIFF(n, '2024-01-01 10:00:59', '2024-01-01 10:01:00')"),
            "1");
  EXPECT_EQ(Eval("DATEDIFF(s, '2024-01-01', '2024-01-02')"), "86400");
  EXPECT_EQ(Eval("DATEDIFF(year, Born, '2024-01-01')", 1), "30");
  EXPECT_THAT(Names("DATEDIFF(day, Born, '2024-01-02') = 1"),
              ElementsAre("Eve"));
  EXPECT_THAT(
      Eval("GETDATE()"),
      MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"));
  EXPECT_THAT(Eval("CURRENT_TIMESTAMP"), MatchesRegex("[0-9]{4}-.*"));
  EXPECT_THAT(Eval("YEAR(LTRIM('nope'))"), HasSubstr("Conversion failed"));
}

TEST_F(QueryTest, DateFunctionErrors) {
  ExpectInvalid(Error({"DATEADD(fortnight, 1, Born)", "", "", ""}),
                "'fortnight' is not a recognized dateadd option.");
  ExpectInvalid(Error({"DATEDIFF('day', Born, Born)", "", "", ""}),
                "Invalid parameter 1 specified for datediff.");
  ExpectInvalid(Error({"YEAR('soon')", "", "", ""}),
                "Conversion failed when converting date and/or time from "
                "character string.");
  ExpectInvalid(Error({"YEAR(Age)", "", "", ""}),
                "Argument data type int is invalid for argument 1 of year "
                "function.");
  ExpectInvalid(Error({"DATEADD(day, Name, Born)", "", "", ""}),
                "Argument data type nvarchar is invalid for argument 2 of "
                "dateadd function.");
  ExpectInvalid(Error({"GETDATE(1)", "", "", ""}),
                "The getdate function requires 0 argument(s).");
}

TEST_F(QueryTest, FunctionNamesAreCaseInsensitive) {
  EXPECT_EQ(Eval("len(name)"), "5");
  EXPECT_EQ(Eval("Upper(Name)"), "ALICE");
  EXPECT_EQ(Eval("dateAdd(Day, 1, '2024-01-01')"), "2024-01-02T00:00:00");
  EXPECT_EQ(Eval("getdate()").size(), 19u);
  ExpectInvalid(Error({"LEN(Name, 1)", "", "", ""}),
                "The len function requires 1 argument(s).");
  ExpectInvalid(Error({"charindex('a')", "", "", ""}),
                "The charindex function requires 2 to 3 arguments.");
  ExpectInvalid(Error({"Foo(Name)", "", "", ""}),
                "'Foo' is not a recognized built-in function name.");
}

TEST_F(QueryTest, ColumnKindsFollowTheExpression) {
  absl::StatusOr<CompiledSelect> compiled = Compile(
      {"Age + 1, Age / 2, Score + 1, Active, UPPER(Name), YEAR(Born), "
       "DATEADD(day, 1, Born), GETDATE(), LEN(Name), CHARINDEX('a', Name), "
       "DATEDIFF(day, Born, Born), -Age, ISNULL(Born, '2024-01-01'), "
       "ROUND(Score, 1), 1, 1.5, 'x', NULL, Active + 1",
       "", "", ""});
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  std::vector<ValueKind> kinds;
  for (const Column& column : compiled->columns) kinds.push_back(column.kind);
  using K = ValueKind;
  EXPECT_THAT(kinds,
              ElementsAre(K::kInteger, K::kNumber, K::kNumber, K::kYesNo,
                          K::kText, K::kInteger, K::kDateTime, K::kDateTime,
                          K::kInteger, K::kInteger, K::kInteger, K::kInteger,
                          K::kDateTime, K::kNumber, K::kInteger, K::kNumber,
                          K::kText, K::kText, K::kInteger));
  EXPECT_EQ(db_.Query(compiled->sql, compiled->params).size(), 5u);
}

TEST_F(QueryTest, OperandTypesAreChecked) {
  ExpectInvalid(WhereError("Name - 1 = 0"),
                "Operand data type nvarchar is invalid for subtract operator.");
  ExpectInvalid(WhereError("-Name = 0"),
                "Operand data type nvarchar is invalid for minus operator.");
  ExpectInvalid(WhereError("Age * 'x' = 0"),
                "Operand data type nvarchar is invalid for multiply operator.");
}

// --- CompileWhere ------------------------------------------------------------

TEST_F(QueryTest, CompileWhereDrivesDeletesAndUpdates) {
  absl::StatusOr<CompiledWhere> where =
      CompileWhere(table_, "City = 'LONDON' AND Born < '2020-01-01'");
  ASSERT_TRUE(where.ok()) << where.status();
  db_.Query("DELETE FROM \"people data\" WHERE " + where->sql, where->params);
  EXPECT_EQ(sqlite3_changes(db_.db()), 1);
  EXPECT_THAT(Names(""), ElementsAre("Alice", "Carol", "dave", "Eve"));

  where = CompileWhere(table_, "Name LIKE '[ac]%'");
  ASSERT_TRUE(where.ok());
  std::vector<Param> params = {std::int64_t{99}};
  params.insert(params.end(), where->params.begin(), where->params.end());
  db_.Query("UPDATE \"people data\" SET Age = ? WHERE " + where->sql, params);
  EXPECT_THAT(Names("Age = 99"), ElementsAre("Alice", "Carol"));
}

TEST_F(QueryTest, CompileWhereRules) {
  absl::StatusOr<CompiledWhere> empty = CompileWhere(table_, "");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->sql, "1");
  EXPECT_TRUE(empty->params.empty());
  EXPECT_THAT(
      std::string(CompileWhere(table_, "COUNT(*) > 0").status().message()),
      StartsWith("An aggregate may not appear in the WHERE clause"));
  ExpectInvalid(CompileWhere(table_, "Flag = 1").status(),
                "Invalid column name 'Flag'.");
  ExpectInvalid(CompileWhere(table_, "Active = true").status(),
                "Invalid column name 'true'.");
  EXPECT_EQ(CompileWhere(table_, "Secret = 'x'").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace caspio::emulator::query
