// Point-in-area index. Per level, three layers answer a lookup:
//
//  1. PRIO-GRID levels (every area is exactly the 0.5° square of its gid):
//     the covering cells follow from the coordinates (at most 4 on cell
//     lines); a dense row/column table gives their areas. No geometry test.
//  2. Other levels: an acceleration raster over the level's extent (at most
//     kMaxRasterCells cells). Every cell that no area edge touches (closed box,
//     padded) lies wholly inside the same set of areas, so its owner is
//     computed once at build time (one exact test per run of such cells along a
//     row) and a lookup there is one array read. Cells an edge touches are
//     marked for the exact path.
//  3. Exact path: candidate areas from a coarse bucket grid over envelopes, in
//     id order; the first whose polygon covers the point (PolygonLocator, the
//     same predicate as GEOS prepared covers) owns it.
//
// Owner rule: among the areas of a level covering the point (boundary
// included), the one with the smallest id (byte-wise), then the smallest input
// index for equal ids. PRIO-GRID levels follow PRIO-GRID's floor rule instead
// (a point on a cell edge or corner belongs to the cell north-east of it, as
// priogrid_gid() and UCDP's priogrid_gid say): the covering cell with the
// largest gid, which is that cell whenever the level has it. Rasterising coverage ("mixed cells refine") follows the
// classic interior/boundary cell split of hierarchical point-in-polygon
// indexes (Samet 1990, "The Design and Analysis of Spatial Data Structures",
// region quadtrees with grey/black/white cells), flattened to one level.
//
// Everything here is read-only after construction; the exact path's rare
// orientation fallback uses the calling thread's GEOS context, so lookup() is
// safe from any number of threads.
#include "endstate/geo/area_index.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

#include "endstate/core/error.hpp"
#include "geo/detail/geos_util.hpp"
#include "geo/detail/polygon_locator.hpp"

namespace endstate::geo {
namespace {

constexpr std::int32_t kNone = -1;
constexpr std::int32_t kMixed = -2;
constexpr std::int32_t kUnset = -3;  // raster cell during the build, before its run is classified
constexpr std::size_t kMaxRasterCells = std::size_t{1} << 19;  // 2 MiB of int32 per level: stays in cache
constexpr int kMaxRasterSide = 8192;
constexpr int kBucketShift = 3;  // a bucket is 8 x 8 raster cells

/// One PRIO-GRID level: cell (row, col) -> level-local rank of its owner.
struct GridTable {
  std::int64_t row0 = 0, col0 = 0, rows = 0, cols = 0;
  std::vector<std::int32_t> owner;

  [[nodiscard]] std::int32_t at(std::int64_t r, std::int64_t c) const {
    r -= row0;
    c -= col0;
    if (r < 0 || r >= rows || c < 0 || c >= cols) return kNone;
    return owner[static_cast<std::size_t>(r * cols + c)];
  }
};

/// Rows (or columns) of 0.5° cells whose closed extent holds `v`: up to two.
int covering_lines(double v, double origin, std::int64_t n, std::int64_t out[3]) {
  const auto k = static_cast<std::int64_t>(std::floor((v - origin) * 2.0));
  int count = 0;
  for (std::int64_t i = k - 1; i <= k + 1; ++i) {
    if (i < 0 || i >= n) continue;
    const double lo = origin + 0.5 * static_cast<double>(i);
    const double hi = origin + 0.5 * static_cast<double>(i + 1);
    if (lo <= v && v <= hi) out[count++] = i;
  }
  return count;
}

}  // namespace

struct AreaIndex::Impl {
  struct Level {
    std::vector<int> global;                     // level-local rank -> index into the constructor's areas
    std::vector<detail::PolygonLocator> shapes;  // by rank
    bool is_grid = false;
    GridTable grid;
    // Raster (non-grid levels).
    double x0 = 0, y0 = 0, inv_cell = 0;
    int nx = 0, ny = 0;
    std::vector<std::int32_t> raster;
    // Buckets: CSR lists of ranks whose envelope meets the bucket, ascending.
    int bx = 0, by = 0;
    std::vector<std::uint32_t> bucket_start;
    std::vector<std::int32_t> bucket_items;

    [[nodiscard]] std::int32_t exact(double x, double y) const {
      if (nx == 0) return kNone;
      const double gx = (x - x0) * inv_cell;
      const double gy = (y - y0) * inv_cell;
      if (!(gx >= 0 && gy >= 0 && gx < nx && gy < ny)) return kNone;
      const std::size_t b =
          static_cast<std::size_t>(static_cast<int>(gy) >> kBucketShift) * static_cast<std::size_t>(bx) +
          static_cast<std::size_t>(static_cast<int>(gx) >> kBucketShift);
      for (std::uint32_t i = bucket_start[b]; i < bucket_start[b + 1]; ++i) {
        const std::int32_t k = bucket_items[i];
        if (shapes[static_cast<std::size_t>(k)].covers(x, y)) return k;
      }
      return kNone;
    }

