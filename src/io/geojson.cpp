#include "io/detail/geojson.hpp"

#include <cmath>

#include "endstate/geo/areas_io.hpp"

namespace endstate::io::detail {

FeatureCollection::FeatureCollection(std::ostream& out, std::string_view kind) : out_(out) {
  out_ << "{\"type\":\"FeatureCollection\",\"format_version\":" << kFormatVersion << ",\"kind\":" << Json(kind).dump()
       << ",\"features\":[";
}

FeatureCollection::~FeatureCollection() {
  if (!done_) finish();
}

void FeatureCollection::add(const Json& properties, const std::string& geometry) {
  out_ << (first_ ? "\n" : ",\n")
       << "{\"type\":\"Feature\",\"properties\":" << properties.dump(-1, ' ', false, Json::error_handler_t::replace)
       << ",\"geometry\":" << geometry << "}";
  first_ = false;
}

void FeatureCollection::finish() {
  done_ = true;
  out_ << "\n]}\n";
}

namespace {
std::string coord(double v) {
  const double r = std::round(v * 1e6) / 1e6;
  return Json(r == 0 ? 0.0 : r).dump();
}
}  // namespace

std::string point_geometry(LatLon p) {
  return "{\"type\":\"Point\",\"coordinates\":[" + coord(p.lon) + "," + coord(p.lat) + "]}";
}

std::string area_geometry(const Area& a) { return a.wkb.empty() ? "null" : geo::wkb_to_geojson(a.wkb); }

std::string polygon_geometry(const std::vector<LatLon>& ring) {
  std::string s = "{\"type\":\"Polygon\",\"coordinates\":[[";
  for (std::size_t i = 0; i < ring.size(); ++i) {
    s += (i ? ",[" : "[") + coord(ring[i].lon) + "," + coord(ring[i].lat) + "]";
  }
  return s + "]]}";
}

ShapeIndex::ShapeIndex(const std::vector<Area>& shapes) {
  for (const auto& a : shapes) by_id_.emplace(a.id, &a);
}

std::string ShapeIndex::geometry(const std::string& id) const {
  const auto it = by_id_.find(id);
  return it == by_id_.end() ? "null" : area_geometry(*it->second);
}

}  // namespace endstate::io::detail
