#pragma once
// Imports: one file is one transaction. A reader streams records; each is
// validated, assigned to its areas at every level in one index lookup, and
// written; the import log records file, sha256, time and counts. A fatal
// problem (or any reject under `strict`) rolls everything back, and the
// rejects CSV of that import is not left behind.
//
// Inputs may be regular files or streams (a pipe, a FIFO, /dev/stdin, a
// process substitution): a stream is first copied to an unnamed temporary
// file (at most max_stream_bytes; a NUL byte stops it as binary data), so that
// its SHA-256 is known before the import starts. Areas are read by GDAL,
// which needs a regular file: streams and directories (other than a File
// Geodatabase, *.gdb) are refused.
//
// Re-importing a file that was imported before (same kind and SHA-256) and
// adds nothing writes no log entry (ImportSummary::previous_import names the
// earlier one). A row whose key is stored already counts as a duplicate when
// its content is the same and as a conflict when it differs (events: every
// stored field; observations: the value; deployments: counts, period, notes).
//
// Points outside every area are listed with their line and the distance to
// the nearest area (ingest/detail/nearest_area.hpp: great-circle distance to
// the area boundaries sampled every 5 km, so within about 2.5 km), the
// farthest first; those whose swapped coordinates fall inside an area are
// flagged, for events and sites alike.

#include <cstdint>
#include <string>

#include "endstate/core/domain.hpp"
#include "endstate/core/io.hpp"
#include "endstate/geo/areas_io.hpp"
#include "endstate/ingest/readers.hpp"

namespace endstate::store {
class Database;
}

namespace endstate::ingest {

struct ImportOptions {
  bool strict = false;             ///< any rejected row aborts the import (exit 2), nothing written
  std::size_t reject_limit = 50;   ///< rejects kept in the summary; past it all go to a CSV beside the database
  std::size_t outside_limit = 20;  ///< points outside every area listed in the summary (the farthest)
  /// Largest input read from a pipe, FIFO or device (copied to a temporary file first to fingerprint it).
  std::int64_t max_stream_bytes = kMaxStreamBytes;
};

ImportSummary import_events(store::Database& db, const std::string& path, EventSource source, const ColumnMap& map,
                            const ImportOptions& options);
ImportSummary import_sites(store::Database& db, const std::string& path, SiteSource source,
                           const ImportOptions& options);
ImportSummary import_observations(store::Database& db, const std::string& path, const ImportOptions& options);

/// Areas from a vector file, optionally dissolved into a second level.
struct AreaImportOptions {
  geo::AreaReadOptions read;
  std::string dissolve_csv;   ///< crosswalk CSV; empty = no dissolve
  std::string dissolve_key;   ///< column holding the unit id
  std::string dissolve_into;  ///< column holding the group name
  std::string group_level = "province";
  std::string group_parent;  ///< optional parent id for the groups (e.g. the country)
};

/// Imports areas (and their dissolved groups), then re-assigns every stored
/// event and site to the new set of areas. `read` = features read; `imported`
/// = new areas; `duplicates` = ids already present (left unchanged).
ImportSummary import_areas(store::Database& db, const std::string& path, const AreaImportOptions& options);

/// Adds PRIO-GRID cells for a box, or for the cells intersecting an area
/// (with their share inside it), then re-assigns events and sites.
ImportSummary import_grid_box(store::Database& db, double min_lon, double min_lat, double max_lon, double max_lat);
ImportSummary import_grid_within(store::Database& db, const std::string& area_id);

/// Re-computes event and site area links from scratch (after areas change).
/// Returns the number of events outside every area.
std::int64_t reassign_areas(store::Database& db);

}  // namespace endstate::ingest
