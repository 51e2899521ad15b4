// Kulldorff's space-time scan statistic; see include/endstate/threat/scan.hpp
// for the method, the references and the choices made.
#include "endstate/threat/scan.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>
#include <mutex>
#include <numbers>
#include <optional>
#include <system_error>
#include <thread>

#include "endstate/core/error.hpp"
#include "endstate/core/progress.hpp"
#include "endstate/core/rng.hpp"

namespace endstate::threat {

std::string_view model_name(ScanModel m) { return m == ScanModel::kPoisson ? "poisson" : "permutation"; }
std::string_view mode_name(ScanMode m) { return m == ScanMode::kRetrospective ? "retrospective" : "prospective"; }
std::string_view p_value_method_name(PValueMethod m) {
  switch (m) {
    case PValueMethod::kMonteCarlo:
      return "montecarlo";
    case PValueMethod::kSequential:
      return "sequential";
    case PValueMethod::kGumbel:
      return "gumbel";
  }
  return "montecarlo";
}
std::string_view secondary_rule_name(SecondaryRule r) { return r == SecondaryRule::kDisjoint ? "disjoint" : "satscan"; }

double poisson_llr(double c, double e, double total) {
  if (!(c > e) || !(e > 0)) return 0.0;
  double llr = c * std::log(c / e);
  const double rest = total - c;
  if (rest > 0) llr += rest * std::log(rest / (total - e));
  return llr;
}

namespace {

/// Largest number of circles (neighbour-list entries, 12 bytes each) scanned.
constexpr std::size_t kMaxCircles = 40'000'000;

/// Everything that does not change between the observed data and the null
/// replications: circles, temporal windows, expected-count factors.
struct Prepared {
  std::size_t n = 0, T = 0;
  std::size_t t_lo = 0;  ///< first month any window can touch
  std::size_t tm = 0;    ///< T - t_lo
  std::size_t L = 0;     ///< longest window (months)
  bool prospective = false;
  double total = 0;      ///< C
  double min_cases = 1;  ///< fewest cases in a scored window
  std::vector<LatLon> centroids;
  std::vector<double> month_totals;       ///< C_t, all months
  std::vector<std::int64_t> area_totals;  ///< C_z
  std::vector<double> share;              ///< w_z / W (population or count share)
  // neighbours of centre i: nb_idx[nb_off[i] .. nb_off[i+1]), nearest first
  std::vector<std::size_t> nb_off;
  std::vector<std::uint32_t> nb_idx;
  std::vector<double> nb_dist;
  // circles of centre i: the first circ_k[c] neighbours, c in [circ_off[i], circ_off[i+1]), increasing
  std::vector<std::size_t> circ_off;
  std::vector<std::uint32_t> circ_k;
  // pruned replications (permutation model): only the cells with cases, and
  // the circles that differ in them (evaluate after the first sc_eval[.] cells)
  bool compressed = false;
  std::vector<std::size_t> sc_off, se_off;
  std::vector<std::uint32_t> sc_idx, sc_eval;
  // temporal windows, months relative to t_lo: [t1, t2p1)
  std::vector<double> pre;  ///< prefix sums of C_t over the scanned months
  std::vector<std::uint32_t> w_t1, w_t2p1;
  std::vector<double> w_b;  ///< sum of C_t over the window
};

void validate(const ScanData& d, const ScanOptions& o) {
  const std::size_t n = d.centroids.size();
  if (n == 0) throw bad_input("the scan needs at least one area");
  if (n > std::numeric_limits<std::uint32_t>::max()) throw bad_input("too many areas for the scan");
  if (d.months == 0) throw bad_input("the scan needs at least one month");
  if (d.counts.size() != n * d.months)
    throw bad_input("counts have " + std::to_string(d.counts.size()) + " cells, expected " + std::to_string(n) +
                    " areas x " + std::to_string(d.months) + " months");
  for (std::size_t i = 0; i < n; ++i)
    if (!d.centroids[i].valid()) throw bad_input("area " + std::to_string(i) + " has an invalid centroid");
  for (std::size_t k = 0; k < d.counts.size(); ++k)
    if (d.counts[k] < 0)
      throw bad_input("negative count at area " + std::to_string(k / d.months) + ", month " +
                      std::to_string(k % d.months));
  if (o.model == ScanModel::kPoisson) {
    if (d.population.size() != n)
      throw bad_input("the Poisson model needs a population for every area (" + std::to_string(d.population.size()) +
                      " of " + std::to_string(n) + "); use the permutation model");
    for (std::size_t i = 0; i < n; ++i)
      if (!(d.population[i] > 0) || !std::isfinite(d.population[i]))
        throw bad_input("area " + std::to_string(i) + " has no positive population; the Poisson model needs one");
  }
  if (!(o.max_population_share > 0 && o.max_population_share <= 1)) throw usage_error("--max-share must be in (0, 1]");
  if (o.max_radius_km && !(*o.max_radius_km >= 0)) throw usage_error("--max-radius-km must be >= 0");
  if (o.max_months == 0) throw usage_error("--max-months must be >= 1");
  if (!(o.tie_tolerance_km >= 0)) throw usage_error("the tie tolerance must be >= 0 km");
  if (o.min_cases < 1) throw usage_error("--min-cases must be >= 1");
  if (o.p_value == PValueMethod::kSequential && o.sequential_exceedances == 0)
    throw usage_error("--sequential-exceedances must be >= 1");
}

/// Month totals, area totals and circle weights (population or counts) of the data.
void totals(const ScanData& d, const ScanOptions& o, Prepared& p, std::vector<double>& w, double& W) {
  p.n = d.centroids.size();
  p.T = d.months;
  p.month_totals.assign(p.T, 0.0);
  p.area_totals.assign(p.n, 0);
  for (std::size_t z = 0; z < p.n; ++z)
    for (std::size_t t = 0; t < p.T; ++t) {
      const auto c = d.counts[z * p.T + t];
      p.month_totals[t] += static_cast<double>(c);
      p.area_totals[z] += c;
    }
  p.total = 0;
  for (double c : p.month_totals) p.total += c;
  w.assign(p.n, 0.0);
  W = 0;
  for (std::size_t z = 0; z < p.n; ++z) {
    w[z] = o.model == ScanModel::kPoisson ? d.population[z] : static_cast<double>(p.area_totals[z]);
    W += w[z];
  }
  p.share.assign(p.n, 0.0);
  if (W > 0)
    for (std::size_t z = 0; z < p.n; ++z) p.share[z] = w[z] / W;
}

Prepared prepare(const ScanData& d, const ScanOptions& o) {
  validate(d, o);
  Prepared p;
  std::vector<double> w;
  double W = 0;
  totals(d, o, p, w, W);
  p.centroids = d.centroids;
  p.min_cases = static_cast<double>(o.min_cases);
  p.L = std::min(o.max_months, p.T);
  p.prospective = o.mode == ScanMode::kProspective;
  p.t_lo = p.prospective ? p.T - p.L : 0;
  p.tm = p.T - p.t_lo;
  const double limit = o.max_population_share * W * (1 + 1e-12);

  // neighbours: candidates in a latitude band when a radius is given
  std::vector<std::uint32_t> by_lat(p.n);
  for (std::size_t i = 0; i < p.n; ++i) by_lat[i] = static_cast<std::uint32_t>(i);
  std::sort(by_lat.begin(), by_lat.end(), [&](std::uint32_t a, std::uint32_t b) {
    return d.centroids[a].lat < d.centroids[b].lat || (d.centroids[a].lat == d.centroids[b].lat && a < b);
  });
  std::vector<double> lats(p.n);
  for (std::size_t i = 0; i < p.n; ++i) lats[i] = d.centroids[by_lat[i]].lat;
  const double band_deg = o.max_radius_km ? *o.max_radius_km / (kEarthRadiusKm * std::numbers::pi / 180.0) + 1e-9 : 1e9;
  p.compressed = o.model == ScanModel::kPermutation;
  p.nb_off.assign(1, 0);
  p.circ_off.assign(1, 0);
  p.sc_off.assign(1, 0);
  p.se_off.assign(1, 0);
  std::vector<std::pair<double, std::uint32_t>> cand;
  for (std::size_t i = 0; i < p.n; ++i) {
    cand.clear();
    const double lat = d.centroids[i].lat;
    const auto lo = std::lower_bound(lats.begin(), lats.end(), lat - band_deg) - lats.begin();
    const auto hi = std::upper_bound(lats.begin(), lats.end(), lat + band_deg) - lats.begin();
    for (auto k = lo; k < hi; ++k) {
      const std::uint32_t z = by_lat[static_cast<std::size_t>(k)];
      const double dist = z == i ? 0.0 : great_circle_km(d.centroids[i], d.centroids[z]);
      if (o.max_radius_km && dist > *o.max_radius_km) continue;
      cand.emplace_back(dist, z);
    }
    std::sort(cand.begin(), cand.end(), [i](const auto& a, const auto& b) {
      // the centre first, then by distance, ties by index
      if ((a.second == i) != (b.second == i)) return a.second == i;
      return a.first < b.first || (a.first == b.first && a.second < b.second);
    });
    // circles: groups of equidistant cells (or single cells) while within the limit
    double acc = 0;
    std::size_t in_circle = 0, with_cases = 0, last_eval = 0;
    for (std::size_t g = 0; g < cand.size();) {
      std::size_t h = g + 1;
      if (o.group_equidistant)
        while (h < cand.size() && cand[h].first - cand[g].first <= o.tie_tolerance_km) ++h;
      double gw = 0;
      for (std::size_t k = g; k < h; ++k) gw += w[cand[k].second];
      acc += gw;
      if (acc > limit) break;
      for (std::size_t k = g; k < h; ++k) {
        p.nb_idx.push_back(cand[k].second);
        p.nb_dist.push_back(cand[k].first);
        if (p.compressed && p.area_totals[cand[k].second] > 0) {
          p.sc_idx.push_back(cand[k].second);
          ++with_cases;
        }
      }
      in_circle += h - g;
      p.circ_k.push_back(static_cast<std::uint32_t>(in_circle));
      if (p.compressed && with_cases > last_eval) {
        p.sc_eval.push_back(static_cast<std::uint32_t>(with_cases));
        last_eval = with_cases;
      }
      g = h;
    }
    p.nb_off.push_back(p.nb_idx.size());
    p.circ_off.push_back(p.circ_k.size());
    p.sc_off.push_back(p.sc_idx.size());
    p.se_off.push_back(p.sc_eval.size());
    if (p.nb_idx.size() > kMaxCircles)
      throw usage_error("more than " + std::to_string(kMaxCircles) + " circles (" + std::to_string(p.n) +
                        " areas with circles up to " + std::to_string(o.max_population_share) +
                        " of the population): give --max-radius-km or a smaller --max-share");
  }

  // temporal windows
  p.pre.assign(p.tm + 1, 0.0);
  for (std::size_t t = 0; t < p.tm; ++t) p.pre[t + 1] = p.pre[t] + p.month_totals[p.t_lo + t];
  for (std::size_t t2 = 0; t2 < p.tm; ++t2) {
    if (p.prospective && t2 + 1 != p.tm) continue;
    for (std::size_t len = 1; len <= p.L && len <= t2 + 1; ++len) {
      const std::size_t t1 = t2 + 1 - len;
      p.w_t1.push_back(static_cast<std::uint32_t>(t1));
      p.w_t2p1.push_back(static_cast<std::uint32_t>(t2 + 1));
      p.w_b.push_back(p.pre[t2 + 1] - p.pre[t1]);
    }
  }
  return p;
}

/// Best window of one circle (observed data only).
struct CircleBest {
  double llr = 0;
  std::uint32_t centre = 0;
  std::uint32_t k = 0;  ///< number of areas
  std::uint32_t window = 0;
};

/// Skip the logarithm of a window unless c log(c/E) (>= its LLR) can beat the
/// maximum so far: E < c exp(-max/c). The relative slack keeps rounding from
/// ever skipping a window whose computed LLR would be larger.
constexpr double kBoundSlack = 1e-10;

/// exp(-m / c), cached per integer count c for the current maximum m.
class InvExpCache {
 public:
  double get(double c, double m) {
    const auto k = static_cast<std::size_t>(c);
    if (k >= kCache) return std::exp(-m / c) * (1 + kBoundSlack);
    if (stamp_[k] != version_) {
      stamp_[k] = version_;
      cache_[k] = std::exp(-m / c) * (1 + kBoundSlack);
    }
    return cache_[k];
  }
  void invalidate() { ++version_; }

