#pragma once
// Point lists from CSV: localities (demand points) and candidate sites for
// the footprint. Columns by header name (case-insensitive): name, latitude
// (or lat), longitude (or lon), and optionally population, id (or wof_id) and
// has_air (1/true/yes).

#include <optional>
#include <string>
#include <vector>

#include "endstate/core/io.hpp"
#include "endstate/core/types.hpp"

namespace endstate::ingest {

struct PointRow {
  std::string id;  ///< the id column, else the name, else "row<line>"
  std::string name;
  LatLon where;
  std::optional<double> population;  ///< absent or empty = unknown; 0 counts as unknown
  bool has_air = false;
  std::int64_t line = 0;
};

/// Reads every row; Error(kBadInput) naming file, line and field for a missing
/// column or a bad value, Error(kNotFound) when the file cannot be read.
/// `require_population`: the population column must exist (values may be empty).
std::vector<PointRow> read_points_csv(const std::string& path, bool require_population);
/// The same from an open stream (a file, standard input, memory); errors name `in`'s name.
std::vector<PointRow> read_points_csv(InputStream in, bool require_population);

}  // namespace endstate::ingest
