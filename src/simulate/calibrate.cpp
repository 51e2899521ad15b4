// Calibration of the sample paths from past origins (see simulate.hpp).
#include <algorithm>
#include <cmath>

#include "endstate/core/error.hpp"
#include "endstate/forecast/scoring.hpp"
#include "endstate/simulate/simulate.hpp"

namespace endstate::simulate {

namespace {

/// Adds one outcome y against the sorted draws to a row: interval
/// coverage, CRPS, and the non-randomised PIT histogram for counts (Czado,
/// Gneiting & Held 2009, "Predictive model assessment for count data",
/// Biometrics 65(4)): the PIT of y is spread uniformly over
/// [F(y-1), F(y)], and each bin receives the share of that interval in it.
void score(CalibrationRow& row, const std::vector<float>& sorted, double y) {
  const std::size_t n = sorted.size();
  const auto q = [&](double p) { return forecast::quantile_sorted(sorted.data(), n, p); };
  row.cover50 += (y >= q(0.25) && y <= q(0.75)) ? 1 : 0;
  row.cover80 += (y >= q(0.10) && y <= q(0.90)) ? 1 : 0;
  row.cover90 += (y >= q(0.05) && y <= q(0.95)) ? 1 : 0;
  row.crps += forecast::crps_sorted(sorted.data(), n, y);
  const auto below = static_cast<double>(std::lower_bound(sorted.begin(), sorted.end(), static_cast<float>(y)) -
                                         sorted.begin());  // draws < y
  const auto upto = static_cast<double>(std::upper_bound(sorted.begin(), sorted.end(), static_cast<float>(y)) -
                                        sorted.begin());  // draws <= y
  const double lo = below / static_cast<double>(n), hi = upto / static_cast<double>(n);
  for (std::size_t j = 0; j < row.pit.size(); ++j) {
    const double a = static_cast<double>(j) / 10.0, b = static_cast<double>(j + 1) / 10.0;
    if (hi <= lo) {
      row.pit[j] += (lo >= a && (lo < b || (j + 1 == row.pit.size() && lo <= b))) ? 1.0 : 0.0;
    } else {
      const double overlap = std::max(0.0, std::min(hi, b) - std::max(lo, a));
      row.pit[j] += overlap / (hi - lo);
    }
  }
  row.n += 1;
}

}  // namespace

CalibrationResult calibrate(const Panel& panel, forecast::Target target, const forecast::ForecastOptions& model,
                            const CalibrationOptions& o,
                            const std::function<void(std::int64_t, std::int64_t)>& progress) {
  if (o.origins.empty()) throw invalid_field("origins", "must hold at least one origin");
  if (o.horizon < 1 || o.horizon > 120) throw invalid_field("horizon", "must be 1..120 months");
  if (o.paths < 2) throw invalid_field("paths", "must be at least 2");
  const auto y = forecast::target_series(panel, target);
  const std::size_t A = panel.area_count(), T = panel.month_count(), H = static_cast<std::size_t>(o.horizon);
  CalibrationResult out;
  out.rows.resize(H + 1);
  for (std::size_t h = 0; h < H; ++h) out.rows[h].h = static_cast<int>(h) + 1;
  out.rows[H].h = 0;
  std::int64_t done = 0;
  for (std::size_t t_end : o.origins) {
    if (t_end == 0 || t_end >= T)
      throw invalid_field("origins", "an origin must lie inside the panel after its first month");
    World w;
    w.areas = panel.areas();
    w.months = t_end;
    w.y.resize(A * t_end);
    for (std::size_t a = 0; a < A; ++a) std::copy(&y[a * T], &y[a * T] + t_end, &w.y[a * t_end]);
    w.origin = panel.month(t_end);
    w.area_province.assign(A, -1);
    w.kind_share.assign(A, {0, 0, 0, 1});
    w.civilian_share.assign(A, 0.0);
    w.effect = PresenceEffect::off();
    const auto step = fit_step_model(w.areas, w.y, w.months, model);
    SimOptions so;
    so.horizon = o.horizon;
    so.paths = o.paths;
    so.seed = o.seed ^ (static_cast<std::uint64_t>(t_end) * 0x9E3779B97F4A7C15ULL);
    so.threads = o.threads;
    so.keep_area_paths = true;
    const auto r = simulate(w, *step, {PolicyRule::status_quo(0)}, so);
    const std::size_t N = r.paths;
    std::vector<float> draws(N);
    for (std::size_t a = 0; a < A; ++a) {
      bool all_observed = true;
      std::vector<double> totals(N, 0.0);
      double observed_total = 0;
      for (std::size_t h = 0; h < H; ++h) {
        for (std::size_t i = 0; i < N; ++i) {
          draws[i] = r.area_paths[(i * A + a) * H + h];
          totals[i] += draws[i];
        }
        if (t_end + h >= T) {
          all_observed = false;
          continue;
        }
        const double obs = y[a * T + t_end + h];
        observed_total += obs;
        std::sort(draws.begin(), draws.end());
        score(out.rows[h], draws, obs);
      }
      if (all_observed) {
        for (std::size_t i = 0; i < N; ++i) draws[i] = static_cast<float>(totals[i]);
        std::sort(draws.begin(), draws.end());
        score(out.rows[H], draws, observed_total);
      }
    }
    ++out.origins;
    if (progress) progress(++done, static_cast<std::int64_t>(o.origins.size()));
  }
  for (auto& row : out.rows) {
    if (row.n == 0) continue;
    const auto n = static_cast<double>(row.n);
    row.cover50 /= n;
    row.cover80 /= n;
    row.cover90 /= n;
    row.crps /= n;
    for (double& b : row.pit) b /= n;
  }
  return out;
}

}  // namespace endstate::simulate
