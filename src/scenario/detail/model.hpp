#pragma once
// The generated world as plain values, passed from one stage of the
// generator to the next (geography -> localities -> events -> sites ->
// observations -> writers). GEOS stays inside geography.cpp.

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "endstate/core/error.hpp"
#include "endstate/core/rng.hpp"
#include "endstate/core/types.hpp"
#include "endstate/scenario/carana.hpp"

namespace endstate::scenario::detail {

/// The error for an output file of the generator that could not be written:
/// the environment's (a full disk, a file-size limit, a folder not writable).
inline Error write_error(const std::string& path) {
  const int e = errno;
  return environment_error("cannot write " + path + (e ? ": " + std::string(std::strerror(e)) : std::string()) +
                           " (disk full or folder not writable?)");
}

/// Independent random streams, one per stage (Rng(seed, stream)), so that a
/// change in one stage leaves the draws of the others alone.
constexpr std::uint64_t kStreamGeography = 1;
constexpr std::uint64_t kStreamNames = 2;
constexpr std::uint64_t kStreamLocalities = 3;
constexpr std::uint64_t kStreamPhases = 4;
constexpr std::uint64_t kStreamOffspring = 5;
constexpr std::uint64_t kStreamPlacement = 6;
constexpr std::uint64_t kStreamFatalities = 7;
constexpr std::uint64_t kStreamGedText = 8;
constexpr std::uint64_t kStreamSites = 9;
constexpr std::uint64_t kStreamObservations = 10;
constexpr std::uint64_t kStreamBackground = 100;  ///< + group index

/// A polygon as rings of WGS84 points (first ring the shell, counter-clockwise;
/// holes clockwise), each ring closed (first point repeated last).
using Ring = std::vector<LatLon>;
using Polygon = std::vector<Ring>;
using MultiPolygon = std::vector<Polygon>;

struct Territory {
  std::string id;  ///< "T01", ...
  std::string name;
  int province = -1;
  MultiPolygon shape;
  LatLon anchor;  ///< a point inside (GEOS point on surface)
  double area_km2 = 0;
  double min_lat = 0, min_lon = 0, max_lat = 0, max_lon = 0;
  std::int64_t population = 0;
};

struct Province {
  std::string name;
  Trajectory trajectory = Trajectory::kSteady;
  std::vector<int> territories;
  double area_km2 = 0;
  std::int64_t population = 0;
  int main_town = -1;  ///< largest locality (sector HQ)
};

struct Locality {
  std::string id;  ///< "L0001", ...
  std::string name;
  LatLon where;
  std::int64_t population = 0;
  int territory = -1;
};

/// Point-in-territory queries over the generated polygons (GEOS prepared
/// geometries behind a pimpl).
class Locator {
 public:
  Locator(const std::vector<Territory>& territories);
  ~Locator();
  Locator(const Locator&) = delete;
  Locator& operator=(const Locator&) = delete;
  /// Territory index strictly containing `p` and at least ~1 m from its
  /// border (so any point-in-polygon test agrees), or -1.
  [[nodiscard]] int territory_of(LatLon p) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct Geography {
  MultiPolygon country;
  double area_km2 = 0;
  double min_lat = 0, min_lon = 0, max_lat = 0, max_lon = 0;
  std::vector<Territory> territories;
  std::vector<Province> provinces;
  std::unique_ptr<Locator> locator;
};

/// One simulated conflict event before it is written as a GED row.
struct SimEvent {
  double t_days = 0;  ///< since 1 January of first_year
  LatLon where;       ///< written coordinates (after snapping to a locality or territory)
  int territory = -1;
  int group = -1;
  int type = 1;        ///< UCDP type_of_violence 1, 2, 3
  int opponent = -1;   ///< other group for type 2
  int generation = 0;  ///< 0 background, k = k-th generation offspring
  int where_prec = 1;
  int locality = -1;  ///< nearest locality (snapped to when where_prec = 1)
  double locality_km = 0;
  std::int64_t deaths_a = 0, deaths_b = 0, deaths_civilians = 0, deaths_unknown = 0;
  std::int64_t best = 0, low = 0, high = 0;
};

/// Kilometres per degree (equirectangular approximation, good to ~0.5% over a
/// country-sized extent away from the poles).
constexpr double kKmPerDegLat = 110.574;
constexpr double kKmPerDegLonEquator = 111.320;

/// `p` moved by (east_km, north_km).
LatLon offset_km(LatLon p, double east_km, double north_km);

// ---- stages (one source file each) ----

/// Country, territories (Voronoi tiling), provinces (contiguous groups of territories).
Geography build_geography(const CaranaConfig& config, std::uint64_t seed);

/// Localities with heavy-tailed populations; fills territory/province populations
/// and main towns. Returns them ordered by id (largest first).
std::vector<Locality> build_localities(const CaranaConfig& config, std::uint64_t seed, Geography& geo);

/// Index of the locality nearest to `p` (planar approximation) and its distance.
struct Nearest {
  int index = -1;
  double km = 0;
};
Nearest nearest_locality(const std::vector<Locality>& localities, LatLon p);

/// Trajectory multiplier of a province's background rate at day `t` of a
/// horizon of `horizon_days` (see docs/carana.md, "Trajectories").
double trajectory_multiplier(Trajectory kind, double t_days, double horizon_days, double phase);

/// Annual cycle: 1 + amplitude * cos(2 pi (day of year - peak) / 365.25), peak mid-July.
double seasonal_multiplier(double amplitude, double day_of_year);

/// The simulated events, sorted by time; fatalities and location precision filled.
std::vector<SimEvent> simulate_events(const CaranaConfig& config, std::uint64_t seed, const Geography& geo,
                                      const std::vector<Locality>& localities, const std::vector<double>& phases);

/// Writes the UCDP GED CSV; returns events written.
std::int64_t write_ged(const std::string& path, const CaranaConfig& config, std::uint64_t seed, const Geography& geo,
                       const std::vector<Locality>& localities, const std::vector<SimEvent>& events);

/// Writes the Geo-PKO v2.3 location-year CSV.
struct SitesSummary {
  std::int64_t sites = 0;
  std::int64_t rows = 0;
  std::vector<std::int64_t> troops_by_year;
  std::string capital;
};
SitesSummary write_sites(const std::string& path, const CaranaConfig& config, std::uint64_t seed, const Geography& geo,
                         const std::vector<Locality>& localities, const std::vector<SimEvent>& events);

/// Writes observations.csv; returns rows written.
std::int64_t write_observations(const std::string& path, const CaranaConfig& config, std::uint64_t seed,
                                const Geography& geo, const std::vector<double>& phases);

/// Writes framework.yaml (docs/benchmarks.md) and tasks.yaml (the task register, docs/tasks.md).
void write_framework(const std::string& path, const CaranaConfig& config, const Geography& geo);
void write_tasks(const std::string& path, const CaranaConfig& config, const Geography& geo);

/// Troop ceilings of the Carana plans: today's troops (rounded down to 100)
/// cut in equal steps to 40% over `phases` phases.
std::vector<std::int64_t> plan_ceilings(std::int64_t troops_today, int phases);
/// Writes plan_end_state.yaml and plan_end_date.yaml (docs/plan.md).
void write_plans(const std::string& end_state_path, const std::string& end_date_path, const CaranaConfig& config,
                 const Geography& geo, int capital_province, std::int64_t troops_today);

/// Unique, pronounceable fictional names (deterministic from the Rng).
class NameMaker {
 public:
  explicit NameMaker(std::uint64_t seed, std::uint64_t stream);
  /// A new name of 2..max_syllables syllables, never returned before.
  std::string make(int min_syllables, int max_syllables);
  /// Marks a name as used (so `make` never returns it).
  void reserve(const std::string& name);

 private:
  Rng rng_;
  std::vector<std::string> used_;  // sorted
};

}  // namespace endstate::scenario::detail
