// Point-in-area lookups per second: endstate::geo::AreaIndex against
//  - DR Congo's 26 provinces (dissolved from the 51 WOF districts in
//    ../shared/data; path from ENDSTATE_SHARED_DATA, default /work/shared/data;
//    skipped with a message when absent), and
//  - 10,000 PRIO-GRID cells (a 50° x 50° block, built in),
// compared in the same run with what a user would write instead:
//  - "naive": a loop over GEOS prepared geometries (GEOSPreparedCovers_r), in id
//    order, stopping at the first hit;
//  - "strtree": a GEOS STR-tree over the same prepared geometries.
// Each AreaIndex benchmark reports `x_naive` and `x_strtree` counters: its
// lookups/s divided by theirs (the alternatives run first).
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <geos_c.h>

#include "endstate/geo/area_index.hpp"
#include "endstate/geo/areas_io.hpp"
#include "endstate/geo/dissolve.hpp"
#include "endstate/geo/priogrid.hpp"

namespace fs = std::filesystem;
using endstate::Area;
using endstate::LatLon;

namespace {

constexpr std::size_t kPoints = 1 << 20;

fs::path shared_data() {
  const char* e = std::getenv("ENDSTATE_SHARED_DATA");
  return (e && *e) ? fs::path(e) : fs::path("/work/shared/data");
}

/// Points uniformly in a box (fixed seed).
std::vector<LatLon> points_in(double lon0, double lat0, double lon1, double lat1) {
  std::mt19937_64 rng(12345);
  std::uniform_real_distribution<double> x(lon0, lon1), y(lat0, lat1);
  std::vector<LatLon> out(kPoints);
  for (auto& p : out) p = LatLon{y(rng), x(rng)};
  return out;
}

struct Dataset {
  std::vector<Area> areas;
  std::vector<LatLon> points;
  std::string error;
};

const Dataset& provinces() {
  static const Dataset d = [] {
    Dataset out;
    const fs::path dir = shared_data() / "drc" / "boundaries";
    if (!fs::exists(dir / "districts_pre2015.geojson")) {
      out.error = "DR Congo boundaries not found under " + dir.string() + " (set ENDSTATE_SHARED_DATA)";
      return out;
    }
    endstate::geo::AreaReadOptions opt;
    opt.level = "district";
    opt.id_field = "wof:id";
    opt.name_field = "wof:name";
    std::vector<Area> districts = endstate::geo::read_areas((dir / "districts_pre2015.geojson").string(), opt);
    const auto cw =
        endstate::geo::read_crosswalk((dir / "district_to_province_2015.csv").string(), "wof_id", "province_2015");
    out.areas = endstate::geo::dissolve(districts, cw, "province");
    double x0 = 180, y0 = 90, x1 = -180, y1 = -90;
    for (const Area& a : out.areas) {
      x0 = std::min(x0, a.min_lon);
      y0 = std::min(y0, a.min_lat);
      x1 = std::max(x1, a.max_lon);
      y1 = std::max(y1, a.max_lat);
    }
    out.points = points_in(x0, y0, x1, y1);
    return out;
  }();
  return d;
}

const Dataset& grid() {
  static const Dataset d = [] {
    Dataset out;
    out.areas = endstate::geo::priogrid_cells(-20.0, -35.0, 30.0, 15.0);  // 100 x 100 cells
    out.points = points_in(-20.5, -35.5, 30.5, 15.5);
    return out;
  }();
  return d;
}

/// Both levels at once, as an import with provinces and grid cells stored.
const Dataset& provinces_and_grid() {
  static const Dataset d = [] {
    Dataset out;
    const Dataset& p = provinces();
    if (!p.error.empty()) {
      out.error = p.error;
      return out;
    }
    out.areas = p.areas;
    double x0 = 180, y0 = 90, x1 = -180, y1 = -90;
    for (const Area& a : p.areas) {
      x0 = std::min(x0, a.min_lon);
      y0 = std::min(y0, a.min_lat);
      x1 = std::max(x1, a.max_lon);
      y1 = std::max(y1, a.max_lat);
    }
    for (Area& c : endstate::geo::priogrid_cells(x0, y0, x1, y1)) out.areas.push_back(std::move(c));
    out.points = p.points;
    return out;
  }();
  return d;
}

/// GEOS prepared geometries in id order, one level; `strtree` optional.
class GeosBaseline {
 public:
  explicit GeosBaseline(const std::vector<Area>& areas) : h_(GEOS_init_r()) {
    std::vector<const Area*> sorted;
    for (const Area& a : areas) sorted.push_back(&a);
    std::sort(sorted.begin(), sorted.end(), [](const Area* a, const Area* b) { return a->id < b->id; });
    GEOSWKBReader* reader = GEOSWKBReader_create_r(h_);
    tree_ = GEOSSTRtree_create_r(h_, 10);
    for (const Area* a : sorted) {
      GEOSGeometry* g = GEOSWKBReader_read_r(h_, reader, a->wkb.data(), a->wkb.size());
      geoms_.push_back(g);
      prepared_.push_back(GEOSPrepare_r(h_, g));
    }
    ranks_.resize(geoms_.size());
    for (std::size_t i = 0; i < geoms_.size(); ++i) {
      ranks_[i] = static_cast<int>(i);
      GEOSSTRtree_insert_r(h_, tree_, geoms_[i], &ranks_[i]);
    }
    GEOSWKBReader_destroy_r(h_, reader);
  }
  ~GeosBaseline() {
    GEOSSTRtree_destroy_r(h_, tree_);
    for (auto* p : prepared_) GEOSPreparedGeom_destroy_r(h_, p);
    for (auto* g : geoms_) GEOSGeom_destroy_r(h_, g);
    GEOS_finish_r(h_);
  }
  GeosBaseline(const GeosBaseline&) = delete;
  GeosBaseline& operator=(const GeosBaseline&) = delete;

