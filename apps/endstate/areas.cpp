// endstate areas import | grid | list
#include "commands.hpp"
#include "common.hpp"
#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/io/writers.hpp"

namespace endstate::cli {
namespace {

int areas_import(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, false);
  service::AreaImportRequest r;
  r.file = a.positional(0) == "-" ? "/vsistdin/" : a.positional(0);
  auto& o = r.options;
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
  io::write(out, engine(a).import_areas(r), wo);
  return 0;
}

int areas_grid(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, false);
  service::GridRequest r;
  if (a.has("bbox")) {
    std::array<double, 4> b{};
    const auto parts = split(a.get("bbox"), ',');
    for (std::size_t i = 0; i < parts.size() && i < 4; ++i) {
      const auto d = parse_double(parts[i]);
      if (!d)
        throw usage_error("--bbox must be four numbers MINLON,MINLAT,MAXLON,MAXLAT (got '" + a.get("bbox") + "')");
      b[i] = *d;
    }
    if (parts.size() != 4) throw usage_error("--bbox must be four numbers MINLON,MINLAT,MAXLON,MAXLAT");
    r.bbox = b;
  }
  r.within = a.get("within");
  io::write(out, engine(a).add_grid(r), wo);
  return 0;
}

int areas_list(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, true);
  service::AreaQuery q;
  q.level = a.get("level");
  q.with_geometry = wo.format == io::Format::kGeoJson;
  io::write(out, engine(a).list_areas(q), wo);
  return 0;
}

}  // namespace

std::vector<CommandSpec> areas_commands() {
  return {
      {"areas",
       "import",
       "Import polygons (GeoJSON, Shapefile, GeoPackage; reprojected to WGS84), optionally dissolving them into a "
       "larger level through a crosswalk; then re-assign every stored event and site to the areas.",
       {{"FILE", "vector file (.geojson, .shp with .dbf/.shx/.prj, .gpkg; - = GeoJSON on standard input)"}},
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
        format_flag(false)},
       areas_import},
      {"areas",
       "grid",
       "Add PRIO-GRID 0.5-degree cells (gid = row*720 + col + 1) covering a box, or intersecting an area with each "
       "cell's share inside it.",
       {},
       {{"bbox", "MINLON,MINLAT,MAXLON,MAXLAT", "cells intersecting this box", ""},
        {"within", "AREA", "cells intersecting this area (id or name); share_inside = overlap / cell area", ""},
        format_flag(false)},
       areas_grid},
      {"areas",
       "list",
       "List areas with their level, parent, population, area and centroid; GeoJSON for QGIS.",
       {},
       {{"level", "L", "only this level", ""}, format_flag(true), bom_flag()},
       areas_list},
  };
}

}  // namespace endstate::cli
