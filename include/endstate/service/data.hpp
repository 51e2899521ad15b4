#pragma once
// Requests and results of the data verbs: importing areas, grid cells,
// events, sites and observations, and listing what the store holds.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "endstate/core/domain.hpp"
#include "endstate/core/types.hpp"
#include "endstate/ingest/importer.hpp"
#include "endstate/ingest/readers.hpp"
#include "endstate/store/records.hpp"

namespace endstate::service {

struct AreaImportRequest {
  std::string file;  ///< vector file ("-" = standard input is not supported by GDAL: give a path)
  ingest::AreaImportOptions options;
};

struct GridRequest {
  std::optional<std::array<double, 4>> bbox;  ///< min_lon, min_lat, max_lon, max_lat
  std::string within;                         ///< area id or name (exactly one of bbox / within)
};

struct EventImportRequest {
  std::string file;
  ingest::EventSource source = ingest::EventSource::kUcdp;
  ingest::ColumnMap map;  ///< generic CSV only
  ingest::ImportOptions options;
};

struct SiteImportRequest {
  std::string file;
  ingest::SiteSource source = ingest::SiteSource::kGeoPko;
  ingest::ImportOptions options;
};

struct ObservationImportRequest {
  std::string file;
  ingest::ImportOptions options;
};

struct AreaQuery {
  std::string level;           ///< "" = every level
  bool with_geometry = false;  ///< WKB of each area (maps)
};

struct AreaList {
  std::string level;
  std::vector<Area> areas;
};

struct EventQuery {
  std::string area;               ///< id or name; "" = everywhere
  std::string level;              ///< report each event's area at this level ("" = every area id)
  std::optional<Month> from, to;  ///< inclusive
  std::optional<ViolenceType> type;
  std::string source;      ///< "" = every source
  std::int64_t limit = 0;  ///< 0 = no limit
};

/// One listed event: the stored row and its area at the asked level (or every area).
struct EventRecord {
  const store::EventRow* row = nullptr;
  std::vector<std::string> areas;  ///< the area at EventQuery::level, or every linked area
};

struct SiteQuery {
  std::string area;            ///< id or name; "" = everywhere
  std::optional<Month> month;  ///< only sites deployed in this month, with that month's deployment
};

struct SiteList {
  std::vector<store::SiteRow> sites;
};

struct ObservationQuery {
  std::string indicator;  ///< "" = every indicator
  std::string area;       ///< id or name; "" = every area
};

struct ObservationList {
  std::vector<Observation> observations;
};

struct StatusResult {
  std::string location;
  store::StoreStatus status;
};

}  // namespace endstate::service
