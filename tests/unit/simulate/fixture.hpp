#pragma once
// A synthetic country for the simulate tests: areas on a grid, grouped into
// provinces, with persistent violence (a latent AR(1) log-intensity), a
// base at every area, a benchmark framework on the fatalities of the last
// three months.

#include <cmath>
#include <string>
#include <vector>

#include "endstate/benchmarks/framework.hpp"
#include "endstate/core/panel.hpp"
#include "endstate/core/rng.hpp"
#include "endstate/forecast/sampling.hpp"
#include "endstate/simulate/simulate.hpp"

namespace endstate::simulate::testing {

/// rows x cols areas (0.5 degrees apart), `months` months from 2015-01.
inline Panel synthetic_panel(std::size_t rows, std::size_t cols, std::size_t months, std::uint64_t seed) {
  const std::size_t side = cols;
  std::vector<PanelArea> areas;
  for (std::size_t i = 0; i < rows * cols; ++i) {
    PanelArea a;
    a.id = "a" + std::to_string(i);
    a.name = "Area " + std::to_string(i);
    a.population = 100000;
    a.centroid = {1.0 + 0.5 * static_cast<double>(i / side), 20.0 + 0.5 * static_cast<double>(i % side)};
    areas.push_back(a);
  }
  const Month first = *Month::from_ym(2015, 1);
  Panel p(areas, first, first.plus(static_cast<std::int32_t>(months) - 1));
  Rng rng(seed, 7);
  for (std::size_t a = 0; a < areas.size(); ++a) {
    const double base = 0.5 + 6.0 * static_cast<double>(a % 5) / 4.0;
    double z = 0;
    for (std::size_t t = 0; t < months; ++t) {
      z = 0.8 * z + 0.5 * forecast::sample_normal(rng);
      const auto y = forecast::sample_poisson(rng, base * std::exp(z));
      const auto os = y * 6 / 10;
      auto& c = p.at(a, t);
      c.fatalities[index_of(ViolenceType::kOneSided)] = os;
      c.fatalities[index_of(ViolenceType::kStateBased)] = y - os;
      c.events[index_of(ViolenceType::kOneSided)] = os > 0 ? 1 : 0;
      c.events[index_of(ViolenceType::kStateBased)] = y - os > 0 ? 1 : 0;
    }
  }
  return p;
}
inline Panel synthetic_panel(std::size_t side, std::size_t months, std::uint64_t seed) {
  return synthetic_panel(side, side, months, seed);
}

inline const char* kFramework = R"(framework:
  id: sim
  name: Simulation test framework
  version: "1"
  area_level: province
  readiness:
    core: all
    contextual_share: 0.5
  indicators:
    - id: deaths
      direction: lower_is_better
      source: events
      derivation:
        measure: fatalities
        window_months: 3
        statistic: sum
    - id: vac
      direction: lower_is_better
      source: events
      derivation:
        measure: events
        violence_types: [one_sided]
        window_months: 6
        statistic: months_with_any
  benchmarks:
    - id: security
      kind: core
      category: protection
      indicators: [deaths]
    - id: civilians
      kind: contextual
      category: protection
      indicators: [vac]
  stakeholders:
    - id: un
      sustain_months: 3
      thresholds:
        deaths: 55
        vac: 6
    - id: government
      thresholds:
        deaths: 75
        vac: 6
)";

/// Provinces of `side` areas each (one per row of the grid), a base at every
/// `base_every`-th area.
inline World synthetic_world(const Panel& panel, const benchmarks::Framework* fw, const PresenceEffect& effect,
                             std::size_t side, int paths, int horizon, std::size_t base_every = 1) {
  WorldSpec s;
  s.panel = &panel;
  s.target = forecast::Target::kFatalities;
  for (std::size_t a = 0; a < panel.area_count(); ++a) s.area_province.push_back(static_cast<int>(a / side));
  for (std::size_t p = 0; p * side < panel.area_count(); ++p) {
    s.province_ids.push_back("p" + std::to_string(p));
    s.province_names.push_back("Province " + std::to_string(p));
    s.province_population.push_back(100000.0 * static_cast<double>(side));
  }
  s.framework = fw;
  for (std::size_t a = 0; a < panel.area_count(); a += base_every) {
    Base b;
    b.id = "b" + std::to_string(a);
    b.name = b.id;
    b.where = panel.areas()[a].centroid;
    b.province = static_cast<int>(a / side);
    b.troops = 300;
    b.police = 20;
    s.bases.push_back(b);
  }
  s.effect = effect;
  s.response_hours = 2;
  s.hotspot_threshold = 10;
  return make_world(s, paths, horizon, 11);
}

/// End-date: province p exits at month 2p; end-state: every stakeholder, 3 months.
inline std::vector<PolicyRule> two_policies(std::size_t provinces) {
  PolicyRule date;
  date.name = "end-date";
  date.policy = plan::Policy::kEndDate;
  for (std::size_t p = 0; p < provinces; ++p) date.exit_offset.push_back(static_cast<int>(2 * p));
  PolicyRule state;
  state.name = "end-state";
  state.policy = plan::Policy::kEndState;
  state.stakeholders = {0, 1};
  state.sustain_months = 3;
  state.exit_offset.assign(provinces, -1);
  return {state, date};
}

}  // namespace endstate::simulate::testing
