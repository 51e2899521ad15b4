// ACLED export CSV.
//
// Reference: ACLED Codebook (Armed Conflict Location & Event Data Project,
// 2023/2024 editions) and the ACLED export user guide: columns event_id_cnty,
// event_date, year, time_precision, disorder_type, event_type, sub_event_type,
// actor1, assoc_actor_1, inter1, actor2, assoc_actor_2, inter2, interaction,
// civilian_targeting, iso, region, country, admin1, admin2, admin3, location,
// latitude, longitude, geo_precision, source, source_scale, notes, fatalities,
// tags, timestamp. Required: event_id_cnty, event_date, event_type, latitude,
// longitude, fatalities.
//
// Normalisation rules:
// - source "acled", source_id = event_id_cnty; date_start = date_end =
//   event_date ("YYYY-MM-DD", "YYYY/MM/DD" or "12 March 2023");
//   date_precision = time_precision (1..3, default 1); location_precision =
//   geo_precision (1..3, default 1); actor1, actor2, country, admin1,
//   location copied.
// - Violence type from event_type (case-insensitive):
//   * "Violence against civilians" -> one-sided.
//   * "Battles" -> state-based when either actor is state forces: inter1 or
//     inter2 is 1 (numeric inter codes) or starts with "State forces" (the
//     text inter codes of 2024+ exports), or actor1/actor2 starts with
//     "Military Forces of" or "Police Forces of"; otherwise non-state.
//   * "Explosions/Remote violence" -> one-sided when civilian_targeting is
//     non-empty (ACLED writes "Civilian targeting"), else remote violence.
//   * "Riots" -> one-sided when civilian_targeting is non-empty, else riots.
//   * "Protests" -> protests. "Strategic developments" -> strategic.
//   * anything else -> other.
// - violence_original = event_type, followed by " / " + sub_event_type when
//   sub_event_type is not empty.
// - fatalities best = low = high = fatalities (a required non-negative whole
//   number); civilian_deaths = fatalities when the event is one-sided, else
//   unknown (nullopt).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "detail/event_readers.hpp"
#include "detail/row_checks.hpp"
#include "endstate/core/csv.hpp"
#include "endstate/core/strings.hpp"

