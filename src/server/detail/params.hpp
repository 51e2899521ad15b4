#pragma once
// Request parameters of one route, declared (name, type, range, default,
// help) so that the server can refuse unknown names, convert values with
// errors that name the parameter, and describe them in OpenAPI. Values come
// from the query string (GET) or from a JSON object body (POST), and are
// named as the engine's request fields, so an engine error's field is the
// parameter's name.

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "endstate/core/types.hpp"

namespace endstate::server::detail {

using Json = nlohmann::ordered_json;

enum class ParamType { kString, kInteger, kNumber, kBoolean, kMonth, kList, kChoice };

/// "string", "integer", "number", "boolean", "month", "list", "choice".
const char* to_string(ParamType t);

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::kString;
  std::string help;
  std::string default_value;         ///< as text; "" = none
  std::vector<std::string> choices;  ///< kChoice
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool required = false;
  /// kString, kList: the text of a file (a plan YAML, a localities CSV): no
  /// 10000-byte limit (the body's limit holds), kept as sent, and a list of
  /// documents is a JSON array only (never split at commas).
  bool document = false;
};

/// Shorthands for declaring parameters.
ParamSpec str_param(std::string name, std::string help, std::string def = "");
ParamSpec month_param(std::string name, std::string help, bool required = false);
ParamSpec int_param(std::string name, std::string help, std::string def, double lo, double hi);
ParamSpec num_param(std::string name, std::string help, std::string def, double lo, double hi);
ParamSpec bool_param(std::string name, std::string help);
ParamSpec list_param(std::string name, std::string help);
ParamSpec choice_param(std::string name, std::string help, std::vector<std::string> choices, std::string def);
/// A file's text in a JSON body (ParamSpec::document).
ParamSpec doc_param(std::string name, std::string help);
/// A list of files' texts: a JSON array of strings.
ParamSpec doc_list_param(std::string name, std::string help);

/// The parameters of one call, checked against the route's specs on construction.
class Params {
 public:
  Params() = default;
  /// From the query string: every value a single string (a name given twice is refused).
  static Params from_query(const std::multimap<std::string, std::string>& query, const std::vector<ParamSpec>& specs);
  /// From a JSON object body (numbers, strings, booleans, arrays of strings); "" = {}.
  static Params from_json(const std::string& body, const std::vector<ParamSpec>& specs);
  /// From stored parameters (a job's params), not checked again.
  static Params from_stored(const Json& values, const std::vector<ParamSpec>& specs);

  [[nodiscard]] bool has(const std::string& name) const;
  /// The value as text, or the declared default.
  [[nodiscard]] std::string text(const std::string& name) const;
  [[nodiscard]] std::optional<Month> month(const std::string& name) const;
  /// Whole number within the declared range (default when absent).
  [[nodiscard]] std::int64_t integer(const std::string& name) const;
  [[nodiscard]] std::optional<std::int64_t> maybe_integer(const std::string& name) const;
  [[nodiscard]] double number(const std::string& name) const;
  [[nodiscard]] std::optional<double> maybe_number(const std::string& name) const;
  [[nodiscard]] bool flag(const std::string& name) const;
  [[nodiscard]] std::vector<std::string> list(const std::string& name) const;

  /// Every given value, canonical (sorted by name): a job's stored parameters and the cache key.
  [[nodiscard]] const Json& values() const { return values_; }

 private:
  const ParamSpec& spec(const std::string& name) const;
  void check_all() const;
  Json values_ = Json::object();
  std::vector<ParamSpec> specs_;
};

}  // namespace endstate::server::detail
