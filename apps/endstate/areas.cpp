// endstate areas import | grid | list
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "common.hpp"
#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/geo/areas_io.hpp"
#include "endstate/ingest/importer.hpp"
#include "endstate/store/database.hpp"

namespace endstate::cli {
namespace {

int areas_import(const Args& a, std::ostream& out) {
  const Format format = parse_format(a.get("format"), false);
  ingest::AreaImportOptions o;
  o.read.level = a.get("level");
  o.read.id_field = a.get("id-field");
  o.read.name_field = a.get("name-field");
  o.read.parent_field = a.get("parent-field");
  o.read.population_field = a.get("population-field");
  o.read.layer = a.get("layer");
  o.dissolve_csv = a.get("dissolve-by");
  o.dissolve_key = a.get("key");
  o.dissolve_into = a.get("into");
  o.group_level = a.get("into-level");
  o.group_parent = a.get("into-parent");
  if (!o.dissolve_csv.empty() && (o.dissolve_key.empty() || o.dissolve_into.empty())) {
    throw usage_error("--dissolve-by needs --key COLUMN (unit id) and --into COLUMN (group name)");
  }
  auto db = store::Database::open(a.db_path());
  const ImportSummary s = ingest::import_areas(db, a.positional(0), o);
  print_summary(out, s, format);
  return 0;
}

int areas_grid(const Args& a, std::ostream& out) {
  const Format format = parse_format(a.get("format"), false);
  const bool has_box = a.has("bbox");
  const bool has_within = a.has("within");
  if (has_box == has_within) throw usage_error("give exactly one of --bbox MINLON,MINLAT,MAXLON,MAXLAT or --within AREA");
  auto db = store::Database::open(a.db_path());
  ImportSummary s;
  if (has_box) {
    const auto parts = split(a.get("bbox"), ',');
    std::vector<double> v;
    for (const auto& p : parts) {
      auto d = parse_double(p);
      if (!d) throw usage_error("--bbox must be four numbers MINLON,MINLAT,MAXLON,MAXLAT (got '" + a.get("bbox") + "')");
      v.push_back(*d);
    }
    if (v.size() != 4) throw usage_error("--bbox must be four numbers MINLON,MINLAT,MAXLON,MAXLAT");
    s = ingest::import_grid_box(db, v[0], v[1], v[2], v[3]);
  } else {
    s = ingest::import_grid_within(db, a.get("within"));
  }
  print_summary(out, s, format);
  return 0;
}

int areas_list(const Args& a, std::ostream& out) {
  const Format format = parse_format(a.get("format"), true);
  auto db = store::Database::open_read_only(a.db_path());
  const std::string level = a.get("level");
  const auto areas = db.areas(level, format == Format::kGeoJson);
  if (!level.empty() && areas.empty()) {
    std::string levels;
    for (const auto& l : db.area_levels()) levels += " " + l;
    throw not_found("no areas at level '" + level + "'; levels present:" + (levels.empty() ? " none" : levels));
  }
  if (format == Format::kGeoJson) {
    out << "{\"type\":\"FeatureCollection\",\"features\":[";
    bool first = true;
    for (const auto& ar : areas) {
      nlohmann::ordered_json props;
      props["id"] = ar.id;
      props["name"] = ar.name;
      props["level"] = ar.level;
      props["parent_id"] = ar.parent_id;
      props["population"] = ar.population ? nlohmann::ordered_json(*ar.population) : nlohmann::ordered_json();
      props["area_km2"] = ar.area_km2;
      if (ar.priogrid_gid) props["priogrid_gid"] = *ar.priogrid_gid;
      if (ar.share_inside) props["share_inside"] = *ar.share_inside;
      out << (first ? "\n" : ",\n") << "{\"type\":\"Feature\",\"properties\":" << props.dump()
          << ",\"geometry\":" << geo::wkb_to_geojson(ar.wkb) << "}";
      first = false;
    }
    out << "\n]}\n";
    return 0;
  }
  Table t{{"id", "name", "level", "parent_id", "population", "area_km2", "centroid_lat", "centroid_lon",
           "priogrid_gid", "share_inside"},
          {}};
  for (const auto& ar : areas) {
    t.rows.push_back({ar.id, ar.name, ar.level, ar.parent_id, ar.population ? fmt_double(*ar.population, 0) : "",
                      fmt_double(ar.area_km2, 1), fmt_double(ar.centroid.lat, 5), fmt_double(ar.centroid.lon, 5),
                      ar.priogrid_gid ? std::to_string(*ar.priogrid_gid) : "",
                      ar.share_inside ? fmt_double(*ar.share_inside, 4) : ""});
  }
  t.print(out, format);
  return 0;
}

}  // namespace

std::vector<CommandSpec> areas_commands() {
  return {
      {"areas",
       "import",
       "Import polygons (GeoJSON, Shapefile, GeoPackage; reprojected to WGS84), optionally dissolving them into a "
       "larger level through a crosswalk; then re-assign every stored event and site to the areas.",
       {{"FILE", "vector file (.geojson, .shp with .dbf/.shx/.prj, .gpkg)"}},
       {{"level", "L", "level of the imported units (province, territory, district, ...)", "area"},
        {"id-field", "NAME", "attribute holding the unique id (default: id, wof:id, GID_*, else the feature id)", ""},
        {"name-field", "NAME", "attribute holding the name (default: name, wof:name, NAME_*)", ""},
        {"parent-field", "NAME", "attribute holding the parent area's id", ""},
        {"population-field", "NAME", "attribute holding the population", ""},
        {"layer", "NAME", "layer to read from a multi-layer source (GeoPackage)", ""},
        {"dissolve-by", "CSV", "crosswalk CSV: union the units into larger areas", ""},
        {"key", "COLUMN", "crosswalk column holding the unit id (with --dissolve-by)", ""},
        {"into", "COLUMN", "crosswalk column holding the larger area's name (with --dissolve-by)", ""},
        {"into-level", "L", "level of the dissolved areas", "province"},
        {"into-parent", "ID", "parent id for the dissolved areas (e.g. the country)", ""},
        {"format", "FMT", "summary as table or json", "table"}},
       areas_import},
      {"areas",
       "grid",
       "Add PRIO-GRID 0.5-degree cells (gid = row*720 + col + 1) covering a box, or intersecting an area with each "
       "cell's share inside it.",
       {},
       {{"bbox", "MINLON,MINLAT,MAXLON,MAXLAT", "cells intersecting this box", ""},
        {"within", "AREA", "cells intersecting this area (id or name); share_inside = overlap / cell area", ""},
        {"format", "FMT", "summary as table or json", "table"}},
       areas_grid},
      {"areas",
       "list",
       "List areas with their level, parent, population, area and centroid; GeoJSON for QGIS.",
       {},
       {{"level", "L", "only this level", ""}, format_flag(true)},
       areas_list},
  };
}

}  // namespace endstate::cli
