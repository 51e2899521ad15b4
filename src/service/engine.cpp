// The engine facade: store handling, the data verbs and the shared loaders.
#include "endstate/service/engine.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "endstate/core/error.hpp"
#include "endstate/core/io.hpp"
#include "endstate/ingest/importer.hpp"
#include "endstate/store/database.hpp"
#include "service/detail/engine_impl.hpp"

namespace endstate::service {

namespace detail {

std::string default_level(store::Database& db) {
  const auto levels = db.area_levels();
  if (levels.empty()) throw not_found("no areas in the database; run 'endstate areas import' first");
  for (const auto& l : levels) {
    if (l == "province") return l;
  }
  for (const auto& l : levels) {
    if (l != "country") return l;
  }
  return levels.front();
}

std::string level_or_default(store::Database& db, const std::string& level) {
  return level.empty() ? default_level(db) : level;
}

Panel load_panel(store::Database& db, const std::string& level, std::optional<Month> from, std::optional<Month> to) {
  const auto areas = db.areas(level, false);
  if (areas.empty()) {
    std::string have;
    for (const auto& l : db.area_levels()) have += (have.empty() ? "" : ", ") + l;
    throw not_found("no areas at level '" + level + "' (levels there are: " + (have.empty() ? "none" : have) + ")");
  }
  if (!from || !to) {
    const auto st = db.status();
    if (!st.first_event) throw not_found("no events in the database; run 'endstate events import' first");
    if (!from) from = Month::of(*st.first_event);
    if (!to) to = Month::of(*st.last_event);
  }
  if (*to < *from) throw invalid_field("to", to->str() + " is before from " + from->str());
  std::vector<PanelArea> pa;
  pa.reserve(areas.size());
  std::unordered_map<std::string, std::size_t> index;
  for (const auto& a : areas) {
    index.emplace(a.id, pa.size());
    pa.push_back({a.id, a.name, a.population, a.centroid, a.area_km2});
  }
  Panel panel(std::move(pa), *from, *to);
  store::EventFilter f;
  f.from = from;
  f.to = to;
  db.for_each_event(f, [&](const store::EventRow& r) {
    for (const auto& id : r.area_ids) {
      const auto it = index.find(id);
      if (it != index.end()) panel.add(it->second, r.event);
    }
  });
  return panel;
}

std::vector<Area> shapes(store::Database& db, const std::string& level) { return db.areas(level, true); }

std::string read_text(const std::string& path, const std::string& field) {
  try {
    return read_text_file(path);
  } catch (Error& e) {
    // Name the request field the file came from when the reader could not say more.
    if (e.where().field.empty() && e.where().line == 0) throw Error(e.category(), e.message(), {path, 0, field});
    throw;
  }
}

void check_range(const std::string& field, double v, double lo, double hi) {
  if (!std::isfinite(v) || v < lo || v > hi) {
    std::ostringstream m;
    m << "must be a number in [" << lo << ", " << hi << "] (got " << v << ")";
    throw invalid_field(field, m.str());
  }
}

}  // namespace detail

Engine::Engine(std::string location, Hooks hooks, bool read_only) : impl_(std::make_unique<Impl>()) {
  impl_->location = std::move(location);
  impl_->hooks = std::move(hooks);
  impl_->read_only = read_only;
}
Engine::~Engine() = default;
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;

const std::string& Engine::location() const { return impl_->location; }
const EngineStats& Engine::stats() const { return impl_->stats; }
void Engine::set_reuse_results(bool on) {
  impl_->reuse_results = on;
  if (!on) impl_->plans.clear();
}
store::Database& Engine::reader() { return impl_->reader(); }
store::Database& Engine::writer() { return impl_->writer(); }
void Engine::end_read_snapshot() {
  if (impl_->db) impl_->db->end_snapshot();
}
void Engine::set_actor(std::string user) { impl_->actor = std::move(user); }
const std::string& Engine::actor() const { return impl_->actor; }

// --- data ------------------------------------------------------------------------

namespace {

void check_file(const std::string& file, const char* field) {
  if (file.empty()) throw invalid_field(field, "is required");
}

}  // namespace

ImportSummary Engine::import_areas(const AreaImportRequest& r) {
  check_file(r.file, "file");
  const auto& o = r.options;
  if (!o.dissolve_csv.empty() && (o.dissolve_key.empty() || o.dissolve_into.empty())) {
    throw invalid_field("dissolve_by", "needs the crosswalk's key column (unit id) and into column (group name)");
  }
  return ingest::import_areas(writer(), r.file, r.options);
}

ImportSummary Engine::add_grid(const GridRequest& r) {
  if (r.bbox.has_value() == !r.within.empty()) {
    throw invalid_field("bbox", "give exactly one of a box MINLON,MINLAT,MAXLON,MAXLAT or an area to fill");
  }
  if (r.bbox) {
    const auto& b = *r.bbox;
    detail::check_range("bbox", b[0], -180, 180);
    detail::check_range("bbox", b[2], -180, 180);
    detail::check_range("bbox", b[1], -90, 90);
    detail::check_range("bbox", b[3], -90, 90);
    if (b[2] <= b[0] || b[3] <= b[1]) throw invalid_field("bbox", "must have MINLON < MAXLON and MINLAT < MAXLAT");
    return ingest::import_grid_box(writer(), b[0], b[1], b[2], b[3]);
  }
  return ingest::import_grid_within(writer(), r.within);
}

ImportSummary Engine::import_events(const EventImportRequest& r) {
  check_file(r.file, "file");
  if (!r.map.empty() && r.source != ingest::EventSource::kCsv) {
    throw invalid_field("map", "applies to the generic CSV source only");
  }
  return ingest::import_events(writer(), r.file, r.source, r.map, r.options);
}

ImportSummary Engine::import_sites(const SiteImportRequest& r) {
  check_file(r.file, "file");
  return ingest::import_sites(writer(), r.file, r.source, r.options);
}

ImportSummary Engine::import_observations(const ObservationImportRequest& r) {
  check_file(r.file, "file");
  return ingest::import_observations(writer(), r.file, r.options);
}

AreaList Engine::list_areas(const AreaQuery& q) {
  auto& db = reader();
  AreaList out;
  out.level = q.level;
  out.areas = db.areas(q.level, q.with_geometry);
  if (!q.level.empty() && out.areas.empty()) {
    std::string levels;
    for (const auto& l : db.area_levels()) levels += " " + l;
    throw not_found("no areas at level '" + q.level + "'; levels present:" + (levels.empty() ? " none" : levels));
  }
  return out;
}

void Engine::list_events(const EventQuery& q, const std::function<void(const EventRecord&)>& row) {
  if (q.from && q.to && *q.to < *q.from) throw invalid_field("to", "is before from");
  if (q.limit < 0) throw invalid_field("limit", "must be >= 0");
  auto& db = reader();
  store::EventFilter f;
  f.from = q.from;
  f.to = q.to;
  f.type = q.type;
  f.source = q.source;
  f.limit = q.limit;
  if (!q.area.empty()) {
    auto area = db.find_area(q.area);
    if (!area) throw not_found("no area '" + q.area + "' (id or name); see endstate areas list");
    f.area_ids = {area->id};
  }
  std::unordered_set<std::string> at_level;
  if (!q.level.empty()) {
    for (const auto& a : db.areas(q.level, false)) at_level.insert(a.id);
    if (at_level.empty()) throw not_found("no areas at level '" + q.level + "'");
  }
  db.for_each_event(f, [&](const store::EventRow& r) {
    EventRecord rec;
    rec.row = &r;
    if (q.level.empty()) {
      rec.areas = r.area_ids;
    } else {
      for (const auto& id : r.area_ids) {
        if (at_level.count(id)) {
          rec.areas.push_back(id);
          break;
        }
      }
    }
    row(rec);
  });
}

SiteList Engine::list_sites(const SiteQuery& q) {
  auto& db = reader();
  std::vector<std::string> area_ids;
  if (!q.area.empty()) {
    auto area = db.find_area(q.area);
    if (!area) throw not_found("no area '" + q.area + "' (id or name); see endstate areas list");
    area_ids = {area->id};
  }
  return {db.sites(area_ids, q.month)};
}

ObservationList Engine::list_observations(const ObservationQuery& q) {
  auto& db = reader();
  std::string area_id;
  if (!q.area.empty()) {
    auto area = db.find_area(q.area);
    if (!area) throw not_found("no area '" + q.area + "' (id or name)");
    area_id = area->id;
  }
  return {db.observations(q.indicator, area_id)};
}

StatusResult Engine::status() {
  auto& db = reader();
  return {location(), db.status()};
}

std::string Engine::default_level() { return detail::default_level(reader()); }

std::vector<store::SiteRow> Engine::active_sites(Month month) {
  std::vector<store::SiteRow> out;
  for (auto& s : reader().sites({}, month)) {
    if (s.latest && is_active(*s.latest)) out.push_back(std::move(s));
  }
  return out;
}

}  // namespace endstate::service
