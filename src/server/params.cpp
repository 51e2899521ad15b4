#include "server/detail/params.hpp"

#include <cmath>

#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/core/utf8.hpp"

namespace endstate::server::detail {

const char* to_string(ParamType t) {
  switch (t) {
    case ParamType::kString:
      return "string";
    case ParamType::kInteger:
      return "integer";
    case ParamType::kNumber:
      return "number";
    case ParamType::kBoolean:
      return "boolean";
    case ParamType::kMonth:
      return "month";
    case ParamType::kList:
      return "list";
    case ParamType::kChoice:
      return "choice";
  }
  return "string";
}

ParamSpec str_param(std::string name, std::string help, std::string def) {
  ParamSpec p;
  p.name = std::move(name);
  p.help = std::move(help);
  p.default_value = std::move(def);
  return p;
}
ParamSpec month_param(std::string name, std::string help, bool required) {
  ParamSpec p = str_param(std::move(name), std::move(help));
  p.type = ParamType::kMonth;
  p.required = required;
  return p;
}
ParamSpec int_param(std::string name, std::string help, std::string def, double lo, double hi) {
  ParamSpec p = str_param(std::move(name), std::move(help), std::move(def));
  p.type = ParamType::kInteger;
  p.lo = lo;
  p.hi = hi;
  return p;
}
ParamSpec num_param(std::string name, std::string help, std::string def, double lo, double hi) {
  ParamSpec p = int_param(std::move(name), std::move(help), std::move(def), lo, hi);
  p.type = ParamType::kNumber;
  return p;
}
ParamSpec bool_param(std::string name, std::string help) {
  ParamSpec p = str_param(std::move(name), std::move(help), "false");
  p.type = ParamType::kBoolean;
  return p;
}
ParamSpec list_param(std::string name, std::string help) {
  ParamSpec p = str_param(std::move(name), std::move(help));
  p.type = ParamType::kList;
  return p;
}
ParamSpec choice_param(std::string name, std::string help, std::vector<std::string> choices, std::string def) {
  ParamSpec p = str_param(std::move(name), std::move(help), std::move(def));
  p.type = ParamType::kChoice;
  p.choices = std::move(choices);
  return p;
}

ParamSpec doc_param(std::string name, std::string help) {
  ParamSpec p = str_param(std::move(name), std::move(help));
  p.document = true;
  return p;
}
ParamSpec doc_list_param(std::string name, std::string help) {
  ParamSpec p = list_param(std::move(name), std::move(help));
  p.document = true;
  return p;
}

namespace {

const ParamSpec* find(const std::vector<ParamSpec>& specs, const std::string& name) {
  for (const auto& s : specs)
    if (s.name == name) return &s;
  return nullptr;
}

[[noreturn]] void unknown(const std::string& name, const std::vector<ParamSpec>& specs) {
  std::string names;
  for (const auto& s : specs) names += (names.empty() ? "" : ", ") + s.name;
  throw invalid_field(name, "is not a parameter of this route (parameters: " + (names.empty() ? "none" : names) + ")");
}

std::string range_text(const ParamSpec& s) {
  auto num = [](double v) {
    std::string t = std::to_string(v);
    if (std::floor(v) == v && std::abs(v) < 1e15) t = std::to_string(static_cast<long long>(v));
    return t;
  };
  if (std::isinf(s.lo) && std::isinf(s.hi)) return "";
  if (std::isinf(s.hi)) return " >= " + num(s.lo);
  if (std::isinf(s.lo)) return " <= " + num(s.hi);
  return " in [" + num(s.lo) + ", " + num(s.hi) + "]";
}

void check_text(const ParamSpec& s, const std::string& v) {
  if (!is_valid_utf8(v)) throw invalid_field(s.name, "is not valid UTF-8");
  if (v.find('\0') != std::string::npos) throw invalid_field(s.name, "contains a NUL byte");
  if (!s.document && v.size() > 10000) throw invalid_field(s.name, "is longer than 10000 bytes");
}

}  // namespace

Params Params::from_query(const std::multimap<std::string, std::string>& query, const std::vector<ParamSpec>& specs) {
  Params p;
  p.specs_ = specs;
  for (const auto& [k, v] : query) {
    const ParamSpec* s = find(specs, k);
    if (!s) unknown(k, specs);
    if (p.values_.contains(k)) throw invalid_field(k, "is given more than once");
    if (s->document) throw invalid_field(k, "is a file's text: send it in a JSON body");
    check_text(*s, v);
    p.values_[k] = v;
  }
  p.check_all();
  return p;
}

Params Params::from_json(const std::string& body, const std::vector<ParamSpec>& specs) {
  Params p;
  p.specs_ = specs;
  if (trim(body).empty()) {
    p.check_all();
    return p;
  }
  Json doc;
  try {
    doc = Json::parse(body);
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorCategory::kBadInput, std::string("the body is not JSON: ") + e.what(), {"", 0, "body"});
  }
  if (!doc.is_object()) throw Error(ErrorCategory::kBadInput, "the body must be a JSON object", {"", 0, "body"});
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    const std::string& k = it.key();
    const ParamSpec* s = find(specs, k);
    if (!s) unknown(k, specs);
    const Json& v = it.value();
    if (v.is_null()) continue;
    if (v.is_array()) {
      if (s->type != ParamType::kList) throw invalid_field(k, "must be a single value, not a list");
      for (const auto& e : v) {
        if (!e.is_string()) throw invalid_field(k, "must be a list of strings");
        check_text(*s, e.get<std::string>());
      }
    } else if (v.is_object()) {
      throw invalid_field(k, "must be a single value, not an object");
    } else if (v.is_string()) {
      if (s->document && s->type == ParamType::kList) throw invalid_field(k, "must be an array of texts");
      check_text(*s, v.get<std::string>());
    }
    p.values_[k] = v;
  }
  p.check_all();
  return p;
}

