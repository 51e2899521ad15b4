// What a plan implies (see report.hpp).
#include "endstate/plan/report.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "endstate/core/error.hpp"

namespace endstate::plan {

double PlanReport::total_cost() const {
  double s = 0;
  for (const auto& c : costs) s += c.total();
  return s;
}

namespace {

std::int64_t people(double population, double per_100k) {
  const double v = population * per_100k / 1e5;
  return v <= 0 ? 0 : static_cast<std::int64_t>(std::ceil(v - 1e-9));
}

/// The nearest open base with aviation that reaches `i` by air within the window.
void air_mitigation(const PlanProblem& p, const OpenPlan& open, std::size_t t, const ReportInput& in, LostPoint& lp) {
  double best = in.mitigation_hours;
  for (std::size_t j = 0; j < p.sites.size(); ++j) {
    if (!open[t][j] || !in.site_has_air[j]) continue;
    const auto h = geo::air_hours(in.site_where[j], in.point_where[lp.point], in.reach);
    if (h && *h <= best && (!lp.air_site || *h < lp.air_hours)) {
      lp.air_site = j;
      lp.air_hours = *h;
    }
  }
  lp.mitigation = lp.air_site ? "air" : "police_and_civilians";
}

}  // namespace

PlanReport report(const PlanProblem& p, const OpenPlan& open, const ReportInput& in) {
  const std::size_t P = p.phases(), S = p.sites.size(), N = p.coverage.demand_count;
  if (!in.spec) throw usage_error("plan report: no plan specification");
  if (in.phases.size() != P || in.population.size() != N || in.point_province.size() != N ||
      in.point_where.size() != N || in.site_where.size() != S || in.site_has_air.size() != S) {
    throw usage_error("plan report: inputs do not match the problem");
  }
  const PlanSpec& sp = *in.spec;
  PlanReport r;
  r.phases.resize(P);
  // today's coverage (every base open when the plan starts)
  std::vector<char> today(N, 0);
  for (std::size_t j = 0; j < S; ++j) {
    if (!p.sites[j].existing) continue;
    for (auto i : p.coverage.points[j]) today[i] = 1;
  }
  std::vector<int> cnt(N), prev_cnt(N);
  for (std::size_t t = 0; t < P; ++t) {
    auto& ph = r.phases[t];
    std::fill(cnt.begin(), cnt.end(), 0);
    for (std::size_t j = 0; j < S; ++j) {
      if (!open[t][j]) continue;
      for (auto i : p.coverage.points[j]) ++cnt[i];
    }
    // troops: the minimum per open base, the rest of the ceiling by covered weight (shared points split)
    ph.troops.assign(S, 0);
    std::vector<double> share(S, 0.0);
    double tw = 0;
    std::int64_t used = 0;
    for (std::size_t j = 0; j < S; ++j) {
      if (!open[t][j]) continue;
      ++ph.sites_open;
      ph.troops[j] = p.sites[j].troops;
      used += p.sites[j].troops;
      for (auto i : p.coverage.points[j]) share[j] += p.weights[t][i] / cnt[i];
      tw += share[j];
    }
    const std::int64_t rest = ph.sites_open > 0 ? std::max<std::int64_t>(0, p.troop_ceiling[t] - used) : 0;
    if (rest > 0) {
      std::vector<std::pair<double, std::size_t>> rem;
      std::int64_t given = 0;
      for (std::size_t j = 0; j < S; ++j) {
        if (!open[t][j]) continue;
        const double sh = tw > 0 ? static_cast<double>(rest) * share[j] / tw
                                 : static_cast<double>(rest) / static_cast<double>(ph.sites_open);
        const auto fl = static_cast<std::int64_t>(std::floor(sh));
        ph.troops[j] += fl;
        given += fl;
        rem.push_back({sh - static_cast<double>(fl), j});
      }
      std::stable_sort(rem.begin(), rem.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
      for (std::size_t k = 0; given < rest && k < rem.size(); ++k, ++given) ++ph.troops[rem[k].second];
    }
    for (auto x : ph.troops) ph.troops_total += x;
    // openings and closures
    for (std::size_t j = 0; j < S; ++j) {
      const bool prev = t == 0 ? p.sites[j].existing : open[t - 1][j] != 0;
      if (open[t][j] && !prev) ++ph.opened;
      if (!open[t][j] && prev) ++ph.closed;
    }
    // coverage, gap, population left without troop coverage
    std::vector<LostPoint> lost_today;
    for (std::size_t i = 0; i < N; ++i) {
      const double w = p.weights[t][i];
      const bool exited = p.exited(in.point_province[i], t);
      if (exited) {
        ph.handed_over += w;
        continue;
      }
      ph.responsibility += w;
      ph.population_responsibility += in.population[i];
      if (cnt[i] > 0) {
        ph.covered += w;
        ph.population_covered += in.population[i];
      } else if (today[i]) {
        LostPoint lp;
        lp.point = i;
        air_mitigation(p, open, t, in, lp);
        ph.population_lost += in.population[i];
        if (lp.air_site) ph.population_air += in.population[i];
      }
    }
    ph.gap = std::max(0.0, ph.responsibility - ph.covered);
    const double ground = ph.population_lost - ph.population_air;
    ph.ipo = people(ground, sp.ipo_per_100k);
    ph.fpu = ground > 0 && sp.fpu_per_million > 0
                 ? static_cast<std::int64_t>(std::ceil(ground * sp.fpu_per_million / 1e6 - 1e-9))
                 : 0;
    ph.police_needed = ph.ipo + ph.fpu * sp.fpu_size;
    ph.police = in.police_ceiling.empty() ? ph.police_needed : std::min(ph.police_needed, in.police_ceiling[t]);
    ph.police_shortfall = ph.police_needed - ph.police;
    ph.civilians_needed = people(ground, sp.civilians_per_100k);
    ph.civilians =
        in.civilian_ceiling.empty() ? ph.civilians_needed : std::min(ph.civilians_needed, in.civilian_ceiling[t]);
    ph.civilians_shortfall = ph.civilians_needed - ph.civilians;

    // closures at the start of this phase: who loses coverage, what replaces it
    std::fill(prev_cnt.begin(), prev_cnt.end(), 0);
    std::vector<std::size_t> closing;
    for (std::size_t j = 0; j < S; ++j) {
      const bool prev = t == 0 ? p.sites[j].existing : open[t - 1][j] != 0;
      if (prev) {
        for (auto i : p.coverage.points[j]) ++prev_cnt[i];
      }
      if (prev && !open[t][j]) closing.push_back(j);
    }
    std::map<std::size_t, std::size_t> closure_of_site;  // site -> index in r.closures
    for (std::size_t j : closing) {
      Closure c;
      c.site = j;
      c.phase = t;
      const int a = p.sites[j].province;
      c.exit = a >= 0 && p.exit_phase[static_cast<std::size_t>(a)] == static_cast<int>(t);
      closure_of_site[j] = r.closures.size();
      r.closures.push_back(std::move(c));
    }
    // each lost point goes to the closing base that reached it fastest
    std::vector<std::pair<float, std::size_t>> owner(N, {std::numeric_limits<float>::infinity(), S});
    for (std::size_t j : closing) {
      const auto& pts = p.coverage.points[j];
      const auto& hrs = p.coverage.hours[j];
      for (std::size_t k = 0; k < pts.size(); ++k) {
        const auto i = pts[k];
        if (cnt[i] > 0 || p.exited(in.point_province[i], t)) continue;
        if (hrs[k] < owner[i].first || (hrs[k] == owner[i].first && j < owner[i].second)) owner[i] = {hrs[k], j};
      }
    }
    for (std::size_t i = 0; i < N; ++i) {
      if (owner[i].second == S) continue;
      auto& c = r.closures[closure_of_site[owner[i].second]];
      LostPoint lp;
      lp.point = i;
      lp.weight = p.weights[t][i];
      lp.population = in.population[i];
      air_mitigation(p, open, t, in, lp);
      c.weight_lost += lp.weight;
      c.population_lost += lp.population;
      if (lp.air_site) ++c.by_air;
      c.lost.push_back(lp);
    }
    for (std::size_t j : closing) {
      auto& c = r.closures[closure_of_site[j]];
      std::stable_sort(c.lost.begin(), c.lost.end(), [](const LostPoint& x, const LostPoint& y) {
        return x.weight != y.weight ? x.weight > y.weight : x.point < y.point;
      });
      double on_ground = 0;
      for (const auto& lp : c.lost) {
        if (!lp.air_site) on_ground += lp.population;
      }
      c.police = people(on_ground, sp.ipo_per_100k);
      c.civilians = people(on_ground, sp.civilians_per_100k);
      c.monthly_cost =
          static_cast<double>(c.police) * sp.police_month + static_cast<double>(c.civilians) * sp.civilian_month;
    }
  }
  // cost per budget year
  std::map<std::string, std::size_t> at;
  auto year = [&](Month m) -> BudgetYearCost& {
    const std::string y = budget_year(m);
    auto it = at.find(y);
    if (it == at.end()) {
      it = at.emplace(y, r.costs.size()).first;
      r.costs.push_back(BudgetYearCost{y});
    }
    return r.costs[it->second];
  };
  for (std::size_t t = 0; t < P; ++t) {
    const auto& ph = r.phases[t];
    const auto& phase = in.phases[t];
    for (Month m = phase.from; m <= phase.to; m = m.plus(1)) {
      auto& c = year(m);
      ++c.months;
      c.troops += static_cast<double>(ph.troops_total) * sp.troop_month;
      c.police += static_cast<double>(ph.police) * sp.police_month;
      c.civilians += static_cast<double>(ph.civilians) * sp.civilian_month;
      c.bases += static_cast<double>(ph.sites_open) * sp.base_month;
    }
    auto& c = year(phase.from);
    c.closures += static_cast<double>(ph.closed) * sp.closure_cost;
    c.openings += static_cast<double>(ph.opened) * sp.opening_cost;
    const double months = phase.months();
    r.troop_months += static_cast<double>(ph.troops_total) * months;
    r.police_months += static_cast<double>(ph.police) * months;
    r.civilian_months += static_cast<double>(ph.civilians) * months;
    r.base_months += static_cast<double>(ph.sites_open) * months;
  }
  return r;
}

}  // namespace endstate::plan
