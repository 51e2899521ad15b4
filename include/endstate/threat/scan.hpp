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
// P-values: Monte Carlo, p = rank / (R + 1) where rank = 1 + the number of
// replications whose maximum LLR is >= the observed one. Replication r uses
// Rng(seed, r + 1), replications run in parallel and are reduced in
// replication order: results are identical for any thread count.
// Secondary clusters: the best window of every circle, in decreasing LLR,
// keeping those that share no area with a cluster already reported; each is
// compared with the same distribution of maxima (conservative).
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
std::string_view model_name(ScanModel m);  ///< "poisson", "permutation"
std::string_view mode_name(ScanMode m);    ///< "retrospective", "prospective"

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
  double max_population_share = 0.5;  ///< of P (Poisson) or of C (permutation); in (0, 1]
  std::optional<double> max_radius_km;  ///< also cap circles by radius when given
  std::size_t max_months = 12;       ///< longest temporal window (>= 1)
  std::size_t replications = 999;
  std::uint64_t seed = 1;
  std::size_t threads = 1;           ///< 0 = hardware concurrency
  std::size_t max_clusters = 10;     ///< most (primary + secondary) clusters reported
  double report_p = 1.0;             ///< report only clusters with p <= this
};

struct Cluster {
  std::size_t centre = 0;           ///< area index of the centre
  double radius_km = 0;             ///< distance from the centre to the farthest included centroid
  std::vector<std::size_t> areas;   ///< area indices, nearest first
  std::size_t start = 0, end = 0;   ///< month indices, inclusive
  double observed = 0;
  double expected = 0;
  double relative_risk = 0;         ///< (c/E) / ((C-c)/(C-E)); infinity when c = C
  double llr = 0;
  double p_value = 1;
};

struct ScanResult {
  std::vector<Cluster> clusters;   ///< primary first, then secondary, in decreasing LLR
  std::vector<double> null_max_llr;  ///< maximum LLR of each replication, in replication order
  double total = 0;                ///< C
  std::size_t circles = 0;         ///< spatial windows scanned
  std::size_t windows = 0;         ///< space-time windows per replication
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

}  // namespace endstate::threat