 private:
  static constexpr std::size_t kCache = 4096;
  std::vector<double> cache_ = std::vector<double>(kCache, 0.0);
  std::vector<std::uint64_t> stamp_ = std::vector<std::uint64_t>(kCache, 0);
  std::uint64_t version_ = 1;
};

/// The reference scan (the algorithm before pruning): every window of every
/// circle. Maximum LLR over all windows of `x` (n x tm counts, months from
/// t_lo); when `best` is given, records the best window of every circle with
/// LLR > 0 (the observed scan).
class Scanner {
 public:
  explicit Scanner(const Prepared& p) : p_(p), rowpre_(p.n * (p.tm + 1)), cum_(p.tm + 1) {}

  double run(const std::vector<std::int32_t>& x, std::vector<CircleBest>* best) {
    const std::size_t stride = p_.tm + 1;
    for (std::size_t z = 0; z < p_.n; ++z) {
      double* r = &rowpre_[z * stride];
      const std::int32_t* xr = &x[z * p_.tm];
      r[0] = 0;
      for (std::size_t t = 0; t < p_.tm; ++t) r[t + 1] = r[t] + xr[t];
    }
    const double C = p_.total;
    const double mc = p_.min_cases;
    const std::size_t nw = p_.w_b.size();
    const std::uint32_t* t1 = p_.w_t1.data();
    const std::uint32_t* t2 = p_.w_t2p1.data();
    const double* B = p_.w_b.data();
    double global = 0;
    cache_.invalidate();
    for (std::size_t i = 0; i < p_.n; ++i) {
      std::fill(cum_.begin(), cum_.end(), 0.0);
      double a = 0;
      std::size_t ci = p_.circ_off[i];
      for (std::size_t k = p_.nb_off[i]; k < p_.nb_off[i + 1]; ++k) {
        const std::size_t z = p_.nb_idx[k];
        const double* r = &rowpre_[z * stride];
        for (std::size_t t = 0; t < stride; ++t) cum_[t] += r[t];
        a += p_.share[z];
        if (k + 1 - p_.nb_off[i] != p_.circ_k[ci]) continue;  // inside a group of equidistant cells
        ++ci;
        if (!best) {
          for (std::size_t w = 0; w < nw; ++w) {
            const double c = cum_[t2[w]] - cum_[t1[w]];
            const double e = a * B[w];
            if (c <= e || c < mc) continue;
            if (e >= c * cache_.get(c, global)) continue;
            const double llr = poisson_llr(c, e, C);
            if (llr > global) {
              global = llr;
              cache_.invalidate();
            }
          }
          continue;
        }
        double circle_best = 0;
        std::uint32_t circle_w = 0;
        for (std::size_t w = 0; w < nw; ++w) {
          const double c = cum_[t2[w]] - cum_[t1[w]];
          const double e = a * B[w];
          if (c <= e || c < mc) continue;  // only high-rate windows
          const double llr = poisson_llr(c, e, C);
          if (llr > circle_best) {
            circle_best = llr;
            circle_w = static_cast<std::uint32_t>(w);
          }
        }
        if (circle_best > global) global = circle_best;
        if (circle_best > 0)
          best->push_back(
              {circle_best, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(k - p_.nb_off[i] + 1), circle_w});
      }
    }
    return global;
  }

