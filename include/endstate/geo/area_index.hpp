#pragma once
// Point-in-area index over several levels at once: per level, a raster that
// answers cells lying wholly inside one area (or none) directly, and exact
// point-in-polygon tests (the same predicate as GEOS prepared covers) near
// boundaries; PRIO-GRID levels are answered from the gid. One lookup answers
// every level. A point on a boundary shared by two areas of one level belongs to the
// area with the smallest id (deterministic, independent of load order); on
// PRIO-GRID levels to the cell priogrid_gid() names (PRIO-GRID's floor rule: the
// cell north-east of an edge or corner) when that cell is in the level, else
// (the level's outer north/east edge) the covering cell with the largest gid.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "endstate/core/domain.hpp"
#include "endstate/core/types.hpp"

namespace endstate::geo {

class AreaIndex {
 public:
  /// Builds the index; `areas` must outlive nothing (ids and levels are copied).
  explicit AreaIndex(const std::vector<Area>& areas);
  ~AreaIndex();
  AreaIndex(AreaIndex&&) noexcept;
  AreaIndex& operator=(AreaIndex&&) noexcept;

  /// The distinct levels, sorted.
  [[nodiscard]] const std::vector<std::string>& levels() const;
  /// For each level (same order as levels()), the index into the constructor's
  /// `areas` of the area that owns `p`, or -1 when no area of that level does.
  /// `out` is resized to levels().size(). Thread-safe (const).
  void lookup(LatLon p, std::vector<int>& out) const;
  /// On a PRIO-GRID level (index into levels(); every area of it is the square of
  /// its priogrid_gid), the index into the constructor's `areas` of the cell with
  /// PRIO-GRID id `gid`, or -1 (no such cell, or not a PRIO-GRID level). For
  /// importers whose source carries the gid (UCDP's priogrid_gid column): use it
  /// before the coordinates.
  [[nodiscard]] int grid_area(std::size_t level, std::int64_t gid) const;
  /// True when `p` falls in at least one area of any level.
  [[nodiscard]] bool inside_any(LatLon p) const;
  [[nodiscard]] std::size_t size() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace endstate::geo
