// Carana's geography: a country polygon, territories tiling it, provinces
// grouping contiguous territories.
//
// Method:
//  - Country: a star-shaped "perturbed ellipse" r(theta) = 1 + sum_j a_j cos(j theta + phi_j)
//    (j = 2..6, small random amplitudes) plus per-vertex jitter, scaled to the
//    configured width x height in km and placed at the configured north-west
//    corner (equirectangular projection). A star-shaped ring is simple.
//  - Territories: Voronoi cells (GEOS GEOSVoronoiDiagram_r; Fortune 1987,
//    Guibas & Stolfi 1985) of random seeds, improved by two Lloyd iterations
//    (Lloyd 1982: each seed moves to its cell's centroid) and clipped to the
//    country with a fixed-precision overlay (GEOSIntersectionPrec_r, grid
//    1e-6 degrees, snap-rounding in OverlayNG), so that neighbouring cells
//    share exactly the same vertices: no gaps, no overlaps, once written with
//    6 decimals. The Voronoi is computed in a space where longitude is scaled
//    by cos(latitude), so cells are round on the ground.
//  - Provinces: farthest-point sampling picks one seed territory per province;
//    provinces then grow over the territory adjacency graph (shared edge,
//    DE-9IM "F***1****"), always extending the smallest province by its
//    unassigned neighbour closest to its seed, which keeps every province
//    contiguous and of similar size. Provinces are numbered north to south.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include <geos_c.h>

#include "detail/format.hpp"
#include "detail/model.hpp"
#include "detail/random.hpp"
#include "endstate/core/error.hpp"

namespace endstate::scenario::detail {
namespace {

constexpr double kGrid = 1e-6;             // overlay precision, degrees
constexpr double kBorderMarginDeg = 1e-5;  // points closer than this to a border are refused (~1 m)

void geos_message(const char* message, void* /*userdata*/) {
  (void)message;  // errors surface as null results, which we turn into Error
}

/// A GEOS context for the lifetime of one object.
class Geos {
 public:
  Geos() : h_(GEOS_init_r()) {
    if (h_ == nullptr) throw internal_error("GEOS could not be initialised");
    GEOSContext_setErrorMessageHandler_r(h_, geos_message, nullptr);
    GEOSContext_setNoticeMessageHandler_r(h_, geos_message, nullptr);
  }
  ~Geos() { GEOS_finish_r(h_); }
  Geos(const Geos&) = delete;
  Geos& operator=(const Geos&) = delete;
  [[nodiscard]] GEOSContextHandle_t h() const { return h_; }

 private:
  GEOSContextHandle_t h_;
};

/// Owning pointer to a GEOS geometry.
class Geom {
 public:
  Geom() = default;
  Geom(GEOSContextHandle_t h, GEOSGeometry* g) : h_(h), g_(g) {}
  Geom(Geom&& o) noexcept : h_(o.h_), g_(o.g_) { o.g_ = nullptr; }
  Geom& operator=(Geom&& o) noexcept {
    if (this != &o) {
      reset();
      h_ = o.h_;
      g_ = o.g_;
      o.g_ = nullptr;
    }
    return *this;
  }
  Geom(const Geom&) = delete;
  Geom& operator=(const Geom&) = delete;
  ~Geom() { reset(); }
  [[nodiscard]] GEOSGeometry* get() const { return g_; }
  GEOSGeometry* release() {
    GEOSGeometry* g = g_;
    g_ = nullptr;
    return g;
  }
  explicit operator bool() const { return g_ != nullptr; }

 private:
  void reset() {
    if (g_ != nullptr) GEOSGeom_destroy_r(h_, g_);
    g_ = nullptr;
  }
  GEOSContextHandle_t h_ = nullptr;
  GEOSGeometry* g_ = nullptr;
};

/// Owning pointer to a GEOS prepared geometry.
class Prepared {
 public:
  Prepared(GEOSContextHandle_t h, const GEOSGeometry* g) : h_(h), p_(GEOSPrepare_r(h, g)) {
    if (p_ == nullptr) throw internal_error("GEOS failed: prepare");
  }
  ~Prepared() { GEOSPreparedGeom_destroy_r(h_, p_); }
  Prepared(const Prepared&) = delete;
  Prepared& operator=(const Prepared&) = delete;
  [[nodiscard]] const GEOSPreparedGeometry* get() const { return p_; }

