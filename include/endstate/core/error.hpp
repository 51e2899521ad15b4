#pragma once
// Errors and results: one error type with a category, and Result<T> for
// expected outcomes. Exceptions (endstate::Error) only abort an operation.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace endstate {

/// What kind of failure; maps one-to-one onto the CLI exit codes (DESIGN.md).
enum class ErrorCategory {
  kUsage = 1,     ///< the command line is wrong
  kBadInput = 2,  ///< an input file or value is wrong; nothing was written
  kNotFound = 3,  ///< a named thing (file, area, site) does not exist
  kInternal = 4,  ///< a bug or an environment failure
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
  /// Process exit code for this error (1..4).
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

/// A value or an error, for outcomes a caller is expected to handle.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}      // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }
  [[nodiscard]] const T& value() const& { return checked(); }
  [[nodiscard]] T& value() & { return const_cast<T&>(checked()); }
  [[nodiscard]] T&& value() && { return std::move(const_cast<T&>(checked())); }
  [[nodiscard]] const Error& error() const { return std::get<Error>(v_); }
  /// The value, or throws the error.
  T take() && {
    if (!ok()) throw std::get<Error>(v_);
    return std::move(std::get<T>(v_));
  }

 private:
  const T& checked() const {
    if (!ok()) throw std::get<Error>(v_);
    return std::get<T>(v_);
  }
  std::variant<T, Error> v_;
};

}  // namespace endstate
