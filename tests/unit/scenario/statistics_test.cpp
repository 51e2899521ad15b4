// Statistical properties of the generated events across 20 fixed seeds, each
// checked against a stated band (Monte Carlo tests with fixed seeds and
// tolerance bands, as OSRM's docs/testing.md asks). The control runs use the
// same configuration with hawkes_branching = 0 (background only: an
// inhomogeneous Poisson process with the same trends and seasonality), so
// the clustering checks measure self-excitation, not trends.

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "endstate/core/types.hpp"
#include "endstate/scenario/carana.hpp"
#include "scenario_test_util.hpp"

namespace endstate::scenario {
namespace {

using testing::read_table;
using testing::TempDir;
using testing::to_double;
using testing::to_int;

constexpr int kSeeds = 20;

struct Stats {
  std::int64_t events = 0;
  int years = 0;
  std::map<int, double> type_share;
  double top1_share = 0;
  double gap_cv = 0;
  double steady_monthly_dispersion = 0;  // mean over steady provinces of var/mean of monthly counts
  double clark_evans = 0;
  std::map<std::string, std::vector<double>> per_province_year;  // province -> counts by year
  std::vector<std::string> names;
  std::vector<Trajectory> trajectories;
};

double dispersion(const std::vector<double>& v) {
  const double m = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  double var = 0;
  for (double x : v) var += (x - m) * (x - m);
  var /= static_cast<double>(v.size());
  return m > 0 ? var / m : 0;
}

Stats measure(const GeneratedDataset& ds) {
  Stats s;
  s.names = ds.province_names;
  s.trajectories = ds.province_trajectories;
  s.years = ds.last_year - ds.first_year + 1;
  const auto ev = read_table(ds.events_csv);
  s.events = static_cast<std::int64_t>(ev.rows.size());
  const int c_year = ev.col("year"), c_type = ev.col("type_of_violence"), c_best = ev.col("best"),
            c_ds = ev.col("date_start"), c_adm1 = ev.col("adm_1"), c_lat = ev.col("latitude"),
            c_lon = ev.col("longitude");
  for (const auto& n : s.names) s.per_province_year[n].assign(static_cast<std::size_t>(s.years), 0);
  std::map<std::string, std::vector<double>> monthly;
  for (const auto& n : s.names) monthly[n].assign(static_cast<std::size_t>(12 * s.years), 0);
  std::vector<std::int64_t> best;
  std::vector<std::int32_t> days;
  std::set<std::pair<double, double>> last_year_points;
  for (const auto& r : ev.rows) {
    const int y = static_cast<int>(to_int(r[c_year])) - ds.first_year;
    s.per_province_year[r[c_adm1]][static_cast<std::size_t>(y)] += 1;
    s.type_share[static_cast<int>(to_int(r[c_type]))] += 1;
    best.push_back(to_int(r[c_best]));
    const Date d = *Date::parse(r[c_ds]);
    days.push_back(d.days());
    monthly[r[c_adm1]][static_cast<std::size_t>(12 * y + d.month() - 1)] += 1;
    if (y == s.years - 1) last_year_points.insert({to_double(r[c_lat]), to_double(r[c_lon])});
  }
  for (auto& [t, n] : s.type_share) n /= static_cast<double>(s.events);

  std::sort(best.rbegin(), best.rend());
  const auto top = std::max<std::size_t>(1, best.size() / 100);
  const double total = static_cast<double>(std::accumulate(best.begin(), best.end(), std::int64_t{0}));
  s.top1_share = static_cast<double>(
                     std::accumulate(best.begin(), best.begin() + static_cast<std::ptrdiff_t>(top), std::int64_t{0})) /
                 total;

  std::sort(days.begin(), days.end());
  std::vector<double> gaps;
  for (std::size_t i = 1; i < days.size(); ++i) gaps.push_back(days[i] - days[i - 1]);
  const double gm = std::accumulate(gaps.begin(), gaps.end(), 0.0) / static_cast<double>(gaps.size());
  double gv = 0;
  for (double g : gaps) gv += (g - gm) * (g - gm);
  s.gap_cv = std::sqrt(gv / static_cast<double>(gaps.size())) / gm;

  int steady = 0;
  for (std::size_t p = 0; p < s.names.size(); ++p)
    if (s.trajectories[p] == Trajectory::kSteady) {
      s.steady_monthly_dispersion += dispersion(monthly[s.names[p]]);
      ++steady;
    }
  s.steady_monthly_dispersion /= steady;

  // Clark & Evans (1954) aggregation index of the last year's distinct event locations:
  // R = mean nearest-neighbour distance / (0.5 sqrt(A / n)); R = 1 under complete spatial randomness.
  const auto country = testing::read_shapes(ds.country_geojson).at(0);
  const double area = testing::area_km2(country);
  const std::vector<std::pair<double, double>> pts(last_year_points.begin(), last_year_points.end());
  double nn_sum = 0;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    double nn = 1e18;
    for (std::size_t j = 0; j < pts.size(); ++j)
      if (i != j) nn = std::min(nn, great_circle_km({pts[i].first, pts[i].second}, {pts[j].first, pts[j].second}));
    nn_sum += nn;
  }
  const double n = static_cast<double>(pts.size());
  s.clark_evans = (nn_sum / n) / (0.5 * std::sqrt(area / n));
  return s;
}

double mean(const std::vector<double>& v, std::size_t from, std::size_t to) {
  return std::accumulate(v.begin() + static_cast<std::ptrdiff_t>(from), v.begin() + static_cast<std::ptrdiff_t>(to),
                         0.0) /
         static_cast<double>(to - from);
}

/// One test (so that ctest, which runs every test in its own process, generates the
/// 40 datasets once): each block checks one property over all seeds.
TEST(CaranaStatistics, AcrossTwentySeeds) {
  std::vector<Stats> stats, controls;
  CaranaConfig control = default_config();
  control.hawkes_branching = 0;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    TempDir a("stats"), b("control");
    stats.push_back(measure(generate_carana(default_config(), static_cast<std::uint64_t>(seed), a.str())));
    controls.push_back(measure(generate_carana(control, static_cast<std::uint64_t>(seed), b.str())));
  }
  auto range = [&](const char* what, auto get) {
    double lo = 1e300, hi = -1e300;
    for (const auto& s : stats) {
      lo = std::min(lo, static_cast<double>(get(s)));
      hi = std::max(hi, static_cast<double>(get(s)));
    }
    std::printf("  %-40s %10.3f .. %10.3f\n", what, lo, hi);
  };
  std::printf("Carana statistics over %d seeds (min .. max):\n", kSeeds);
  range("events per year", [](const Stats& s) { return static_cast<double>(s.events) / s.years; });
  range("share one-sided (type 3)", [](const Stats& s) { return s.type_share.at(3); });
  range("share state-based (type 1)", [](const Stats& s) { return s.type_share.at(1); });
  range("top 1% share of deaths", [](const Stats& s) { return s.top1_share; });
  range("inter-event time CV", [](const Stats& s) { return s.gap_cv; });
  range("monthly var/mean, steady provinces", [](const Stats& s) { return s.steady_monthly_dispersion; });
  range("Clark-Evans R (last year)", [](const Stats& s) { return s.clark_evans; });
  {
    SCOPED_TRACE("events per year");
    // Band: 600..1,400 events a year on average (eastern DR Congo in UCDP GED is of this order).
    for (const auto& s : stats) {
      const double per_year = static_cast<double>(s.events) / s.years;
      EXPECT_GE(per_year, 600);
      EXPECT_LE(per_year, 1400);
    }
  }

