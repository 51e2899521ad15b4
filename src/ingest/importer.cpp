#include "endstate/ingest/importer.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "endstate/core/error.hpp"
#include "endstate/core/hash.hpp"
#include "endstate/core/progress.hpp"
#include "endstate/geo/area_index.hpp"
#include "endstate/geo/dissolve.hpp"
#include "endstate/geo/priogrid.hpp"
#include "endstate/store/database.hpp"

namespace endstate::ingest {
namespace {

namespace fs = std::filesystem;

/// The areas of the store and an index over them.
struct AreaLookup {
  std::vector<Area> areas;
  std::unique_ptr<geo::AreaIndex> index;
  std::vector<int> hits;

  explicit AreaLookup(store::Database& db) : areas(db.areas()) {
    if (!areas.empty()) index = std::make_unique<geo::AreaIndex>(areas);
  }
  [[nodiscard]] bool empty() const { return !index; }
  /// Fills `hits` with one index per level (-1 where none); returns whether any level matched.
  bool locate(LatLon p) {
    if (!index) return false;
    index->lookup(p, hits);
    for (int h : hits) {
      if (h >= 0) return true;
    }
    return false;
  }
};

std::string csv_escape(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

/// Collects rejects: the first `limit` in the summary; past the limit, all of
/// them stream to a CSV beside the database. Under --strict the first reject
/// aborts the import.
class RejectCollector {
 public:
  RejectCollector(ImportSummary& summary, const ImportOptions& options, const std::string& db_path)
      : summary_(summary), options_(options), db_path_(db_path) {}

  void add(Reject&& r) {
    ++summary_.rejected;
    if (options_.strict) {
      throw Error(ErrorCategory::kBadInput, r.reason + " (--strict: nothing was imported)",
                  {summary_.file, r.line, r.field});
    }
    if (summary_.rejects.size() < options_.reject_limit) {
      summary_.rejects.push_back(std::move(r));
      return;
    }
    if (!out_) open_file();
    write(r);
  }

 private:
  void open_file() {
    // Beside an SQLite file; in the current folder for a server store.
    const bool server = store::is_server_location(db_path_);
    const fs::path db(server ? std::string("endstate") : db_path_);
    const fs::path dir = server ? fs::current_path() : db.has_parent_path() ? db.parent_path() : fs::path(".");
    const std::string stem = fs::path(summary_.file).filename().string();
    const fs::path p = dir / (db.stem().string() + "-rejects-" + stem + "-" + summary_.sha256.substr(0, 12) + ".csv");
    out_ = std::make_unique<std::ofstream>(p, std::ios::trunc);
    if (!*out_) throw internal_error("cannot write rejects file " + p.string());
    summary_.rejects_csv = p.string();
    *out_ << "file,line,field,reason\n";
    for (const auto& r : summary_.rejects) write(r);
  }
  void write(const Reject& r) {
    *out_ << csv_escape(summary_.file) << ',' << r.line << ',' << csv_escape(r.field) << ',' << csv_escape(r.reason)
          << '\n';
  }

  ImportSummary& summary_;
  const ImportOptions& options_;
  std::string db_path_;
  std::unique_ptr<std::ofstream> out_;
};

ImportSummary start_summary(const std::string& path, const std::string& kind) {
  if (!fs::exists(path)) throw Error(ErrorCategory::kNotFound, "no such file", {path, 0, ""});
  if (fs::is_directory(path)) throw Error(ErrorCategory::kBadInput, "is a directory, expected a file", {path, 0, ""});
  if (fs::file_size(path) == 0) {
    throw Error(ErrorCategory::kBadInput, "file is empty; nothing to import", {path, 0, ""});
  }
  ImportSummary s;
  s.file = path;
  s.kind = kind;
  s.sha256 = sha256_file(path);
  return s;
}

constexpr std::size_t kSwappedLinesKept = 10;

/// Where a point that lies outside every area may have had lat and lon swapped.
bool looks_swapped(AreaLookup& lookup, LatLon p) {
  const LatLon swapped{p.lon, p.lat};
  return swapped.valid() && lookup.locate(swapped);
}

class EventImporter final : public EventSink {
 public:
  EventImporter(store::Database& db, ImportSummary& s, RejectCollector& rejects, std::int64_t import_id,
                AreaLookup& lookup)
      : db_(db), s_(s), rejects_(rejects), import_id_(import_id), lookup_(lookup) {}

  void on_event(Event&& e, std::int64_t line) override {
    ++s_.read;
    const bool inside = lookup_.locate(e.where);
    const bool swapped_hint = !inside && !lookup_.empty() && looks_swapped(lookup_, e.where);
    std::int64_t existing_import = 0;
    const auto id = db_.insert_event(e, import_id_, &existing_import);
    if (!id) {
      if (existing_import == import_id_) {
        rejects_.add({line, "id", "duplicate id '" + e.source_id + "' inside this file"});
      } else {
        ++s_.duplicates;
      }
      return;
    }
    ++s_.imported;
    if (!inside) {
      if (!lookup_.empty()) ++s_.outside_areas;
      if (swapped_hint) {
        ++s_.outside_swapped;
        if (s_.outside_swapped_lines.size() < kSwappedLinesKept) s_.outside_swapped_lines.push_back(line);
      }
      return;
    }
    for (int h : lookup_.hits) {
      if (h >= 0) db_.link_event_area(*id, lookup_.areas[static_cast<std::size_t>(h)].id);
    }
  }
  void on_reject(Reject&& r) override {
    ++s_.read;
    rejects_.add(std::move(r));
  }
  void on_progress(std::int64_t done, std::int64_t total) override {
    if (total > 0 && !total_set_) {
      progress_ = std::make_unique<Progress>("importing events", total);
      total_set_ = true;
    }
    if (progress_) progress_->update(done);
  }

 private:
  store::Database& db_;
  ImportSummary& s_;
  RejectCollector& rejects_;
  std::int64_t import_id_;
  AreaLookup& lookup_;
  std::unique_ptr<Progress> progress_;
  bool total_set_ = false;
};

std::string event_source_name(EventSource s) {
  switch (s) {
    case EventSource::kUcdp: return "ucdp";
    case EventSource::kAcled: return "acled";
    case EventSource::kCsv: return "csv";
  }
  return "csv";
}

}  // namespace

ImportSummary import_events(store::Database& db, const std::string& path, EventSource source, const ColumnMap& map,
                            const ImportOptions& options) {
  ImportSummary s = start_summary(path, "events");
  AreaLookup lookup(db);
  store::Database::Transaction tx(db, store::Database::Transaction::Mode::kBulk);
  const std::int64_t import_id = db.begin_import("events", path, s.sha256, event_source_name(source));
  RejectCollector rejects(s, options, db.path());
  EventImporter sink(db, s, rejects, import_id, lookup);
  read_events(path, source, map, sink);
  db.finish_import(import_id, s);
  tx.commit();
  return s;
}

namespace {

class SiteImporter final : public SiteSink {
 public:
  SiteImporter(store::Database& db, ImportSummary& s, RejectCollector& rejects, std::int64_t import_id,
               AreaLookup& lookup)
      : db_(db), s_(s), rejects_(rejects), import_id_(import_id), lookup_(lookup) {}

