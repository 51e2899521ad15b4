#pragma once
// RFC 9457 problem documents: the CLI's error categories mapped to HTTP
// status codes (usage 400, bad input 422, not found 404, environment 503 and
// 409 for a locked store, internal 500), with the field that is wrong.

#include <cstdint>
#include <string>

#include "endstate/core/error.hpp"

namespace endstate::server::detail {

struct Problem {
  int status = 500;
  std::string type;  ///< urn:endstate:problem:<name>
  std::string title;
  std::string detail;
  std::string field;  ///< the request parameter (or body member) that is wrong
  std::string file;   ///< an input file (a framework upload), when known
  std::int64_t line = 0;
  int exit_code = 0;  ///< the CLI's exit code for the same error (0 = none)
};

/// The problem of an engine error.
Problem problem_of(const Error& e);
/// A problem of the HTTP layer (401, 403, 404, 405, 413, 429 ...).
Problem http_problem(int status, const std::string& detail, const std::string& field = "");
/// The JSON text (application/problem+json) of a problem at `instance` (the request path).
std::string problem_json(const Problem& p, const std::string& instance);

}  // namespace endstate::server::detail