    [[nodiscard]] std::int32_t grid_lookup(double x, double y) const {
      // PRIO-GRID's own rule (priogrid_gid(), UCDP's priogrid_gid column): the
      // cell floor((lat+90)/0.5), floor((lon+180)/0.5), so a point on an edge
      // or corner belongs to the cell north and/or east of it. Among the (up
      // to 4) cells of the level covering the point, the one with the largest
      // gid is that cell when the level has it; on the level's outer north or
      // east edge, the next one south or west of it.
      std::int64_t rows[3], cols[3];
      const int nr = covering_lines(y, -90.0, 360, rows);
      const int nc = covering_lines(x, -180.0, 720, cols);
      std::int32_t best = kNone;
      for (int i = 0; i < nr; ++i) {
        for (int j = 0; j < nc; ++j) {
          const std::int32_t k = grid.at(rows[i], cols[j]);
          if (k >= 0) best = k;  // rows and columns ascend: the last found has the largest gid
        }
      }
      return best;
    }

    /// Level-local rank of the owner of (x, y), or kNone.
    [[nodiscard]] std::int32_t locate(double x, double y) const {
      if (is_grid) return grid_lookup(x, y);
      if (nx == 0) return kNone;
      const double gx = (x - x0) * inv_cell;
      const double gy = (y - y0) * inv_cell;
      if (!(gx >= 0 && gy >= 0 && gx < nx && gy < ny)) return kNone;
      const std::int32_t v = raster[static_cast<std::size_t>(static_cast<int>(gy)) * static_cast<std::size_t>(nx) +
                                    static_cast<std::size_t>(static_cast<int>(gx))];
      return v == kMixed ? exact(x, y) : v;
    }

    void build_grid(const std::vector<Area>& areas);
    void build_raster();
  };

