#include "endstate/core/error.hpp"

namespace endstate {
namespace {

std::string format_error(const std::string& message, const Position& where) {
  std::string out;
  if (!where.file.empty()) {
    out += where.file;
    if (where.line > 0) out += ":" + std::to_string(where.line);
    out += ": ";
  } else if (where.line > 0) {
    out += "line " + std::to_string(where.line) + ": ";
  }
  if (!where.field.empty()) out += "field '" + where.field + "': ";
  out += message;
  return out;
}

}  // namespace

Error::Error(ErrorCategory category, std::string message, Position where)
    : std::runtime_error(format_error(message, where)),
      category_(category),
      message_(std::move(message)),
      where_(std::move(where)) {}

Error usage_error(std::string message) { return {ErrorCategory::kUsage, std::move(message)}; }
Error bad_input(std::string message, Position where) {
  return {ErrorCategory::kBadInput, std::move(message), std::move(where)};
}
Error not_found(std::string message) { return {ErrorCategory::kNotFound, std::move(message)}; }
Error internal_error(std::string message) { return {ErrorCategory::kInternal, std::move(message)}; }
Error environment_error(std::string message) { return {ErrorCategory::kEnvironment, std::move(message)}; }
Error invalid_field(std::string field, std::string message) {
  return {ErrorCategory::kUsage, std::move(message), Position{"", 0, std::move(field)}};
}

}  // namespace endstate