Params Params::from_stored(const Json& values, const std::vector<ParamSpec>& specs) {
  Params p;
  p.specs_ = specs;
  p.values_ = values.is_object() ? values : Json::object();
  return p;
}

const ParamSpec& Params::spec(const std::string& name) const {
  const ParamSpec* s = find(specs_, name);
  if (!s) throw internal_error("route reads an undeclared parameter '" + name + "'");
  return *s;
}

void Params::check_all() const {
  // Sort the keys: the canonical form is the cache key and the stored job parameters.
  Json sorted = Json::object();
  std::map<std::string, Json> by_name;
  for (auto it = values_.begin(); it != values_.end(); ++it) by_name[it.key()] = it.value();
  for (auto& [k, v] : by_name) sorted[k] = v;
  const_cast<Params*>(this)->values_ = std::move(sorted);
  for (const auto& s : specs_) {
    if (s.required && !has(s.name)) throw invalid_field(s.name, "is required");
    if (!has(s.name)) continue;
    switch (s.type) {
      case ParamType::kInteger:
        (void)integer(s.name);
        break;
      case ParamType::kNumber:
        (void)number(s.name);
        break;
      case ParamType::kBoolean:
        (void)flag(s.name);
        break;
      case ParamType::kMonth:
        (void)month(s.name);
        break;
      case ParamType::kList:
        (void)list(s.name);
        break;
      case ParamType::kChoice:
        (void)text(s.name);
        break;
      case ParamType::kString:
        break;
    }
  }
}

bool Params::has(const std::string& name) const { return values_.contains(name); }

std::string Params::text(const std::string& name) const {
  const ParamSpec& s = spec(name);
  std::string v = s.default_value;
  if (has(name)) {
    const Json& j = values_.at(name);
    if (j.is_string()) {
      v = j.get<std::string>();
    } else if (j.is_boolean()) {
      v = j.get<bool>() ? "true" : "false";
    } else if (j.is_number_integer()) {
      v = std::to_string(j.get<std::int64_t>());
    } else if (j.is_number()) {
      v = j.dump();
    } else {
      throw invalid_field(name, std::string("must be a ") + to_string(s.type));
    }
  }
  if (s.type == ParamType::kChoice && (has(name) || !v.empty())) {
    bool ok = false;
    std::string all;
    for (const auto& c : s.choices) {
      ok = ok || c == v;
      all += (all.empty() ? "" : ", ") + c;
    }
    if (!ok) throw invalid_field(name, "must be one of " + all + " (got '" + v + "')");
  }
  return v;
}