  std::vector<std::string> names;
  std::vector<Level> levels;
  std::size_t size = 0;
};

namespace {

/// True when `shape` is exactly the PRIO-GRID square of `gid`.
bool is_cell_of(const detail::PolygonLocator& shape, std::int64_t gid) {
  if (gid < 1 || gid > std::int64_t{360} * 720) return false;
  const std::int64_t row = (gid - 1) / 720;
  const std::int64_t col = (gid - 1) % 720;
  const double x0 = -180.0 + 0.5 * static_cast<double>(col);
  const double y0 = -90.0 + 0.5 * static_cast<double>(row);
  return shape.min_x() == x0 && shape.max_x() == x0 + 0.5 && shape.min_y() == y0 && shape.max_y() == y0 + 0.5 &&
         std::fabs(shape.planar_area() - 0.25) < 1e-12;
}

}  // namespace

void AreaIndex::Impl::Level::build_grid(const std::vector<Area>& areas) {
  std::int64_t r0 = 360, r1 = -1, c0 = 720, c1 = -1;
  for (int g : global) {
    const std::int64_t gid = *areas[static_cast<std::size_t>(g)].priogrid_gid;
    const std::int64_t r = (gid - 1) / 720;
    const std::int64_t c = (gid - 1) % 720;
    r0 = std::min(r0, r);
    r1 = std::max(r1, r);
    c0 = std::min(c0, c);
    c1 = std::max(c1, c);
  }
  grid.row0 = r0;
  grid.col0 = c0;
  grid.rows = r1 - r0 + 1;
  grid.cols = c1 - c0 + 1;
  grid.owner.assign(static_cast<std::size_t>(grid.rows * grid.cols), kNone);
  // Ranks ascend with id, so the first area written into a cell is its owner.
  for (std::size_t k = 0; k < global.size(); ++k) {
    const std::int64_t gid = *areas[static_cast<std::size_t>(global[k])].priogrid_gid;
    const std::int64_t r = (gid - 1) / 720 - r0;
    const std::int64_t c = (gid - 1) % 720 - c0;
    std::int32_t& slot = grid.owner[static_cast<std::size_t>(r * grid.cols + c)];
    if (slot == kNone) slot = static_cast<std::int32_t>(k);
  }
}

void AreaIndex::Impl::Level::build_raster() {
  double xmin = std::numeric_limits<double>::infinity(), ymin = xmin;
  double xmax = -xmin, ymax = -xmin;
  for (const auto& s : shapes) {
    if (s.empty()) continue;
    xmin = std::min(xmin, s.min_x());
    ymin = std::min(ymin, s.min_y());
    xmax = std::max(xmax, s.max_x());
    ymax = std::max(ymax, s.max_y());
  }
  if (!(xmin <= xmax)) return;  // no geometry at all: nx stays 0, every lookup misses
  const double w = xmax - xmin;
  const double h = ymax - ymin;
  double cell = std::sqrt(std::max(w * h, 1e-300) / static_cast<double>(kMaxRasterCells));
  cell = std::max({cell, w / (kMaxRasterSide - 2), h / (kMaxRasterSide - 2), 1e-9});
  // One cell of margin on each side keeps every covered point strictly inside.
  x0 = xmin - cell;
  y0 = ymin - cell;
  inv_cell = 1.0 / cell;
  nx = static_cast<int>(std::ceil(w * inv_cell)) + 3;
  ny = static_cast<int>(std::ceil(h * inv_cell)) + 3;
  raster.assign(static_cast<std::size_t>(nx) * static_cast<std::size_t>(ny), kUnset);

  // 1. Mark every cell whose closed box an edge touches (conservative: padded).
  constexpr double kPad = 1e-7;  // in cells
  auto mark_column = [&](int cx, double ylo, double yhi) {
    if (cx < 0 || cx >= nx) return;
    const int r0 = std::max(0, static_cast<int>(std::floor(ylo - kPad)));
    const int r1 = std::min(ny - 1, static_cast<int>(std::floor(yhi + kPad)));
    for (int r = r0; r <= r1; ++r)
      raster[static_cast<std::size_t>(r) * static_cast<std::size_t>(nx) + static_cast<std::size_t>(cx)] = kMixed;
  };
  for (const auto& s : shapes) {
    s.for_each_edge([&](double ax, double ay, double bx_, double by_) {
      const double gx1 = (ax - x0) * inv_cell, gy1 = (ay - y0) * inv_cell;
      const double gx2 = (bx_ - x0) * inv_cell, gy2 = (by_ - y0) * inv_cell;
      const double lo_x = std::min(gx1, gx2), hi_x = std::max(gx1, gx2);
      const int c0 = static_cast<int>(std::floor(lo_x - kPad));
      const int c1 = static_cast<int>(std::floor(hi_x + kPad));
      if (c0 == c1 || gx1 == gx2) {
        for (int c = c0; c <= c1; ++c) mark_column(c, std::min(gy1, gy2), std::max(gy1, gy2));
        return;
      }
      const double slope = (gy2 - gy1) / (gx2 - gx1);
      for (int c = c0; c <= c1; ++c) {
        const double xa = std::max(lo_x, c - kPad);
        const double xb = std::min(hi_x, c + 1 + kPad);
        const double ya = gy1 + (xa - gx1) * slope;
        const double yb = gy1 + (xb - gx1) * slope;
        mark_column(c, std::min(ya, yb), std::max(ya, yb));
      }
    });
  }

  // 2. Buckets over envelopes for the exact path.
  bx = ((nx - 1) >> kBucketShift) + 1;
  by = ((ny - 1) >> kBucketShift) + 1;
  std::vector<std::uint32_t> count(static_cast<std::size_t>(bx) * static_cast<std::size_t>(by) + 1, 0);
  auto bucket_range = [&](const detail::PolygonLocator& s, int& b_x0, int& b_y0, int& b_x1, int& b_y1) {
    auto cell_of = [&](double v, double origin, int n) {
      return std::clamp(static_cast<int>(std::floor((v - origin) * inv_cell)), 0, n - 1);
    };
    // Padded by one cell so that rounding never drops a candidate.
    b_x0 = std::max(0, cell_of(s.min_x(), x0, nx) - 1) >> kBucketShift;
    b_y0 = std::max(0, cell_of(s.min_y(), y0, ny) - 1) >> kBucketShift;
    b_x1 = std::min(nx - 1, cell_of(s.max_x(), x0, nx) + 1) >> kBucketShift;
    b_y1 = std::min(ny - 1, cell_of(s.max_y(), y0, ny) + 1) >> kBucketShift;
  };
  for (const auto& s : shapes) {
    if (s.empty()) continue;
    int a = 0, b = 0, c = 0, d = 0;
    bucket_range(s, a, b, c, d);
    for (int y = b; y <= d; ++y) {
      for (int x = a; x <= c; ++x)
        ++count[static_cast<std::size_t>(y) * static_cast<std::size_t>(bx) + static_cast<std::size_t>(x) + 1];
    }
  }
  for (std::size_t i = 1; i < count.size(); ++i) count[i] += count[i - 1];
  bucket_start = count;
  bucket_items.resize(count.back());
  for (std::size_t k = 0; k < shapes.size(); ++k) {  // ascending rank: lists come out sorted
    const auto& s = shapes[k];
    if (s.empty()) continue;
    int a = 0, b = 0, c = 0, d = 0;
    bucket_range(s, a, b, c, d);
    for (int y = b; y <= d; ++y) {
      for (int x = a; x <= c; ++x) {
        bucket_items[count[static_cast<std::size_t>(y) * static_cast<std::size_t>(bx) +
                           static_cast<std::size_t>(x)]++] = static_cast<std::int32_t>(k);
      }
    }
  }

  // 3. Runs of unmarked cells along a row share one owner: test one centre per run.
  const double cell_deg = 1.0 / inv_cell;
  for (int r = 0; r < ny; ++r) {
    std::int32_t* row = raster.data() + static_cast<std::size_t>(r) * static_cast<std::size_t>(nx);
    int c = 0;
    while (c < nx) {
      if (row[c] != kUnset) {
        ++c;
        continue;
      }
      const double cx = x0 + (c + 0.5) * cell_deg;
      const double cy = y0 + (r + 0.5) * cell_deg;
      const std::int32_t owner = exact(cx, cy);
      while (c < nx && row[c] == kUnset) row[c++] = owner;
    }
  }
}

AreaIndex::AreaIndex(const std::vector<Area>& areas) : impl_(std::make_unique<Impl>()) {
  impl_->size = areas.size();
  std::map<std::string, std::vector<int>> by_level;
  for (std::size_t i = 0; i < areas.size(); ++i) by_level[areas[i].level].push_back(static_cast<int>(i));
  for (auto& [name, members] : by_level) {
    impl_->names.push_back(name);
    Impl::Level level;
    std::stable_sort(members.begin(), members.end(), [&](int a, int b) {
      return areas[static_cast<std::size_t>(a)].id < areas[static_cast<std::size_t>(b)].id;
    });
    level.global = members;
    level.shapes.reserve(members.size());
    bool grid = true;
    for (int g : members) {
      const Area& a = areas[static_cast<std::size_t>(g)];
      detail::GeomPtr geom = detail::read_wkb(a.wkb);
      if (!a.wkb.empty() && !geom) {
        throw bad_input("area '" + a.id + "' (level " + a.level + ") has unreadable geometry; re-import it");
      }
      level.shapes.emplace_back(geom ? detail::PolygonLocator(geom.get()) : detail::PolygonLocator());
      grid = grid && a.priogrid_gid && is_cell_of(level.shapes.back(), *a.priogrid_gid);
    }
    level.is_grid = grid && !members.empty();
    if (level.is_grid) {
      level.build_grid(areas);
    } else {
      level.build_raster();
    }
    impl_->levels.push_back(std::move(level));
  }
}

AreaIndex::~AreaIndex() = default;
AreaIndex::AreaIndex(AreaIndex&&) noexcept = default;
AreaIndex& AreaIndex::operator=(AreaIndex&&) noexcept = default;

const std::vector<std::string>& AreaIndex::levels() const { return impl_->names; }

void AreaIndex::lookup(LatLon p, std::vector<int>& out) const {
  const std::size_t n = impl_->levels.size();
  out.assign(n, -1);
  if (!p.valid()) return;
  for (std::size_t i = 0; i < n; ++i) {
    const Impl::Level& level = impl_->levels[i];
    const std::int32_t k = level.locate(p.lon, p.lat);
    if (k >= 0) out[i] = level.global[static_cast<std::size_t>(k)];
  }
}

bool AreaIndex::inside_any(LatLon p) const {
  if (!p.valid()) return false;
  for (const auto& level : impl_->levels) {
    if (level.locate(p.lon, p.lat) >= 0) return true;
  }
  return false;
}

int AreaIndex::grid_area(std::size_t level, std::int64_t gid) const {
  if (level >= impl_->levels.size() || gid < 1 || gid > std::int64_t{360} * 720) return -1;
  const Impl::Level& l = impl_->levels[level];
  if (!l.is_grid) return -1;
  const std::int32_t k = l.grid.at((gid - 1) / 720, (gid - 1) % 720);
  return k >= 0 ? l.global[static_cast<std::size_t>(k)] : -1;
}

std::size_t AreaIndex::size() const { return impl_->size; }

}  // namespace endstate::geo
