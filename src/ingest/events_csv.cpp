// Generic events CSV with a column map, and the read_events dispatcher.
//
// Reference: docs/data-formats.md, "Generic CSV". Target fields: id, date (or
// date_start and date_end), latitude, longitude, violence_type, fatalities (or
// fatalities_best, fatalities_low, fatalities_high), civilian_deaths, actor1,
// actor2, country, admin1, location, source. A target named in the map is read
// from the mapped column (which must exist); any other target from a column of
// the same name when there is one. Required: id, a date, latitude, longitude.
//
// Rules: `date` gives start = end; otherwise date_start, and date_end (default:
// the start). Fatalities: fatalities_best, else fatalities, else 0; low and
// high default to best. violence_type goes through parse_violence_type (1/2/3,
// state_based, one-sided, "Violence against civilians", ...); an unknown value
// is kept as violence_original with type "other". source defaults to "csv".

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "detail/event_readers.hpp"
#include "detail/row_checks.hpp"
#include "endstate/core/csv.hpp"
#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"

namespace endstate::ingest {

namespace detail {

namespace {

struct GenericCols {
  Col id = -1, date = -1, date_start = -1, date_end = -1, lat = -1, lon = -1, violence = -1, fatalities = -1;
  Col best = -1, low = -1, high = -1, civilians = -1, actor1 = -1, actor2 = -1, country = -1, admin1 = -1;
  Col location = -1, source = -1;
};

}  // namespace

void read_csv_events(InputStream in, const ColumnMap& map, EventSink& sink) {
  CsvReader csv(std::move(in));
  const std::string& path = csv.path();
  const Header h = read_header(csv);

  // Resolve every target: the mapped column (which must exist) or a same-named one.
  auto col = [&](const char* target) -> Col {
    const auto it = map.find(target);
    if (it == map.end()) return h.find(target);
    const Col c = h.find(it->second);
    if (c < 0) {
      throw Error(ErrorCategory::kBadInput,
                  "column '" + it->second + "' (mapped to field '" + target +
                      "' by --map) is not in the header; the columns are: " + join(h.names, ", "),
                  {path, 1, it->second});
    }
    return c;
  };
  GenericCols c;
  c.id = col("id");
  c.date = col("date");
  c.date_start = col("date_start");
  c.date_end = col("date_end");
  c.lat = col("latitude");
  c.lon = col("longitude");
  c.violence = col("violence_type");
  c.fatalities = col("fatalities");
  c.best = col("fatalities_best");
  c.low = col("fatalities_low");
  c.high = col("fatalities_high");
  c.civilians = col("civilian_deaths");
  c.actor1 = col("actor1");
  c.actor2 = col("actor2");
  c.country = col("country");
  c.admin1 = col("admin1");
  c.location = col("location");
  c.source = col("source");

  std::vector<std::string> missing;
  if (c.id < 0) missing.emplace_back("id");
  if (c.date < 0 && c.date_start < 0) missing.emplace_back("date (or date_start)");
  if (c.lat < 0) missing.emplace_back("latitude");
  if (c.lon < 0) missing.emplace_back("longitude");
  if (!missing.empty()) {
    throw_missing_columns(path, missing, "an events CSV",
                          "name the columns with --map column=field (example: --map "
                          "evt_no=id,day=date,lat=latitude,lon=longitude,deaths=fatalities)");
  }
  // An explicit mapping wins over a same-named column: "--map day=date_start"
  // in a file that also has a "date" column reads date_start.
  const bool use_date = c.date >= 0 && (map.count("date") > 0 || map.count("date_start") == 0 || c.date_start < 0);
  const Col start_col = use_date ? c.date : c.date_start;
  const std::string start_name = h.names[static_cast<std::size_t>(start_col)];
  const Col end_col = use_date ? -1 : c.date_end;
  const std::string end_name = end_col >= 0 ? h.names[static_cast<std::size_t>(end_col)] : std::string();
  const bool use_best =
      c.best >= 0 && (map.count("fatalities_best") > 0 || map.count("fatalities") == 0 || c.fatalities < 0);
  const Col best_col = use_best ? c.best : c.fatalities;
  auto name_of = [&](Col k) { return k >= 0 ? h.names[static_cast<std::size_t>(k)] : std::string(); };
  const std::string id_name = name_of(c.id), lat_name = name_of(c.lat), lon_name = name_of(c.lon);
  const std::string best_name = name_of(best_col), low_name = name_of(c.low), high_name = name_of(c.high);
  const std::string civ_name = name_of(c.civilians);

  Event e;
  for_each_row(csv, h, sink, [&](const std::vector<std::string_view>& f, std::int64_t line, Reject& r) {
    if (!take_id(field_at(f, c.id), id_name, e.source_id, r)) return false;
    const std::string_view source = trim(field_at(f, c.source));
    if (is_missing(source)) {
      e.source.assign("csv");
    } else {
      e.source.assign(source);
    }
    if (!parse_date(field_at(f, start_col), start_name, e.date_start, r)) return false;
    if (end_col >= 0 && !is_missing(field_at(f, end_col))) {
      if (!parse_date(field_at(f, end_col), end_name, e.date_end, r)) return false;
      if (!check_date_order(e.date_start, e.date_end, end_name, r)) return false;
    } else {
      e.date_end = e.date_start;
    }
    e.date_precision = 1;
    if (!parse_lat_lon(field_at(f, c.lat), field_at(f, c.lon), lat_name, lon_name, e.where, r)) return false;
    e.location_precision = 1;

    if (!parse_count_or(field_at(f, best_col), best_name, "fatalities", 0, e.fatalities_best, r)) return false;
    if (!parse_count_or(field_at(f, c.low), low_name, "fatalities", e.fatalities_best, e.fatalities_low, r)) {
      return false;
    }
    if (!parse_count_or(field_at(f, c.high), high_name, "fatalities", e.fatalities_best, e.fatalities_high, r)) {
      return false;
    }
    if (!check_fatality_bounds(e.fatalities_low, e.fatalities_best, e.fatalities_high, low_name, best_name, high_name,
                               r)) {
      return false;
    }
    if (!parse_optional_count(field_at(f, c.civilians), civ_name, "civilian deaths", e.civilian_deaths, r)) {
      return false;
    }

    const std::string_view violence = trim(field_at(f, c.violence));
    if (is_missing(violence)) {
      e.violence = ViolenceType::kOther;
      e.violence_original.clear();
    } else {
      e.violence = parse_violence_type(violence).value_or(ViolenceType::kOther);
      e.violence_original.assign(violence);
    }
    assign_text(e.actor1, field_at(f, c.actor1));
    assign_text(e.actor2, field_at(f, c.actor2));
    assign_text(e.country, field_at(f, c.country));
    assign_text(e.admin1, field_at(f, c.admin1));
    assign_text(e.location, field_at(f, c.location));
    e.priogrid_gid.reset();
    sink.on_event(std::move(e), line);
    return true;
  });
}

}  // namespace detail

void read_events(const std::string& path, EventSource source, const ColumnMap& map, EventSink& sink) {
  read_events(InputStream::open(path), source, map, sink);
}

void read_events(InputStream in, EventSource source, const ColumnMap& map, EventSink& sink) {
  if (source != EventSource::kUcdp && detail::starts_like_json(in)) {
    throw Error(ErrorCategory::kBadInput,
                "this file is JSON, not CSV; only UCDP GED is accepted as GeoJSON (--source ucdp)", {in.name(), 1, ""});
  }
  switch (source) {
    case EventSource::kUcdp:
      detail::read_ucdp_events(std::move(in), sink);
      return;
    case EventSource::kAcled:
      detail::read_acled_events(std::move(in), sink);
      return;
    case EventSource::kCsv:
      detail::read_csv_events(std::move(in), map, sink);
      return;
  }
}

}  // namespace endstate::ingest