  /// Loop over every prepared geometry in id order; first cover wins.
  int naive(LatLon p) const {
    GEOSGeometry* pt = GEOSGeom_createPointFromXY_r(h_, p.lon, p.lat);
    int hit = -1;
    for (std::size_t i = 0; i < prepared_.size(); ++i) {
      if (GEOSPreparedCovers_r(h_, prepared_[i], pt) == 1) {
        hit = static_cast<int>(i);
        break;
      }
    }
    GEOSGeom_destroy_r(h_, pt);
    return hit;
  }

  /// STR-tree candidates, then prepared covers; smallest rank wins.
  int strtree(LatLon p) const {
    GEOSGeometry* pt = GEOSGeom_createPointFromXY_r(h_, p.lon, p.lat);
    Query q{this, pt, -1};
    GEOSSTRtree_query_r(h_, tree_, pt, &GeosBaseline::visit, &q);
    GEOSGeom_destroy_r(h_, pt);
    return q.best;
  }

 private:
  struct Query {
    const GeosBaseline* self;
    const GEOSGeometry* pt;
    int best;
  };
  static void visit(void* item, void* user) {
    auto* q = static_cast<Query*>(user);
    const int rank = *static_cast<int*>(item);
    if (q->best >= 0 && rank > q->best) return;
    if (GEOSPreparedCovers_r(q->self->h_, q->self->prepared_[static_cast<std::size_t>(rank)], q->pt) == 1) {
      q->best = rank;
    }
  }

