#pragma once
// The nouns of docs/design.md as plain values. Analyses take and return these; the
// store persists them; ingest produces them. Geometry travels as WKB bytes so
// that no GDAL/GEOS type leaks into public headers.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "endstate/core/types.hpp"

namespace endstate {

/// An administrative unit, grid cell or any polygon a user loads.
struct Area {
  std::string id;  ///< stable id ("cd-nord-kivu", "pg-123511", a wof id ...)
  std::string name;
  std::string level;      ///< "country", "province", "territory", "district", "grid", or any user level
  std::string parent_id;  ///< empty at the top
  std::optional<double> population;
  std::vector<std::uint8_t> wkb;                              ///< WGS84 polygon/multipolygon, ISO WKB
  double min_lon = 0, min_lat = 0, max_lon = 0, max_lat = 0;  ///< envelope
  double area_km2 = 0;                                        ///< geodesic area
  LatLon centroid{};
  std::optional<std::int64_t> priogrid_gid;  ///< for level "grid"
  std::optional<double> share_inside;        ///< grid cell: share of the cell inside the area it was built for
};

/// Violence types, normalised across UCDP, ACLED and generic inputs.
enum class ViolenceType {
  kStateBased,  ///< UCDP 1; ACLED battles involving state forces
  kNonState,    ///< UCDP 2; ACLED battles between non-state groups
  kOneSided,    ///< UCDP 3; ACLED "Violence against civilians": violence against civilians
  kRiots,       ///< ACLED riots
  kProtests,    ///< ACLED protests
  kRemote,      ///< ACLED explosions/remote violence that is not clearly against civilians
  kStrategic,   ///< ACLED strategic developments
  kOther,
};
std::string_view to_string(ViolenceType t);
std::optional<ViolenceType> parse_violence_type(std::string_view s);

/// One conflict event from any source.
struct Event {
  std::string source;     ///< "ucdp", "acled", or a user source name
  std::string source_id;  ///< id within the source; (source, source_id) is unique
  Date date_start;
  Date date_end;
  int date_precision = 1;  ///< source's own code (UCDP 1..5, ACLED time_precision 1..3)
  LatLon where;
  int location_precision = 1;  ///< UCDP where_prec 1..7, ACLED geo_precision 1..3
  ViolenceType violence = ViolenceType::kOther;
  std::string violence_original;  ///< the source's own value ("3", "Violence against civilians" ...)
  std::string actor1;
  std::string actor2;
  std::int64_t fatalities_best = 0;
  std::int64_t fatalities_low = 0;
  std::int64_t fatalities_high = 0;
  std::optional<std::int64_t> civilian_deaths;
  std::string country;
  std::string admin1;
  std::string location;
  std::optional<std::int64_t> priogrid_gid;
};

/// A base, office or post.
struct Site {
  std::string key;  ///< stable key: mission|location|lat|lon (see ingest)
  std::string mission;
  std::string name;
  std::string country;
  std::string admin1;
  std::string admin2;
  LatLon where;
  std::string kind;  ///< "hq", "sector_hq", "company_base", "police_post", "liaison", "site"
};

/// What was deployed at a site during a period (a month or a year).
struct Deployment {
  std::string site_key;
  Month period_start;
  Month period_end;    ///< inclusive
  std::string source;  ///< "geopko-2.0 Map no. 4121", "geopko-2.3", ...
  std::int64_t troops = 0;
  std::int64_t police = 0;     ///< formed + individual police (count, or 1 for a presence dummy)
  std::int64_t observers = 0;  ///< UN military observers (count, or 1 for a presence dummy)
  std::int64_t civilians = 0;
  int hq = 0;        ///< 0 none, 1 sector/HQ dummy, higher for Geo-PKO's HQ codes
  int aviation = 0;  ///< helicopters/air units (count or presence)
  int medical = 0;
  std::string notes;
};

/// A deployment makes its site active (a base, able to respond or cover)
/// when it has troops or police; observers or civilians alone do not.
inline bool is_active(const Deployment& d) { return d.troops > 0 || d.police > 0; }

/// One value of an indicator in an area and month.
struct Observation {
  std::string indicator;
  std::string area_id;
  Month month;
  double value = 0;
  std::string source;
};

/// One entry of the append-only, hash-chained audit log (benchmarks/audit.hpp
/// computes and checks the hashes; the store keeps the entries).
struct AuditEntry {
  std::int64_t seq = 0;  ///< 1, 2, 3 ...
  std::string at;        ///< UTC ISO 8601
  std::string kind;      ///< framework_import | signoff | assessment | ...
  std::string subject;   ///< what it is about ("framework v2", "2024-06 province")
  std::string payload;   ///< JSON with the details (hashes, fingerprints)
  std::string prev_hash;
  std::string hash;
};

/// A row an importer refused: where and why.
struct Reject {
  std::int64_t line = 0;
  std::string field;
  std::string reason;
};

/// A point an import found outside every loaded area: where it sits in the
/// file and how far the nearest area is (a point 10,000 km away is a misplaced
/// row; one 20 km across a border usually is not).
struct OutsidePoint {
  std::int64_t line = 0;
  std::string id;  ///< the row's id (event id, site name)
  LatLon where;
  std::string nearest_area;        ///< id of the nearest area
  double distance_km = 0;          ///< great-circle distance to it (within a few km, ingest/importer.hpp)
  bool inside_if_swapped = false;  ///< (longitude, latitude) read the other way round lies inside an area
};

/// What an import did; the JSON keys are part of the public interface.
struct ImportSummary {
  std::string file;
  std::string sha256;
  std::string kind;  ///< "events", "sites", "observations", "areas"
  std::int64_t read = 0;
  std::int64_t imported = 0;
  std::int64_t duplicates = 0;  ///< rows already stored with the same key and the same content
  /// Rows already stored with the same key (events: source and id) but different
  /// content: the stored row is kept, the new one is not imported.
  std::int64_t conflicts = 0;
  std::vector<std::int64_t> conflict_lines;  ///< first few such lines
  std::int64_t rejected = 0;
  std::int64_t outside_areas = 0;
  /// Of the points outside every area, how many would fall inside one with
  /// latitude and longitude swapped (a hint to check the file, not a reject:
  /// real files hold events abroad whose swap lands inside the mission).
  std::int64_t outside_swapped = 0;
  std::vector<std::int64_t> outside_swapped_lines;  ///< first few such lines
  /// The points farthest from every area (at most ImportOptions::outside_limit), farthest first.
  std::vector<OutsidePoint> outside;
  /// Set when this file (same kind and SHA-256) was imported before and this
  /// import added nothing: the id of that earlier import. No log entry is then
  /// written for this one.
  std::int64_t previous_import = 0;
  std::vector<Reject> rejects;  ///< first N kept in memory
  std::string rejects_csv;      ///< where the full list went, when past the limit
};

}  // namespace endstate