 private:
  GEOSContextHandle_t h_;
  const GEOSPreparedGeometry* p_;
};

Geom checked(GEOSContextHandle_t h, GEOSGeometry* g, const char* what) {
  if (g == nullptr) throw internal_error(std::string("GEOS failed: ") + what);
  return Geom(h, g);
}

/// (x, y) pairs -> closed GEOS ring -> polygon.
Geom make_polygon(GEOSContextHandle_t h, const std::vector<std::pair<double, double>>& pts) {
  const auto n = static_cast<unsigned>(pts.size());
  GEOSCoordSequence* seq = GEOSCoordSeq_create_r(h, n + 1, 2);
  for (unsigned i = 0; i <= n; ++i) {
    const auto& p = pts[i % n];
    GEOSCoordSeq_setXY_r(h, seq, i, p.first, p.second);
  }
  GEOSGeometry* ring = GEOSGeom_createLinearRing_r(h, seq);
  if (ring == nullptr) throw internal_error("GEOS failed: ring");
  return checked(h, GEOSGeom_createPolygon_r(h, ring, nullptr, 0), "polygon");
}

Geom make_point(GEOSContextHandle_t h, double x, double y) {
  return checked(h, GEOSGeom_createPointFromXY_r(h, x, y), "point");
}

double signed_area(const Ring& r) {
  double a = 0;
  for (std::size_t i = 0; i + 1 < r.size(); ++i) a += r[i].lon * r[i + 1].lat - r[i + 1].lon * r[i].lat;
  return a / 2;
}

Ring read_ring(GEOSContextHandle_t h, const GEOSGeometry* ring, bool shell) {
  const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, ring);
  unsigned n = 0;
  GEOSCoordSeq_getSize_r(h, seq, &n);
  Ring out;
  out.reserve(n);
  for (unsigned i = 0; i < n; ++i) {
    double x = 0, y = 0;
    GEOSCoordSeq_getXY_r(h, seq, i, &x, &y);
    out.push_back({round6(y), round6(x)});
  }
  // RFC 7946: shells counter-clockwise, holes clockwise.
  const double a = signed_area(out);
  if ((shell && a < 0) || (!shell && a > 0)) std::reverse(out.begin(), out.end());
  return out;
}

void collect_polygons(GEOSContextHandle_t h, const GEOSGeometry* g, MultiPolygon& out) {
  const int type = GEOSGeomTypeId_r(h, g);
  if (type == GEOS_POLYGON) {
    if (GEOSisEmpty_r(h, g) == 1) return;
    Polygon poly;
    poly.push_back(read_ring(h, GEOSGetExteriorRing_r(h, g), true));
    const int holes = GEOSGetNumInteriorRings_r(h, g);
    for (int i = 0; i < holes; ++i) poly.push_back(read_ring(h, GEOSGetInteriorRingN_r(h, g, i), false));
    out.push_back(std::move(poly));
  } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
    const int n = GEOSGetNumGeometries_r(h, g);
    for (int i = 0; i < n; ++i) collect_polygons(h, GEOSGetGeometryN_r(h, g, i), out);
  }
}

/// Area in km2 of a lon/lat multipolygon (shoelace on a local equirectangular projection).
double area_km2(const MultiPolygon& mp) {
  double total = 0;
  for (const auto& poly : mp) {
    for (std::size_t r = 0; r < poly.size(); ++r) {
      const Ring& ring = poly[r];
      double lat0 = 0;
      for (const auto& p : ring) lat0 += p.lat;
      lat0 /= static_cast<double>(ring.size());
      const double kx = kKmPerDegLonEquator * std::cos(lat0 * std::numbers::pi / 180);
      double a = 0;
      for (std::size_t i = 0; i + 1 < ring.size(); ++i)
        a += (ring[i].lon * kx) * (ring[i + 1].lat * kKmPerDegLat) -
             (ring[i + 1].lon * kx) * (ring[i].lat * kKmPerDegLat);
      total += (r == 0 ? 1 : -1) * std::abs(a) / 2;
    }
  }
  return total;
}

void envelope(const MultiPolygon& mp, double& min_lat, double& min_lon, double& max_lat, double& max_lon) {
  min_lat = min_lon = std::numeric_limits<double>::infinity();
  max_lat = max_lon = -std::numeric_limits<double>::infinity();
  for (const auto& poly : mp)
    for (const auto& p : poly.front()) {
      min_lat = std::min(min_lat, p.lat);
      max_lat = std::max(max_lat, p.lat);
      min_lon = std::min(min_lon, p.lon);
      max_lon = std::max(max_lon, p.lon);
    }
}

