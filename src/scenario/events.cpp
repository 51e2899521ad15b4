// Conflict events of Carana: a spatio-temporal self-exciting point process.
//
// Model (a marked spatio-temporal Hawkes process; Hawkes 1971; Ogata 1998 for
// the space-time ETAS form; Mohler et al. 2011 for self-excitation in crime and
// conflict data). The conditional intensity of group g at time t and place x is
//
//   lambda_g(t, x) = mu_g(t, x) + sum_{events i of g, t_i < t} n * h(t - t_i) * f(x - x_i)
//
//   mu_g(t, x) = r_g / |P_g| * m_p(t) * s(t) * phi_{g,p}(x)   for x in province p of P_g
//     r_g      group rate (events per month across its area of operation)
//     m_p(t)   the province's scripted trajectory multiplier (trajectory_multiplier)
//     s(t)     the annual cycle 1 + A cos(2 pi (doy - 196) / 365.25), peak mid-July (dry season)
//     phi      spatial density: 70% Gaussian (sigma 20 km) around two foci per
//              group and province (localities drawn with weight sqrt(population)),
//              30% uniform over the province
//   h(u)  = exp(-u / tau) / tau     exponential delay, mean tau = hawkes_decay_days
//   f(d)  = isotropic Gaussian, sigma = hawkes_spread_km in each direction
//   n     = hawkes_branching < 1    expected direct offspring per event, scaled
//           by min(1, m_p(t_i)) of the parent's province: where the trajectory
//           has calmed (m < 1) violence spirals less, so a quiet province does
//           not grow long cascades out of its rare events
//
// Simulation uses the cluster (Galton–Watson branching) representation
// (Hawkes & Oakes 1974; Zhuang, Ogata & Vere-Jones 2002): background events
// are an inhomogeneous Poisson process drawn by thinning (Lewis & Shedler
// 1979) per group and province; each event then has Poisson(n) children, each
// delayed by Exp(tau) and displaced by the Gaussian kernel, generation by
// generation. Children landing outside the country are dropped; children
// landing in another province are kept with probability min(1, m_child/m_parent)
// (spatial thinning, so that a quiet province is not filled by its neighbours'
// cascades). A child repeats its parent's violence type and dyad with
// probability 0.6 (retaliation), otherwise draws from its group's profile.
// The expected total is the background count times about 1 / (1 - n).
//
// Marks: fatalities per event follow a discrete Pareto law with the group's
// tail index (Clauset, Shalizi & Newman 2009; Cederman 2003 for power-law
// war sizes), P(best >= k) = k^(-alpha), capped at 1000, with 5% zero-fatality
// events; low <= best <= high around it. Locations are then expressed the way
// UCDP does: snapped to the nearest locality when it lies within 6 km
// (where_prec 1, 85% of those; only within the same province, so that snapping
// does not carry events across a province border), at the territory's reference point
// (where_prec 3, 5%), otherwise as the point itself "near" a locality
// (where_prec 2).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

#include "detail/format.hpp"
#include "detail/model.hpp"
#include "detail/random.hpp"
#include "endstate/core/types.hpp"

