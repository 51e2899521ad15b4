// endstate events import | list
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "common.hpp"
#include "endstate/core/error.hpp"
#include "endstate/store/database.hpp"

namespace endstate::cli {
namespace {

int events_import(const Args& a, std::ostream& out) {
  const Format format = parse_format(a.get("format"), false);
  auto source = ingest::parse_event_source(a.get("source"));
  if (!source) throw usage_error("--source must be ucdp, acled or csv (got '" + a.get("source") + "')");
  const ingest::ColumnMap map = ingest::parse_column_map(a.get("map"));
  if (!map.empty() && *source != ingest::EventSource::kCsv) throw usage_error("--map applies to --source csv only");
  const auto options = import_options(a);
  auto db = store::Database::open(a.db_path());
  const ImportSummary s = ingest::import_events(db, a.positional(0), *source, map, options);
  print_summary(out, s, format);
  return 0;
}

int events_list(const Args& a, std::ostream& out) {
  const Format format = parse_format(a.get("format"), true);
  store::EventFilter f;
  f.from = month_flag(a, "from");
  f.to = month_flag(a, "to");
  if (f.from && f.to && *f.to < *f.from) throw usage_error("--to is before --from");
  if (a.has("type")) {
    f.type = parse_violence_type(a.get("type"));
    if (!f.type) {
      throw usage_error("--type must be one of state_based, non_state, one_sided, riots, protests, remote_violence, "
                        "strategic, other (got '" + a.get("type") + "')");
    }
  }
  f.source = a.get("source");
  if (auto lim = a.maybe("limit")) {
    try {
      f.limit = std::stoll(*lim);
    } catch (...) {
      throw usage_error("--limit must be an integer");
    }
  }
  auto db = store::Database::open_read_only(a.db_path());
  if (a.has("area")) {
    auto area = db.find_area(a.get("area"));
    if (!area) throw not_found("no area '" + a.get("area") + "' (id or name); see endstate areas list");
    f.area_ids = {area->id};
  }
  // With --level, show each event's area at that level.
  const std::string level = a.get("level");
  std::unordered_map<std::string, std::string> level_of;
  if (!level.empty()) {
    const auto at_level = db.areas(level, false);
    if (at_level.empty()) throw not_found("no areas at level '" + level + "'");
    for (const auto& ar : at_level) level_of[ar.id] = ar.id;
  }
  auto area_column = [&](const std::vector<std::string>& ids) {
    if (level.empty()) {
      std::string s;
      for (const auto& id : ids) s += (s.empty() ? "" : ";") + id;
      return s;
    }
    for (const auto& id : ids) {
      if (level_of.count(id)) return id;
    }
    return std::string();
  };
  const std::vector<std::string> header = {
      "source", "source_id", "date_start", "date_end", "latitude", "longitude", "violence_type",
      "violence_original", "actor1", "actor2", "fatalities_best", "fatalities_low", "fatalities_high",
      "civilian_deaths", "country", "admin1", "location", level.empty() ? "areas" : "area"};
  auto cells = [&](const store::EventRow& r) {
    const Event& e = r.event;
    return std::vector<std::string>{e.source, e.source_id, e.date_start.iso(), e.date_end.iso(),
                                    fmt_double(e.where.lat, 6), fmt_double(e.where.lon, 6),
                                    std::string(to_string(e.violence)), e.violence_original, e.actor1, e.actor2,
                                    std::to_string(e.fatalities_best), std::to_string(e.fatalities_low),
                                    std::to_string(e.fatalities_high),
                                    e.civilian_deaths ? std::to_string(*e.civilian_deaths) : "", e.country, e.admin1,
                                    e.location, area_column(r.area_ids)};
  };
  if (format == Format::kCsv) {
    // Stream: no buffering of large listings.
    for (std::size_t i = 0; i < header.size(); ++i) out << (i ? "," : "") << header[i];
    out << "\n";
    db.for_each_event(f, [&](const store::EventRow& r) {
      const auto c = cells(r);
      for (std::size_t i = 0; i < c.size(); ++i) out << (i ? "," : "") << csv_field(c[i]);
      out << "\n";
    });
    return 0;
  }
  if (format == Format::kGeoJson || format == Format::kJson) {
    const bool geo = format == Format::kGeoJson;
    out << (geo ? "{\"type\":\"FeatureCollection\",\"features\":[" : "[");
    bool first = true;
    db.for_each_event(f, [&](const store::EventRow& r) {
      const auto c = cells(r);
      nlohmann::ordered_json o;
      for (std::size_t i = 0; i < c.size(); ++i) {
        if (i == 4 || i == 5) {
          o[header[i]] = i == 4 ? r.event.where.lat : r.event.where.lon;
        } else if (i >= 10 && i <= 12) {
          o[header[i]] = std::stoll(c[i]);
        } else if (i == 13) {
          o[header[i]] = r.event.civilian_deaths ? nlohmann::ordered_json(*r.event.civilian_deaths) : nullptr;
        } else {
          o[header[i]] = c[i];
        }
      }
      out << (first ? "\n" : ",\n");
      first = false;
      if (geo) {
        out << "{\"type\":\"Feature\",\"properties\":" << o.dump() << ",\"geometry\":{\"type\":\"Point\","
            << "\"coordinates\":[" << fmt_double(r.event.where.lon, 6) << "," << fmt_double(r.event.where.lat, 6)
            << "]}}";
      } else {
        out << o.dump();
      }
    });
    out << (geo ? "\n]}\n" : "\n]\n");
    return 0;
  }
  Table t{{"source", "source_id", "date_start", "violence_type", "fatalities_best", "country", "location",
           level.empty() ? "areas" : "area"},
          {}};
  db.for_each_event(f, [&](const store::EventRow& r) {
    const Event& e = r.event;
    t.rows.push_back({e.source, e.source_id, e.date_start.iso(), std::string(to_string(e.violence)),
                      std::to_string(e.fatalities_best), e.country, e.location, area_column(r.area_ids)});
  });
  t.print(out, format);
  return 0;
}

}  // namespace

std::vector<CommandSpec> events_commands() {
  auto import = import_flags();
  import.insert(import.begin(), {{"source", "ucdp|acled|csv", "input format (required)", ""},
                                 {"map", "COLUMN=FIELD,...", "generic CSV: which column holds which field", ""}});
  return {
      {"events",
       "import",
       "Import conflict events: UCDP GED (CSV or GeoJSON), ACLED export CSV, or a generic CSV with a column map. "
       "Each event is assigned to its area at every level; one file is one transaction.",
       {{"FILE", "the events file"}},
       import,
       events_import},
      {"events",
       "list",
       "List stored events, oldest first.",
       {},
       {{"area", "AREA", "only events in this area (id or name)", ""},
        {"level", "L", "show each event's area at this level", ""},
        {"from", "YYYY-MM", "first month", ""},
        {"to", "YYYY-MM", "last month (inclusive)", ""},
        {"type", "TYPE", "state_based, non_state, one_sided, riots, protests, remote_violence, strategic, other", ""},
        {"source", "NAME", "only this source (ucdp, acled, csv, ...)", ""},
        {"limit", "N", "at most N events", ""},
        format_flag(true)},
       events_list},
  };
}

}  // namespace endstate::cli