/// Fictional province names (ASCII, distinct slugs); more are generated when needed.
const char* const kProvinceNames[] = {"Kalemba", "Sumora",  "Tembeli", "Ubeka",   "Wamari",  "Ilundu",
                                      "Makasa",  "Rovuna",  "Bokari",  "Nyasema", "Lutende", "Gomasi",
                                      "Katanza", "Mbeluri", "Sangoni", "Fizura"};

}  // namespace

// ---------------------------------------------------------------- Locator

struct Locator::Impl {
  Geos geos;
  std::vector<Geom> shapes;
  std::vector<Geom> borders;
  std::vector<const GEOSPreparedGeometry*> prepared;
  std::vector<std::array<double, 4>> boxes;  // min_lat, min_lon, max_lat, max_lon
  ~Impl() {
    for (const auto* p : prepared) GEOSPreparedGeom_destroy_r(geos.h(), p);
  }
};

Locator::Locator(const std::vector<Territory>& territories) : impl_(std::make_unique<Impl>()) {
  const GEOSContextHandle_t h = impl_->geos.h();
  for (const auto& t : territories) {
    std::vector<GEOSGeometry*> polys;
    for (const auto& poly : t.shape) {
      std::vector<std::pair<double, double>> shell;
      for (std::size_t i = 0; i + 1 < poly.front().size(); ++i)
        shell.emplace_back(poly.front()[i].lon, poly.front()[i].lat);
      Geom g = make_polygon(h, shell);
      if (poly.size() > 1) {
        // Holes do not occur in a clipped Voronoi tiling; refuse rather than silently ignore.
        throw internal_error("territory polygon with a hole");
      }
      polys.push_back(g.release());
    }
    Geom mp =
        checked(h, GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys.data(), static_cast<unsigned>(polys.size())),
                "multipolygon");
    impl_->borders.push_back(checked(h, GEOSBoundary_r(h, mp.get()), "boundary"));
    impl_->prepared.push_back(GEOSPrepare_r(h, mp.get()));
    impl_->shapes.push_back(std::move(mp));
    impl_->boxes.push_back({t.min_lat, t.min_lon, t.max_lat, t.max_lon});
  }
}

Locator::~Locator() = default;

int Locator::territory_of(LatLon p) const {
  const GEOSContextHandle_t h = impl_->geos.h();
  Geom pt;
  for (std::size_t i = 0; i < impl_->shapes.size(); ++i) {
    const auto& b = impl_->boxes[i];
    if (p.lat < b[0] || p.lon < b[1] || p.lat > b[2] || p.lon > b[3]) continue;
    if (!pt) pt = make_point(h, p.lon, p.lat);
    if (GEOSPreparedContains_r(h, impl_->prepared[i], pt.get()) != 1) continue;
    double d = 0;
    if (GEOSDistance_r(h, impl_->borders[i].get(), pt.get(), &d) != 1 || d < kBorderMarginDeg) return -1;
    return static_cast<int>(i);
  }
  return -1;
}

LatLon offset_km(LatLon p, double east_km, double north_km) {
  const double kx = kKmPerDegLonEquator * std::cos(p.lat * std::numbers::pi / 180);
  return {p.lat + north_km / kKmPerDegLat, p.lon + east_km / kx};
}

// ---------------------------------------------------------------- build

