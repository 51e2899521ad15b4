#pragma once
// Reading polygons from GeoJSON, Shapefile and GeoPackage through GDAL/OGR,
// reprojected to WGS84, and writing areas back out as GeoJSON.

#include <optional>
#include <string>
#include <vector>

#include "endstate/core/domain.hpp"

namespace endstate::geo {

/// Which attributes carry what; empty means "guess" (see docs/data-formats.md).
struct AreaReadOptions {
  std::string level = "area";
  std::string id_field;          ///< default: "id", "wof:id", "GID_*", or the feature id
  std::string name_field;        ///< default: "name", "wof:name", "NAME_*"
  std::string parent_field;      ///< optional
  std::string population_field;  ///< optional
  std::string layer;             ///< optional: layer name in a multi-layer source (GeoPackage)
};

/// Reads every polygon feature of `path`. Throws Error(kBadInput) naming the
/// file (and feature) when the file is not a readable vector dataset, a
/// GeoJSON is not a FeatureCollection, a Shapefile lacks its .dbf, a named
/// field is missing, an id repeats, or a geometry is not a (multi)polygon.
std::vector<Area> read_areas(const std::string& path, const AreaReadOptions& options);

/// Fills wkb-derived fields (envelope, area_km2, centroid) from `area.wkb`.
void compute_metrics(Area& area);

/// GeoJSON geometry object (as text) for an area's WKB, with RFC 7946 ring
/// orientation: exterior rings counter-clockwise, holes clockwise.
std::string wkb_to_geojson(const std::vector<std::uint8_t>& wkb, int precision = 6);

/// A lower-case ASCII slug for ids: "Nord-Kivu" -> "nord-kivu", "Équateur" -> "equateur".
std::string slugify(const std::string& text);

}  // namespace endstate::geo
