// Sample paths, policies on each path, readiness along it (see simulate.hpp).
#include "endstate/simulate/simulate.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <exception>
#include <mutex>
#include <thread>

#include "endstate/benchmarks/assess.hpp"
#include "endstate/core/error.hpp"
#include "simulate/detail/parallel.hpp"
#include "simulate/detail/readiness.hpp"

namespace endstate::simulate {

using benchmarks::Readiness;

PolicyRule PolicyRule::status_quo(std::size_t provinces) {
  PolicyRule r;
  r.name = "status-quo";
  r.policy = plan::Policy::kEndDate;
  r.exit_offset.assign(provinces, -1);
  return r;
}

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

PolicyRule policy_from_plan(const plan::PlanSpec& spec, const World& w) {
  PolicyRule r;
  r.name = spec.id.empty() ? plan::to_string(spec.policy) : spec.id;
  r.policy = spec.policy;
  r.sustain_months = spec.sustain_months;
  r.max_delay_months = spec.max_delay_months;
  r.exit_offset.assign(w.provinces.size(), -1);
  for (std::size_t k = 0; k < spec.exit_dates.size(); ++k) {
    const auto& [name, month] = spec.exit_dates[k];
    std::optional<std::size_t> found;
    for (std::size_t p = 0; p < w.provinces.size(); ++p) {
      if (lower(w.provinces[p].id) == lower(name) || lower(w.provinces[p].name) == lower(name)) found = p;
    }
    const auto& where = k < spec.exit_dates_where.size() ? spec.exit_dates_where[k] : plan::FieldLine{};
    if (!found) {
      throw bad_input("province '" + name + "' is not one of the simulated provinces",
                      {spec.file, where.line, where.field});
    }
    r.exit_offset[*found] = std::max(0, month.index() - w.origin.index());
  }
  // the plan's locks for the whole plan: they hold their province (end-state, hybrid)
  r.held.assign(w.provinces.size(), 0);
  auto named = [](const std::vector<std::string>& names, const Base& b) {
    return std::any_of(names.begin(), names.end(),
                       [&](const std::string& n) { return lower(n) == lower(b.id) || lower(n) == lower(b.name); });
  };
  for (const auto& b : w.bases) {
    bool locked = b.hq > 0 && std::count(spec.lock_hq_codes.begin(), spec.lock_hq_codes.end(), b.hq) > 0;
    if (b.hq > 0 && std::count(spec.until_exit_hq_codes.begin(), spec.until_exit_hq_codes.end(), b.hq) > 0)
      locked = false;
    if (named(spec.lock_sites, b)) locked = true;
    if (named(spec.until_exit_sites, b) || named(spec.unlock_sites, b)) locked = false;
    if (locked && b.province >= 0) r.held[static_cast<std::size_t>(b.province)] = 1;
  }
  if (w.framework != nullptr) {
    if (spec.stakeholders.empty()) {
      for (std::size_t s = 0; s < w.framework->stakeholders.size(); ++s) r.stakeholders.push_back(s);
    } else {
      for (const auto& id : spec.stakeholders) {
        const auto s = w.framework->stakeholder_index(id);
        if (!s) {
          throw bad_input("stakeholder '" + id + "' is not in the benchmark framework",
                          {spec.file, spec.stakeholders_where.line, spec.stakeholders_where.field});
        }
        r.stakeholders.push_back(*s);
      }
    }
  }
  return r;
}

namespace {

/// Stream of the draw of area a in month m of path p (common to every policy).
inline Rng draw_rng(std::uint64_t seed, std::size_t path, std::size_t area, std::size_t month) {
  const std::uint64_t stream = (static_cast<std::uint64_t>(path) * 0x9E3779B97F4A7C15ULL) ^
                               (static_cast<std::uint64_t>(area) * 0xC2B2AE3D27D4EB4FULL) ^
                               static_cast<std::uint64_t>(month);
  return Rng(seed, stream);
}

/// What is fixed for a world: geometry of presence and reach, readiness rules,
/// the history's final states.
struct Prepared {
  std::size_t A = 0, P = 0, S = 0, B = 0, I = 0;
  std::vector<float> kernel;  // [area][base] presence of the base at the area (straightforward)
  std::vector<std::vector<std::pair<std::size_t, float>>> area_bases;  // [area] bases present there
  std::vector<std::vector<std::size_t>> base_areas;                    // [base] areas it is present at
  std::vector<std::vector<std::size_t>> in_reach;                      // [area] bases within the response time
  std::vector<std::vector<std::size_t>> neighbours;                    // [area] displacement neighbours
  std::vector<double> p0, q0;                                      // presence and neighbours' presence at the origin
  std::vector<double> ebar;                                        // [area] share-weighted averted effect
  std::vector<std::vector<std::size_t>> prov_areas;                // [province] areas
  std::vector<std::vector<std::size_t>> prov_bases;                // [province] bases (-1: index P)
  std::vector<detail::ProvinceRules> rules;                        // [province]
  std::vector<detail::ProvinceRules::State> start;                 // [province] after the history
  std::vector<std::vector<std::vector<Readiness>>> history_ready;  // [province][month][stakeholder]
  PathState state0;
};

/// Presence at area a from every base (the straightforward way).
double presence_of(const Prepared& pr, std::size_t a, const std::vector<char>& open) {
  double p = 0;
  const float* k = &pr.kernel[a * pr.B];
  for (std::size_t b = 0; b < pr.B; ++b)
    if (open[b] && k[b] > p) p = k[b];
  return p;
}

/// The same from the bases present there only.
double presence_sparse(const Prepared& pr, std::size_t a, const std::vector<char>& open) {
  double p = 0;
  for (const auto& [b, k] : pr.area_bases[a])
    if (open[b] && k > p) p = k;
  return p;
}

Prepared prepare(const World& w) {
  Prepared pr;
  pr.A = w.areas.size();
  pr.P = w.provinces.size();
  pr.B = w.bases.size();
  pr.S = w.framework ? w.framework->stakeholders.size() : 0;
  pr.I = w.framework ? w.framework->indicators.size() : 0;
  pr.kernel.assign(pr.A * pr.B, 0.0f);
  pr.in_reach.resize(pr.A);
  for (std::size_t a = 0; a < pr.A; ++a) {
    for (std::size_t b = 0; b < pr.B; ++b) {
      const double km = great_circle_km(w.areas[a].centroid, w.bases[b].where);
      const auto k = static_cast<float>(w.effect.presence_at(km));
      pr.kernel[a * pr.B + b] = k;
      if (geo::response_hours(w.bases[b].where, w.areas[a].centroid, w.bases[b].has_air, w.reach) <= w.response_hours)
        pr.in_reach[a].push_back(b);
    }
  }
  pr.area_bases.resize(pr.A);
  pr.base_areas.resize(pr.B);
  for (std::size_t a = 0; a < pr.A; ++a)
    for (std::size_t b = 0; b < pr.B; ++b)
      if (pr.kernel[a * pr.B + b] > 0) {
        pr.area_bases[a].emplace_back(b, pr.kernel[a * pr.B + b]);
        pr.base_areas[b].push_back(a);
      }
  pr.neighbours = nearest_areas(w.areas, w.effect.displacement_neighbours);
  const std::vector<char> all(pr.B, 1);
  pr.p0.resize(pr.A);
  for (std::size_t a = 0; a < pr.A; ++a) pr.p0[a] = presence_of(pr, a, all);
  pr.q0.resize(pr.A);
  pr.ebar.resize(pr.A);
  for (std::size_t a = 0; a < pr.A; ++a) {
    double q = 0;
    for (std::size_t j : pr.neighbours[a]) q += pr.p0[j];
    pr.q0[a] = pr.neighbours[a].empty() ? 0 : q / static_cast<double>(pr.neighbours[a].size());
    double e = 0;
    for (std::size_t k = 0; k < kKinds; ++k) e += w.kind_share[a][k] * std::max(0.0, -w.effect.effect[k]);
    pr.ebar[a] = e;
  }
  pr.prov_areas.resize(pr.P);
  for (std::size_t a = 0; a < pr.A; ++a)
    if (w.area_province[a] >= 0) pr.prov_areas[static_cast<std::size_t>(w.area_province[a])].push_back(a);
  pr.prov_bases.resize(pr.P + 1);
  for (std::size_t b = 0; b < pr.B; ++b) {
    const int p = w.bases[b].province;
    pr.prov_bases[p >= 0 ? static_cast<std::size_t>(p) : pr.P].push_back(b);
  }
  if (w.framework) {
    for (std::size_t p = 0; p < pr.P; ++p) {
      pr.rules.emplace_back(*w.framework, w.provinces[p]);
      auto st = pr.rules[p].start();
      std::vector<std::vector<Readiness>> hist;
      std::vector<double> raw(pr.I);
      for (std::size_t t = 0; t < w.months; ++t) {
        for (std::size_t i = 0; i < pr.I; ++i) raw[i] = w.provinces[p].raw[i][t];
        pr.rules[p].push(st, raw.data());
        hist.push_back(st.ready);
      }
      pr.start.push_back(std::move(st));
      pr.history_ready.push_back(std::move(hist));
    }
  }
  pr.state0 = PathState(w.y, pr.A, w.months);
  return pr;
}

void validate(const World& w, const std::vector<PolicyRule>& policies, const SimOptions& o) {
  if (o.horizon < 1 || o.horizon > 240) throw invalid_field("horizon", "must be 1..240 months");
  if (o.paths < 1 || o.paths > 10'000'000) throw invalid_field("paths", "must be 1..10000000");
  if (policies.empty()) throw invalid_field("policies", "must name at least one policy");
  const std::size_t A = w.areas.size();
  if (A == 0 || w.months == 0 || w.y.size() != A * w.months)
    throw usage_error("simulate: the history does not line up with its areas");
  if (w.area_province.size() != A || w.kind_share.size() != A || w.civilian_share.size() != A)
    throw usage_error("simulate: per-area inputs do not line up with the areas");
  for (int p : w.area_province)
    if (p >= static_cast<int>(w.provinces.size())) throw usage_error("simulate: area in an unknown province");
  for (const auto& b : w.bases)
    if (b.province >= static_cast<int>(w.provinces.size())) throw usage_error("simulate: base in an unknown province");
  if (w.framework) {
    const std::size_t I = w.framework->indicators.size();
    for (const auto& p : w.provinces) {
      if (p.raw.size() != I || p.per_unit.size() != I || p.observed.size() != I)
        throw usage_error("simulate: province '" + p.id + "' has inputs for another number of indicators");
      for (std::size_t i = 0; i < I; ++i) {
        if (p.raw[i].size() != w.months) throw usage_error("simulate: province history of another length");
        if (w.framework->indicators[i].source == benchmarks::IndicatorSource::kObserved) {
          const auto& f = p.observed[i];
          if (f.paths < static_cast<std::size_t>(o.paths) || f.horizon < static_cast<std::size_t>(o.horizon) ||
              f.v.size() != f.paths * f.horizon)
            throw usage_error("simulate: observed indicator paths shorter than the simulation");
        }
      }
    }
  }
  for (const auto& r : policies) {
    if (r.exit_offset.size() != w.provinces.size())
      throw usage_error("simulate: policy '" + r.name + "' has exit dates for another number of provinces");
    if (!r.held.empty() && r.held.size() != w.provinces.size())
      throw usage_error("simulate: policy '" + r.name + "' holds provinces of another number");
    for (std::size_t s : r.stakeholders)
      if (w.framework == nullptr || s >= w.framework->stakeholders.size())
        throw usage_error("simulate: policy '" + r.name + "' names an unknown stakeholder");
    if (r.sustain_months < 1) throw invalid_field("sustain_months", "must be at least 1");
  }
}

/// Consecutive months (up to the last history month) in which the province
/// was ready for every stakeholder of the rule.
int history_streak(const Prepared& pr, std::size_t p, const PolicyRule& r) {
  if (r.stakeholders.empty() || pr.history_ready.empty()) return 0;
  int k = 0;
  const auto& h = pr.history_ready[p];
  for (std::size_t t = h.size(); t-- > 0;) {
    bool all = true;
    for (std::size_t s : r.stakeholders) all = all && h[t][s] == Readiness::kReady;
    if (!all) break;
    ++k;
  }
  return k;
}

/// One path under one policy.
class PathRunner {
 public:
  PathRunner(const World& w, const Prepared& pr, const StepModel& model, const SimOptions& o)
      : w_(w), pr_(pr), model_(model), o_(o), H_(static_cast<std::size_t>(o.horizon)) {}