  {
    SCOPED_TRACE("share by violence type");
    // Default groups: about a third each; each type in [0.22, 0.45].
    for (const auto& s : stats)
      for (int t = 1; t <= 3; ++t) {
        EXPECT_GE(s.type_share.at(t), 0.22) << "type " << t;
        EXPECT_LE(s.type_share.at(t), 0.45) << "type " << t;
      }
  }

  {
    SCOPED_TRACE("fatality tail");
    // The top 1% of events hold more than 15% of all deaths (a light-tailed law would give ~3-5%).
    for (const auto& s : stats) EXPECT_GT(s.top1_share, 0.15);
  }

  {
    SCOPED_TRACE("temporal clustering");
    for (std::size_t i = 0; i < stats.size(); ++i) {
      const Stats& s = stats[i];
      const Stats& c = controls[i];
      // Inter-event times over-dispersed against Poisson.
      EXPECT_GT(s.gap_cv, 1.2);
      EXPECT_GT(s.gap_cv, c.gap_cv);
      // Monthly counts in steady provinces: variance/mean > 1.6, and well above the background-only control.
      EXPECT_GT(s.steady_monthly_dispersion, 1.6);
      EXPECT_GT(s.steady_monthly_dispersion, 1.4 * c.steady_monthly_dispersion);
      // Branching: total / background close to 1 / (1 - 0.45) = 1.82 (less what leaves the country).
      const double ratio = static_cast<double>(s.events) / static_cast<double>(c.events);
      EXPECT_GT(ratio, 1.5);
      EXPECT_LT(ratio, 2.1);
    }
  }

