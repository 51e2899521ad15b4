#pragma once
// Errors: one error type with a category. An Error aborts an operation (a
// call that could not do its work); what a model concludes (an infeasible
// plan, a solver's time limit) is a value in the result, not an Error.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace endstate {

/// What kind of failure; maps one-to-one onto the CLI exit codes (README, docs/cli.md).
enum class ErrorCategory {
  kUsage = 1,     ///< the command line is wrong
  kBadInput = 2,  ///< an input file or value is wrong; nothing was written
  kNotFound = 3,  ///< a named thing (file, area, site) does not exist
  kInternal = 4,  ///< a defect in endstate, and nothing else
  /// The environment refused: the database is locked by another process past
  /// the busy timeout, the disk is full, an output cannot be written.
  kEnvironment = 5,
};

/// Where in an input a problem sits: file, 1-based line and field (any may be empty).
struct Position {
  std::string file;
  std::int64_t line = 0;
  std::string field;
};

/// The one error type. `what()` gives "file:line: field: message".
class Error : public std::runtime_error {
 public:
  Error(ErrorCategory category, std::string message, Position where = {});

  [[nodiscard]] ErrorCategory category() const { return category_; }
  [[nodiscard]] const Position& where() const { return where_; }
  [[nodiscard]] const std::string& message() const { return message_; }
  /// Process exit code for this error (1..5).
  [[nodiscard]] int exit_code() const { return static_cast<int>(category_); }

 private:
  ErrorCategory category_;
  std::string message_;
  Position where_;
};

/// Shorthands that build an Error of one category.
Error usage_error(std::string message);
Error bad_input(std::string message, Position where = {});
Error not_found(std::string message);
Error internal_error(std::string message);
Error environment_error(std::string message);
/// A request field out of range or malformed (kUsage with where.field set):
/// front ends name the field their own way (the CLI as its --flag).
Error invalid_field(std::string field, std::string message);

}  // namespace endstate
