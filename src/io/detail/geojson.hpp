#pragma once
// GeoJSON (RFC 7946) writing for the output layer: a streamed
// FeatureCollection carrying "format_version" and "kind" as foreign members,
// one geometry type per collection, WGS84 coordinates, exterior rings
// counter-clockwise. Private to src/io.

#include <ostream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "endstate/core/domain.hpp"
#include "endstate/core/types.hpp"
#include "io/detail/json.hpp"

namespace endstate::io::detail {

class FeatureCollection {
 public:
  FeatureCollection(std::ostream& out, std::string_view kind);
  ~FeatureCollection();
  FeatureCollection(const FeatureCollection&) = delete;
  FeatureCollection& operator=(const FeatureCollection&) = delete;
  /// One feature; `geometry` is GeoJSON geometry text (or "null").
  void add(const Json& properties, const std::string& geometry);
  /// Closes the collection (also done by the destructor).
  void finish();

 private:
  std::ostream& out_;
  bool first_ = true;
  bool done_ = false;
};

std::string point_geometry(LatLon p);
/// The area's polygon(s), or "null" without geometry.
std::string area_geometry(const Area& a);
/// A polygon from one closed (lat, lon) ring, counter-clockwise.
std::string polygon_geometry(const std::vector<LatLon>& ring);

/// Area shapes by id, for joining results to polygons.
class ShapeIndex {
 public:
  explicit ShapeIndex(const std::vector<Area>& shapes);
  /// The area's geometry text, or "null" when the area has none.
  [[nodiscard]] std::string geometry(const std::string& id) const;

 private:
  std::unordered_map<std::string, const Area*> by_id_;
};

}  // namespace endstate::io::detail