namespace endstate::ingest::detail {

namespace {

struct AcledCols {
  Col id = -1, date = -1, time_precision = -1, event_type = -1, sub_event_type = -1, actor1 = -1, inter1 = -1;
  Col actor2 = -1, inter2 = -1, civilian_targeting = -1, country = -1, admin1 = -1, location = -1, lat = -1;
  Col lon = -1, geo_precision = -1, fatalities = -1;
};

bool starts_with_icase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

bool is_state_inter(std::string_view inter) {
  inter = trim(inter);
  return inter == "1" || inter == "1.0" || starts_with_icase(inter, "State forces");
}

bool is_state_actor(std::string_view actor) {
  actor = trim(actor);
  return starts_with_icase(actor, "Military Forces of") || starts_with_icase(actor, "Police Forces of");
}

/// The violence-type rules above.
ViolenceType acled_violence(std::string_view event_type, std::string_view inter1, std::string_view inter2,
                            std::string_view actor1, std::string_view actor2, std::string_view civilian_targeting) {
  const std::string_view et = trim(event_type);
  const bool civilians = !is_missing(civilian_targeting);
  if (iequals(et, "Violence against civilians")) return ViolenceType::kOneSided;
  if (iequals(et, "Battles")) {
    const bool state =
        is_state_inter(inter1) || is_state_inter(inter2) || is_state_actor(actor1) || is_state_actor(actor2);
    return state ? ViolenceType::kStateBased : ViolenceType::kNonState;
  }
  if (iequals(et, "Explosions/Remote violence")) return civilians ? ViolenceType::kOneSided : ViolenceType::kRemote;
  if (iequals(et, "Riots")) return civilians ? ViolenceType::kOneSided : ViolenceType::kRiots;
  if (iequals(et, "Protests")) return ViolenceType::kProtests;
  if (iequals(et, "Strategic developments")) return ViolenceType::kStrategic;
  return ViolenceType::kOther;
}

}  // namespace

void read_acled_events(InputStream in, EventSink& sink) {
  CsvReader csv(std::move(in));
  const std::string& path = csv.path();
  const Header h = read_header(csv);
  AcledCols c;
  c.id = h.find("event_id_cnty");
  c.date = h.find("event_date");
  c.time_precision = h.find("time_precision");
  c.event_type = h.find("event_type");
  c.sub_event_type = h.find("sub_event_type");
  c.actor1 = h.find("actor1");
  c.inter1 = h.find("inter1");
  c.actor2 = h.find("actor2");
  c.inter2 = h.find("inter2");
  c.civilian_targeting = h.find("civilian_targeting");
  c.country = h.find("country");
  c.admin1 = h.find("admin1");
  c.location = h.find("location");
  c.lat = h.find("latitude");
  c.lon = h.find("longitude");
  c.geo_precision = h.find("geo_precision");
  c.fatalities = h.find("fatalities");

  std::vector<std::string> missing;
  const std::pair<Col, const char*> required[] = {{c.id, "event_id_cnty"},      {c.date, "event_date"},
                                                  {c.event_type, "event_type"}, {c.lat, "latitude"},
                                                  {c.lon, "longitude"},         {c.fatalities, "fatalities"}};
  for (const auto& [col, name] : required) {
    if (col < 0) missing.emplace_back(name);
  }
  if (!missing.empty()) {
    throw_missing_columns(path, missing, "an ACLED export",
                          "export again from ACLED with all columns, or use --source csv --map column=field");
  }

  Event e;
  for_each_row(csv, h, sink, [&](const std::vector<std::string_view>& f, std::int64_t line, Reject& r) {
    if (!take_id(field_at(f, c.id), "event_id_cnty", e.source_id, r)) return false;
    e.source.assign("acled");
    if (!parse_date(field_at(f, c.date), "event_date", e.date_start, r)) return false;
    e.date_end = e.date_start;
    if (!parse_int_or(field_at(f, c.time_precision), "time_precision", 1, e.date_precision, r)) return false;
    if (!parse_lat_lon(field_at(f, c.lat), field_at(f, c.lon), "latitude", "longitude", e.where, r)) return false;
    if (!parse_int_or(field_at(f, c.geo_precision), "geo_precision", 1, e.location_precision, r)) return false;
    if (!parse_count(field_at(f, c.fatalities), "fatalities", "fatalities", e.fatalities_best, r)) return false;
    e.fatalities_low = e.fatalities_high = e.fatalities_best;

    const std::string_view actor1 = field_at(f, c.actor1);
    const std::string_view actor2 = field_at(f, c.actor2);
    e.violence = acled_violence(field_at(f, c.event_type), field_at(f, c.inter1), field_at(f, c.inter2), actor1, actor2,
                                field_at(f, c.civilian_targeting));
    assign_text(e.violence_original, field_at(f, c.event_type));
    const std::string_view sub = trim(field_at(f, c.sub_event_type));
    if (!is_missing(sub)) {
      e.violence_original += " / ";
      e.violence_original.append(sub);
    }
    if (e.violence == ViolenceType::kOneSided) {
      e.civilian_deaths = e.fatalities_best;
    } else {
      e.civilian_deaths.reset();
    }
    assign_text(e.actor1, actor1);
    assign_text(e.actor2, actor2);
    assign_text(e.country, field_at(f, c.country));
    assign_text(e.admin1, field_at(f, c.admin1));
    assign_text(e.location, field_at(f, c.location));
    e.priogrid_gid.reset();
    sink.on_event(std::move(e), line);
    return true;
  });
}

}  // namespace endstate::ingest::detail
