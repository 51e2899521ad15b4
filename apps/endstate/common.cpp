#include "common.hpp"

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