  void run(std::size_t path, const PolicyRule& rule, PathOutcome& out, float* monthly_target, float* monthly_troops,
           float* area_paths) {
    const std::size_t A = pr_.A, P = pr_.P, B = pr_.B;
    PathState state = pr_.state0;
    std::vector<double> full;  // straightforward: the whole path history [area][month]
    std::size_t full_months = w_.months;
    if (o_.straightforward) full = w_.y;
    auto rstate = pr_.start;
    std::vector<std::vector<std::vector<double>>> prov_raw;  // straightforward: [province][indicator] history + path
    if (o_.straightforward && w_.framework) {
      prov_raw.resize(P);
      for (std::size_t p = 0; p < P; ++p) prov_raw[p] = w_.provinces[p].raw;
    }
    std::vector<char> open(B, 1), exited(P, 0);
    std::vector<int> streak(P, 0);
    for (std::size_t p = 0; p < P; ++p) streak[p] = history_streak(pr_, p, rule);
    out.exit.assign(P, static_cast<int>(H_));
    out.first_ready.assign(P * pr_.S, -1);
    for (std::size_t p = 0; p < P && w_.framework; ++p)
      for (std::size_t s = 0; s < pr_.S; ++s)
        if (!pr_.history_ready[p].empty() && pr_.history_ready[p].back()[s] == Readiness::kReady)
          out.first_ready[p * pr_.S + s] = 0;
    std::vector<double> p_now = pr_.p0, mult(A, 1.0), y(A), drop(A, 0.0);
    std::vector<int> drop_month(A, -1);
    std::size_t exited_count = 0, closures = 0;
    std::vector<std::size_t> closed_now;
    for (std::size_t m = 0; m < H_; ++m) {
      // 1. the policy acts at the start of the month on what it knows (through m-1)
      for (std::size_t p = 0; p < P; ++p) {
        if (exited[p]) continue;
        if (rule.policy != plan::Policy::kEndDate && !rule.held.empty() && rule.held[p]) continue;
        const int date = rule.exit_offset[p];
        const bool sustained = !rule.stakeholders.empty() && streak[p] >= rule.sustain_months;
        const int mi = static_cast<int>(m);
        bool go = false;
        switch (rule.policy) {
          case plan::Policy::kEndDate:
            go = date >= 0 && mi >= date;
            break;
          case plan::Policy::kEndState:
            go = sustained;
            break;
          case plan::Policy::kHybrid:
            go = date >= 0 ? (mi >= date && (sustained || mi >= date + rule.max_delay_months)) : sustained;
            break;
        }
        if (!go) continue;
        exited[p] = 1;
        ++exited_count;
        out.exit[p] = mi;
        for (std::size_t b : pr_.prov_bases[p]) {
          if (open[b]) {
            ++closures;
            closed_now.push_back(b);
          }
          open[b] = 0;
        }
      }
      if (P > 0 && exited_count == P) {
        for (std::size_t b : pr_.prov_bases[P]) {
          if (open[b]) {
            ++closures;
            closed_now.push_back(b);
          }
          open[b] = 0;
        }
      }
      // 2. presence and multipliers
      const auto update = [&](std::size_t a, double p) {
        if (p < p_now[a]) {
          drop[a] = p_now[a] - p;
          drop_month[a] = static_cast<int>(m);
        }
        p_now[a] = p;
      };
      if (o_.straightforward) {
        for (std::size_t a = 0; a < A; ++a) update(a, presence_of(pr_, a, open));
      } else {
        for (std::size_t b : closed_now)
          for (std::size_t a : pr_.base_areas[b]) update(a, presence_sparse(pr_, a, open));
      }
      closed_now.clear();
      if (!w_.effect.none) {
        for (std::size_t a = 0; a < A; ++a) mult[a] = multiplier(a, p_now, drop[a], drop_month[a], m);
      }
      // 3. one month of violence
      for (std::size_t a = 0; a < A; ++a) {
        Rng rng = draw_rng(o_.seed, path, a, m);
        y[a] = model_.draw(state, a, mult[a], rng);
      }
      if (o_.straightforward) {
        // rebuild the state from the whole path history (what a model
        // recomputing its features every month would do)
        std::vector<double> next(A * (full_months + 1));
        for (std::size_t a = 0; a < A; ++a) {
          std::copy(&full[a * full_months], &full[a * full_months] + full_months, &next[a * (full_months + 1)]);
          next[a * (full_months + 1) + full_months] = y[a];
        }
        full.swap(next);
        ++full_months;
        state = PathState(full, A, full_months);
      } else {
        state.push(y.data());
      }
      // 4. what the month cost and did
      double total = 0, troops = 0, police = 0, bases = 0;
      for (std::size_t a = 0; a < A; ++a) {
        total += y[a];
        out.fatalities += y[a];
        out.civilian += y[a] * w_.civilian_share[a];
        if (y[a] >= w_.hotspot_threshold) {
          bool reach = false;
          for (std::size_t b : pr_.in_reach[a]) reach = reach || open[b];
          if (!reach) ++out.gap_months;
        }
        if (area_paths) area_paths[a * H_ + m] = static_cast<float>(y[a]);
      }
      for (std::size_t b = 0; b < B; ++b) {
        if (!open[b]) continue;
        troops += static_cast<double>(w_.bases[b].troops);
        police += static_cast<double>(w_.bases[b].police);
        bases += 1;
      }
      out.troop_months += troops;
      out.police_months += police;
      out.base_months += bases;
      monthly_target[m] = static_cast<float>(total);
      monthly_troops[m] = static_cast<float>(troops);
      // 5. benchmarks of the month, readiness, the policy's sustain runs
      if (w_.framework) readiness(path, m, y, rstate, prov_raw, rule, streak, out);
    }
    int end = 0;
    for (std::size_t p = 0; p < P; ++p) end = std::max(end, out.exit[p]);
    out.mission_end = P == 0 ? static_cast<int>(H_) : end;
    out.cost = out.troop_months * w_.troop_month + out.police_months * w_.police_month +
               out.base_months * w_.base_month + static_cast<double>(closures) * w_.closure_cost;
  }

