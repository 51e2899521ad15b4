#pragma once
// Kulldorff's space-time scan statistic (hotspots).
//
// Methods:
// - Kulldorff M. (1997). A spatial scan statistic. Communications in
//   Statistics - Theory and Methods 26:1481-1496. Poisson model, likelihood
//   ratio for high-rate windows: LLR = c log(c/E) + (C-c) log((C-c)/(C-E))
//   when c > E, else 0.
// - Kulldorff M. (2001). Prospective time periodic geographical disease
//   surveillance using a scan statistic. JRSS A 164:61-72. Prospective
//   windows end at the last month (clusters still alive).
// - Kulldorff M., Heffernan R., Hartman J., Assuncao R., Mostashari F. (2005).
//   A space-time permutation scan statistic for disease outbreak detection.
//   PLoS Medicine 2(3):e59. Expected mu_zt = C_z C_t / C; the null keeps the
//   area and month marginals by permuting months among cases.
//
// Windows: cylinders. The base is a circle centred on an area centroid that
// grows by adding areas in order of centroid distance, up to a share of the
// population (of the total count for the permutation model) and optionally a
// radius; the height is a run of consecutive months up to max_months long
// (prospective: ending at the last month).
//
// Expected counts, Poisson model: conditioned on the monthly totals,
// mu_zt = C_t pop_z / P, so purely temporal trends (a country-wide rise) are
// not clusters; null replications draw each month's C_t cases over the areas
// in proportion to population (a multinomial per month), which keeps the
// monthly totals and so the expected counts.
//
// Circles: neighbours sorted by centroid distance; cells at the same distance
// (within tie_tolerance_km) join together as one group when group_equidistant
// is set (the default), so every circle holds every centroid within its radius
// (Kulldorff 1997); a group that would take the circle past the size limit is
// left out whole.
//
// P-values: Monte Carlo, p = rank / (R + 1) where rank = 1 + the number of
// replications whose maximum LLR is >= the observed one. Replication r uses
// Rng(seed, r + 1), replications run in parallel and are reduced in
// replication order: results are identical for any thread count. Options:
// sequential Monte Carlo (Besag J., Clifford P. (1991). Sequential Monte Carlo
// p-values. Biometrika 78:301-304): stop at the first replication l at which
// h replications reached the primary LLR, p = h / l, else as above over the R
// run; Gumbel approximation (as SaTScan: Abrams A., Kleinman K., Kulldorff M.
// (2010). Gumbel based p-value approximations for spatial scan statistics.
// Int J Health Geographics 9:61): a Gumbel fitted to the replication maxima by
// moments (mean, population variance), p = 1 - exp(-exp((mu - llr) / beta)).
//
// Replication speed (exact; the maxima are bit-identical to the exhaustive
// enumeration): permutation model circles that add only cells without cases
// are the same window set as the smaller circle and are skipped; a circle's
// best window starts and ends in months with cases in the circle (trimming an
// empty end month keeps c and lowers E, so the LLR does not fall), so only
// those windows are enumerated; a grown circle only scores windows holding a
// month with cases of the cells just added (any other window kept its count
// and gained expectation, so it is below the running maximum already); a
// circle is skipped when LLR(S, a S) (S its cases, a its share) cannot beat
// the running maximum; a window's logarithm is skipped when c log(c/E)
// cannot. The observed scan uses the same window set in the exhaustive order
// (same best window per circle, ties included). space_time_scan_reference
// keeps the previous algorithm (every window of every circle) for comparison.
//
// Secondary clusters, two rules (ScanOptions::secondary):
// - disjoint (default): the best window of every circle, in decreasing LLR,
//   keeping those that share no area with a cluster already reported;
// - satscan: SaTScan 10.x's "no geographical overlap": one best window per
//   centre (on equal LLR the one with fewer areas, then the earlier), in
//   decreasing LLR; a candidate is dropped when its circle overlaps a reported
//   one (centre distance <= the sum of the radii) and they share an area, unless
//   their months do not overlap.
// Each is compared with the same distribution of maxima (conservative).
//
// Pure: takes plain vectors, returns values.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "endstate/core/types.hpp"