  GEOSContextHandle_t h_;
  GEOSSTRtree* tree_ = nullptr;
  std::vector<GEOSGeometry*> geoms_;
  std::vector<const GEOSPreparedGeometry*> prepared_;
  std::vector<int> ranks_;  // STR-tree items point here
};

std::map<std::string, double> g_rate;  // baseline lookups/s by name

/// items/s, and the share of points that fell inside an area.
void report(benchmark::State& state, std::int64_t lookups, std::int64_t found) {
  state.SetItemsProcessed(lookups);
  state.counters["inside"] = static_cast<double>(found) / static_cast<double>(std::max<std::int64_t>(lookups, 1));
}

/// Runs a baseline and remembers its rate for the ratio counters.
void baseline(benchmark::State& state, const Dataset& d, const std::string& name, bool use_tree) {
  if (!d.error.empty()) {
    state.SkipWithError(d.error.c_str());
    return;
  }
  static std::map<const Dataset*, std::unique_ptr<GeosBaseline>> cache;
  auto& b = cache[&d];
  if (!b) b = std::make_unique<GeosBaseline>(d.areas);
  const auto start = std::chrono::steady_clock::now();
  std::int64_t n = 0;
  std::size_t i = 0;
  std::int64_t found = 0;
  for (auto _ : state) {
    const int hit = use_tree ? b->strtree(d.points[i]) : b->naive(d.points[i]);
    benchmark::DoNotOptimize(hit);
    found += hit >= 0;
    ++n;
    i = (i + 1) & (kPoints - 1);
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  g_rate[name] = static_cast<double>(n) / secs;
  report(state, n, found);
}

void index_bench(benchmark::State& state, const Dataset& d, const std::string& naive_key, const std::string& tree_key) {
  if (!d.error.empty()) {
    state.SkipWithError(d.error.c_str());
    return;
  }
  static std::map<const Dataset*, std::unique_ptr<endstate::geo::AreaIndex>> cache;
  auto& index = cache[&d];
  if (!index) index = std::make_unique<endstate::geo::AreaIndex>(d.areas);
  std::vector<int> hits;
  const auto start = std::chrono::steady_clock::now();
  std::int64_t n = 0;
  std::size_t i = 0;
  std::int64_t found = 0;
  for (auto _ : state) {
    index->lookup(d.points[i], hits);
    benchmark::DoNotOptimize(hits.data());
    found += hits.back() >= 0;
    ++n;
    i = (i + 1) & (kPoints - 1);
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double rate = static_cast<double>(n) / secs;
  report(state, n, found);
  if (g_rate.count(naive_key)) state.counters["x_naive"] = rate / g_rate[naive_key];
  if (g_rate.count(tree_key)) state.counters["x_strtree"] = rate / g_rate[tree_key];
}

void BM_Provinces_Naive(benchmark::State& s) { baseline(s, provinces(), "provinces_naive", false); }
void BM_Provinces_GeosStrtree(benchmark::State& s) { baseline(s, provinces(), "provinces_tree", true); }
void BM_Provinces_AreaIndex(benchmark::State& s) { index_bench(s, provinces(), "provinces_naive", "provinces_tree"); }
void BM_Grid10k_Naive(benchmark::State& s) { baseline(s, grid(), "grid_naive", false); }
void BM_Grid10k_GeosStrtree(benchmark::State& s) { baseline(s, grid(), "grid_tree", true); }
void BM_Grid10k_AreaIndex(benchmark::State& s) { index_bench(s, grid(), "grid_naive", "grid_tree"); }
void BM_ProvincesAndGrid_AreaIndex(benchmark::State& s) { index_bench(s, provinces_and_grid(), "", ""); }

void BM_Provinces_BuildIndex(benchmark::State& state) {
  const Dataset& d = provinces();
  if (!d.error.empty()) {
    state.SkipWithError(d.error.c_str());
    return;
  }
  for (auto _ : state) {
    endstate::geo::AreaIndex index(d.areas);
    benchmark::DoNotOptimize(index.size());
  }
}

}  // namespace

BENCHMARK(BM_Provinces_Naive);
BENCHMARK(BM_Provinces_GeosStrtree);
BENCHMARK(BM_Provinces_AreaIndex);
BENCHMARK(BM_Grid10k_Naive);
BENCHMARK(BM_Grid10k_GeosStrtree);
BENCHMARK(BM_Grid10k_AreaIndex);
BENCHMARK(BM_ProvincesAndGrid_AreaIndex);
BENCHMARK(BM_Provinces_BuildIndex)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