std::optional<Month> Params::month(const std::string& name) const {
  const std::string v = text(name);
  if (v.empty()) return std::nullopt;
  auto m = Month::parse(v);
  if (!m) throw invalid_field(name, "must be a month as YYYY-MM (got '" + v + "')");
  return m;
}

std::optional<double> Params::maybe_number(const std::string& name) const {
  const ParamSpec& s = spec(name);
  if (!has(name) && s.default_value.empty()) return std::nullopt;
  double v = 0;
  const Json* j = has(name) ? &values_.at(name) : nullptr;
  if (j && j->is_number()) {
    v = j->get<double>();
  } else {
    const std::string t = text(name);
    const auto d = parse_double(t);
    if (!d) throw invalid_field(name, std::string("must be a number") + range_text(s) + " (got '" + t + "')");
    v = *d;
  }
  if (!std::isfinite(v) || v < s.lo || v > s.hi) {
    throw invalid_field(name, std::string("must be a number") + range_text(s) + " (got " + Json(v).dump() + ")");
  }
  return v;
}

double Params::number(const std::string& name) const {
  const auto v = maybe_number(name);
  if (!v) throw internal_error("parameter '" + name + "' has no default");
  return *v;
}

std::optional<std::int64_t> Params::maybe_integer(const std::string& name) const {
  const ParamSpec& s = spec(name);
  if (!has(name) && s.default_value.empty()) return std::nullopt;
  const Json* j = has(name) ? &values_.at(name) : nullptr;
  std::optional<std::int64_t> v;
  if (j && j->is_number_integer()) {
    v = j->get<std::int64_t>();
  } else if (j && j->is_number_float()) {
    const double d = j->get<double>();
    if (std::isfinite(d) && d == std::floor(d) && std::abs(d) < 9e15) v = static_cast<std::int64_t>(d);
  } else if (!j || j->is_string()) {
    v = parse_int64(text(name));
  }
  if (!v || static_cast<double>(*v) < s.lo || static_cast<double>(*v) > s.hi) {
    throw invalid_field(name, std::string("must be an integer") + range_text(s) + " (got '" +
                                  (j ? (j->is_string() ? j->get<std::string>() : j->dump()) : s.default_value) + "')");
  }
  return v;
}

std::int64_t Params::integer(const std::string& name) const {
  const auto v = maybe_integer(name);
  if (!v) throw internal_error("parameter '" + name + "' has no default");
  return *v;
}

bool Params::flag(const std::string& name) const {
  const Json* j = has(name) ? &values_.at(name) : nullptr;
  if (j && j->is_boolean()) return j->get<bool>();
  const std::string t = text(name);
  if (t == "true" || t == "1" || t == "yes") return true;
  if (t == "false" || t == "0" || t == "no" || t.empty()) return false;
  throw invalid_field(name, "must be true or false (got '" + t + "')");
}

std::vector<std::string> Params::list(const std::string& name) const {
  std::vector<std::string> out;
  if (!has(name)) return out;
  const Json& j = values_.at(name);
  if (j.is_array()) {
    for (const auto& e : j) {
      const std::string whole = e.get<std::string>();
      if (spec(name).document) {
        out.push_back(whole);  // a file's text as sent (an empty one too: the engine names it)
        continue;
      }
      const auto t = trim(whole);
      if (!t.empty()) out.emplace_back(t);
    }
    return out;
  }
  if (!j.is_string()) throw invalid_field(name, "must be a comma-separated list or an array of strings");
  for (const auto& part : split(j.get<std::string>(), ',')) {
    const auto t = trim(part);
    if (!t.empty()) out.emplace_back(t);
  }
  return out;
}

}  // namespace endstate::server::detail
