#pragma once
// Helpers for the scenario tests: temporary directories, CSV tables, GeoJSON
// polygons with an independent point-in-polygon (even-odd ray casting) and
// area (shoelace on an equirectangular projection), so that the generator's
// GEOS-based geometry is checked by different code.

#include <atomic>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>
#include <nlohmann/json.hpp>

#include "endstate/core/csv.hpp"

namespace endstate::scenario::testing {

/// A fresh directory under the system temp dir, removed at scope exit.
class TempDir {
 public:
  explicit TempDir(const std::string& tag) {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("endstate_scenario_" + tag + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

inline std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string first_line(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  std::getline(in, line);
  return line;
}

/// A whole CSV file: header and rows (as strings).
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  [[nodiscard]] int col(const std::string& name) const {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return static_cast<int>(i);
    throw std::runtime_error("no column " + name);
  }
};

inline Table read_table(const std::string& path) {
  CsvReader r(path);
  Table t;
  bool first = true;
  while (r.next()) {
    std::vector<std::string> row(r.fields().begin(), r.fields().end());
    if (first) {
      t.header = std::move(row);
      first = false;
    } else {
      t.rows.push_back(std::move(row));
    }
  }
  return t;
}

/// One GeoJSON feature's polygons ([polygon][ring][point] = (lon, lat)) and properties.
struct Shape {
  std::string id, name, province;
  std::int64_t population = 0;
  std::vector<std::vector<std::vector<std::pair<double, double>>>> polygons;
  double min_lon = 1e9, min_lat = 1e9, max_lon = -1e9, max_lat = -1e9;
};

inline std::vector<Shape> read_shapes(const std::string& path) {
  const auto doc = nlohmann::json::parse(read_bytes(path));
  std::vector<Shape> out;
  for (const auto& f : doc.at("features")) {
    Shape s;
    const auto& p = f.at("properties");
    s.id = p.value("id", "");
    s.name = p.value("name", "");
    s.province = p.value("province", "");
    s.population = p.value("population", std::int64_t{0});
    const auto& g = f.at("geometry");
    auto read_polygon = [&](const nlohmann::json& poly) {
      std::vector<std::vector<std::pair<double, double>>> rings;
      for (const auto& ring : poly) {
        std::vector<std::pair<double, double>> r;
        for (const auto& pt : ring) {
          const double lon = pt.at(0).get<double>(), lat = pt.at(1).get<double>();
          r.emplace_back(lon, lat);
          s.min_lon = std::min(s.min_lon, lon);
          s.max_lon = std::max(s.max_lon, lon);
          s.min_lat = std::min(s.min_lat, lat);
          s.max_lat = std::max(s.max_lat, lat);
        }
        rings.push_back(std::move(r));
      }
      s.polygons.push_back(std::move(rings));
    };
    if (g.at("type") == "Polygon") {
      read_polygon(g.at("coordinates"));
    } else {
      for (const auto& poly : g.at("coordinates")) read_polygon(poly);
    }
    out.push_back(std::move(s));
  }
  return out;
}

/// Even-odd rule over every ring of every polygon.
inline bool contains(const Shape& s, double lat, double lon) {
  if (lat < s.min_lat || lat > s.max_lat || lon < s.min_lon || lon > s.max_lon) return false;
  bool inside = false;
  for (const auto& poly : s.polygons)
    for (const auto& ring : poly)
      for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        const auto [xi, yi] = ring[i];
        const auto [xj, yj] = ring[j];
        if ((yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi) inside = !inside;
      }
  return inside;
}

/// Area in km2 (shoelace on an equirectangular projection at latitude `lat0`,
/// by default the middle of the shape's extent).
inline double area_km2(const Shape& s, double lat0 = std::nan("")) {
  if (std::isnan(lat0)) lat0 = (s.min_lat + s.max_lat) / 2;
  const double kx = 111.320 * std::cos(lat0 * 3.14159265358979323846 / 180), ky = 110.574;
  double total = 0;
  for (const auto& poly : s.polygons)
    for (std::size_t r = 0; r < poly.size(); ++r) {
      double a = 0;
      const auto& ring = poly[r];
      for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++)
        a += (ring[j].first * kx) * (ring[i].second * ky) - (ring[i].first * kx) * (ring[j].second * ky);
      total += (r == 0 ? 1 : -1) * std::abs(a) / 2;
    }
  return total;
}

inline double to_double(const std::string& s) { return std::stod(s); }
inline std::int64_t to_int(const std::string& s) { return std::stoll(s); }

}  // namespace endstate::scenario::testing
