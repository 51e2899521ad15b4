// Kulldorff's space-time scan statistic; see include/endstate/threat/scan.hpp
// for the method, the references and the choices made.
#include "endstate/threat/scan.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <numbers>
#include <thread>

#include "endstate/core/error.hpp"
#include "endstate/core/progress.hpp"
#include "endstate/core/rng.hpp"

namespace endstate::threat {

std::string_view model_name(ScanModel m) { return m == ScanModel::kPoisson ? "poisson" : "permutation"; }
std::string_view mode_name(ScanMode m) { return m == ScanMode::kRetrospective ? "retrospective" : "prospective"; }

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
  double total = 0;      ///< C
  std::vector<double> month_totals;  ///< C_t, all months
  std::vector<std::int64_t> area_totals;  ///< C_z
  std::vector<double> share;         ///< w_z / W (population or count share)
  // neighbours of centre i: nb_idx[nb_off[i] .. nb_off[i+1]), nearest first
  std::vector<std::size_t> nb_off;
  std::vector<std::uint32_t> nb_idx;
  std::vector<double> nb_dist;
  // temporal windows, months relative to t_lo: [t1, t2p1)
  std::vector<std::uint32_t> w_t1, w_t2p1;
  std::vector<double> w_b;  ///< sum of C_t over the window
};

void validate(const ScanData& d, const ScanOptions& o) {
  const std::size_t n = d.centroids.size();
  if (n == 0) throw bad_input("the scan needs at least one area");
  if (d.months == 0) throw bad_input("the scan needs at least one month");
  if (d.counts.size() != n * d.months)
    throw bad_input("counts have " + std::to_string(d.counts.size()) + " cells, expected " + std::to_string(n) +
                    " areas x " + std::to_string(d.months) + " months");
  for (std::size_t i = 0; i < n; ++i)
    if (!d.centroids[i].valid()) throw bad_input("area " + std::to_string(i) + " has an invalid centroid");
  for (std::size_t k = 0; k < d.counts.size(); ++k)
    if (d.counts[k] < 0)
      throw bad_input("negative count at area " + std::to_string(k / d.months) + ", month " + std::to_string(k % d.months));
  if (o.model == ScanModel::kPoisson) {
    if (d.population.size() != n)
      throw bad_input("the Poisson model needs a population for every area (" + std::to_string(d.population.size()) +
                      " of " + std::to_string(n) + "); use the permutation model");
    for (std::size_t i = 0; i < n; ++i)
      if (!(d.population[i] > 0) || !std::isfinite(d.population[i]))
        throw bad_input("area " + std::to_string(i) + " has no positive population; the Poisson model needs one");
  }
  if (!(o.max_population_share > 0 && o.max_population_share <= 1))
    throw usage_error("--max-share must be in (0, 1]");
  if (o.max_radius_km && !(*o.max_radius_km >= 0)) throw usage_error("--max-radius-km must be >= 0");
  if (o.max_months == 0) throw usage_error("--max-months must be >= 1");
}

