#pragma once
// PRIO-GRID 0.5-degree cells (Tollefsen, Strand & Buhaug 2012):
// gid = row*720 + col + 1, row = floor((lat+90)/0.5), col = floor((lon+180)/0.5).

#include <cstdint>
#include <vector>

#include "endstate/core/domain.hpp"
#include "endstate/core/types.hpp"

namespace endstate::geo {

std::int64_t priogrid_gid(LatLon p);
/// Centre of a cell.
LatLon priogrid_centre(std::int64_t gid);

/// Cells whose square shares more than an edge or a corner with the box;
/// share_inside = 1. Ids "pg-<gid>", level "grid", parent empty.
std::vector<Area> priogrid_cells(double min_lon, double min_lat, double max_lon, double max_lat);

/// Cells intersecting `area`, each with share_inside = area of (cell ∩ area) / cell area,
/// and parent_id = area.id. Cells with no overlap are left out.
std::vector<Area> priogrid_cells_within(const Area& area);

}  // namespace endstate::geo