 private:
  const Prepared& p_;
  std::vector<double> rowpre_;
  std::vector<double> cum_;
  InvExpCache cache_;
};

/// The replication scan: the maximum LLR only, the same value as Scanner::run
/// (see the header): circles that differ only in cells without cases are
/// skipped; windows start and end in months with cases in the circle; a
/// circle whose bound LLR(S, a S) cannot beat the running maximum is skipped;
/// and a grown circle only scores the windows that hold a month with cases of
/// the cells just added: any other window has the same count as in the smaller
/// circle and a larger expectation, so a lower LLR, already below the maximum.
class PrunedScanner {
 public:
  explicit PrunedScanner(const Prepared& p)
      : p_(p),
        col_(p.tm, 0),
        bits_((p.tm + 63) / 64, 0),
        new_bits_((p.tm + 63) / 64, 0),
        pos_(p.tm, 0),
        ev_start_(p.n + 1, 0),
        thr_(static_cast<std::size_t>(p.total) + 1, 0.0),
        stamp_(static_cast<std::size_t>(p.total) + 1, 0) {
    if (p.compressed) {
      cells_ = p.sc_idx.data(), cell_off_ = p.sc_off.data();
      evals_ = p.sc_eval.data(), eval_off_ = p.se_off.data();
    } else {
      cells_ = p.nb_idx.data(), cell_off_ = p.nb_off.data();
      evals_ = p.circ_k.data(), eval_off_ = p.circ_off.data();
    }
    months_.reserve(p.tm);
    cc_.reserve(p.tm + 1);
    fresh_.reserve(p.tm);
  }

  double run(const std::vector<std::int32_t>& x) {
    // the cases of each cell as (month, count) lists
    ev_t_.clear();
    ev_c_.clear();
    for (std::size_t z = 0; z < p_.n; ++z) {
      if (!p_.compressed || p_.area_totals[z] > 0) {
        const std::int32_t* xr = &x[z * p_.tm];
        for (std::size_t t = 0; t < p_.tm; ++t)
          if (xr[t] != 0) {
            ev_t_.push_back(static_cast<std::uint32_t>(t));
            ev_c_.push_back(xr[t]);
          }
      }
      ev_start_[z + 1] = ev_t_.size();
    }
    max_ = 0;
    ++version_;
    for (std::size_t i = 0; i < p_.n; ++i) {
      double a = 0;
      std::int64_t S = 0;
      std::size_t e = eval_off_[i];
      const std::size_t e_end = eval_off_[i + 1];
      const std::size_t off = cell_off_[i];
      for (std::size_t j = off; j < cell_off_[i + 1] && e < e_end; ++j) {
        const std::size_t z = cells_[j];
        a += p_.share[z];
        for (std::size_t q = ev_start_[z]; q < ev_start_[z + 1]; ++q) {
          const std::uint32_t t = ev_t_[q];
          col_[t] += ev_c_[q];
          bits_[t >> 6] |= std::uint64_t{1} << (t & 63);
          new_bits_[t >> 6] |= std::uint64_t{1} << (t & 63);
          S += ev_c_[q];
        }
        if (j + 1 - off != evals_[e]) continue;
        ++e;
        evaluate(a, S);
      }
      // clear the months this centre touched
      for (std::size_t wd = 0; wd < bits_.size(); ++wd) {
        for (std::uint64_t b = bits_[wd]; b != 0; b &= b - 1)
          col_[wd * 64 + static_cast<std::size_t>(std::countr_zero(b))] = 0;
        bits_[wd] = 0;
        new_bits_[wd] = 0;
      }
    }
    return max_;
  }

 private:
  /// The largest E with c log(c/E) <= the maximum, i.e. c exp(-max/c) (with a
  /// relative slack so rounding never skips a better window); 0 below min_cases.
  double threshold(std::int64_t c) {
    const auto k = static_cast<std::size_t>(c);
    if (stamp_[k] != version_) {
      stamp_[k] = version_;
      const double cd = static_cast<double>(c);
      thr_[k] = cd < p_.min_cases ? 0.0 : cd * std::exp(-max_ / cd) * (1 + kBoundSlack);
    }
    return thr_[k];
  }

  void consider(std::int64_t c, double e) {
    if (!(e < threshold(c))) return;
    const double cd = static_cast<double>(c);
    if (cd <= e) return;
    const double llr = poisson_llr(cd, e, p_.total);
    if (llr > max_) {
      max_ = llr;
      ++version_;
    }
  }

