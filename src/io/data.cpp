// Writers of the data verbs: import summaries, areas, events, sites,
// observations, status.
#include <memory>

#include "endstate/core/error.hpp"
#include "endstate/core/utf8.hpp"
#include "endstate/io/writers.hpp"
#include "io/detail/geojson.hpp"
#include "io/detail/json.hpp"

namespace endstate::io {

using detail::Json;

namespace {

Cell opt_text(const std::string& s) { return s.empty() ? Cell() : Cell(s); }
Cell opt_int(const std::optional<std::int64_t>& v) { return v ? Cell(*v) : Cell(); }

void require(const WriteOptions& o, std::initializer_list<Format> allowed) {
  for (auto f : allowed) {
    if (o.format == f) return;
  }
  std::string names;
  for (auto f : allowed) names += (names.empty() ? "" : ", ") + std::string(to_string(f));
  throw invalid_field("format", "must be one of " + names + " for this output");
}

}  // namespace

void write(std::ostream& out, const ImportSummary& s, const WriteOptions& o) {
  require(o, {Format::kTable, Format::kCsv, Format::kJson});
  if (o.format == Format::kJson) {
    Json j = detail::document("import");
    j["records"] = s.kind;
    j["file"] = s.file;
    j["sha256"] = s.sha256;
    j["read"] = s.read;
    j["imported"] = s.imported;
    j["duplicates"] = s.duplicates;
    j["conflicts"] = s.conflicts;
    j["conflict_lines"] = s.conflict_lines;
    j["rejected"] = s.rejected;
    j["previous_import"] = s.previous_import > 0 ? Json(s.previous_import) : Json();
    j["outside_areas"] = s.outside_areas;
    j["outside_inside_if_swapped"] = s.outside_swapped;
    j["outside_inside_if_swapped_lines"] = s.outside_swapped_lines;
    j["outside"] = Json::array();
    for (const auto& p : s.outside) {
      j["outside"].push_back({{"line", p.line},
                              {"id", p.id},
                              {"lat", p.where.lat},
                              {"lon", p.where.lon},
                              {"nearest_area", p.nearest_area.empty() ? Json() : Json(p.nearest_area)},
                              {"distance_km", detail::number_or_null(p.distance_km)},
                              {"inside_if_swapped", p.inside_if_swapped}});
    }
    j["rejects"] = Json::array();
    for (const auto& r : s.rejects) {
      // Reasons may quote input bytes; keep the JSON valid UTF-8.
      j["rejects"].push_back(
          {{"line", r.line}, {"field", r.field}, {"reason", is_valid_utf8(r.reason) ? r.reason : "(not UTF-8)"}});
    }
    j["rejects_csv"] = s.rejects_csv.empty() ? Json() : Json(s.rejects_csv);
    detail::write_json(out, j);
    return;
  }
  Table t(
      {{"file"}, {"sha256"}, {"read"}, {"imported"}, {"duplicates"}, {"conflicts"}, {"rejected"}, {"outside_areas"}});
  t.add({s.file, o.format == Format::kCsv ? s.sha256 : s.sha256.substr(0, 12), s.read, s.imported, s.duplicates,
         s.conflicts, s.rejected, s.outside_areas});
  if (o.format == Format::kCsv) {
    detail::write_table(out, t, o, Json(), "");
    return;
  }
  detail::write_table(out, t, o, Json(), "");
  if (s.previous_import > 0) {
    out << "\nnote: this file was imported before (import " << s.previous_import
        << ") and added nothing; no new import was logged\n";
  }
  if (s.conflicts > 0) {
    out << "\nnote: " << s.conflicts << " rows have the key of a stored row but different content; the stored rows "
        << "were kept (lines";
    for (auto l : s.conflict_lines) out << " " << l;
    out << (s.conflicts > static_cast<std::int64_t>(s.conflict_lines.size()) ? " ..." : "") << ")\n";
  }
  if (!s.outside.empty()) {
    out << "\npoints outside every area"
        << (s.outside_areas > static_cast<std::int64_t>(s.outside.size())
                ? " (the " + std::to_string(s.outside.size()) + " farthest)"
                : "")
        << ":\n";
    Table x({{"line"}, {"id"}, {"lat", 5}, {"lon", 5}, {"nearest_area"}, {"distance_km", 1}, {"inside_if_swapped"}});
    for (const auto& p : s.outside) {
      x.add({p.line, p.id, p.where.lat, p.where.lon, opt_text(p.nearest_area), p.distance_km,
             std::string(p.inside_if_swapped ? "yes" : "no")});
    }
    detail::write_table(out, x, o, Json(), "");
  }
  if (s.outside_swapped > 0) {
    out << "\nnote: " << s.outside_swapped << " of the points outside every area would fall inside one with latitude "
        << "and longitude swapped (lines";
    for (auto l : s.outside_swapped_lines) out << " " << l;
    out << (s.outside_swapped > static_cast<std::int64_t>(s.outside_swapped_lines.size()) ? " ..." : "")
        << "); they were kept as outside: check the file if they should not be abroad\n";
  }
  if (!s.rejects.empty()) {
    out << "\nrejected rows" << (s.rejects_csv.empty() ? "" : " (first " + std::to_string(s.rejects.size()) + ")")
        << ":\n";
    Table r({{"line"}, {"field"}, {"reason"}});
    for (const auto& x : s.rejects) r.add({x.line, x.field, x.reason});
    detail::write_table(out, r, o, Json(), "");
  }
  if (!s.rejects_csv.empty()) out << "all " << s.rejected << " rejects: " << s.rejects_csv << "\n";
}

void write(std::ostream& out, const service::AreaList& r, const WriteOptions& o) {
  if (o.format == Format::kGeoJson) {
    detail::FeatureCollection fc(out, "areas");
    for (const auto& a : r.areas) {
      Json p;
      p["id"] = a.id;
      p["name"] = a.name;
      p["level"] = a.level;
      p["parent_id"] = a.parent_id.empty() ? Json() : Json(a.parent_id);
      p["population"] = detail::number_or_null(a.population);
      p["area_km2"] = a.area_km2;
      p["priogrid_gid"] = a.priogrid_gid ? Json(*a.priogrid_gid) : Json();
      p["share_inside"] = detail::number_or_null(a.share_inside);
      fc.add(p, detail::area_geometry(a));
    }
    return;
  }
  Table t({{"id"},
           {"name"},
           {"level"},
           {"parent_id"},
           {"population", 0},
           {"area_km2", 1},
           {"centroid_lat", 5},
           {"centroid_lon", 5},
           {"priogrid_gid"},
           {"share_inside", 4}});
  for (const auto& a : r.areas) {
    t.add({a.id, a.name, a.level, opt_text(a.parent_id), number(a.population), a.area_km2, a.centroid.lat,
           a.centroid.lon, opt_int(a.priogrid_gid), number(a.share_inside)});
  }
  Json doc = detail::document("areas");
  doc["level"] = r.level.empty() ? Json() : Json(r.level);
  detail::write_table(out, t, o, doc, "areas");
}

// --- events ------------------------------------------------------------------------

struct EventWriter::State {
  std::ostream& out;
  WriteOptions o;
  bool one_area;
  std::unique_ptr<detail::FeatureCollection> fc;
  Table table;  // kTable: buffered for alignment
  bool first = true;
  bool done = false;
};

namespace {

std::vector<Column> event_columns(bool one_area) {
  return {{"source"},          {"source_id"},         {"date_start"},
          {"date_end"},        {"latitude", 6},       {"longitude", 6},
          {"violence_type"},   {"violence_original"}, {"actor1"},
          {"actor2"},          {"fatalities_best"},   {"fatalities_low"},
          {"fatalities_high"}, {"civilian_deaths"},   {"country"},
          {"admin1"},          {"location"},          {one_area ? "area" : "areas"}};
}

std::vector<Cell> event_cells(const service::EventRecord& r, bool one_area) {
  const Event& e = r.row->event;
  Cell areas = one_area ? (r.areas.empty() ? Cell() : Cell(r.areas.front())) : Cell(r.areas);
  return {e.source,
          e.source_id,
          e.date_start.iso(),
          e.date_end.iso(),
          e.where.lat,
          e.where.lon,
          std::string(to_string(e.violence)),
          e.violence_original,
          e.actor1,
          e.actor2,
          e.fatalities_best,
          e.fatalities_low,
          e.fatalities_high,
          e.civilian_deaths ? Cell(*e.civilian_deaths) : Cell(),
          e.country,
          e.admin1,
          e.location,
          std::move(areas)};
}

}  // namespace

EventWriter::EventWriter(std::ostream& out, const WriteOptions& o, bool one_area_column)
    : s_(std::make_unique<State>(State{out, o, one_area_column, nullptr, Table(), true, false})) {
  switch (o.format) {
    case Format::kGeoJson:
      s_->fc = std::make_unique<detail::FeatureCollection>(out, "events");
      break;
    case Format::kCsv: {
      begin_csv(out, o);
      const auto cols = event_columns(one_area_column);
      for (std::size_t i = 0; i < cols.size(); ++i) out << (i ? "," : "") << cols[i].name;
      out << "\n";
      break;
    }
    case Format::kJson:
      out << "{\"format_version\":" << kFormatVersion << ",\"kind\":\"events\",\"events\":[";
      break;
    case Format::kTable:
      s_->table = Table({{"source"},
                         {"source_id"},
                         {"date_start"},
                         {"violence_type"},
                         {"fatalities_best"},
                         {"country"},
                         {"location"},
                         {one_area_column ? "area" : "areas"}});
      break;
  }
}

EventWriter::~EventWriter() = default;

void EventWriter::row(const service::EventRecord& r) {
  auto& s = *s_;
  const auto cols = event_columns(s.one_area);
  auto cells = event_cells(r, s.one_area);
  switch (s.o.format) {
    case Format::kGeoJson: {
      Json p;
      for (std::size_t i = 0; i < cols.size(); ++i) {
        if (i == 4 || i == 5) continue;  // the geometry holds them
        p[cols[i].name] = detail::to_json(cells[i]);
      }
      s.fc->add(p, detail::point_geometry(r.row->event.where));
      break;
    }
    case Format::kCsv:
      for (std::size_t i = 0; i < cols.size(); ++i) {
        const std::string t = cell_text(cells[i], cols[i].decimals);
        const bool is_text =
            std::holds_alternative<std::string>(cells[i]) || std::holds_alternative<std::vector<std::string>>(cells[i]);
        s.out << (i ? "," : "") << csv_field(is_text ? guard_formula(t) : t);
      }
      s.out << "\n";
      break;
    case Format::kJson: {
      Json p;
      for (std::size_t i = 0; i < cols.size(); ++i) p[cols[i].name] = detail::to_json(cells[i]);
      s.out << (s.first ? "\n" : ",\n") << p.dump(-1, ' ', false, Json::error_handler_t::replace);
      break;
    }
    case Format::kTable: {
      const Event& e = r.row->event;
      s.table.add({e.source, e.source_id, e.date_start.iso(), std::string(to_string(e.violence)), e.fatalities_best,
                   e.country, e.location, std::move(cells.back())});
      break;
    }
  }
  s.first = false;
}

void EventWriter::finish() {
  auto& s = *s_;
  if (s.done) return;
  s.done = true;
  switch (s.o.format) {
    case Format::kGeoJson:
      s.fc->finish();
      break;
    case Format::kJson:
      s.out << "\n]}\n";
      break;
    case Format::kTable:
      detail::write_table(s.out, s.table, s.o, Json(), "");
      break;
    case Format::kCsv:
      break;
  }
}

// --- sites -------------------------------------------------------------------------

void write(std::ostream& out, const service::SiteList& r, const WriteOptions& o) {
  Table t({{"key"},        {"mission"}, {"name"},        {"kind"},         {"country"},
           {"admin1"},     {"admin2"},  {"latitude", 6}, {"longitude", 6}, {"period_start"},
           {"period_end"}, {"troops"},  {"police"},      {"observers"},    {"hq"},
           {"aviation"},   {"medical"}, {"active"},      {"deployments"},  {"areas"}});
  for (const auto& s : r.sites) {
    const auto& d = s.latest;
    auto num = [&](std::int64_t v) { return d ? Cell(v) : Cell(); };
    t.add({s.site.key,
           s.site.mission,
           s.site.name,
           s.site.kind,
           s.site.country,
           s.site.admin1,
           s.site.admin2,
           s.site.where.lat,
           s.site.where.lon,
           d ? Cell(d->period_start.str()) : Cell(),
           d ? Cell(d->period_end.str()) : Cell(),
           num(d ? d->troops : 0),
           num(d ? d->police : 0),
           num(d ? d->observers : 0),
           num(d ? d->hq : 0),
           num(d ? d->aviation : 0),
           num(d ? d->medical : 0),
           d && is_active(*d),
           s.deployments,
           s.area_ids});
  }
  if (o.format == Format::kGeoJson) {
    detail::FeatureCollection fc(out, "sites");
    const auto rows = detail::rows_json(t);
    for (std::size_t k = 0; k < r.sites.size(); ++k) fc.add(rows[k], detail::point_geometry(r.sites[k].site.where));
    return;
  }
  if (o.format == Format::kTable) {
    Table s({{"mission"}, {"name"}, {"kind"}, {"admin1"}, {"period"}, {"troops"}, {"police"}, {"areas"}});
    for (std::size_t k = 0; k < r.sites.size(); ++k) {
      const auto& row = t.rows[k];
      const std::string ps = cell_text(row[9], -1), pe = cell_text(row[10], -1);
      s.add({row[1], row[2], row[3], row[5], ps == pe ? ps : ps + ".." + pe, row[11], row[12], row[19]});
    }
    detail::write_table(out, s, o, Json(), "");
    return;
  }
  detail::write_table(out, t, o, detail::document("sites"), "sites");
}

void write(std::ostream& out, const service::ObservationList& r, const WriteOptions& o) {
  Table t({{"indicator"}, {"area_id"}, {"month"}, {"value", 6}, {"source"}});
  for (const auto& x : r.observations) t.add({x.indicator, x.area_id, x.month.str(), x.value, x.source});
  detail::write_table(out, t, o, detail::document("observations"), "observations");
}

void write(std::ostream& out, const service::StatusResult& r, const WriteOptions& o) {
  require(o, {Format::kTable, Format::kCsv, Format::kJson});
  const auto& st = r.status;
  if (o.format == Format::kJson) {
    Json j = detail::document("status");
    j["database"] = r.location;
    j["schema_version"] = st.schema_version;
    j["counts"] = Json::object();
    for (const auto& [t, n] : st.table_counts) j["counts"][t] = n;
    j["areas_by_level"] = Json::object();
    for (const auto& [l, n] : st.areas_by_level) j["areas_by_level"][l] = n;
    j["first_event"] = st.first_event ? Json(st.first_event->iso()) : Json();
    j["last_event"] = st.last_event ? Json(st.last_event->iso()) : Json();
    j["last_imports"] = Json::array();
    for (const auto& x : st.last_imports) {
      j["last_imports"].push_back({{"id", x.id},
                                   {"kind", x.kind},
                                   {"file", x.file},
                                   {"sha256", x.sha256},
                                   {"source", x.source},
                                   {"imported_at", x.imported_at},
                                   {"read", x.read},
                                   {"imported", x.imported},
                                   {"duplicates", x.duplicates},
                                   {"rejected", x.rejected},
                                   {"outside_areas", x.outside_areas}});
    }
    detail::write_json(out, j);
    return;
  }
  Table counts({{"table"}, {"rows"}});
  for (const auto& [t, n] : st.table_counts) counts.add({t, n});
  if (o.format == Format::kCsv) {
    detail::write_table(out, counts, o, Json(), "");
    return;
  }
  out << "database: " << r.location << " (schema " << st.schema_version << ")\n\n";
  detail::write_table(out, counts, o, Json(), "");
  if (!st.areas_by_level.empty()) {
    out << "\n";
    Table levels({{"level"}, {"areas"}});
    for (const auto& [l, n] : st.areas_by_level) levels.add({l, n});
    detail::write_table(out, levels, o, Json(), "");
  }
  if (st.first_event) out << "\nevents from " << st.first_event->iso() << " to " << st.last_event->iso() << "\n";
  if (!st.last_imports.empty()) {
    out << "\nlast imports:\n";
    Table imp({{"id"},
               {"kind"},
               {"file"},
               {"imported_at"},
               {"read"},
               {"imported"},
               {"duplicates"},
               {"rejected"},
               {"outside_areas"}});
    for (const auto& x : st.last_imports) {
      imp.add({x.id, x.kind, x.file, x.imported_at, x.read, x.imported, x.duplicates, x.rejected, x.outside_areas});
    }
    detail::write_table(out, imp, o, Json(), "");
  }
}

}  // namespace endstate::io