  void on_site(Site&& site, Deployment&& d, std::int64_t /*line*/) override {
    ++s_.read;
    auto [site_id, inserted] = db_.upsert_site(site, import_id_);
    if (inserted) {
      const bool inside = lookup_.locate(site.where);
      if (inside) {
        for (int h : lookup_.hits) {
          if (h >= 0) db_.link_site_area(site_id, lookup_.areas[static_cast<std::size_t>(h)].id);
        }
      } else if (!lookup_.empty()) {
        ++s_.outside_areas;
        outside_names_.push_back(site.name + " (" + site.country + ")");
      }
    }
    if (db_.insert_deployment(site_id, d, import_id_)) {
      ++s_.imported;
    } else {
      ++s_.duplicates;
    }
  }
  void on_reject(Reject&& r) override {
    ++s_.read;
    rejects_.add(std::move(r));
  }

 private:
  store::Database& db_;
  ImportSummary& s_;
  RejectCollector& rejects_;
  std::int64_t import_id_;
  AreaLookup& lookup_;
  std::vector<std::string> outside_names_;
};

class ObservationImporter final : public ObservationSink {
 public:
  ObservationImporter(store::Database& db, ImportSummary& s, RejectCollector& rejects, std::int64_t import_id)
      : db_(db), s_(s), rejects_(rejects), import_id_(import_id) {}

  void on_observation(Observation&& o, std::int64_t line) override {
    ++s_.read;
    auto it = resolved_.find(o.area_id);
    if (it == resolved_.end()) {
      std::optional<std::string> id;
      try {
        if (auto a = db_.find_area(o.area_id)) id = a->id;
      } catch (const Error& e) {
        rejects_.add({line, "area", e.message()});
        return;
      }
      it = resolved_.emplace(o.area_id, id).first;
    }
    if (!it->second) {
      rejects_.add({line, "area", "unknown area '" + o.area_id + "' (not an id or name of any imported area)"});
      return;
    }
    o.area_id = *it->second;
    db_.ensure_indicator(o.indicator);
    if (db_.insert_observation(o, import_id_)) {
      ++s_.imported;
    } else {
      ++s_.duplicates;
    }
  }
  void on_reject(Reject&& r) override {
    ++s_.read;
    rejects_.add(std::move(r));
  }

