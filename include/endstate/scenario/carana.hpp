#pragma once
// Carana: a fictional mission country for training, demos and tests. The
// generator writes a complete, deterministic dataset in the same real formats
// users import (GeoJSON areas + crosswalk, UCDP GED CSV, Geo-PKO v2.3 CSV,
// observations CSV), so a demo exercises the real importers end to end.
// Methods, parameters and file formats: docs/carana.md.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace endstate::scenario {

/// A scripted trajectory for one province (see docs/carana.md, "Trajectories").
enum class Trajectory { kStabilising, kDeteriorating, kEscalation, kQuiet, kSteady };

/// An armed group and how it behaves.
struct ArmedGroup {
  std::string name;
  double share_one_sided = 0.3;  ///< share of its events that are violence against civilians
  double share_state = 0.5;      ///< ... that fight state forces (the rest fight other groups)
  double rate_per_month = 3.0;   ///< background events per month across its area of operation
  double fatality_tail = 1.6;    ///< Pareto tail index of fatalities per event (smaller = heavier)
  std::vector<int> provinces;    ///< indices of the provinces it operates in
};

/// All parameters; defaults give the documented Carana.
struct CaranaConfig {
  std::string country_name = "Carana";
  double width_km = 700;  ///< about the size of eastern DR Congo
  double height_km = 900;
  double origin_lat = -1.0;  ///< north-west corner
  double origin_lon = 26.0;
  int provinces = 8;
  int territories = 40;
  int localities = 2000;
  double population = 20'000'000;
  int cities = 4;
  int first_year = 2012;
  int years = 13;
  std::vector<ArmedGroup> groups;        ///< empty -> default groups
  std::vector<Trajectory> trajectories;  ///< per province; empty -> defaults (one of each scripted kind)
  double hawkes_branching = 0.45;        ///< expected offspring per event (< 1)
  double hawkes_decay_days = 12;         ///< mean delay of an offspring
  double hawkes_spread_km = 15;          ///< spatial spread of offspring
  double seasonality = 0.25;             ///< amplitude of the annual cycle (dry season peak)
  int mission_hq_troops = 1200;
  double drawdown_share = 0.35;  ///< share of troops already withdrawn by the last year
};

/// Defaults, or a YAML file overriding any of them. Throws Error(kBadInput)
/// with file:line:field for unknown keys, wrong types and out-of-range values.
CaranaConfig default_config();
CaranaConfig load_config(const std::string& yaml_path);
/// The same from YAML text; `yaml_path` names it in errors (the fuzz harness reads from memory).
CaranaConfig parse_config(const std::string& yaml_text, const std::string& yaml_path);

/// Throws Error(kBadInput) (no position) when a value is out of range; what
/// load_config checks, for configurations built in code.
void validate_config(const CaranaConfig& config);

/// The configuration with its defaults made explicit: default trajectories
/// (stabilising, deteriorating, escalation, quiet, then steady) and default
/// groups (tied to those trajectories) filled in. generate_carana uses it and
/// writes it to config.yaml, so loading that file reproduces the dataset.
CaranaConfig effective_config(const CaranaConfig& config);

/// The configuration as YAML (what load_config reads); doubles in shortest
/// round-trip form, so text -> config -> text is exact.
std::string config_to_yaml(const CaranaConfig& config);

/// What was written and how much of each.
struct GeneratedDataset {
  std::string dir;
  std::string country_geojson;      ///< level country (1 feature)
  std::string territories_geojson;  ///< level territory, with province name attribute
  std::string crosswalk_csv;        ///< territory id -> province name (for areas import --dissolve-by)
  std::string localities_csv;       ///< name, latitude, longitude, population, territory_id
  std::string events_csv;           ///< UCDP GED CSV, 49 columns
  std::string sites_csv;            ///< Geo-PKO v2.3 location-year
  std::string observations_csv;     ///< indicator, area, month, value, source
  std::string framework_yaml;       ///< transition benchmark framework (draft format)
  std::string tasks_yaml;           ///< task register (docs/tasks.md)
  std::string config_yaml;          ///< the effective configuration
  std::string plan_end_state_yaml;  ///< transition plan exiting provinces on readiness (docs/plan.md)
  std::string plan_end_date_yaml;   ///< the same plan exiting provinces on a calendar
  /// Counts: `events` = GED rows, `sites` = distinct Geo-PKO locations,
  /// `deployments` = Geo-PKO location-year rows, `observations` = observation rows.
  std::int64_t provinces = 0, territories = 0, localities = 0, events = 0, sites = 0, deployments = 0, observations = 0;
  std::vector<std::string> province_names;  ///< index order = config province index
  std::vector<Trajectory> province_trajectories;
  std::uint64_t seed = 0;
  std::int64_t groups = 0;
  std::int64_t population = 0;  ///< sum over localities (= over territories)
  std::int64_t fatalities = 0;  ///< sum of `best` over events
  std::string capital;          ///< name of the capital (mission HQ)
  int first_year = 0, last_year = 0;
  std::vector<std::int64_t> events_by_year;  ///< first_year .. last_year
  std::vector<std::int64_t> troops_by_year;  ///< Geo-PKO NoTroops summed per year
};

/// Writes the dataset into `out_dir` (created if needed): country.geojson,
/// territories.geojson, territory_to_province.csv, localities.csv,
/// events_ged.csv, sites_geopko.csv, observations.csv, framework.yaml,
/// tasks.yaml, config.yaml, plan_end_state.yaml, plan_end_date.yaml. Same config and seed give byte-identical files.
/// Throws Error(kBadInput) for an invalid configuration (before writing
/// anything) or an output directory that cannot be created.
GeneratedDataset generate_carana(const CaranaConfig& config, std::uint64_t seed, const std::string& out_dir);

/// "stabilising", "deteriorating", "escalation", "quiet", "steady".
std::string to_string(Trajectory t);
/// Inverse of to_string; nullopt for anything else.
std::optional<Trajectory> parse_trajectory(std::string_view s);

}  // namespace endstate::scenario