 private:
  double multiplier(std::size_t a, const std::vector<double>& p, double drop, int drop_month, std::size_t m) const {
    const PresenceEffect& e = w_.effect;
    double kinds = 0;
    for (std::size_t k = 0; k < kKinds; ++k) kinds += w_.kind_share[a][k] * e.kind_ratio(k, p[a], pr_.p0[a]);
    double q = 0;
    for (std::size_t j : pr_.neighbours[a]) q += p[j];
    if (!pr_.neighbours[a].empty()) q /= static_cast<double>(pr_.neighbours[a].size());
    const double g = e.displacement_share * pr_.ebar[a] * q * (1.0 - p[a]);
    const double g0 = e.displacement_share * pr_.ebar[a] * pr_.q0[a] * (1.0 - pr_.p0[a]);
    double spike = 1.0;
    if (drop_month >= 0 && e.withdrawal_months > 0) {
      const double since = static_cast<double>(m) - drop_month;
      if (since < e.withdrawal_months) spike += e.withdrawal_spike * drop * (1.0 - since / e.withdrawal_months);
    }
    return kinds * (1.0 + g) / (1.0 + g0) * spike;
  }

  void readiness(std::size_t path, std::size_t m, const std::vector<double>& y,
                 std::vector<detail::ProvinceRules::State>& rstate,
                 std::vector<std::vector<std::vector<double>>>& prov_raw, const PolicyRule& rule,
                 std::vector<int>& streak, PathOutcome& out) {
    const std::size_t I = pr_.I, S = pr_.S;
    raw_.resize(I);
    std::vector<double>& raw = raw_;
    for (std::size_t p = 0; p < pr_.P; ++p) {
      double sum = 0;
      for (std::size_t a : pr_.prov_areas[p]) sum += y[a];
      const Province& pv = w_.provinces[p];
      for (std::size_t i = 0; i < I; ++i) {
        raw[i] = pv.observed[i].paths > 0 ? pv.observed[i].v[path * pv.observed[i].horizon + m] : sum * pv.per_unit[i];
      }
      std::vector<Readiness>& ready = ready_;
      ready.clear();
      if (o_.straightforward) {
        // the whole series, derived and assessed from its start
        const std::size_t T = prov_raw[p][0].size() + 1;
        std::vector<double> values(I * T);
        for (std::size_t i = 0; i < I; ++i) {
          prov_raw[p][i].push_back(raw[i]);
          const auto v =
              benchmarks::derive_values(prov_raw[p][i], w_.framework->indicators[i].derivation, pv.population);
          std::copy(v.begin(), v.end(), values.begin() + static_cast<std::ptrdiff_t>(i * T));
        }
        const auto tr = benchmarks::assess_area(*w_.framework, pv.id, values.data(), T);
        for (std::size_t s = 0; s < S; ++s) ready.push_back(tr.ready(T - 1, s));
      } else {
        pr_.rules[p].push(rstate[p], raw.data());
        ready.assign(rstate[p].ready.begin(), rstate[p].ready.end());
      }
      bool all = !rule.stakeholders.empty();
      for (std::size_t s : rule.stakeholders) all = all && ready[s] == Readiness::kReady;
      streak[p] = all ? streak[p] + 1 : 0;
      for (std::size_t s = 0; s < S; ++s)
        if (ready[s] == Readiness::kReady && out.first_ready[p * S + s] < 0)
          out.first_ready[p * S + s] = static_cast<int>(m) + 1;
    }
  }