Prepared prepare(const ScanData& d, const ScanOptions& o) {
  validate(d, o);
  Prepared p;
  p.n = d.centroids.size();
  p.T = d.months;
  const std::size_t L = std::min(o.max_months, p.T);
  p.t_lo = o.mode == ScanMode::kProspective ? p.T - L : 0;
  p.tm = p.T - p.t_lo;
  p.month_totals.assign(p.T, 0.0);
  p.area_totals.assign(p.n, 0);
  for (std::size_t z = 0; z < p.n; ++z)
    for (std::size_t t = 0; t < p.T; ++t) {
      const auto c = d.counts[z * p.T + t];
      p.month_totals[t] += static_cast<double>(c);
      p.area_totals[z] += c;
    }
  for (double c : p.month_totals) p.total += c;

  // circle weights: population (Poisson) or counts (permutation)
  std::vector<double> w(p.n);
  double W = 0;
  for (std::size_t z = 0; z < p.n; ++z) {
    w[z] = o.model == ScanModel::kPoisson ? d.population[z] : static_cast<double>(p.area_totals[z]);
    W += w[z];
  }
  p.share.assign(p.n, 0.0);
  if (W > 0)
    for (std::size_t z = 0; z < p.n; ++z) p.share[z] = w[z] / W;
  const double limit = o.max_population_share * W * (1 + 1e-12);

  // neighbours: candidates in a latitude band when a radius is given
  std::vector<std::uint32_t> by_lat(p.n);
  for (std::size_t i = 0; i < p.n; ++i) by_lat[i] = static_cast<std::uint32_t>(i);
  std::sort(by_lat.begin(), by_lat.end(), [&](std::uint32_t a, std::uint32_t b) {
    return d.centroids[a].lat < d.centroids[b].lat || (d.centroids[a].lat == d.centroids[b].lat && a < b);
  });
  std::vector<double> lats(p.n);
  for (std::size_t i = 0; i < p.n; ++i) lats[i] = d.centroids[by_lat[i]].lat;
  const double band_deg =
      o.max_radius_km ? *o.max_radius_km / (kEarthRadiusKm * std::numbers::pi / 180.0) + 1e-9 : 1e9;
  p.nb_off.assign(1, 0);
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
    double acc = 0;
    for (const auto& [dist, z] : cand) {
      acc += w[z];
      if (acc > limit) break;
      p.nb_idx.push_back(z);
      p.nb_dist.push_back(dist);
    }
    p.nb_off.push_back(p.nb_idx.size());
    if (p.nb_idx.size() > kMaxCircles)
      throw usage_error("more than " + std::to_string(kMaxCircles) + " circles (" + std::to_string(p.n) +
                        " areas with circles up to " + std::to_string(o.max_population_share) +
                        " of the population): give --max-radius-km or a smaller --max-share");
  }

  // temporal windows
  std::vector<double> pre(p.tm + 1, 0.0);
  for (std::size_t t = 0; t < p.tm; ++t) pre[t + 1] = pre[t] + p.month_totals[p.t_lo + t];
  for (std::size_t t2 = 0; t2 < p.tm; ++t2) {
    if (o.mode == ScanMode::kProspective && t2 + 1 != p.tm) continue;
    for (std::size_t len = 1; len <= L && len <= t2 + 1; ++len) {
      const std::size_t t1 = t2 + 1 - len;
      p.w_t1.push_back(static_cast<std::uint32_t>(t1));
      p.w_t2p1.push_back(static_cast<std::uint32_t>(t2 + 1));
      p.w_b.push_back(pre[t2 + 1] - pre[t1]);
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

/// Maximum LLR over all windows of `x` (n x tm counts, months from t_lo).
/// When `best` is given, records the best window of every circle with LLR > 0.
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
    const std::size_t nw = p_.w_b.size();
    const std::uint32_t* t1 = p_.w_t1.data();
    const std::uint32_t* t2 = p_.w_t2p1.data();
    const double* B = p_.w_b.data();
    double global = 0;
    ++version_;
    for (std::size_t i = 0; i < p_.n; ++i) {
      std::fill(cum_.begin(), cum_.end(), 0.0);
      double a = 0;
      for (std::size_t k = p_.nb_off[i]; k < p_.nb_off[i + 1]; ++k) {
        const std::size_t z = p_.nb_idx[k];
        const double* r = &rowpre_[z * stride];
        for (std::size_t t = 0; t < stride; ++t) cum_[t] += r[t];
        a += p_.share[z];
        if (!best) {
          // replications need only the maximum: skip a window unless its
          // bound c log(c/E) >= LLR exceeds the maximum so far, i.e. unless
          // E < c / exp(max / c) (the logarithms are most of the work)
          for (std::size_t w = 0; w < nw; ++w) {
            const double c = cum_[t2[w]] - cum_[t1[w]];
            const double e = a * B[w];
            if (c <= e) continue;
            if (e >= c * inv_exp(c, global)) continue;
            const double llr = poisson_llr(c, e, C);
            if (llr > global) {
              global = llr;
              ++version_;
            }
          }
          continue;
        }
        double circle_best = 0;
        std::uint32_t circle_w = 0;
        for (std::size_t w = 0; w < nw; ++w) {
          const double c = cum_[t2[w]] - cum_[t1[w]];
          const double e = a * B[w];
          if (c <= e) continue;  // only high-rate windows
          const double llr = poisson_llr(c, e, C);
          if (llr > circle_best) {
            circle_best = llr;
            circle_w = static_cast<std::uint32_t>(w);
          }
        }
        if (circle_best > global) global = circle_best;
        if (circle_best > 0)
          best->push_back({circle_best, static_cast<std::uint32_t>(i),
                           static_cast<std::uint32_t>(k - p_.nb_off[i] + 1), circle_w});
      }
    }
    return global;
  }

 private:
  /// exp(-m / c), cached per integer count c for the current maximum m.
  double inv_exp(double c, double m) {
    const auto k = static_cast<std::size_t>(c);
    if (k >= kCache) return std::exp(-m / c);
    if (stamp_[k] != version_) {
      stamp_[k] = version_;
      cache_[k] = std::exp(-m / c);
    }
    return cache_[k];
  }
  static constexpr std::size_t kCache = 4096;
  const Prepared& p_;
  std::vector<double> rowpre_;
  std::vector<double> cum_;
  std::vector<double> cache_ = std::vector<double>(kCache, 0.0);
  std::vector<std::uint64_t> stamp_ = std::vector<std::uint64_t>(kCache, 0);
  std::uint64_t version_ = 0;
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

/// Runs `scan(x)` on R null replications in parallel; results in replication order.
template <typename ScanFn>
std::vector<double> replicate(const Prepared& p, const ScanData& d, const ScanOptions& o, ScanFn make_scan) {
  std::vector<double> maxima(o.replications, 0.0);
  if (o.replications == 0) return maxima;
  std::size_t threads = o.threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : o.threads;
  threads = std::min(threads, o.replications);
  const NullSampler sampler(p, d, o.model);
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  Progress progress("scan replications", static_cast<std::int64_t>(o.replications));
  auto worker = [&](std::size_t id) {
    auto scan = make_scan();
    std::vector<std::int32_t> x;
    std::vector<std::uint32_t> scratch;
    for (;;) {
      const std::size_t r = next.fetch_add(1);
      if (r >= o.replications) break;
      Rng rng(o.seed, r + 1);
      sampler.draw(rng, x, scratch);
      maxima[r] = scan(x);
      const auto finished = done.fetch_add(1) + 1;
      if (id == 0) progress.update(static_cast<std::int64_t>(finished));
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t k = 1; k < threads; ++k) pool.emplace_back(worker, k);
  worker(0);
  for (auto& t : pool) t.join();
  progress.finish();
  return maxima;
}

double p_value(double llr, const std::vector<double>& maxima) {
  std::size_t rank = 1;
  for (double m : maxima)
    if (m >= llr * (1 - 1e-12)) ++rank;
  return static_cast<double>(rank) / static_cast<double>(maxima.size() + 1);
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

ScanResult finish(const Prepared& p, const std::vector<std::int32_t>& x, std::vector<CircleBest> best,
                  std::vector<double> maxima, const ScanOptions& o) {
  ScanResult res;
  res.total = p.total;
  res.circles = p.nb_idx.size();
  res.windows = p.nb_idx.size() * p.w_b.size();
  std::sort(best.begin(), best.end(), [](const CircleBest& a, const CircleBest& b) {
    if (a.llr != b.llr) return a.llr > b.llr;
    if (a.centre != b.centre) return a.centre < b.centre;
    return a.k < b.k;
  });
  std::vector<char> used(p.n, 0);
  for (const auto& b : best) {
    if (res.clusters.size() >= o.max_clusters) break;
    const std::size_t off = p.nb_off[b.centre];
    bool overlap = false;
    for (std::size_t k = 0; k < b.k && !overlap; ++k) overlap = used[p.nb_idx[off + k]] != 0;
    if (overlap) continue;
    Cluster c = make_cluster(p, x, b);
    c.p_value = p_value(b.llr, maxima);
    if (c.p_value > o.report_p) break;  // later candidates have lower LLR, so higher p
    for (auto z : c.areas) used[z] = 1;
    res.clusters.push_back(std::move(c));
  }
  res.null_max_llr = std::move(maxima);
  return res;
}

}  // namespace

ScanResult space_time_scan(const ScanData& data, const ScanOptions& options) {
  const Prepared p = prepare(data, options);
  const auto x = observed_matrix(p, data);
  std::vector<CircleBest> best;
  if (p.total <= 0) return finish(p, x, best, std::vector<double>(options.replications, 0.0), options);
  Scanner obs(p);
  obs.run(x, &best);
  auto maxima = replicate(p, data, options, [&p] {
    return [scanner = Scanner(p)](const std::vector<std::int32_t>& xs) mutable { return scanner.run(xs, nullptr); };
  });
  return finish(p, x, std::move(best), std::move(maxima), options);
}

ScanResult space_time_scan_naive(const ScanData& data, const ScanOptions& options) {
  const Prepared p = prepare(data, options);
  const auto x = observed_matrix(p, data);
  // every window summed from the cells: observed c and expected mu_zt = share_z * C_t
  auto naive = [&p](const std::vector<std::int32_t>& xs, std::vector<CircleBest>* best) {
    double global = 0;
    for (std::size_t i = 0; i < p.n; ++i) {
      const std::size_t off = p.nb_off[i];
      for (std::size_t k = 1; k <= p.nb_off[i + 1] - off; ++k) {
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
  naive(x, &best);
  auto maxima = replicate(p, data, options, [&naive] {
    return [&naive](const std::vector<std::int32_t>& xs) { return naive(xs, nullptr); };
  });
  return finish(p, x, std::move(best), std::move(maxima), options);
}

}  // namespace endstate::threat
