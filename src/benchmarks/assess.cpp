#include "endstate/benchmarks/assess.hpp"

#include <algorithm>
#include <deque>

#include "endstate/core/error.hpp"

namespace endstate::benchmarks {

std::string to_string(Status s) {
  switch (s) {
    case Status::kMet:
      return "met";
    case Status::kNotMet:
      return "not_met";
    case Status::kNoData:
      break;
  }
  return "no_data";
}
std::string to_string(Readiness r) {
  switch (r) {
    case Readiness::kReady:
      return "ready";
    case Readiness::kNotReady:
      return "not_ready";
    case Readiness::kNoData:
      break;
  }
  return "no_data";
}

namespace {

double one_window(const double* x, int w, Statistic stat) {
  double acc = stat == Statistic::kMax ? -HUGE_VAL : stat == Statistic::kMin ? HUGE_VAL : 0.0;
  for (int k = 0; k < w; ++k) {
    const double v = x[k];
    if (is_missing(v)) return kMissing;
    switch (stat) {
      case Statistic::kSum:
      case Statistic::kMean:
        acc += v;
        break;
      case Statistic::kMax:
        acc = std::max(acc, v);
        break;
      case Statistic::kMin:
        acc = std::min(acc, v);
        break;
      case Statistic::kMonthsWithAny:
        acc += v > 0 ? 1 : 0;
        break;
      case Statistic::kLast:
        acc = v;
        break;
    }
  }
  return stat == Statistic::kMean ? acc / w : acc;
}

}  // namespace

std::vector<double> window_statistic_naive(const std::vector<double>& x, int w, Statistic stat) {
  if (w < 1) throw internal_error("window_statistic: window < 1");
  std::vector<double> out(x.size(), kMissing);
  for (std::size_t t = static_cast<std::size_t>(w) - 1; t < x.size(); ++t) {
    out[t] = one_window(x.data() + t + 1 - w, w, stat);
  }
  return out;
}

std::vector<double> window_statistic(const std::vector<double>& x, int w, Statistic stat) {
  if (w < 1) throw internal_error("window_statistic: window < 1");
  const std::size_t n = x.size();
  const auto W = static_cast<std::size_t>(w);
  std::vector<double> out(n, kMissing);
  if (stat == Statistic::kLast || w == 1) {
    if (stat == Statistic::kMonthsWithAny) {
      for (std::size_t t = 0; t < n; ++t) out[t] = is_missing(x[t]) ? kMissing : (x[t] > 0 ? 1.0 : 0.0);
    } else {
      out = x;
    }
    return out;
  }
  // Missing months in the window: count them with a running counter.
  std::size_t missing = 0;
  if (stat == Statistic::kMax || stat == Statistic::kMin) {
    const bool is_max = stat == Statistic::kMax;
    std::deque<std::size_t> dq;  // indices with values monotone (decreasing for max)
    for (std::size_t t = 0; t < n; ++t) {
      if (is_missing(x[t])) {
        ++missing;
      } else {
        while (!dq.empty() && (is_max ? x[dq.back()] <= x[t] : x[dq.back()] >= x[t])) dq.pop_back();
        dq.push_back(t);
      }
      if (t >= W) {
        if (is_missing(x[t - W])) --missing;
        while (!dq.empty() && dq.front() + W <= t) dq.pop_front();
      }
      if (t + 1 >= W && missing == 0) out[t] = x[dq.front()];
    }
    return out;
  }
  // Sums: exact for integer counts; for real values the running sum is
  // re-anchored every window length to keep rounding drift bounded.
  const auto term = [&](double v) { return stat == Statistic::kMonthsWithAny ? (v > 0 ? 1.0 : 0.0) : v; };
  double sum = 0;  // sum of the present terms in the window
  for (std::size_t t = 0; t < n; ++t) {
    if (is_missing(x[t])) {
      ++missing;
    } else {
      sum += term(x[t]);
    }
    if (t >= W) {
      if (is_missing(x[t - W])) {
        --missing;
      } else {
        sum -= term(x[t - W]);
      }
    }
    if (t + 1 >= W && (t + 1) % W == 0) {  // re-anchor once per window length: O(1) amortised
      sum = 0;
      for (std::size_t k = t + 1 - W; k <= t; ++k)
        if (!is_missing(x[k])) sum += term(x[k]);
    }
    if (t + 1 >= W && missing == 0) out[t] = stat == Statistic::kMean ? sum / w : sum;
  }
  return out;
}

std::vector<double> derive_values(const std::vector<double>& monthly, const Derivation& d,
                                  std::optional<double> population) {
  auto v = window_statistic(monthly, d.window_months, d.statistic);
  if (d.per_population) {
    if (!population || *population <= 0) {
      std::fill(v.begin(), v.end(), kMissing);
    } else {
      const double f = *d.per_population / *population;
      for (double& x : v) x *= f;  // NaN stays NaN
    }
  }
  return v;
}

std::vector<double> raw_series(const IndicatorDef& def, const Inputs& in) {
  if (in.panel == nullptr) throw internal_error("benchmarks: inputs without a panel");
  if (def.source == IndicatorSource::kEvents) {
    SeriesSpec spec;
    spec.measure = def.derivation.measure;
    spec.types = def.derivation.violence_types;
    return series(*in.panel, spec);
  }
  const auto it = in.observed.find(def.derivation.observed_indicator);
  const std::size_t cells = in.panel->area_count() * in.panel->month_count();
  if (it == in.observed.end()) return std::vector<double>(cells, kMissing);
  if (it->second.size() != cells) throw internal_error("benchmarks: observed matrix not aligned with the panel");
  return it->second;
}

IndicatorValues compute_values(const Framework& fw, const Inputs& in) {
  IndicatorValues out;
  out.areas = in.panel->area_count();
  out.indicators = fw.indicators.size();
  out.months = in.panel->month_count();
  out.v.assign(out.areas * out.indicators * out.months, kMissing);
  for (std::size_t i = 0; i < fw.indicators.size(); ++i) {
    const auto raw = raw_series(fw.indicators[i], in);
    for (std::size_t a = 0; a < out.areas; ++a) {
      const std::vector<double> row(raw.begin() + static_cast<std::ptrdiff_t>(a * out.months),
                                    raw.begin() + static_cast<std::ptrdiff_t>((a + 1) * out.months));
      const auto v = derive_values(row, fw.indicators[i].derivation, in.panel->areas()[a].population);
      std::copy(v.begin(), v.end(), out.v.begin() + static_cast<std::ptrdiff_t>((a * out.indicators + i) * out.months));
    }
  }
  return out;
}

bool meets(double value, double threshold, Direction direction) {
  if (is_missing(value)) return false;
  return direction == Direction::kLowerIsBetter ? value <= threshold : value >= threshold;
}

namespace {

AreaTrajectory empty_trajectory(const Framework& fw, const std::string& area_id, std::size_t months) {
  AreaTrajectory tr;
  tr.area_id = area_id;
  tr.months = months;
  tr.stakeholders = fw.stakeholders.size();
  tr.indicators = fw.indicators.size();
  tr.benchmarks = fw.benchmarks.size();
  tr.indicator_status.assign(months * tr.stakeholders * tr.indicators, Status::kNoData);
  tr.streak.assign(months * tr.stakeholders * tr.indicators, 0);
  tr.benchmark_status.assign(months * tr.stakeholders * tr.benchmarks, Status::kNoData);
  tr.readiness.assign(months * tr.stakeholders, Readiness::kNoData);
  tr.contextual_share.assign(months * tr.stakeholders, 0.0);
  return tr;
}

/// Indicator indexes of each benchmark.
std::vector<std::vector<std::size_t>> benchmark_indicators(const Framework& fw) {
  std::vector<std::vector<std::size_t>> out;
  for (const auto& b : fw.benchmarks) {
    std::vector<std::size_t> ix;
    for (const auto& id : b.indicators) ix.push_back(*fw.indicator_index(id));
    out.push_back(std::move(ix));
  }
  return out;
}

/// Benchmark statuses and readiness of month t from the indicator statuses.
void roll_up(const Framework& fw, const std::vector<std::vector<std::size_t>>& bix, AreaTrajectory& tr, std::size_t t) {
  double ctx_total = 0;
  for (const auto& b : fw.benchmarks)
    if (b.kind == BenchmarkKind::kContextual) ctx_total += b.weight;
  for (std::size_t s = 0; s < tr.stakeholders; ++s) {
    bool core_not_met = false, core_no_data = false;
    double ctx_met = 0, ctx_no_data = 0;
    for (std::size_t b = 0; b < tr.benchmarks; ++b) {
      bool any_not = false, any_none = false;
      for (std::size_t i : bix[b]) {
        const Status st = tr.indicator(t, s, i);
        any_not |= st == Status::kNotMet;
        any_none |= st == Status::kNoData;
      }
      const Status bs = any_not ? Status::kNotMet : any_none ? Status::kNoData : Status::kMet;
      tr.benchmark_status[(t * tr.stakeholders + s) * tr.benchmarks + b] = bs;
      const auto& def = fw.benchmarks[b];
      if (def.kind == BenchmarkKind::kCore) {
        core_not_met |= bs == Status::kNotMet;
        core_no_data |= bs == Status::kNoData;
      } else if (bs == Status::kMet) {
        ctx_met += def.weight;
      } else if (bs == Status::kNoData) {
        ctx_no_data += def.weight;
      }
    }
    const double share = ctx_total > 0 ? ctx_met / ctx_total : 1.0;
    const double share_if_data = ctx_total > 0 ? (ctx_met + ctx_no_data) / ctx_total : 1.0;
    constexpr double kEps = 1e-12;
    Readiness r;
    if (core_not_met || share_if_data + kEps < fw.contextual_share) {
      r = Readiness::kNotReady;  // fails whatever the missing data would show
    } else if (core_no_data || share + kEps < fw.contextual_share) {
      r = Readiness::kNoData;  // could be ready, but missing data cannot count as met
    } else {
      r = Readiness::kReady;
    }
    tr.readiness[t * tr.stakeholders + s] = r;
    tr.contextual_share[t * tr.stakeholders + s] = share;
  }
}

/// Per (stakeholder, indicator): its threshold in this area and its sustain months.
struct Rule {
  double threshold;
  int sustain;
  Direction direction;
};
std::vector<Rule> rules(const Framework& fw, const std::string& area_id) {
  std::vector<Rule> out;
  for (const auto& s : fw.stakeholders) {
    for (const auto& ind : fw.indicators) {
      const auto it = s.thresholds.find(ind.id);
      // An indicator without this stakeholder's threshold (not used by any benchmark) is never judged met.
      out.push_back(
          {it == s.thresholds.end() ? kMissing : it->second.for_area(area_id), s.sustain_for(ind.id), ind.direction});
    }
  }
  return out;
}

}  // namespace

AreaTrajectory assess_area(const Framework& fw, const std::string& area_id, const double* values, std::size_t months) {
  AreaTrajectory tr = empty_trajectory(fw, area_id, months);
  const auto bix = benchmark_indicators(fw);
  const auto rl = rules(fw, area_id);
  const std::size_t S = tr.stakeholders, I = tr.indicators;
  // Indicator statuses: one pass over each (stakeholder, indicator) series,
  // reading the values sequentially and carrying the run length.
  for (std::size_t s = 0; s < S; ++s) {
    for (std::size_t i = 0; i < I; ++i) {
      const Rule& r = rl[s * I + i];
      const double* v = values + i * months;
      const bool lower = r.direction == Direction::kLowerIsBetter;
      std::int32_t k = 0;
      std::size_t at = s * I + i;
      for (std::size_t t = 0; t < months; ++t, at += S * I) {
        const double x = v[t];
        Status st;
        if (is_missing(x)) {
          k = 0;
          st = Status::kNoData;
        } else if (lower ? x <= r.threshold : x >= r.threshold) {
          ++k;
          st = k >= r.sustain ? Status::kMet : Status::kNotMet;
        } else {
          k = 0;
          st = Status::kNotMet;
        }
        tr.indicator_status[at] = st;
        tr.streak[at] = k;
      }
    }
  }
  for (std::size_t t = 0; t < months; ++t) roll_up(fw, bix, tr, t);
  return tr;
}

AreaTrajectory assess_area_naive(const Framework& fw, const std::string& area_id, const double* values,
                                 std::size_t months) {
  AreaTrajectory tr = empty_trajectory(fw, area_id, months);
  const auto bix = benchmark_indicators(fw);
  const auto rl = rules(fw, area_id);
  const std::size_t S = tr.stakeholders, I = tr.indicators;
  for (std::size_t t = 0; t < months; ++t) {
    for (std::size_t s = 0; s < S; ++s) {
      for (std::size_t i = 0; i < I; ++i) {
        const Rule& r = rl[s * I + i];
        const double* v = values + i * months;
        std::int32_t k = 0;  // count back from t while met, over the last `sustain` months only
        for (std::size_t u = t + 1; u-- > 0 && k < r.sustain;) {
          if (!meets(v[u], r.threshold, r.direction)) break;
          ++k;
        }
        const Status st = is_missing(v[t]) ? Status::kNoData : k >= r.sustain ? Status::kMet : Status::kNotMet;
        tr.indicator_status[(t * S + s) * I + i] = st;
        tr.streak[(t * S + s) * I + i] = k;
      }
    }
    roll_up(fw, bix, tr, t);
  }
  return tr;
}

std::vector<Disagreement> disagreements(const Framework& fw, const std::vector<AreaTrajectory>& trajectories,
                                        const IndicatorValues& values, std::size_t t) {
  std::vector<Disagreement> out;
  for (std::size_t a = 0; a < trajectories.size(); ++a) {
    const auto& tr = trajectories[a];
    if (t >= tr.months) continue;
    for (std::size_t b = 0; b < fw.benchmarks.size(); ++b) {
      for (const auto& ind_id : fw.benchmarks[b].indicators) {
        const std::size_t i = *fw.indicator_index(ind_id);
        Disagreement d;
        d.area_id = tr.area_id;
        d.benchmark_id = fw.benchmarks[b].id;
        d.indicator_id = ind_id;
        d.value = values.at(a, i, t);
        for (std::size_t s = 0; s < tr.stakeholders; ++s) {
          const auto& sh = fw.stakeholders[s];
          const Status st = tr.indicator(t, s, i);
          if (st == Status::kMet) {
            d.met_by.push_back(sh.id);
          } else if (st == Status::kNotMet) {
            d.not_met_by.push_back(sh.id);
            Disagreement::Gap g;
            g.stakeholder = sh.id;
            g.threshold = sh.thresholds.at(ind_id).for_area(tr.area_id);
            const auto dir = fw.indicators[i].direction;
            g.move = meets(d.value, g.threshold, dir) ? 0.0 : g.threshold - d.value;
            g.months_to_sustain = sh.sustain_for(ind_id) - (g.move == 0.0 ? tr.run(t, s, i) : 0);
            d.gaps.push_back(std::move(g));
          }
        }
        if (!d.met_by.empty() && !d.not_met_by.empty()) out.push_back(std::move(d));
      }
    }
  }
  return out;
}

}  // namespace endstate::benchmarks
