#include "server/detail/problem.hpp"

#include <nlohmann/json.hpp>

namespace endstate::server::detail {

namespace {

const char* reason(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Error";
  }
}

std::string type_for(int status) {
  switch (status) {
    case 400:
      return "urn:endstate:problem:usage";
    case 401:
      return "urn:endstate:problem:unauthorized";
    case 403:
      return "urn:endstate:problem:forbidden";
    case 404:
      return "urn:endstate:problem:not-found";
    case 405:
      return "urn:endstate:problem:method-not-allowed";
    case 408:
      return "urn:endstate:problem:timeout";
    case 409:
      return "urn:endstate:problem:locked";
    case 413:
    case 414:
      return "urn:endstate:problem:too-large";
    case 415:
      return "urn:endstate:problem:media-type";
    case 422:
      return "urn:endstate:problem:bad-input";
    case 429:
      return "urn:endstate:problem:throttled";
    case 503:
      return "urn:endstate:problem:environment";
    default:
      return "urn:endstate:problem:internal";
  }
}

}  // namespace

Problem problem_of(const Error& e) {
  Problem p;
  p.exit_code = e.exit_code();
  switch (e.category()) {
    case ErrorCategory::kUsage:
      p.status = 400;
      break;
    case ErrorCategory::kBadInput:
      p.status = 422;
      break;
    case ErrorCategory::kNotFound:
      p.status = 404;
      break;
    case ErrorCategory::kInternal:
      p.status = 500;
      break;
    case ErrorCategory::kEnvironment:
      p.status = e.message().find("locked") != std::string::npos ? 409 : 503;
      break;
  }
  p.type = type_for(p.status);
  if (e.category() == ErrorCategory::kNotFound) p.type = "urn:endstate:problem:not-found";
  if (e.category() == ErrorCategory::kEnvironment && p.status == 503) p.type = "urn:endstate:problem:environment";
  p.title = reason(p.status);
  p.detail = e.message();
  p.field = e.where().field;
  p.file = e.where().file;
  p.line = e.where().line;
  return p;
}

Problem http_problem(int status, const std::string& detail, const std::string& field) {
  Problem p;
  p.status = status;
  p.type = type_for(status);
  p.title = reason(status);
  p.detail = detail;
  p.field = field;
  return p;
}

std::string problem_json(const Problem& p, const std::string& instance) {
  nlohmann::ordered_json j;
  j["type"] = p.type;
  j["title"] = p.title;
  j["status"] = p.status;
  j["detail"] = p.detail;
  j["instance"] = instance;
  if (!p.field.empty()) j["field"] = p.field;
  if (!p.file.empty()) j["file"] = p.file;
  if (p.line > 0) j["line"] = p.line;
  if (p.exit_code > 0) j["exit_code"] = p.exit_code;
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace endstate::server::detail