namespace endstate::scenario::detail {
namespace {

constexpr double kDaysPerMonth = 365.25 / 12;
constexpr double kFocusSigmaKm = 20;
constexpr double kFocusShare = 0.7;
constexpr double kRepeatParent = 0.6;
constexpr std::int64_t kFatalityCap = 1000;

double smoothstep(double a, double b, double x) {
  const double u = std::clamp((x - a) / (b - a), 0.0, 1.0);
  return u * u * (3 - 2 * u);
}

}  // namespace

double trajectory_multiplier(Trajectory kind, double t_days, double horizon_days, double phase) {
  const double u = horizon_days > 0 ? t_days / horizon_days : 0;
  switch (kind) {
    case Trajectory::kStabilising:
      return 1.8 - 1.6 * smoothstep(0.15, 0.75, u);
    case Trajectory::kDeteriorating:
      return 0.4 + 1.6 * u;
    case Trajectory::kEscalation: {
      const double jump = std::max(0.0, horizon_days - 18 * kDaysPerMonth);
      return 0.7 + 3.3 * smoothstep(jump, jump + 60, t_days);
    }
    case Trajectory::kQuiet:
      return 0.08;
    case Trajectory::kSteady:
      return 1.0 + 0.15 * std::sin(2 * std::numbers::pi * t_days / (3 * 365.25) + phase);
  }
  return 1.0;
}

double seasonal_multiplier(double amplitude, double day_of_year) {
  return 1.0 + amplitude * std::cos(2 * std::numbers::pi * (day_of_year - 196) / 365.25);
}

std::vector<SimEvent> simulate_events(const CaranaConfig& config, std::uint64_t seed, const Geography& geo,
                                      const std::vector<Locality>& localities, const std::vector<double>& phases) {
  const Date start = *Date::from_ymd(config.first_year, 1, 1);
  const Date end = *Date::from_ymd(config.first_year + config.years, 1, 1);
  const double horizon = end.days() - start.days();
  const auto& groups = config.groups;
  const int G = static_cast<int>(groups.size());
  const int P = static_cast<int>(geo.provinces.size());

  auto m = [&](int p, double t) { return trajectory_multiplier(geo.provinces[p].trajectory, t, horizon, phases[p]); };
  auto season = [&](double t) {
    const Date d = Date::from_days(start.days() + static_cast<std::int32_t>(std::floor(t)));
    const Date jan1 = *Date::from_ymd(d.year(), 1, 1);
    return seasonal_multiplier(config.seasonality, (d.days() - jan1.days()) + (t - std::floor(t)));
  };

  // Groups present in each province (for non-state opponents).
  std::vector<std::vector<int>> present(static_cast<std::size_t>(P));
  for (int g = 0; g < G; ++g)
    for (int p : groups[g].provinces) present[p].push_back(g);

  auto draw_type = [&](Rng& rng, int g, int p, int& opponent) {
    const ArmedGroup& grp = groups[g];
    const double u = rng.uniform();
    opponent = -1;
    if (u < grp.share_one_sided) return 3;
    if (u < grp.share_one_sided + grp.share_state) return 1;
    std::vector<double> w;
    std::vector<int> cand;
    for (int o : present[p])
      if (o != g) {
        cand.push_back(o);
        w.push_back(groups[o].rate_per_month + 0.1);
      }
    if (cand.empty())
      for (int o = 0; o < G; ++o)
        if (o != g) {
          cand.push_back(o);
          w.push_back(groups[o].rate_per_month + 0.1);
        }
    if (cand.empty()) return 1;
    opponent = cand[pick_cumulative(rng, cumulative(w))];
    return 2;
  };

  std::vector<SimEvent> ev;

  // Background: inhomogeneous Poisson per group and province, by thinning.
  for (int g = 0; g < G; ++g) {
    Rng rng(seed, kStreamBackground + static_cast<std::uint64_t>(g));
    const ArmedGroup& grp = groups[g];
    if (grp.provinces.empty() || grp.rate_per_month <= 0) continue;
    const double rate_day = grp.rate_per_month / kDaysPerMonth / static_cast<double>(grp.provinces.size());
    for (int p : grp.provinces) {
      const Province& prov = geo.provinces[p];
      // Two foci among the province's localities, weighted by sqrt(population).
      std::vector<int> members;
      std::vector<double> w;
      for (int k = 0; k < static_cast<int>(localities.size()); ++k)
        if (geo.territories[localities[k].territory].province == p) {
          members.push_back(k);
          w.push_back(std::sqrt(static_cast<double>(localities[k].population)));
        }
      const std::vector<double> wc = cumulative(w);
      const int foci[2] = {members[pick_cumulative(rng, wc)], members[pick_cumulative(rng, wc)]};
      std::vector<double> ta;
      for (int t : prov.territories) ta.push_back(geo.territories[t].area_km2);
      const std::vector<double> tac = cumulative(ta);

      double mmax = 0;
      for (double t = 0; t <= horizon; t += 1) mmax = std::max(mmax, m(p, t));
      const double lam_max = rate_day * mmax * 1.01 * (1 + config.seasonality);
      for (double t = exponential(rng, 1 / lam_max); t < horizon; t += exponential(rng, 1 / lam_max)) {
        const double lam = rate_day * m(p, t) * season(t);
        if (rng.uniform() * lam_max >= lam) continue;
        SimEvent e;
        e.t_days = t;
        e.group = g;
        bool placed = false;
        for (int tries = 0; tries < 50 && !placed; ++tries) {
          LatLon q;
          if (bernoulli(rng, kFocusShare)) {
            q = offset_km(localities[foci[rng.below(2)]].where, kFocusSigmaKm * normal(rng),
                          kFocusSigmaKm * normal(rng));
          } else {
            const Territory& tt = geo.territories[prov.territories[pick_cumulative(rng, tac)]];
            q = {uniform(rng, tt.min_lat, tt.max_lat), uniform(rng, tt.min_lon, tt.max_lon)};
          }
          q = {round6(q.lat), round6(q.lon)};
          const int terr = geo.locator->territory_of(q);
          if (terr >= 0 && geo.territories[terr].province == p) {
            e.where = q;
            e.territory = terr;
            placed = true;
          }
        }
        if (!placed) {
          e.where = localities[foci[0]].where;
          e.territory = localities[foci[0]].territory;
        }
        e.type = draw_type(rng, g, p, e.opponent);
        ev.push_back(e);
      }
    }
  }

  // Offspring, generation by generation (Galton–Watson).
  Rng off(seed, kStreamOffspring);
  for (std::size_t i = 0; i < ev.size(); ++i) {
    const SimEvent parent = ev[i];
    const int parent_province = geo.territories[parent.territory].province;
    const double productivity = config.hawkes_branching * std::min(1.0, m(parent_province, parent.t_days));
    const std::int64_t k = poisson(off, productivity);
    for (std::int64_t c = 0; c < k; ++c) {
      const double t = parent.t_days + exponential(off, config.hawkes_decay_days);
      int terr = -1;
      LatLon q;
      for (int tries = 0; tries < 10 && terr < 0; ++tries) {
        q = offset_km(parent.where, config.hawkes_spread_km * normal(off), config.hawkes_spread_km * normal(off));
        q = {round6(q.lat), round6(q.lon)};
        terr = geo.locator->territory_of(q);
      }
      const double keep_u = off.uniform();
      const double repeat_u = off.uniform();
      if (t >= horizon || terr < 0) continue;
      const int pc = geo.territories[terr].province;
      const int pp = parent_province;
      if (pc != pp) {
        const double ratio = m(pc, t) / m(pp, t);
        if (ratio < 1 && keep_u >= ratio) continue;
      }
      SimEvent e;
      e.t_days = t;
      e.where = q;
      e.territory = terr;
      e.group = parent.group;
      e.generation = parent.generation + 1;
      if (repeat_u < kRepeatParent) {
        e.type = parent.type;
        e.opponent = parent.opponent;
      } else {
        e.type = draw_type(off, e.group, pc, e.opponent);
      }
      ev.push_back(e);
    }
  }

  std::stable_sort(ev.begin(), ev.end(), [](const SimEvent& a, const SimEvent& b) {
    if (a.t_days != b.t_days) return a.t_days < b.t_days;
    if (a.group != b.group) return a.group < b.group;
    return a.generation < b.generation;
  });

  // How UCDP would locate them.
  Rng place(seed, kStreamPlacement);
  for (auto& e : ev) {
    const Nearest near = nearest_locality(localities, e.where);
    const double u = place.uniform();
    e.locality = near.index;
    e.locality_km = near.km;
    const bool same_province =
        geo.territories[localities[near.index].territory].province == geo.territories[e.territory].province;
    if (near.km <= 6 && u < 0.85 && same_province) {
      e.where_prec = 1;
      e.where = localities[near.index].where;
      e.territory = localities[near.index].territory;
      e.locality_km = 0;
    } else if (u > 0.95) {
      e.where_prec = 3;
      e.where = geo.territories[e.territory].anchor;
    } else {
      e.where_prec = 2;
    }
  }

  // Fatalities: discrete Pareto per group, split by side.
  Rng fat(seed, kStreamFatalities);
  for (auto& e : ev) {
    const double alpha = groups[e.group].fatality_tail + (e.type == 2 ? 0.1 : 0.0);
    const bool zero = bernoulli(fat, 0.05);
    const std::int64_t best = discrete_pareto(fat, alpha, kFatalityCap);
    e.best = zero ? 0 : best;
    // Shares of deaths: side a, side b, civilians (rest unknown).
    double sa = 0, sb = 0, sc = 1;
    if (e.type == 1) {
      sa = 0.35;
      sb = 0.45;
      sc = 0.12;
    } else if (e.type == 2) {
      sa = 0.45;
      sb = 0.40;
      sc = 0.08;
    }
    if (e.best <= 200) {
      for (std::int64_t d = 0; d < e.best; ++d) {
        const double u = fat.uniform();
        if (u < sa)
          ++e.deaths_a;
        else if (u < sa + sb)
          ++e.deaths_b;
        else if (u < sa + sb + sc)
          ++e.deaths_civilians;
        else
          ++e.deaths_unknown;
      }
    } else {
      const auto b = static_cast<double>(e.best);
      e.deaths_a = static_cast<std::int64_t>(std::floor(b * sa));
      e.deaths_b = static_cast<std::int64_t>(std::floor(b * sb));
      e.deaths_civilians = static_cast<std::int64_t>(std::floor(b * sc));
      e.deaths_unknown = e.best - e.deaths_a - e.deaths_b - e.deaths_civilians;
    }
    const double lu = fat.uniform(), hu = fat.uniform(), lv = fat.uniform(), hv = fat.uniform();
    e.low = lu < 0.4 ? e.best : e.best - static_cast<std::int64_t>(std::floor(static_cast<double>(e.best) * 0.3 * lv));
    e.high = hu < 0.5 ? e.best : e.best + static_cast<std::int64_t>(std::ceil(static_cast<double>(e.best) * 0.6 * hv));
  }
  return ev;
}

}  // namespace endstate::scenario::detail
