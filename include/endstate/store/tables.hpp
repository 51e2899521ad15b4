#pragma once
// The store's tables as plain data: every table, its columns and their
// logical types, the same in both backends (sql/ holds each backend's
// dialect). Whole-table reads and writes go through these descriptions:
// `endstate export --gpkg` writes one GeoPackage layer per table, and
// copy_store() moves a whole store between backends (an analyst's SQLite file
// onto the shared PostgreSQL server, or the server into a file) with ids,
// sign-offs and the audit chain unchanged.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace endstate::store {

class Database;

/// A column's logical type (SQLite stores kDate as ISO text, PostgreSQL as date).
enum class ColumnType { kInteger, kReal, kText, kDate, kBlob };

/// Where a table's geometry comes from, for GIS layers.
enum class GeometrySource {
  kNone,    ///< an attribute table
  kLatLon,  ///< a point from the columns `lat` and `lon`
  kWkb,     ///< a (multi)polygon from the WKB column `geometry_wkb`
};

struct ColumnInfo {
  std::string name;
  ColumnType type = ColumnType::kText;
};

struct TableInfo {
  std::string name;
  std::vector<ColumnInfo> columns;
  std::string order_by;    ///< the key columns, comma-separated (rows are read in this order)
  std::string integer_id;  ///< the column of an integer primary key assigned on insert ("" = none)
  GeometrySource geometry = GeometrySource::kNone;
  std::string description;
};

/// Every table, parents before the tables that reference them.
const std::vector<TableInfo>& tables();

/// The binary value of a kBlob column.
struct Blob {
  std::vector<std::uint8_t> bytes;
  bool operator==(const Blob&) const = default;
};

/// One stored value: null, integer, real, text (kText and kDate) or blob.
using Value = std::variant<std::monostate, std::int64_t, double, std::string, Blob>;
using Row = std::vector<Value>;

/// Rows per table copied by copy_store, in tables() order.
using TableCounts = std::vector<std::pair<std::string, std::int64_t>>;

/// Copies every row of every table from `from` into `to` in one transaction
/// of `to`, keeping ids, hashes and the audit chain as they are. `to` must be
/// empty (Error(kBadInput) naming a table that holds rows, nothing changed);
/// `from` is read in one consistent snapshot. `progress(table, rows)` is
/// called after each table.
TableCounts copy_store(Database& from, Database& to,
                       const std::function<void(const std::string&, std::int64_t)>& progress = {});

}  // namespace endstate::store