  const World& w_;
  const Prepared& pr_;
  const StepModel& model_;
  const SimOptions& o_;
  std::size_t H_;
  std::vector<double> raw_;
  std::vector<Readiness> ready_;
};

}  // namespace

SimResult simulate(const World& w, const StepModel& model, const std::vector<PolicyRule>& policies, const SimOptions& o,
                   const std::function<void(std::int64_t, std::int64_t)>& progress) {
  validate(w, policies, o);
  if (w.months < model.min_history())
    throw bad_input("the history has " + std::to_string(w.months) + " months; model " + model.name() + " needs " +
                    std::to_string(model.min_history()));
  const Prepared pr = prepare(w);
  SimResult r;
  r.paths = static_cast<std::size_t>(o.paths);
  r.horizon = static_cast<std::size_t>(o.horizon);
  r.areas = pr.A;
  r.provinces = pr.P;
  r.stakeholders = pr.S;
  r.origin = w.origin;
  for (const auto& p : policies) r.policies.push_back(p.name);
  const std::size_t R = policies.size(), N = r.paths, H = r.horizon;
  r.outcomes.resize(R * N);
  r.monthly_target.assign(R * N * H, 0.0f);
  r.monthly_troops.assign(R * N * H, 0.0f);
  if (o.keep_area_paths) r.area_paths.assign(R * N * pr.A * H, 0.0f);
  std::mutex mu;
  std::int64_t done = 0;
  detail::parallel_for(N, o.threads, [&](std::size_t path) {
    PathRunner runner(w, pr, model, o);
    for (std::size_t k = 0; k < R; ++k) {
      const std::size_t at = k * N + path;
      runner.run(path, policies[k], r.outcomes[at], &r.monthly_target[at * H], &r.monthly_troops[at * H],
                 o.keep_area_paths ? &r.area_paths[at * pr.A * H] : nullptr);
    }
    if (progress) {
      const std::lock_guard<std::mutex> lock(mu);
      progress(++done, static_cast<std::int64_t>(N));
    }
  });
  return r;
}

}  // namespace endstate::simulate