 private:
  store::Database& db_;
  ImportSummary& s_;
  RejectCollector& rejects_;
  std::int64_t import_id_;
  std::unordered_map<std::string, std::optional<std::string>> resolved_;
};

}  // namespace

ImportSummary import_sites(store::Database& db, const std::string& path, SiteSource source,
                           const ImportOptions& options) {
  ImportSummary s = start_summary(path, "sites");
  AreaLookup lookup(db);
  store::Database::Transaction tx(db);
  const std::int64_t import_id =
      db.begin_import("sites", path, s.sha256, source == SiteSource::kGeoPko ? "geopko" : "csv");
  RejectCollector rejects(s, options, db.path());
  SiteImporter sink(db, s, rejects, import_id, lookup);
  read_sites(path, source, sink);
  db.finish_import(import_id, s);
  tx.commit();
  return s;
}

ImportSummary import_observations(store::Database& db, const std::string& path, const ImportOptions& options) {
  ImportSummary s = start_summary(path, "observations");
  store::Database::Transaction tx(db);
  const std::int64_t import_id = db.begin_import("observations", path, s.sha256, "csv");
  RejectCollector rejects(s, options, db.path());
  ObservationImporter sink(db, s, rejects, import_id);
  read_observations(path, sink);
  db.finish_import(import_id, s);
  tx.commit();
  return s;
}

std::int64_t reassign_areas(store::Database& db) {
  AreaLookup lookup(db);
  db.clear_event_areas();
  db.clear_site_areas();
  std::int64_t outside = 0;
  if (lookup.empty()) return 0;
  std::vector<std::pair<std::int64_t, LatLon>> points;
  db.for_each_event_point([&](std::int64_t id, LatLon p) { points.emplace_back(id, p); });
  for (const auto& [id, p] : points) {
    if (!lookup.locate(p)) {
      ++outside;
      continue;
    }
    for (int h : lookup.hits) {
      if (h >= 0) db.link_event_area(id, lookup.areas[static_cast<std::size_t>(h)].id);
    }
  }
  points.clear();
  db.for_each_site_point([&](std::int64_t id, LatLon p) { points.emplace_back(id, p); });
  for (const auto& [id, p] : points) {
    if (!lookup.locate(p)) continue;
    for (int h : lookup.hits) {
      if (h >= 0) db.link_site_area(id, lookup.areas[static_cast<std::size_t>(h)].id);
    }
  }
  return outside;
}

namespace {

ImportSummary store_areas(store::Database& db, const std::string& label, const std::string& sha,
                          const std::string& source, std::vector<Area>& areas) {
  ImportSummary s;
  s.file = label;
  s.kind = "areas";
  s.sha256 = sha;
  store::Database::Transaction tx(db);
  const std::int64_t import_id = db.begin_import("areas", label, sha, source);
  for (const auto& a : areas) {
    ++s.read;
    if (db.insert_area(a, import_id)) {
      ++s.imported;
    } else {
      ++s.duplicates;
    }
  }
  s.outside_areas = reassign_areas(db);
  db.finish_import(import_id, s);
  tx.commit();
  return s;
}

}  // namespace

ImportSummary import_areas(store::Database& db, const std::string& path, const AreaImportOptions& options) {
  if (!fs::exists(path)) throw Error(ErrorCategory::kNotFound, "no such file", {path, 0, ""});
  std::string sha = fs::is_directory(path) ? sha256_hex(path) : sha256_file(path);
  std::vector<Area> units = geo::read_areas(path, options.read);
  std::vector<Area> all;
  if (!options.dissolve_csv.empty()) {
    const auto crosswalk = geo::read_crosswalk(options.dissolve_csv, options.dissolve_key, options.dissolve_into);
    std::vector<Area> groups = geo::dissolve(units, crosswalk, options.group_level);
    for (auto& g : groups) {
      if (!options.group_parent.empty()) g.parent_id = options.group_parent;
      all.push_back(std::move(g));
    }
    sha = sha256_hex(sha + sha256_file(options.dissolve_csv));
  }
  for (auto& u : units) all.push_back(std::move(u));
  for (const auto& a : all) {
    if (!a.parent_id.empty()) {
      bool known = false;
      for (const auto& b : all) known = known || b.id == a.parent_id;
      if (!known && !db.find_area(a.parent_id)) {
        throw Error(ErrorCategory::kBadInput,
                    "area '" + a.id + "' names parent '" + a.parent_id +
                        "', which is neither in this file nor in the database; import the parent level first",
                    {path, 0, options.read.parent_field});
      }
    }
  }
  return store_areas(db, path, sha, "gdal", all);
}

ImportSummary import_grid_box(store::Database& db, double min_lon, double min_lat, double max_lon, double max_lat) {
  if (!(min_lon < max_lon && min_lat < max_lat) || min_lon < -180 || max_lon > 180 || min_lat < -90 || max_lat > 90) {
    throw usage_error("--bbox must be MINLON,MINLAT,MAXLON,MAXLAT with min < max, within -180..180 and -90..90");
  }
  std::vector<Area> cells = geo::priogrid_cells(min_lon, min_lat, max_lon, max_lat);
  char label[128];
  std::snprintf(label, sizeof label, "priogrid bbox %g,%g,%g,%g", min_lon, min_lat, max_lon, max_lat);
  return store_areas(db, label, sha256_hex(label), "priogrid", cells);
}

ImportSummary import_grid_within(store::Database& db, const std::string& area_id) {
  auto area = db.find_area(area_id);
  if (!area) throw Error(ErrorCategory::kNotFound, "no area '" + area_id + "'; see endstate areas list");
  std::vector<Area> cells = geo::priogrid_cells_within(*area);
  const std::string label = "priogrid within " + area->id;
  return store_areas(db, label, sha256_hex(label), "priogrid", cells);
}

}  // namespace endstate::ingest