  void evaluate(double a, std::int64_t S) {
    // the months with cases of the cells added since the last circle
    fresh_.clear();
    for (std::size_t wd = 0; wd < new_bits_.size(); ++wd) {
      for (std::uint64_t b = new_bits_[wd]; b != 0; b &= b - 1)
        fresh_.push_back(static_cast<std::uint32_t>(wd * 64 + static_cast<std::size_t>(std::countr_zero(b))));
      new_bits_[wd] = 0;
    }
    if (fresh_.empty()) return;
    // LLR(S, a S) bounds every window (E = a B >= a c; LLR falls with E and
    // LLR(c, a c) rises with c)
    const double s_d = static_cast<double>(S);
    if (s_d < p_.min_cases || !(poisson_llr(s_d, a * s_d, p_.total) * (1 + kBoundSlack) + kBoundSlack > max_)) return;
    months_.clear();
    cc_.assign(1, 0);
    for (std::size_t wd = 0; wd < bits_.size(); ++wd)
      for (std::uint64_t b = bits_[wd]; b != 0; b &= b - 1) {
        const auto t = static_cast<std::uint32_t>(wd * 64 + static_cast<std::size_t>(std::countr_zero(b)));
        pos_[t] = static_cast<std::uint32_t>(months_.size());
        months_.push_back(t);
        cc_.push_back(cc_.back() + col_[t]);
      }
    const std::size_t ne = months_.size();
    const double* pre = p_.pre.data();
    const std::uint32_t* ev = months_.data();
    const std::int64_t* cc = cc_.data();
    if (p_.prospective) {  // windows [s, tm - 1] holding a fresh month: s <= the last fresh month
      const double end = pre[p_.tm];
      const std::uint32_t last = fresh_.back();
      for (std::size_t si = 0; si < ne && ev[si] <= last; ++si) consider(cc[ne] - cc[si], a * (end - pre[ev[si]]));
      return;
    }
    const std::uint32_t L = static_cast<std::uint32_t>(p_.L);
    // windows [s, u], s and u months with cases, u - s < L, holding a fresh
    // month: the first fresh month f >= s must satisfy f - s < L, and u >= f
    // (E rises with u: once E reaches the threshold of the most cases any
    // window from s holds, no later u can beat the maximum)
    std::size_t fi = 0, hi = 0;
    for (std::size_t si = 0; si < ne; ++si) {
      const std::uint32_t s = ev[si];
      while (fi < fresh_.size() && fresh_[fi] < s) ++fi;
      if (fi == fresh_.size()) break;
      const std::uint32_t f = fresh_[fi];
      if (f - s >= L) continue;
      hi = std::max(hi, si + 1);
      while (hi < ne && ev[hi] - s < L) ++hi;
      const double ps = pre[s];
      const std::int64_t cs = cc[si];
      const double cap = threshold(cc[hi] - cs);
      for (std::size_t ui = pos_[f]; ui < hi; ++ui) {
        const double e = a * (pre[ev[ui] + 1] - ps);
        if (!(e < cap)) break;
        consider(cc[ui + 1] - cs, e);
      }
    }
  }

  const Prepared& p_;
  const std::uint32_t* cells_ = nullptr;
  const std::size_t* cell_off_ = nullptr;
  const std::uint32_t* evals_ = nullptr;
  const std::size_t* eval_off_ = nullptr;
  std::vector<std::int64_t> col_;
  std::vector<std::uint64_t> bits_, new_bits_;
  std::vector<std::uint32_t> pos_;
  std::vector<std::size_t> ev_start_;
  std::vector<std::uint32_t> ev_t_;
  std::vector<std::int64_t> ev_c_;
  std::vector<std::uint32_t> months_, fresh_;
  std::vector<std::int64_t> cc_;
  std::vector<double> thr_;
  std::vector<std::uint64_t> stamp_;
  std::uint64_t version_ = 1;
  double max_ = 0;
};

/// The observed scan: the best window of every circle (LLR > 0), the same
/// circles, LLRs and windows as Scanner::run(x, &best), from the windows that
/// start and end in months with cases in the circle, scored in the reference's
/// order (end month ascending, then length ascending) so that ties resolve the
/// same way (the reference's first best window is such a window: trimming an
/// empty end month never lowers the LLR and comes earlier in that order). A
/// circle that added only cells without cases and no share (permutation model)
/// has the best window of the circle before it.
class ObservedScanner {
 public:
  explicit ObservedScanner(const Prepared& p)
      : p_(p),
        col_(p.tm, 0),
        bits_((p.tm + 63) / 64, 0),
        thr_(static_cast<std::size_t>(p.total) + 1, 0.0),
        stamp_(static_cast<std::size_t>(p.total) + 1, 0),
        w_base_(p.tm, 0) {
    // window index of [t1, t2] in Prepared's list: t2 ascending, then length
    std::size_t w = 0;
    for (std::size_t t2 = 0; t2 < p.tm; ++t2) {
      if (p.prospective && t2 + 1 != p.tm) continue;
      w_base_[t2] = w;
      w += std::min(p.L, t2 + 1);
    }
  }

  double run(const std::vector<std::int32_t>& x, std::vector<CircleBest>& best) {
    double global = 0;
    for (std::size_t i = 0; i < p_.n; ++i) {
      double a = 0;
      bool changed = false;
      CircleBest last{0, static_cast<std::uint32_t>(i), 0, 0};
      std::size_t ci = p_.circ_off[i];
      for (std::size_t k = p_.nb_off[i]; k < p_.nb_off[i + 1]; ++k) {
        const std::size_t z = p_.nb_idx[k];
        if (p_.share[z] != 0) changed = true;
        a += p_.share[z];
        const std::int32_t* xr = &x[z * p_.tm];
        for (std::size_t t = 0; t < p_.tm; ++t) {
          if (xr[t] == 0) continue;
          col_[t] += xr[t];
          bits_[t >> 6] |= std::uint64_t{1} << (t & 63);
          changed = true;
        }
        if (k + 1 - p_.nb_off[i] != p_.circ_k[ci]) continue;
        ++ci;
        if (changed) last = evaluate(a, static_cast<std::uint32_t>(i));
        changed = false;
        last.k = static_cast<std::uint32_t>(k + 1 - p_.nb_off[i]);
        if (last.llr > 0) best.push_back(last);
        global = std::max(global, last.llr);
      }
      for (std::size_t wd = 0; wd < bits_.size(); ++wd) {
        for (std::uint64_t b = bits_[wd]; b != 0; b &= b - 1)
          col_[wd * 64 + static_cast<std::size_t>(std::countr_zero(b))] = 0;
        bits_[wd] = 0;
      }
    }
    return global;
  }

 private:
  double threshold(std::int64_t c, double m) {
    const auto k = static_cast<std::size_t>(c);
    if (stamp_[k] != version_) {
      stamp_[k] = version_;
      const double cd = static_cast<double>(c);
      thr_[k] = cd < p_.min_cases ? 0.0 : cd * std::exp(-m / cd) * (1 + kBoundSlack);
    }
    return thr_[k];
  }

  CircleBest evaluate(double a, std::uint32_t centre) {
    CircleBest b{0, centre, 0, 0};
    ++version_;
    months_.clear();
    cc_.assign(1, 0);
    for (std::size_t wd = 0; wd < bits_.size(); ++wd)
      for (std::uint64_t bb = bits_[wd]; bb != 0; bb &= bb - 1) {
        const auto t = static_cast<std::uint32_t>(wd * 64 + static_cast<std::size_t>(std::countr_zero(bb)));
        months_.push_back(t);
        cc_.push_back(cc_.back() + col_[t]);
      }
    const std::size_t ne = months_.size();
    const double* pre = p_.pre.data();
    const std::uint32_t* ev = months_.data();
    const std::int64_t* cc = cc_.data();
    auto score = [&](std::size_t si, std::size_t ui) {
      const std::int64_t c = cc[ui + 1] - cc[si];
      const std::uint32_t s = ev[si], u = p_.prospective ? static_cast<std::uint32_t>(p_.tm - 1) : ev[ui];
      const double e = a * (pre[u + 1] - pre[s]);
      // skip unless c log(c/E) (>= the LLR) beats the circle's best so far
      if (!(e < threshold(c, b.llr))) return;
      const double cd = static_cast<double>(c);
      if (cd <= e) return;
      const double llr = poisson_llr(cd, e, p_.total);
      if (llr > b.llr) {
        b.llr = llr;
        b.window = static_cast<std::uint32_t>(w_base_[u] + (u - s));
        ++version_;
      }
    };
    if (p_.prospective) {
      for (std::size_t si = ne; si-- > 0;) score(si, ne - 1);
      return b;
    }
    for (std::size_t ui = 0; ui < ne; ++ui)
      for (std::size_t si = ui + 1; si-- > 0 && ev[ui] - ev[si] < p_.L;) score(si, ui);
    return b;
  }

