// Summaries of simulated paths: intervals, paired differences, fan charts,
// ready-by probabilities (see simulate.hpp).
#include <algorithm>
#include <cmath>

#include "endstate/core/error.hpp"
#include "endstate/simulate/simulate.hpp"

namespace endstate::simulate {

namespace {

/// Type-7 quantile of sorted values.
double q7(const std::vector<double>& s, double q) {
  if (s.empty()) return 0;
  const double h = (static_cast<double>(s.size()) - 1) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, s.size() - 1);
  return s[lo] + (h - static_cast<double>(lo)) * (s[hi] - s[lo]);
}

/// Type-1 quantile (an observed value: the inverse of the empirical CDF).
double q1(const std::vector<double>& s, double q) {
  const auto k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(s.size())));
  return s[k == 0 ? 0 : k - 1];
}

double mean_of(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? 0 : s / static_cast<double>(v.size());
}

}  // namespace

Interval interval_of(std::vector<double> v) {
  Interval r;
  if (v.empty()) return r;
  std::sort(v.begin(), v.end());
  r.median = q7(v, 0.5);
  r.lo80 = q7(v, 0.1);
  r.hi80 = q7(v, 0.9);
  r.lo90 = q7(v, 0.05);
  r.hi90 = q7(v, 0.95);
  r.mean = mean_of(v);
  return r;
}

Interval month_interval(std::vector<double> v, int horizon) {
  Interval r;
  if (v.empty()) return r;
  std::sort(v.begin(), v.end());
  const auto at = [&](double q) -> std::optional<double> {
    const double x = q1(v, q);
    if (x >= horizon) return std::nullopt;
    return x;
  };
  r.median = at(0.5);
  r.lo80 = at(0.1);
  r.hi80 = at(0.9);
  r.lo90 = at(0.05);
  r.hi90 = at(0.95);
  r.mean = mean_of(v);
  return r;
}

Comparison compare(const SimResult& r) {
  Comparison c;
  const std::size_t N = r.paths, H = r.horizon, P = r.provinces;
  const int h_int = static_cast<int>(H);
  const auto column = [&](std::size_t k, auto get) {
    std::vector<double> v(N);
    for (std::size_t i = 0; i < N; ++i) v[i] = get(r.outcome(k, i));
    return v;
  };
  for (std::size_t k = 0; k < r.policies.size(); ++k) {
    PolicySummary s;
    s.policy = r.policies[k];
    for (std::size_t p = 0; p < P; ++p) {
      const auto v = column(k, [&](const PathOutcome& o) { return static_cast<double>(o.exit[p]); });
      s.exit.push_back(month_interval(v, h_int));
      s.exit_within.push_back(
          static_cast<double>(std::count_if(v.begin(), v.end(), [&](double x) { return x < h_int; })) /
          static_cast<double>(N));
    }
    const auto end = column(k, [](const PathOutcome& o) { return static_cast<double>(o.mission_end); });
    s.mission_end = month_interval(end, h_int);
    s.mission_end_within =
        static_cast<double>(std::count_if(end.begin(), end.end(), [&](double x) { return x < h_int; })) /
        static_cast<double>(N);
    s.fatalities = interval_of(column(k, [](const PathOutcome& o) { return o.fatalities; }));
    s.civilian = interval_of(column(k, [](const PathOutcome& o) { return o.civilian; }));
    s.gap_months = interval_of(column(k, [](const PathOutcome& o) { return static_cast<double>(o.gap_months); }));
    s.troop_months = interval_of(column(k, [](const PathOutcome& o) { return o.troop_months; }));
    s.cost = interval_of(column(k, [](const PathOutcome& o) { return o.cost; }));
    c.policies.push_back(std::move(s));
  }
  for (std::size_t k = 1; k < r.policies.size(); ++k) {
    Difference d;
    d.policy = r.policies[k];
    d.reference = r.policies[0];
    const auto diff = [&](auto get) {
      std::vector<double> v(N);
      for (std::size_t i = 0; i < N; ++i) v[i] = get(r.outcome(k, i)) - get(r.outcome(0, i));
      return v;
    };
    const auto f = diff([](const PathOutcome& o) { return o.fatalities; });
    d.fatalities = interval_of(f);
    d.share_more_fatalities =
        static_cast<double>(std::count_if(f.begin(), f.end(), [](double x) { return x > 0; })) / static_cast<double>(N);
    d.civilian = interval_of(diff([](const PathOutcome& o) { return o.civilian; }));
    d.gap_months = interval_of(diff([](const PathOutcome& o) { return static_cast<double>(o.gap_months); }));
    d.troop_months = interval_of(diff([](const PathOutcome& o) { return o.troop_months; }));
    d.cost = interval_of(diff([](const PathOutcome& o) { return o.cost; }));
    d.mission_end = interval_of(diff([](const PathOutcome& o) { return static_cast<double>(o.mission_end); }));
    c.differences.push_back(std::move(d));
  }
  // Fan charts: quantiles over paths of each month's value.
  std::vector<double> v(N);
  const auto fan = [&](const std::string& policy, const std::string& series, std::size_t m) {
    std::sort(v.begin(), v.end());
    FanRow f;
    f.policy = policy;
    f.series = series;
    f.month_offset = static_cast<int>(m);
    f.q05 = q7(v, 0.05);
    f.q10 = q7(v, 0.10);
    f.q25 = q7(v, 0.25);
    f.q50 = q7(v, 0.50);
    f.q75 = q7(v, 0.75);
    f.q90 = q7(v, 0.90);
    f.q95 = q7(v, 0.95);
    f.mean = mean_of(v);
    c.fans.push_back(f);
  };
  for (std::size_t k = 0; k < r.policies.size(); ++k) {
    for (std::size_t m = 0; m < H; ++m) {
      for (std::size_t i = 0; i < N; ++i) v[i] = r.monthly_target[(k * N + i) * H + m];
      fan(r.policies[k], "target", m);
    }
    for (std::size_t m = 0; m < H; ++m) {
      for (std::size_t i = 0; i < N; ++i) v[i] = r.monthly_troops[(k * N + i) * H + m];
      fan(r.policies[k], "troops", m);
    }
    for (std::size_t m = 0; m < H; ++m) {
      for (std::size_t i = 0; i < N; ++i) {
        const auto& o = r.outcome(k, i);
        v[i] = static_cast<double>(
            std::count_if(o.exit.begin(), o.exit.end(), [&](int e) { return e <= static_cast<int>(m); }));
      }
      fan(r.policies[k], "provinces_exited", m);
    }
  }
  return c;
}

std::vector<std::vector<double>> ready_by(const SimResult& r, std::size_t policy, int month_offset) {
  if (policy >= r.policies.size()) throw usage_error("ready_by: no such policy");
  std::vector<std::vector<double>> out(r.provinces, std::vector<double>(r.stakeholders, 0.0));
  for (std::size_t i = 0; i < r.paths; ++i) {
    const auto& o = r.outcome(policy, i);
    for (std::size_t p = 0; p < r.provinces; ++p)
      for (std::size_t s = 0; s < r.stakeholders; ++s) {
        const int f = o.first_ready[p * r.stakeholders + s];
        if (f >= 0 && f <= month_offset) out[p][s] += 1.0;
      }
  }
  for (auto& row : out)
    for (double& x : row) x /= static_cast<double>(r.paths);
  return out;
}

}  // namespace endstate::simulate