  {
    SCOPED_TRACE("spatial clustering");
    // Clark–Evans R = 1 under complete spatial randomness (a little above with edge effects;
    // its standard error here is about 0.01); clustered patterns give R < 1. Band: R < 0.85.
    for (const auto& s : stats) EXPECT_LT(s.clark_evans, 0.85);
  }

  {
    SCOPED_TRACE("scripted trajectories");
    for (const auto& s : stats) {
      const auto Y = static_cast<std::size_t>(s.years);
      double steady_mean = 0;
      int steady = 0;
      for (std::size_t p = 0; p < s.names.size(); ++p)
        if (s.trajectories[p] == Trajectory::kSteady) {
          steady_mean += mean(s.per_province_year.at(s.names[p]), 0, Y);
          ++steady;
        }
      steady_mean /= steady;
      for (std::size_t p = 0; p < s.names.size(); ++p) {
        const auto& v = s.per_province_year.at(s.names[p]);
        switch (s.trajectories[p]) {
          case Trajectory::kStabilising:
            EXPECT_LT(mean(v, Y - 2, Y), 0.5 * mean(v, 0, 2)) << s.names[p];
            break;
          case Trajectory::kEscalation:
            EXPECT_GT(v[Y - 1], 2 * mean(v, 0, Y - 1)) << s.names[p];
            break;
          case Trajectory::kDeteriorating: {
            EXPECT_GT(mean(v, Y - 3, Y), 1.5 * mean(v, 0, 3)) << s.names[p];
            // Least-squares slope of yearly counts is positive.
            const double xm = (static_cast<double>(Y) - 1) / 2, ym = mean(v, 0, Y);
            double num = 0, den = 0;
            for (std::size_t y = 0; y < Y; ++y) {
              num += (static_cast<double>(y) - xm) * (v[y] - ym);
              den += (static_cast<double>(y) - xm) * (static_cast<double>(y) - xm);
            }
            EXPECT_GT(num / den, 0) << s.names[p];
            break;
          }
          case Trajectory::kQuiet:
            for (double n : v) EXPECT_LE(n, 0.1 * steady_mean) << s.names[p];
            EXPECT_LE(std::accumulate(v.begin(), v.end(), 0.0), 0.02 * static_cast<double>(s.events));
            break;
          case Trajectory::kSteady:
            EXPECT_LT(mean(v, Y - 3, Y), 1.6 * mean(v, 0, 3)) << s.names[p];
            EXPECT_GT(mean(v, Y - 3, Y), 0.6 * mean(v, 0, 3)) << s.names[p];
            break;
        }
      }
    }
  }
}

}  // namespace
}  // namespace endstate::scenario