  const Prepared& p_;
  std::vector<std::int64_t> col_;
  std::vector<std::uint64_t> bits_;
  std::vector<std::uint32_t> months_;
  std::vector<std::int64_t> cc_;
  std::vector<double> thr_;
  std::vector<std::uint64_t> stamp_;
  std::uint64_t version_ = 1;
  std::vector<std::size_t> w_base_;
};

/// Vose's alias table for drawing areas in proportion to population.
class Alias {
 public:
  explicit Alias(const std::vector<double>& w) : prob_(w.size()), alias_(w.size()) {
    const std::size_t n = w.size();
    double sum = 0;
    for (double v : w) sum += v;
    std::vector<double> q(n);
    std::vector<std::uint32_t> small, large;
    for (std::size_t i = 0; i < n; ++i) {
      q[i] = w[i] * static_cast<double>(n) / sum;
      (q[i] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(i));
    }
    while (!small.empty() && !large.empty()) {
      const auto s = small.back();
      small.pop_back();
      const auto l = large.back();
      prob_[s] = q[s];
      alias_[s] = l;
      q[l] = (q[l] + q[s]) - 1.0;
      if (q[l] < 1.0) {
        large.pop_back();
        small.push_back(l);
      }
    }
    for (auto l : large) prob_[l] = 1.0, alias_[l] = l;
    for (auto s : small) prob_[s] = 1.0, alias_[s] = s;
  }
  std::size_t draw(Rng& rng) const {
    const double u = rng.uniform() * static_cast<double>(prob_.size());
    auto i = static_cast<std::size_t>(u);
    if (i >= prob_.size()) i = prob_.size() - 1;
    return (u - static_cast<double>(i)) < prob_[i] ? i : alias_[i];
  }

 private:
  std::vector<double> prob_;
  std::vector<std::uint32_t> alias_;
};

/// Null data generator: one replication's counts (n x tm, months from t_lo).
class NullSampler {
 public:
  NullSampler(const Prepared& p, const ScanData& d, ScanModel model)
      : p_(p), model_(model), alias_(model == ScanModel::kPoisson ? d.population : std::vector<double>{1.0}) {
    if (model == ScanModel::kPermutation) {
      // the case list: area of each case, and the month of each case
      for (std::size_t z = 0; z < p.n; ++z)
        for (std::int64_t c = 0; c < p.area_totals[z]; ++c) case_area_.push_back(static_cast<std::uint32_t>(z));
      for (std::size_t t = 0; t < p.T; ++t)
        for (std::int64_t c = 0; c < static_cast<std::int64_t>(p.month_totals[t]); ++c)
          case_month_.push_back(static_cast<std::uint32_t>(t));
    }
  }

  void draw(Rng& rng, std::vector<std::int32_t>& x, std::vector<std::uint32_t>& scratch) const {
    x.assign(p_.n * p_.tm, 0);
    if (model_ == ScanModel::kPoisson) {
      for (std::size_t t = p_.t_lo; t < p_.T; ++t) {
        const auto ct = static_cast<std::int64_t>(p_.month_totals[t]);
        const std::size_t col = t - p_.t_lo;
        for (std::int64_t c = 0; c < ct; ++c) ++x[alias_.draw(rng) * p_.tm + col];
      }
      return;
    }
    scratch = case_month_;
    for (std::size_t i = scratch.size(); i > 1; --i) {
      const auto j = static_cast<std::size_t>(rng.below(i));
      std::swap(scratch[i - 1], scratch[j]);
    }
    for (std::size_t k = 0; k < scratch.size(); ++k) {
      const std::size_t t = scratch[k];
      if (t >= p_.t_lo) ++x[case_area_[k] * p_.tm + (t - p_.t_lo)];
    }
  }

