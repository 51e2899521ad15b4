// A World from a panel, a framework and bases (see simulate.hpp).
#include <algorithm>
#include <cmath>

#include "endstate/benchmarks/assess.hpp"
#include "endstate/core/error.hpp"
#include "endstate/simulate/simulate.hpp"

namespace endstate::simulate {

namespace {

SeriesSpec target_spec(forecast::Target t) {
  SeriesSpec s;
  switch (t) {
    case forecast::Target::kFatalities:
      s.measure = SeriesSpec::Measure::kFatalities;
      break;
    case forecast::Target::kVacEvents:
      s.measure = SeriesSpec::Measure::kEvents;
      s.types = {ViolenceType::kOneSided};
      break;
    case forecast::Target::kVacFatalities:
      s.measure = SeriesSpec::Measure::kFatalities;
      s.types = {ViolenceType::kOneSided};
      break;
  }
  return s;
}

bool same_series(const SeriesSpec& a, std::vector<ViolenceType> types, SeriesSpec::Measure m) {
  if (a.measure != m) return false;
  auto x = a.types, y = std::move(types);
  const auto all = [](std::vector<ViolenceType>& v) {
    if (v.empty())
      for (std::size_t k = 0; k < kViolenceTypes; ++k) v.push_back(static_cast<ViolenceType>(k));
    std::sort(v.begin(), v.end());
  };
  all(x);
  all(y);
  return x == y;
}

Kind kind_of(ViolenceType t) {
  switch (t) {
    case ViolenceType::kOneSided:
      return Kind::kOneSided;
    case ViolenceType::kStateBased:
      return Kind::kStateBased;
    case ViolenceType::kNonState:
      return Kind::kNonState;
    default:
      return Kind::kOther;
  }
}

}  // namespace

World make_world(const WorldSpec& spec, int paths, int horizon, std::uint64_t seed) {
  if (spec.panel == nullptr) throw usage_error("make_world: no panel");
  const Panel& panel = *spec.panel;
  const std::size_t A = panel.area_count(), T = panel.month_count(), P = spec.province_ids.size();
  if (spec.area_province.size() != A) throw usage_error("make_world: area_province does not line up with the panel");
  World w;
  w.areas = panel.areas();
  w.months = T;
  w.y = forecast::target_series(panel, spec.target);
  w.origin = panel.last().plus(1);
  w.area_province = spec.area_province;
  w.framework = spec.framework;
  w.bases = spec.bases;
  w.effect = spec.effect;
  w.reach = spec.reach;
  w.response_hours = spec.response_hours;
  w.hotspot_threshold = spec.hotspot_threshold;
  const SeriesSpec tspec = target_spec(spec.target);
  const std::size_t recent = std::min<std::size_t>(24, T);
  // Kinds and civilian share of each area's target.
  w.kind_share.resize(A);
  w.civilian_share.resize(A);
  for (std::size_t a = 0; a < A; ++a) {
    const auto shares = [&](std::size_t from) {
      std::array<double, kKinds> k{};
      double civ = 0, total = 0, os_events = 0, os_fat = 0;
      for (std::size_t t = from; t < T; ++t) {
        const PanelCell& c = panel.at(a, t);
        for (std::size_t v = 0; v < kViolenceTypes; ++v) {
          const auto vt = static_cast<ViolenceType>(v);
          if (!tspec.types.empty() && std::find(tspec.types.begin(), tspec.types.end(), vt) == tspec.types.end())
            continue;
          const double x =
              tspec.measure == SeriesSpec::Measure::kEvents ? c.events[v] : static_cast<double>(c.fatalities[v]);
          k[static_cast<std::size_t>(kind_of(vt))] += x;
          total += x;
        }
        civ += static_cast<double>(c.fatalities[index_of(ViolenceType::kOneSided)]);
        os_events += c.events[index_of(ViolenceType::kOneSided)];
        os_fat += static_cast<double>(c.fatalities[index_of(ViolenceType::kOneSided)]);
      }
      double civ_share = 0;
      if (spec.target == forecast::Target::kVacFatalities) {
        civ_share = 1;
      } else if (spec.target == forecast::Target::kVacEvents) {
        civ_share = os_events > 0 ? os_fat / os_events : 0;
      } else {
        civ_share = total > 0 ? civ / total : 0;
      }
      return std::make_tuple(k, total, civ_share);
    };
    auto [k, total, civ] = shares(T - recent);
    if (total <= 0) std::tie(k, total, civ) = shares(0);
    if (total <= 0) {
      k = {0, 0, 0, 0};
      k[spec.target == forecast::Target::kFatalities ? static_cast<std::size_t>(Kind::kOther)
                                                     : static_cast<std::size_t>(Kind::kOneSided)] = 1;
      total = 1;
    }
    for (auto& x : k) x /= total;
    w.kind_share[a] = k;
    w.civilian_share[a] = civ;
  }
  // Provinces.
  w.provinces.resize(P);
  for (std::size_t p = 0; p < P; ++p) {
    Province& pv = w.provinces[p];
    pv.id = spec.province_ids[p];
    pv.name = p < spec.province_names.size() ? spec.province_names[p] : pv.id;
    pv.population = p < spec.province_population.size() ? spec.province_population[p] : std::nullopt;
  }
  if (spec.framework) {
    const auto& fw = *spec.framework;
    const std::size_t I = fw.indicators.size();
    std::vector<double> target_sum(P * T, 0.0);
    for (std::size_t a = 0; a < A; ++a) {
      if (spec.area_province[a] < 0) continue;
      const auto p = static_cast<std::size_t>(spec.area_province[a]);
      for (std::size_t t = 0; t < T; ++t) target_sum[p * T + t] += w.y[a * T + t];
    }
    for (std::size_t p = 0; p < P; ++p) {
      w.provinces[p].raw.resize(I);
      w.provinces[p].per_unit.assign(I, 0.0);
      w.provinces[p].observed.resize(I);
    }
    for (std::size_t i = 0; i < I; ++i) {
      const auto& ind = fw.indicators[i];
      if (ind.source == benchmarks::IndicatorSource::kEvents) {
        SeriesSpec s;
        s.measure = ind.derivation.measure;
        s.types = ind.derivation.violence_types;
        const auto raw = series(panel, s);
        const bool same = same_series(tspec, s.types, s.measure);
        for (std::size_t p = 0; p < P; ++p) {
          auto& pv = w.provinces[p];
          pv.raw[i].assign(T, 0.0);
          for (std::size_t a = 0; a < A; ++a)
            if (spec.area_province[a] == static_cast<int>(p))
              for (std::size_t t = 0; t < T; ++t) pv.raw[i][t] += raw[a * T + t];
          if (same) {
            pv.per_unit[i] = 1.0;
            continue;
          }
          const auto ratio = [&](std::size_t from) {
            double num = 0, den = 0;
            for (std::size_t t = from; t < T; ++t) {
              num += pv.raw[i][t];
              den += target_sum[p * T + t];
            }
            return den > 0 ? num / den : -1.0;
          };
          double r = ratio(T - recent);
          if (r < 0) r = ratio(0);
          pv.per_unit[i] = std::max(0.0, r);
        }
      } else {
        const auto it = spec.observed.find(ind.derivation.observed_indicator);
        for (std::size_t p = 0; p < P; ++p) {
          auto& pv = w.provinces[p];
          if (it != spec.observed.end() && it->second.size() == P * T) {
            pv.raw[i].assign(it->second.begin() + static_cast<std::ptrdiff_t>(p * T),
                             it->second.begin() + static_cast<std::ptrdiff_t>((p + 1) * T));
          } else {
            pv.raw[i].assign(T, benchmarks::kMissing);
          }
          auto f = benchmarks::trend_paths(pv.raw[i], static_cast<std::size_t>(spec.trend_months),
                                           static_cast<std::size_t>(paths), static_cast<std::size_t>(horizon), seed,
                                           0x5157ULL ^ (static_cast<std::uint64_t>(p) << 20) ^ i);
          if (f.paths == 0) {  // too little data: the indicator stays missing on every path
            f.paths = static_cast<std::size_t>(paths);
            f.horizon = static_cast<std::size_t>(horizon);
            f.v.assign(f.paths * f.horizon, benchmarks::kMissing);
            f.method = "missing";
          }
          pv.observed[i] = std::move(f);
        }
      }
    }
  }
  return w;
}

}  // namespace endstate::simulate
