#pragma once
// Charts and maps drawn as inline SVG by our own code, for self-contained
// HTML reports (no scripts, fonts, tiles or other external resources).
// Maps project WGS84 areas (ISO WKB polygons and multipolygons, as the
// store holds them) with an equirectangular projection scaled by the cosine
// of the map's middle latitude (adequate for a country-sized map; not an
// equal-area projection). Every number drawn is written with a fixed number
// of decimals, so the same inputs give byte-identical SVG.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "endstate/core/types.hpp"

namespace endstate::report::svg {

/// Outer rings then holes of each polygon of a WKB Polygon or MultiPolygon
/// (lon, lat). Error(kBadInput) for another geometry type or truncated WKB.
using Ring = std::vector<LatLon>;
std::vector<std::vector<Ring>> polygons(const std::vector<std::uint8_t>& wkb);

/// One line of a line chart.
struct Series {
  std::string name;
  std::vector<std::optional<double>> y;  ///< one per x label; nullopt = gap
  std::string color;                     ///< CSS colour
  bool dashed = false;
};

struct LineChart {
  std::string title;
  std::string y_label;
  std::vector<std::string> x_labels;  ///< shown every `x_every` labels
  int x_every = 6;
  std::vector<Series> series;
  std::optional<double> y_min;  ///< default: 0 or the smallest value
  int width = 720, height = 260;
};

/// A line chart with axes, a legend and gaps where values are missing.
std::string line_chart(const LineChart& c);

struct Bar {
  std::string label;
  std::vector<double> values;  ///< stacked parts (>= 0)
};

struct BarChart {
  std::string title;
  std::string y_label;
  std::vector<std::string> part_names;   ///< legend, parallel to Bar::values
  std::vector<std::string> part_colors;  ///< parallel to Bar::values
  std::vector<Bar> bars;
  int width = 720, height = 260;
};

/// Vertical stacked bars with a legend.
std::string bar_chart(const BarChart& c);

/// An area on a map.
struct MapArea {
  std::vector<std::uint8_t> wkb;
  std::string fill = "#eeeeee";
  std::string title;  ///< tooltip (the area's name and its value)
  std::string label;  ///< drawn at `label_at` when not empty
  std::optional<LatLon> label_at;
  double stroke_width = 0.6;
};

/// A point on a map (a base, a locality, a cluster centre).
struct MapPoint {
  LatLon where;
  double radius = 4;  ///< pixels (circle) or half side (square)
  std::string fill = "#1f4e79";
  std::string stroke = "#ffffff";
  bool square = false;
  std::string title;
  std::string label;
};

/// A circle of a given radius on the ground (a hotspot).
struct MapCircle {
  LatLon centre;
  double radius_km = 0;
  std::string stroke = "#c00000";
  std::string title;
};

struct LegendItem {
  std::string color;
  std::string text;
  bool point = false;
};

struct Map {
  std::string title;
  std::vector<MapArea> areas;
  std::vector<MapCircle> circles;
  std::vector<MapPoint> points;
  std::vector<LegendItem> legend;
  int width = 720, height = 480;
};

/// A map fitted to the areas (and points) with a legend and a scale bar.
std::string map(const Map& m);

/// Text safe inside SVG/HTML (& < > " ').
std::string escape(const std::string& text);

/// A number with a fixed number of decimals ("-0" written "0").
std::string fixed(double v, int decimals);

}  // namespace endstate::report::svg
