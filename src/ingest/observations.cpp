// Observations CSV: indicator, area, month (YYYY-MM), value, source.
//
// Reference: docs/data-formats.md, "Observations". Required columns:
// indicator, area, month, value (source is optional, default empty). A row
// with a missing indicator or area, a month that is not YYYY-MM, or a value
// that is not a finite number is rejected; the area is resolved by the caller.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "detail/row_checks.hpp"
#include "endstate/core/csv.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/ingest/readers.hpp"

namespace endstate::ingest {

void read_observations(const std::string& path, ObservationSink& sink) {
  read_observations(InputStream::open(path), sink);
}

void read_observations(InputStream in, ObservationSink& sink) {
  CsvReader csv(std::move(in));
  const std::string& path = csv.path();
  const detail::Header h = detail::read_header(csv);
  const detail::Col indicator = h.find("indicator"), area = h.find("area"), month = h.find("month");
  const detail::Col value = h.find("value"), source = h.find("source");
  std::vector<std::string> missing;
  if (indicator < 0) missing.emplace_back("indicator");
  if (area < 0) missing.emplace_back("area");
  if (month < 0) missing.emplace_back("month");
  if (value < 0) missing.emplace_back("value");
  if (!missing.empty()) {
    detail::throw_missing_columns(path, missing, "an observations CSV",
                                  "the columns are indicator, area, month (YYYY-MM), value and optionally source");
  }

  Observation o;
  detail::for_each_row(csv, h, sink, [&](const std::vector<std::string_view>& f, std::int64_t line, Reject& r) {
    auto fail = [&r](const char* field, std::string reason) {
      r.field = field;
      r.reason = std::move(reason);
      return false;
    };
    detail::assign_text(o.indicator, detail::field_at(f, indicator));
    if (o.indicator.empty()) return fail("indicator", "indicator is missing");
    detail::assign_text(o.area_id, detail::field_at(f, area));
    if (o.area_id.empty()) return fail("area", "area is missing");
    const std::string_view m = trim(detail::field_at(f, month));
    const auto parsed_month = Month::parse(m);
    if (!parsed_month) {
      return fail("month", is_missing(m) ? std::string("month is missing")
                                         : "'" + std::string(m) + "' is not a month (expected YYYY-MM)");
    }
    if (!detail::check_year(parsed_month->year(), "month", r)) return false;
    o.month = *parsed_month;
    const std::string_view v = trim(detail::field_at(f, value));
    const auto parsed_value = parse_double(v);
    if (!parsed_value) {
      return fail("value",
                  is_missing(v) ? std::string("value is missing") : "'" + std::string(v) + "' is not a number");
    }
    o.value = *parsed_value;
    detail::assign_text(o.source, detail::field_at(f, source));
    sink.on_observation(std::move(o), line);
    return true;
  });
}

}  // namespace endstate::ingest