 private:
  const Prepared& p_;
  ScanModel model_;
  Alias alias_;
  std::vector<std::uint32_t> case_area_, case_month_;
};

std::vector<std::int32_t> observed_matrix(const Prepared& p, const ScanData& d) {
  std::vector<std::int32_t> x(p.n * p.tm);
  for (std::size_t z = 0; z < p.n; ++z)
    for (std::size_t t = 0; t < p.tm; ++t) {
      const auto v = d.counts[z * p.T + p.t_lo + t];
      if (v > std::numeric_limits<std::int32_t>::max()) throw bad_input("a cell count exceeds 2^31 - 1");
      x[z * p.tm + t] = static_cast<std::int32_t>(v);
    }
  return x;
}

/// Runs `scan(x)` on the null replications in parallel; results in replication
/// order. With `stop_llr` (sequential Monte Carlo), stops after the first
/// replication l at which `h` replications reached stop_llr (decided in
/// replication order, so the same l for any thread count); returns maxima[0, l).
template <typename MakeScan>
std::vector<double> replicate(const Prepared& p, const ScanData& d, const ScanOptions& o, MakeScan make_scan,
                              std::optional<double> stop_llr) {
  const std::size_t R = o.replications;
  std::vector<double> maxima(R, 0.0);
  if (R == 0) return maxima;
  std::size_t threads = o.threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : o.threads;
  threads = std::min(threads, R);
  const NullSampler sampler(p, d, o.model);
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  std::atomic<std::size_t> limit{R};
  std::mutex mu;
  std::vector<char> finished(stop_llr ? R : 0, 0);
  std::size_t prefix = 0, exceed = 0;
  Progress progress("scan replications", static_cast<std::int64_t>(R));
  auto worker = [&](std::size_t id) {
    auto scan = make_scan();
    std::vector<std::int32_t> x;
    std::vector<std::uint32_t> scratch;
    for (;;) {
      const std::size_t r = next.fetch_add(1);
      if (r >= limit.load()) break;
      Rng rng(o.seed, r + 1);
      sampler.draw(rng, x, scratch);
      maxima[r] = scan(x);
      if (stop_llr) {
        const std::lock_guard<std::mutex> lock(mu);
        finished[r] = 1;
        while (prefix < limit.load() && finished[prefix]) {
          if (maxima[prefix] >= *stop_llr * (1 - 1e-12)) ++exceed;
          ++prefix;
          if (exceed >= o.sequential_exceedances) {
            limit.store(prefix);
            break;
          }
        }
      }
      const auto n_done = done.fetch_add(1) + 1;
      if (id == 0) progress.update(static_cast<std::int64_t>(n_done));
    }
  };
  std::vector<std::thread> pool;
  try {
    for (std::size_t k = 1; k < threads; ++k) pool.emplace_back(worker, k);
  } catch (const std::system_error& e) {
    // The system refused a thread (a process or memory limit): stop the
    // workers already started and say so (an environment error, not a crash).
    limit.store(0);
    for (auto& t : pool) t.join();
    throw environment_error("cannot start " + std::to_string(threads) + " worker threads (" + e.what() +
                            "); ask for fewer threads");
  }
  worker(0);
  for (auto& t : pool) t.join();
  progress.finish();
  maxima.resize(limit.load());
  return maxima;
}

std::size_t exceedances(double llr, const std::vector<double>& maxima) {
  std::size_t g = 0;
  for (double m : maxima)
    if (m >= llr * (1 - 1e-12)) ++g;
  return g;
}

Cluster make_cluster(const Prepared& p, const std::vector<std::int32_t>& x, const CircleBest& b) {
  Cluster c;
  c.centre = b.centre;
  const std::size_t off = p.nb_off[b.centre];
  c.radius_km = p.nb_dist[off + b.k - 1];
  double a = 0;
  const std::size_t t1 = p.w_t1[b.window], t2 = p.w_t2p1[b.window];
  double obs = 0;
  for (std::size_t k = 0; k < b.k; ++k) {
    const std::size_t z = p.nb_idx[off + k];
    c.areas.push_back(z);
    a += p.share[z];
    for (std::size_t t = t1; t < t2; ++t) obs += x[z * p.tm + t];
  }
  c.start = p.t_lo + t1;
  c.end = p.t_lo + t2 - 1;
  c.observed = obs;
  c.expected = a * p.w_b[b.window];
  c.llr = poisson_llr(c.observed, c.expected, p.total);
  const double out_rate = (p.total - c.observed) / (p.total - c.expected);
  c.relative_risk = out_rate > 0 ? (c.observed / c.expected) / out_rate : std::numeric_limits<double>::infinity();
  return c;
}

/// Candidates of SaTScan's rule: the best window of each centre (on equal LLR
/// fewer areas, then the earlier window), in decreasing LLR.
std::vector<CircleBest> best_per_centre(const Prepared& p, const std::vector<CircleBest>& best) {
  std::vector<CircleBest> per(p.n);
  std::vector<char> has(p.n, 0);
  for (const auto& b : best) {
    auto& cur = per[b.centre];
    if (!has[b.centre] || b.llr > cur.llr ||
        (b.llr == cur.llr && (b.k < cur.k || (b.k == cur.k && b.window < cur.window)))) {
      cur = b;
      has[b.centre] = 1;
    }
  }
  std::vector<CircleBest> out;
  for (std::size_t i = 0; i < p.n; ++i)
    if (has[i]) out.push_back(per[i]);
  std::sort(out.begin(), out.end(), [](const CircleBest& a, const CircleBest& b) {
    if (a.llr != b.llr) return a.llr > b.llr;
    if (a.k != b.k) return a.k < b.k;
    return a.centre < b.centre;
  });
  return out;
}

/// SaTScan's "no geographical overlap" test between two clusters (see the header).
bool satscan_overlap(const Prepared& p, const Cluster& a, const Cluster& b) {
  const double d = great_circle_km(p.centroids[a.centre], p.centroids[b.centre]);
  if (d > a.radius_km + b.radius_km + 1e-9) return false;  // the circles do not meet
  bool shared = false;
  for (auto z : a.areas) {
    if (std::find(b.areas.begin(), b.areas.end(), z) != b.areas.end()) {
      shared = true;
      break;
    }
  }
  if (!shared) return false;
  return !(a.end < b.start || b.end < a.start);  // disjoint months: no overlap (SaTScan 10.x)
}

ScanResult finish(const Prepared& p, const std::vector<std::int32_t>& x, std::vector<CircleBest> best,
                  std::vector<double> maxima, const ScanOptions& o) {
  ScanResult res;
  res.total = p.total;
  res.circles = p.circ_k.size();
  res.windows = p.circ_k.size() * p.w_b.size();
  res.p_value_method = o.p_value;
  res.replications_requested = o.replications;
  res.stopped_early = maxima.size() < o.replications;
  std::vector<CircleBest> cands;
  if (o.secondary == SecondaryRule::kSatscan) {
    cands = best_per_centre(p, best);
  } else {
    cands = std::move(best);
    std::sort(cands.begin(), cands.end(), [](const CircleBest& a, const CircleBest& b) {
      if (a.llr != b.llr) return a.llr > b.llr;
      if (a.centre != b.centre) return a.centre < b.centre;
      return a.k < b.k;
    });
  }
  const double h = static_cast<double>(o.sequential_exceedances);
  const double l = static_cast<double>(maxima.size());
  std::vector<char> used(p.n, 0);
  for (const auto& b : cands) {
    if (res.clusters.size() >= o.max_clusters) break;
    if (o.secondary == SecondaryRule::kDisjoint) {
      const std::size_t off = p.nb_off[b.centre];
      bool overlap = false;
      for (std::size_t k = 0; k < b.k && !overlap; ++k) overlap = used[p.nb_idx[off + k]] != 0;
      if (overlap) continue;
    }
    Cluster c = make_cluster(p, x, b);
    if (o.secondary == SecondaryRule::kSatscan) {
      bool overlap = false;
      for (const auto& r : res.clusters) overlap = overlap || satscan_overlap(p, r, c);
      if (overlap) continue;
    }
    const auto g = static_cast<double>(exceedances(b.llr, maxima));
    c.p_value_monte_carlo = (g + 1) / (l + 1);
    c.p_value_gumbel = gumbel_p_value(b.llr, maxima);
    switch (o.p_value) {
      case PValueMethod::kMonteCarlo:
        c.p_value = c.p_value_monte_carlo;
        break;
      case PValueMethod::kSequential:
        c.p_value = res.stopped_early && g >= h ? g / l : c.p_value_monte_carlo;
        break;
      case PValueMethod::kGumbel:
        c.p_value = std::isnan(c.p_value_gumbel) ? c.p_value_monte_carlo : c.p_value_gumbel;
        break;
    }
    if (c.p_value > o.report_p) break;  // later candidates have lower LLR, so higher p
    for (auto z : c.areas) used[z] = 1;
    res.clusters.push_back(std::move(c));
  }
  res.null_summary = summarise_null(maxima);
  res.null_max_llr = std::move(maxima);
  return res;
}

enum class Algorithm { kPruned, kReference };

ScanResult run_scan(const ScanData& data, const ScanOptions& options, Algorithm algorithm) {
  const Prepared p = prepare(data, options);
  const auto x = observed_matrix(p, data);
  std::vector<CircleBest> best;
  if (p.total <= 0) return finish(p, x, best, std::vector<double>(options.replications, 0.0), options);
  double observed_max = 0;
  if (algorithm == Algorithm::kPruned) {
    ObservedScanner obs(p);
    observed_max = obs.run(x, best);
  } else {
    Scanner obs(p);
    observed_max = obs.run(x, &best);
  }
  std::optional<double> stop;
  if (options.p_value == PValueMethod::kSequential && observed_max > 0) stop = observed_max;
  std::vector<double> maxima;
  if (algorithm == Algorithm::kPruned) {
    maxima = replicate(
        p, data, options,
        [&p] {
          return [scanner = PrunedScanner(p)](const std::vector<std::int32_t>& xs) mutable { return scanner.run(xs); };
        },
        stop);
  } else {
    maxima = replicate(
        p, data, options,
        [&p] {
          return
              [scanner = Scanner(p)](const std::vector<std::int32_t>& xs) mutable { return scanner.run(xs, nullptr); };
        },
        stop);
  }
  return finish(p, x, std::move(best), std::move(maxima), options);
}

double quantile7(const std::vector<double>& sorted, double q) {
  const double h = (static_cast<double>(sorted.size()) - 1) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

/// Mean and population variance (SaTScan's SimulationVariables).
std::pair<double, double> moments(const std::vector<double>& v) {
  double s = 0, s2 = 0;
  for (double x : v) s += x, s2 += x * x;
  const double n = static_cast<double>(v.size());
  const double mean = s / n;
  return {mean, std::max(0.0, s2 / n - mean * mean)};
}

constexpr double kEuler = 0.5772156649015329;

std::string fmt(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

bool has_space(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

}  // namespace

ScanResult space_time_scan(const ScanData& data, const ScanOptions& options) {
  return run_scan(data, options, Algorithm::kPruned);
}

ScanResult space_time_scan_reference(const ScanData& data, const ScanOptions& options) {
  return run_scan(data, options, Algorithm::kReference);
}

ScanResult space_time_scan_naive(const ScanData& data, const ScanOptions& options) {
  const Prepared p = prepare(data, options);
  const auto x = observed_matrix(p, data);
  // every window summed from the cells: observed c and expected mu_zt = share_z * C_t
  auto naive = [&p](const std::vector<std::int32_t>& xs, std::vector<CircleBest>* best) {
    double global = 0;
    for (std::size_t i = 0; i < p.n; ++i) {
      const std::size_t off = p.nb_off[i];
      for (std::size_t ci = p.circ_off[i]; ci < p.circ_off[i + 1]; ++ci) {
        const std::size_t k = p.circ_k[ci];
        CircleBest cb{0, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(k), 0};
        for (std::size_t w = 0; w < p.w_b.size(); ++w) {
          double c = 0, e = 0;
          for (std::size_t j = 0; j < k; ++j) {
            const std::size_t z = p.nb_idx[off + j];
            for (std::size_t t = p.w_t1[w]; t < p.w_t2p1[w]; ++t) {
              c += xs[z * p.tm + t];
              e += p.share[z] * p.month_totals[p.t_lo + t];
            }
          }
          if (c < p.min_cases) continue;
          const double llr = poisson_llr(c, e, p.total);
          if (llr > cb.llr) cb.llr = llr, cb.window = static_cast<std::uint32_t>(w);
        }
        global = std::max(global, cb.llr);
        if (best && cb.llr > 0) best->push_back(cb);
      }
    }
    return global;
  };
  std::vector<CircleBest> best;
  if (p.total <= 0) return finish(p, x, best, std::vector<double>(options.replications, 0.0), options);
  const double observed_max = naive(x, &best);
  std::optional<double> stop;
  if (options.p_value == PValueMethod::kSequential && observed_max > 0) stop = observed_max;
  auto maxima = replicate(
      p, data, options,
      [&naive] { return [&naive](const std::vector<std::int32_t>& xs) { return naive(xs, nullptr); }; }, stop);
  return finish(p, x, std::move(best), std::move(maxima), options);
}

WindowScore score_window(const ScanData& data, const ScanOptions& options, const std::vector<std::size_t>& areas,
                         std::size_t start, std::size_t end) {
  validate(data, options);
  Prepared p;
  std::vector<double> w;
  double W = 0;
  totals(data, options, p, w, W);
  if (start > end || end >= p.T)
    throw bad_input("window months " + std::to_string(start) + ".." + std::to_string(end) + " are not within 0.." +
                    std::to_string(p.T - 1));
  WindowScore s;
  double a = 0, B = 0;
  for (auto z : areas) {
    if (z >= p.n)
      throw bad_input("window area " + std::to_string(z) + " does not exist (" + std::to_string(p.n) + " areas)");
    a += p.share[z];
    for (std::size_t t = start; t <= end; ++t) s.observed += static_cast<double>(data.counts[z * p.T + t]);
  }
  for (std::size_t t = start; t <= end; ++t) B += p.month_totals[t];
  s.expected = a * B;
  s.llr = poisson_llr(s.observed, s.expected, p.total);
  const double out_rate = (p.total - s.observed) / (p.total - s.expected);
  s.relative_risk = out_rate > 0 ? (s.observed / s.expected) / out_rate : std::numeric_limits<double>::infinity();
  return s;
}

double gumbel_p_value(double llr, const std::vector<double>& maxima) {
  if (maxima.size() < 2) return std::numeric_limits<double>::quiet_NaN();
  const auto [mean, var] = moments(maxima);
  if (!(var > 0)) return std::numeric_limits<double>::quiet_NaN();
  const double beta = std::sqrt(var) * std::sqrt(6.0) / std::numbers::pi;
  const double mu = mean - kEuler * beta;
  return 1 - std::exp(-std::exp((mu - llr) / beta));
}

NullSummary summarise_null(const std::vector<double>& maxima) {
  NullSummary s;
  s.count = maxima.size();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (maxima.empty()) {
    s.mean = s.sd = s.min = s.q50 = s.q90 = s.q95 = s.q99 = s.max = nan;
    s.gumbel_mu = s.gumbel_beta = s.critical_05 = s.critical_01 = s.gumbel_critical_05 = s.gumbel_critical_01 = nan;
    return s;
  }
  std::vector<double> v = maxima;
  std::sort(v.begin(), v.end());
  const auto [mean, var] = moments(v);
  s.mean = mean;
  s.sd = std::sqrt(var);
  s.min = v.front();
  s.max = v.back();
  s.q50 = quantile7(v, 0.5);
  s.q90 = quantile7(v, 0.9);
  s.q95 = quantile7(v, 0.95);
  s.q99 = quantile7(v, 0.99);
  s.gumbel_beta = s.sd * std::sqrt(6.0) / std::numbers::pi;
  s.gumbel_mu = mean - kEuler * s.gumbel_beta;
  auto mc_critical = [&](double level) {
    // the k-th largest maximum, k = floor((R + 1) level): an LLR above it has p <= level
    const auto k = static_cast<std::size_t>(std::floor(static_cast<double>(v.size() + 1) * level + 1e-9));
    return k >= 1 && k <= v.size() ? v[v.size() - k] : nan;
  };
  s.critical_05 = mc_critical(0.05);
  s.critical_01 = mc_critical(0.01);
  auto gumbel_critical = [&](double level) {
    return s.gumbel_beta > 0 ? s.gumbel_mu - s.gumbel_beta * std::log(std::log(1 / (1 - level))) : nan;
  };
  s.gumbel_critical_05 = gumbel_critical(0.05);
  s.gumbel_critical_01 = gumbel_critical(0.01);
  return s;
}

SatscanFiles satscan_export(const ScanData& data, const ScanOptions& o, const SatscanExportInput& in) {
  validate(data, o);
  const std::size_t n = data.centroids.size();
  if (in.area_ids.size() != n)
    throw bad_input("SaTScan export: " + std::to_string(in.area_ids.size()) + " area ids for " + std::to_string(n) +
                    " areas");
  std::vector<std::string> sorted = in.area_ids;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < n; ++i) {
    if (in.area_ids[i].empty() || has_space(in.area_ids[i]))
      throw bad_input("SaTScan export: area id '" + in.area_ids[i] + "' (area " + std::to_string(i) +
                      ") is empty or has whitespace");
    if (i > 0 && sorted[i] == sorted[i - 1]) throw bad_input("SaTScan export: area id '" + sorted[i] + "' repeats");
  }
  if (in.start_month < 1 || in.start_month > 12) throw bad_input("SaTScan export: start month must be 1-12");
  auto ym = [&](std::size_t t) {
    const long m0 = static_cast<long>(in.start_year) * 12 + (in.start_month - 1) + static_cast<long>(t);
    return std::pair<long, int>{m0 / 12, static_cast<int>(m0 % 12) + 1};
  };
  auto days_in = [](long y, int m) {
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
  };
  SatscanFiles f;
  for (std::size_t z = 0; z < n; ++z)
    for (std::size_t t = 0; t < data.months; ++t) {
      const auto c = data.counts[z * data.months + t];
      if (c == 0) continue;
      const auto [y, m] = ym(t);
      f.cases += in.area_ids[z] + " " + std::to_string(c) + " " + std::to_string(y) + "/" + std::to_string(m) + "\n";
    }
  for (std::size_t z = 0; z < n; ++z) {
    char buf[96];
    std::snprintf(buf, sizeof buf, " %.10f %.10f\n", data.centroids[z].lat, data.centroids[z].lon);
    f.coordinates += in.area_ids[z] + buf;
  }
  const bool poisson = o.model == ScanModel::kPoisson;
  if (poisson)
    for (std::size_t z = 0; z < n; ++z)
      f.population += in.area_ids[z] + " " + std::to_string(in.start_year) + " " + fmt(data.population[z]) + "\n";
  const auto [y0, m0] = ym(0);
  const auto [y1, m1] = ym(data.months - 1);
  const std::string start = std::to_string(y0) + "/" + std::to_string(m0) + "/1";
  const std::string end = std::to_string(y1) + "/" + std::to_string(m1) + "/" + std::to_string(days_in(y1, m1));
  const int pvalue_type = o.p_value == PValueMethod::kMonteCarlo ? 1 : o.p_value == PValueMethod::kSequential ? 2 : 3;
  std::string& s = f.parameters;
  s += "; SaTScan 10.x parameters written by endstate (threat hotspots --export-satscan): the same analysis as\n";
  s += "; model=" + std::string(model_name(o.model)) + " mode=" + std::string(mode_name(o.mode)) +
       " max_share=" + fmt(o.max_population_share) + " max_months=" + std::to_string(o.max_months) +
       " replications=" + std::to_string(o.replications) + " seed=" + std::to_string(o.seed) + "\n";
  if (o.group_equidistant)
    s += "; note: endstate adds cells at equal distance from a centre together; SaTScan adds them one at a time\n";
  if (o.min_cases < 2)
    s += "; note: SaTScan needs at least 2 cases in a high-rate cluster; endstate scored windows with " +
         std::to_string(o.min_cases) + " (give endstate min_cases 2 to match)\n";
  if (o.secondary == SecondaryRule::kDisjoint)
    s += "; note: endstate's secondary clusters here share no cell (disjoint rule); SaTScan's criterion 0 is written\n";
  s += "[Input]\nCaseFile=" + in.case_file + "\nControlFile=\nPrecisionCaseTimes=2\nStartDate=" + start +
       "\nEndDate=" + end + "\nPopulationFile=" + (poisson ? in.population_file : std::string()) +
       "\nCoordinatesFile=" + in.coordinates_file + "\nUseGridFile=n\nGridFile=\nCoordinatesType=1\n\n";
  s += "[Analysis]\nAnalysisType=" + std::string(o.mode == ScanMode::kRetrospective ? "3" : "4") +
       "\nModelType=" + std::string(poisson ? "0" : "2") +
       "\nScanAreas=1\nTimeAggregationUnits=2\nTimeAggregationLength=1\n\n";
  s += "[Output]\nResultsFile=" + in.results_file +
       "\nOutputGoogleEarthKML=n\nOutputShapefiles=n\nOutputCartesianGraph=n\nMostLikelyClusterEachCentroidASCII=n\n"
       "MostLikelyClusterEachCentroidDBase=n\nMostLikelyClusterCaseInfoEachCentroidASCII=n\n"
       "MostLikelyClusterCaseInfoEachCentroidDBase=n\nCensusAreasReportedClustersASCII=y\n"
       "CensusAreasReportedClustersDBase=n\nIncludeRelativeRisksCensusAreasASCII=n\n"
       "IncludeRelativeRisksCensusAreasDBase=n\nSaveSimLLRsASCII=y\nSaveSimLLRsDBase=n\nOutputGoogleMaps=n\n"
       "OutputTemporalGraphHTML=n\n\n";
  s += "[Spatial Window]\nMaxSpatialSizeInPopulationAtRisk=" + fmt(o.max_population_share * 100) +
       "\nUseMaxCirclePopulationFileOption=n\nMaxSpatialSizeInMaxCirclePopulationFile=50\nMaxCirclePopulationFile=\n"
       "UseDistanceFromCenterOption=" +
       std::string(o.max_radius_km ? "y" : "n") +
       "\nMaxSpatialSizeInDistanceFromCenter=" + (o.max_radius_km ? fmt(*o.max_radius_km) : std::string("1")) +
       "\nIncludePurelyTemporal=n\nSpatialWindowShapeType=0\nNonCompactnessPenalty=0\nIsotonicScan=0\n\n";
  s += "[Temporal Window]\nMinimumTemporalClusterSize=1\nMaxTemporalSizeInterpretation=1\nMaxTemporalSize=" +
       std::to_string(std::min(o.max_months, data.months)) + "\nIncludePurelySpatial=n\nIncludeClusters=0\n\n";
  s += "[Cluster Restrictions]\nRiskLimitHighClusters=n\nRiskThresholdHighClusters=1\nRiskLimitLowClusters=n\n"
       "RiskThresholdLowClusters=1\nMinimumCasesInLowRateClusters=0\nMinimumCasesInHighRateClusters=" +
       std::to_string(std::max<std::int64_t>(2, o.min_cases)) + "\n\n";
  s += "[Space and Time Adjustments]\nTimeTrendAdjustmentType=0\nSpatialAdjustmentType=0\nAdjustForWeeklyTrends=n\n\n";
  s += "[Inference]\nPValueReportType=" + std::to_string(pvalue_type) +
       "\nEarlyTerminationThreshold=" + std::to_string(o.sequential_exceedances) +
       "\nReportGumbel=y\nMonteCarloReps=" + std::to_string(o.replications) +
       "\nAdjustForEarlierAnalyses=n\nProspectiveStartDate=" + end + "\nIterativeScan=n\n\n";
  s += "[Spatial Output]\nLaunchMapViewer=n\nReportHierarchicalClusters=y\nCriteriaForReportingSecondaryClusters=0\n"
       "ReportGiniClusters=n\nUseReportOnlySmallerClusters=n\n\n";
  s += "[Other Output]\nCriticalValue=y\nReportClusterRank=n\nPrintAsciiColumnHeaders=y\n\n";
  s += "[Run Options]\nNumberParallelProcesses=" + std::to_string(o.threads) +
       "\nSuppressWarnings=n\nLogRunToHistoryFile=n\nExecutionType=0\nRandomSeed=" +
       std::to_string(o.seed % 2147483647) + "\nRandomlyGenerateSeed=n\n\n[System]\nVersion=10.3.0\n";
  return f;
}

}  // namespace endstate::threat
