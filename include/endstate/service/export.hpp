#pragma once
// Exports of the whole store (`endstate export`): a GeoPackage with one layer
// per table, so a single analyst's SQLite store opens in QGIS, R sf or GDAL
// like the PostGIS tables of the shared server do; or a copy into another,
// empty store (an analyst's file onto the shared PostgreSQL server, or the
// server into a file), with ids, sign-offs and the audit chain unchanged.

#include <cstdint>
#include <string>
#include <vector>

namespace endstate::service {

/// Exactly one of `gpkg` and `to`.
struct ExportRequest {
  std::string gpkg;    ///< GeoPackage file to write (ends in .gpkg)
  std::string to;      ///< or: the location of an empty store to copy into (SQLite file or postgresql:...)
  bool force = false;  ///< replace an existing GeoPackage file
};

struct ExportedTable {
  std::string name;
  std::int64_t rows = 0;
  std::string geometry;  ///< "Point", "MultiPolygon", or "" for an attribute table
};

struct ExportResult {
  std::string target;  ///< the file written, or the location copied into
  std::string format;  ///< "gpkg" or "store"
  std::vector<ExportedTable> tables;
};

}  // namespace endstate::service
