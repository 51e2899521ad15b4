#include "common.hpp"

#include <cmath>

#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"

namespace endstate::cli {

std::optional<Month> month_flag(const Args& a, const std::string& flag) {
  auto v = a.maybe(flag);
  if (!v) return std::nullopt;
  auto m = Month::parse(*v);
  if (!m) throw usage_error("--" + flag + " must be a month as YYYY-MM (got '" + *v + "')");
  return m;
}

namespace {

std::string range_text(double lo, double hi) {
  if (std::isinf(lo) && std::isinf(hi)) return "";
  if (std::isinf(hi)) return " >= " + fmt_double(lo, 3);
  if (std::isinf(lo)) return " <= " + fmt_double(hi, 3);
  return " in [" + fmt_double(lo, 3) + ", " + fmt_double(hi, 3) + "]";
}

}  // namespace

std::int64_t int_flag(const Args& a, const std::string& flag, std::int64_t lo, std::int64_t hi) {
  const std::string text = a.get(flag);
  std::optional<std::int64_t> v = parse_int64(text);
  if (!v) {
    const auto d = parse_double(text);
    if (d && std::isfinite(*d) && *d == std::floor(*d) && std::abs(*d) < 9e15) v = static_cast<std::int64_t>(*d);
  }
  if (!v || *v < lo || *v > hi) {
    const std::string range = hi == std::numeric_limits<std::int64_t>::max()
                                  ? " >= " + std::to_string(lo)
                                  : " in " + std::to_string(lo) + ".." + std::to_string(hi);
    throw usage_error("--" + flag + " must be an integer" + range + " (got '" + text + "')");
  }
  return *v;
}

double number_flag(const Args& a, const std::string& flag, double lo, double hi) {
  const std::string text = a.get(flag);
  const auto v = parse_double(text);
  if (!v || !std::isfinite(*v) || *v < lo || *v > hi) {
    throw usage_error("--" + flag + " must be a number" + range_text(lo, hi) + " (got '" + text + "')");
  }
  return *v;
}

ingest::ImportOptions import_options(const Args& a) {
  ingest::ImportOptions o;
  o.strict = a.has("strict");
  auto limit = parse_int64(a.get("reject-limit"));
  if (!limit || *limit < 0) throw usage_error("--reject-limit must be a non-negative integer");
  o.reject_limit = static_cast<std::size_t>(*limit);
  return o;
}

std::vector<FlagSpec> import_flags() {
  return {{"strict", "", "reject the whole file at its first bad row (exit 2, nothing written)", ""},
          {"reject-limit", "N", "rejects listed in the summary; past N all go to a CSV beside the database", "50"},
          {"format", "FMT", "summary as table or json", "table"}};
}

}  // namespace endstate::cli
