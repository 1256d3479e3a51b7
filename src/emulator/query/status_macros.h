// Early-return helpers for absl::Status and absl::StatusOr, for the query
// compiler's own .cc files only.
#ifndef CASPIO_EMULATOR_QUERY_STATUS_MACROS_H_
#define CASPIO_EMULATOR_QUERY_STATUS_MACROS_H_

#include <utility>

#define RETURN_IF_ERROR(expr)          \
  do {                                 \
    absl::Status status_ = (expr);     \
    if (!status_.ok()) return status_; \
  } while (false)

// Declares `lhs` holding the value of the StatusOr `expr`, or returns its
// error. `lhs` must be a new name in the scope.
#define ASSIGN_OR_RETURN(lhs, expr)             \
  auto lhs##_or = (expr);                       \
  if (!lhs##_or.ok()) return lhs##_or.status(); \
  auto lhs = *std::move(lhs##_or)

#endif  // CASPIO_EMULATOR_QUERY_STATUS_MACROS_H_