Geography build_geography(const CaranaConfig& config, std::uint64_t seed) {
  Rng rng(seed, kStreamGeography);
  Geos geos;
  const GEOSContextHandle_t h = geos.h();
  Geography geo;

  // Country outline in km (x east, y south from the north-west corner).
  const int kVertices = 144;
  double amp[7] = {0, 0, 0, 0, 0, 0, 0};
  double phase[7] = {0, 0, 0, 0, 0, 0, 0};
  for (int j = 2; j <= 6; ++j) {
    amp[j] = uniform(rng, 0.02, 0.09) / std::sqrt(static_cast<double>(j - 1));
    phase[j] = uniform(rng, 0, 2 * std::numbers::pi);
  }
  std::vector<std::pair<double, double>> km;
  for (int k = 0; k < kVertices; ++k) {
    const double th = 2 * std::numbers::pi * k / kVertices;
    double r = 1.0 + uniform(rng, -0.012, 0.012);
    for (int j = 2; j <= 6; ++j) r += amp[j] * std::cos(j * th + phase[j]);
    km.emplace_back(r * std::cos(th), r * std::sin(th));
  }
  double x0 = 1e9, x1 = -1e9, y0 = 1e9, y1 = -1e9;
  for (const auto& [x, y] : km) {
    x0 = std::min(x0, x);
    x1 = std::max(x1, x);
    y0 = std::min(y0, y);
    y1 = std::max(y1, y);
  }
  const double lat_mid = config.origin_lat - config.height_km / 2 / kKmPerDegLat;
  const double kx = kKmPerDegLonEquator * std::cos(lat_mid * std::numbers::pi / 180);
  std::vector<std::pair<double, double>> country_ll;  // lon, lat
  for (const auto& [x, y] : km) {
    const double xk = (x - x0) / (x1 - x0) * config.width_km;
    const double yk = (y - y0) / (y1 - y0) * config.height_km;
    country_ll.emplace_back(round6(config.origin_lon + xk / kx), round6(config.origin_lat - yk / kKmPerDegLat));
  }
  Geom country = make_polygon(h, country_ll);
  if (GEOSisValid_r(h, country.get()) != 1) throw internal_error("generated country outline is not valid");
  collect_polygons(h, country.get(), geo.country);
  envelope(geo.country, geo.min_lat, geo.min_lon, geo.max_lat, geo.max_lon);
  geo.area_km2 = area_km2(geo.country);
  const Prepared country_prepared(h, country.get());
  const GEOSPreparedGeometry* country_prep = country_prepared.get();

  // Territory seeds in scaled space (x = lon * cos(lat_mid), y = lat).
  const double cs = std::cos(lat_mid * std::numbers::pi / 180);
  const int n = config.territories;
  std::vector<std::pair<double, double>> seeds;  // scaled
  while (static_cast<int>(seeds.size()) < n) {
    const double lon = uniform(rng, geo.min_lon, geo.max_lon);
    const double lat = uniform(rng, geo.min_lat, geo.max_lat);
    Geom pt = make_point(h, lon, lat);
    if (GEOSPreparedContains_r(h, country_prep, pt.get()) == 1) seeds.emplace_back(lon * cs, lat);
  }
  const double pad = 2.0 + (geo.max_lat - geo.min_lat);
  Geom env = make_polygon(h, {{geo.min_lon * cs - pad, geo.min_lat - pad},
                              {geo.max_lon * cs + pad, geo.min_lat - pad},
                              {geo.max_lon * cs + pad, geo.max_lat + pad},
                              {geo.min_lon * cs - pad, geo.max_lat + pad}});

  // Voronoi cells (in lon/lat) clipped to the country, one per seed, in seed order.
  auto clipped_cells = [&](const std::vector<std::pair<double, double>>& pts) {
    std::vector<GEOSGeometry*> points;
    points.reserve(pts.size());
    for (const auto& [x, y] : pts) points.push_back(make_point(h, x, y).release());
    Geom mp =
        checked(h, GEOSGeom_createCollection_r(h, GEOS_MULTIPOINT, points.data(), static_cast<unsigned>(points.size())),
                "multipoint");
    Geom cells = checked(h, GEOSVoronoiDiagram_r(h, mp.get(), env.get(), 0.0, 0), "voronoi");
    const int m = GEOSGetNumGeometries_r(h, cells.get());
    if (m != static_cast<int>(pts.size())) throw internal_error("Voronoi diagram: cell count differs from seed count");
    std::vector<Geom> out(pts.size());
    for (int c = 0; c < m; ++c) {
      const GEOSGeometry* cell = GEOSGetGeometryN_r(h, cells.get(), c);
      // Unscale x back to longitude.
      const GEOSGeometry* shell = GEOSGetExteriorRing_r(h, cell);
      const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, shell);
      unsigned size = 0;
      GEOSCoordSeq_getSize_r(h, seq, &size);
      std::vector<std::pair<double, double>> ll;
      for (unsigned i = 0; i + 1 < size; ++i) {
        double x = 0, y = 0;
        GEOSCoordSeq_getXY_r(h, seq, i, &x, &y);
        ll.emplace_back(x / cs, y);
      }
      Geom cell_ll = make_polygon(h, ll);
      // Which seed does this cell belong to?
      const Prepared cell_prepared(h, cell);
      const GEOSPreparedGeometry* cp = cell_prepared.get();
      int owner = -1;
      for (std::size_t s = 0; s < pts.size() && owner < 0; ++s) {
        Geom pt = make_point(h, pts[s].first, pts[s].second);
        if (GEOSPreparedIntersects_r(h, cp, pt.get()) == 1 && !out[s]) owner = static_cast<int>(s);
      }
      if (owner < 0) throw internal_error("Voronoi cell without its seed");
      Geom clipped = checked(h, GEOSIntersectionPrec_r(h, cell_ll.get(), country.get(), kGrid), "clip");
      if (GEOSisValid_r(h, clipped.get()) != 1) clipped = checked(h, GEOSMakeValid_r(h, clipped.get()), "make valid");
      out[owner] = std::move(clipped);
    }
    return out;
  };

  std::vector<Geom> cells;
  for (int iter = 0; iter < 3; ++iter) {
    cells = clipped_cells(seeds);
    if (iter == 2) break;
    for (std::size_t s = 0; s < seeds.size(); ++s) {
      Geom c = checked(h, GEOSGetCentroid_r(h, cells[s].get()), "centroid");
      double x = 0, y = 0;
      GEOSGeomGetX_r(h, c.get(), &x);
      GEOSGeomGetY_r(h, c.get(), &y);
      if (GEOSPreparedContains_r(h, country_prep, c.get()) == 1) seeds[s] = {x * cs, y};
    }
  }

  std::vector<Territory> terr(static_cast<std::size_t>(n));
  std::vector<LatLon> centroid(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    auto& t = terr[i];
    collect_polygons(h, cells[i].get(), t.shape);
    if (t.shape.empty()) throw internal_error("empty territory after clipping");
    envelope(t.shape, t.min_lat, t.min_lon, t.max_lat, t.max_lon);
    t.area_km2 = area_km2(t.shape);
    Geom pos = checked(h, GEOSPointOnSurface_r(h, cells[i].get()), "point on surface");
    double x = 0, y = 0;
    GEOSGeomGetX_r(h, pos.get(), &x);
    GEOSGeomGetY_r(h, pos.get(), &y);
    t.anchor = {round6(y), round6(x)};
    Geom c = checked(h, GEOSGetCentroid_r(h, cells[i].get()), "centroid");
    GEOSGeomGetX_r(h, c.get(), &x);
    GEOSGeomGetY_r(h, c.get(), &y);
    centroid[i] = {y, x};
  }

  // Adjacency: neighbours share an edge (boundaries meet in a line, interiors disjoint).
  std::vector<std::vector<int>> adj(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i)
    for (int j = i + 1; j < n; ++j) {
      const auto& a = terr[i];
      const auto& b = terr[j];
      if (a.max_lat < b.min_lat || b.max_lat < a.min_lat || a.max_lon < b.min_lon || b.max_lon < a.min_lon) continue;
      if (GEOSRelatePattern_r(h, cells[i].get(), cells[j].get(), "F***1****") == 1) {
        adj[i].push_back(j);
        adj[j].push_back(i);
      }
    }

  // Province seeds by farthest-point sampling, then balanced contiguous growth.
  const int P = config.provinces;
  std::vector<int> pseed{static_cast<int>(rng.below(static_cast<std::uint64_t>(n)))};
  std::vector<double> dmin(static_cast<std::size_t>(n), std::numeric_limits<double>::infinity());
  while (static_cast<int>(pseed.size()) < P) {
    const LatLon last = centroid[pseed.back()];
    int best = -1;
    for (int i = 0; i < n; ++i) {
      dmin[i] = std::min(dmin[i], great_circle_km(last, centroid[i]));
      if (best < 0 || dmin[i] > dmin[best]) best = i;
    }
    pseed.push_back(best);
  }
  std::vector<int> owner(static_cast<std::size_t>(n), -1);
  std::vector<int> size(static_cast<std::size_t>(P), 1);
  for (int p = 0; p < P; ++p) owner[pseed[static_cast<std::size_t>(p)]] = p;
  for (int assigned = P; assigned < n; ++assigned) {
    int best_p = -1, best_t = -1;
    double best_d = 0;
    for (int p = 0; p < P; ++p) {
      if (best_p >= 0 && size[p] > size[best_p]) continue;
      int cand = -1;
      double cand_d = 0;
      for (int t = 0; t < n; ++t) {
        if (owner[t] != p) continue;
        for (int nb : adj[t]) {
          if (owner[nb] >= 0) continue;
          const double d = great_circle_km(centroid[pseed[static_cast<std::size_t>(p)]], centroid[nb]);
          if (cand < 0 || d < cand_d) {
            cand = nb;
            cand_d = d;
          }
        }
      }
      if (cand < 0) continue;
      if (best_p < 0 || size[p] < size[best_p]) {
        best_p = p;
        best_t = cand;
        best_d = cand_d;
      }
    }
    if (best_p < 0) {
      // Disconnected leftovers (cannot happen for a connected tiling): nearest seed wins.
      for (int t = 0; t < n && best_p < 0; ++t) {
        if (owner[t] >= 0) continue;
        best_t = t;
        for (int p = 0; p < P; ++p) {
          const double d = great_circle_km(centroid[pseed[static_cast<std::size_t>(p)]], centroid[t]);
          if (best_p < 0 || d < best_d) {
            best_p = p;
            best_d = d;
          }
        }
      }
    }
    owner[best_t] = best_p;
    ++size[best_p];
  }

  // Number provinces north to south (by seed centroid), territories by province then north to south.
  std::vector<int> porder(static_cast<std::size_t>(P));
  for (int p = 0; p < P; ++p) porder[p] = p;
  std::sort(porder.begin(), porder.end(), [&](int a, int b) {
    const LatLon ca = centroid[pseed[static_cast<std::size_t>(a)]];
    const LatLon cb = centroid[pseed[static_cast<std::size_t>(b)]];
    if (ca.lat != cb.lat) return ca.lat > cb.lat;
    return ca.lon < cb.lon;
  });
  std::vector<int> prank(static_cast<std::size_t>(P));
  for (int r = 0; r < P; ++r) prank[porder[static_cast<std::size_t>(r)]] = r;
  std::vector<int> torder(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) torder[i] = i;
  std::sort(torder.begin(), torder.end(), [&](int a, int b) {
    const int pa = prank[owner[static_cast<std::size_t>(a)]];
    const int pb = prank[owner[static_cast<std::size_t>(b)]];
    if (pa != pb) return pa < pb;
    const LatLon ca = centroid[a], cb = centroid[b];
    if (ca.lat != cb.lat) return ca.lat > cb.lat;
    return ca.lon < cb.lon;
  });

  NameMaker names(seed, kStreamNames);
  geo.provinces.resize(static_cast<std::size_t>(P));
  for (int p = 0; p < P; ++p) {
    auto& prov = geo.provinces[p];
    if (p < static_cast<int>(std::size(kProvinceNames))) {
      prov.name = kProvinceNames[p];
      names.reserve(prov.name);
    } else {
      prov.name = names.make(3, 3);
    }
    prov.trajectory = config.trajectories[p];
  }
  const int width = n >= 100 ? 3 : 2;
  for (int k = 0; k < n; ++k) {
    Territory t = std::move(terr[torder[static_cast<std::size_t>(k)]]);
    t.province = prank[owner[static_cast<std::size_t>(torder[static_cast<std::size_t>(k)])]];
    std::string num = std::to_string(k + 1);
    t.id = std::string(1, 'T') +
           std::string(static_cast<std::size_t>(std::max(0, width - static_cast<int>(num.size()))), '0') + num;
    t.name = names.make(2, 3);
    auto& prov = geo.provinces[t.province];
    prov.territories.push_back(k);
    prov.area_km2 += t.area_km2;
    geo.territories.push_back(std::move(t));
  }
  geo.locator = std::make_unique<Locator>(geo.territories);
  // Anchors must be clearly inside their territory (events at territory precision sit there).
  for (int k = 0; k < n; ++k) {
    Territory& t = geo.territories[k];
    for (int tries = 0; geo.locator->territory_of(t.anchor) != k; ++tries) {
      if (tries > 10000) throw internal_error("no interior point found for territory " + t.id);
      t.anchor = {round6(uniform(rng, t.min_lat, t.max_lat)), round6(uniform(rng, t.min_lon, t.max_lon))};
    }
  }
  return geo;
}

}  // namespace endstate::scenario::detail