namespace endstate::threat {

enum class ScanModel { kPoisson, kPermutation };
enum class ScanMode { kRetrospective, kProspective };
/// How p-values are computed from the null replications.
enum class PValueMethod { kMonteCarlo, kSequential, kGumbel };
/// Which secondary clusters are reported (see the header comment).
enum class SecondaryRule { kDisjoint, kSatscan };
std::string_view model_name(ScanModel m);               ///< "poisson", "permutation"
std::string_view mode_name(ScanMode m);                 ///< "retrospective", "prospective"
std::string_view p_value_method_name(PValueMethod m);   ///< "montecarlo", "sequential", "gumbel"
std::string_view secondary_rule_name(SecondaryRule r);  ///< "disjoint", "satscan"

/// The data of a scan: n areas x T months of counts (row-major [area][month]).
struct ScanData {
  std::vector<LatLon> centroids;
  std::vector<double> population;  ///< size n for the Poisson model; may be empty for permutation
  std::size_t months = 0;
  std::vector<std::int64_t> counts;  ///< n * months, non-negative
};

struct ScanOptions {
  ScanModel model = ScanModel::kPoisson;
  ScanMode mode = ScanMode::kRetrospective;
  double max_population_share = 0.5;    ///< of P (Poisson) or of C (permutation); in (0, 1]
  std::optional<double> max_radius_km;  ///< also cap circles by radius when given
  std::size_t max_months = 12;          ///< longest temporal window (>= 1)
  std::size_t replications = 999;
  std::uint64_t seed = 1;
  std::size_t threads = 1;        ///< 0 = hardware concurrency
  std::size_t max_clusters = 10;  ///< most (primary + secondary) clusters reported
  double report_p = 1.0;          ///< report only clusters with p <= this
  /// Cells at equal distance from a centre (within tie_tolerance_km) join a
  /// circle together; false: one at a time in area order (the old behaviour).
  bool group_equidistant = true;
  double tie_tolerance_km = 1e-6;
  /// Fewest cases in a reported window (SaTScan's MinimumCasesInHighRateClusters
  /// defaults to 2); windows with fewer are not scored, in data or replications.
  std::int64_t min_cases = 1;
  PValueMethod p_value = PValueMethod::kMonteCarlo;
  /// Sequential Monte Carlo: stop once this many replications reached the
  /// primary cluster's LLR (SaTScan's EarlyTerminationThreshold, default 50).
  std::size_t sequential_exceedances = 50;
  SecondaryRule secondary = SecondaryRule::kDisjoint;
};

struct Cluster {
  std::size_t centre = 0;          ///< area index of the centre
  double radius_km = 0;            ///< distance from the centre to the farthest included centroid
  std::vector<std::size_t> areas;  ///< area indices, nearest first
  std::size_t start = 0, end = 0;  ///< month indices, inclusive
  double observed = 0;
  double expected = 0;
  double relative_risk = 0;  ///< (c/E) / ((C-c)/(C-E)); infinity when c = C
  double llr = 0;
  double p_value = 1;              ///< by ScanOptions::p_value (see ScanResult::p_value_method)
  double p_value_monte_carlo = 1;  ///< rank / (replications run + 1)
  double p_value_gumbel = 1;       ///< Gumbel approximation (NaN with fewer than 2 replications)
};

/// Summary of the replication maxima (the null distribution of the scan statistic).
struct NullSummary {
  std::size_t count = 0;                                        ///< replications run
  double mean = 0, sd = 0;                                      ///< sd: population standard deviation (as SaTScan)
  double min = 0, q50 = 0, q90 = 0, q95 = 0, q99 = 0, max = 0;  ///< quantiles: type 7 (linear)
  double gumbel_mu = 0, gumbel_beta = 0;                        ///< method-of-moments Gumbel fit (beta = sd sqrt(6)/pi)
  /// LLRs a cluster needs for p = 0.05 / 0.01: Monte Carlo (SaTScan's critical
  /// values: the ceil((R+1) x level)-th largest maximum) and Gumbel.
  double critical_05 = 0, critical_01 = 0;
  double gumbel_critical_05 = 0, gumbel_critical_01 = 0;
};

struct ScanResult {
  std::vector<Cluster> clusters;     ///< primary first, then secondary, in decreasing LLR
  std::vector<double> null_max_llr;  ///< maximum LLR of each replication run, in replication order
  NullSummary null_summary;          ///< summary of null_max_llr
  PValueMethod p_value_method = PValueMethod::kMonteCarlo;
  std::size_t replications_requested = 0;
  bool stopped_early = false;  ///< sequential Monte Carlo stopped before the requested replications
  double total = 0;            ///< C
  std::size_t circles = 0;     ///< spatial windows scanned (distinct circles)
  std::size_t windows = 0;     ///< space-time windows per replication
};

/// Poisson log-likelihood ratio of a high-rate window (0 unless c > E).
/// c observed inside, E expected inside, C total (E < C).
double poisson_llr(double c, double e, double total);

/// Runs the scan. Error(kBadInput) when sizes disagree, counts are negative,
/// the Poisson model lacks a positive population for some area or a centroid
/// is invalid; Error(kUsage) for options out of range, or when the circles
/// (neighbour-list entries) would exceed 40 million (give a radius).
ScanResult space_time_scan(const ScanData& data, const ScanOptions& options);

/// The straightforward implementation of the same statistic for comparison
/// (bench, tests): every window re-summed from the cells; same windows, same
/// null replications, so the same maxima. Returns the observed maximum LLR and
/// the null maxima.
ScanResult space_time_scan_naive(const ScanData& data, const ScanOptions& options);

/// Today's algorithm before the pruned replications (every window of every
/// circle, per-window logarithm bound only), kept for comparison (bench, tests):
/// same circles and replications, so the same results, slower.
ScanResult space_time_scan_reference(const ScanData& data, const ScanOptions& options);

/// Observed, expected and LLR of one space-time window (areas, months
/// [start, end] inclusive) under the model of `options`, on `data`: to score a
/// cluster another tool reported. Error(kBadInput) for an area or month out of range.
struct WindowScore {
  double observed = 0, expected = 0, llr = 0, relative_risk = 0;
};
WindowScore score_window(const ScanData& data, const ScanOptions& options, const std::vector<std::size_t>& areas,
                         std::size_t start, std::size_t end);

/// Summary of replication maxima (see NullSummary).
NullSummary summarise_null(const std::vector<double>& maxima);
/// Gumbel-approximated p-value of `llr` given the replication maxima (SaTScan's
/// formula); NaN with fewer than 2 maxima or zero variance.
double gumbel_p_value(double llr, const std::vector<double>& maxima);

/// The files that reproduce a scan in SaTScan 10.x (text of each; the caller
/// writes them into one directory under the given names).
struct SatscanExportInput {
  std::vector<std::string> area_ids;  ///< one per area, no whitespace
  int start_year = 2000;              ///< month 0 of the data
  int start_month = 1;                ///< 1-12
  std::string case_file = "cases.cas";
  std::string coordinates_file = "coordinates.geo";
  std::string population_file = "population.pop";  ///< Poisson model only
  std::string results_file = "results.txt";
};
struct SatscanFiles {
  std::string cases;        ///< "<area id> <count> <YYYY/MM>" per non-zero cell
  std::string coordinates;  ///< "<area id> <lat> <lon>" (CoordinatesType=1)
  std::string population;   ///< "<area id> <year> <population>"; empty for the permutation model
  std::string parameters;   ///< the .prm file (INI) with the same analysis
};
/// Error(kBadInput) when ids are missing, empty, contain whitespace or repeat,
/// or the data are invalid; Error(kUsage) when an option has no SaTScan
/// equivalent (sequential with a threshold SaTScan cannot take).
SatscanFiles satscan_export(const ScanData& data, const ScanOptions& options, const SatscanExportInput& input);

}  // namespace endstate::threat
