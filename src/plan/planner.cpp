// The transition planner: problem checks, the constraint checker, structural
// infeasibility, the exact MILP in CBC and the dispatcher (see planner.hpp).
#include "endstate/plan/planner.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>

#include "endstate/core/error.hpp"
#include "endstate/footprint/milp.hpp"
#include "plan/detail/plan_internal.hpp"

namespace endstate::plan {

namespace fp = endstate::footprint;

bool PlanProblem::exited(int province, std::size_t phase) const {
  if (province < 0) return false;
  const int e = exit_phase[static_cast<std::size_t>(province)];
  return e >= 0 && static_cast<int>(phase) >= e;
}
bool PlanProblem::is_paused(int province, std::size_t phase) const {
  return province >= 0 && !paused.empty() && paused[static_cast<std::size_t>(province)][phase] != 0;
}
bool PlanProblem::may_reopen(int province, std::size_t phase) const {
  return province >= 0 && !reopen.empty() && reopen[static_cast<std::size_t>(province)][phase] != 0 &&
         openings_allowed(phase);
}
bool PlanProblem::closures_allowed(std::size_t phase) const { return phase_offset[phase] >= close_lead_months; }
bool PlanProblem::openings_allowed(std::size_t phase) const { return phase_offset[phase] >= open_lead_months; }
std::int64_t PlanProblem::closure_limit(std::size_t phase) const {
  return max_closures.empty() ? -1 : max_closures[phase];
}

void validate(const PlanProblem& p) {
  const std::size_t P = p.phases(), S = p.sites.size(), A = p.provinces.size();
  if (P == 0) throw usage_error("plan: no phases");
  if (p.phase_offset.size() != P) throw usage_error("plan: one offset per phase");
  for (std::size_t t = 1; t < P; ++t) {
    if (p.phase_offset[t] <= p.phase_offset[t - 1]) throw usage_error("plan: phase offsets must increase");
  }
  if (p.weights.size() != P) throw usage_error("plan: one weight vector per phase");
  for (const auto& w : p.weights) {
    if (w.size() != p.coverage.demand_count) throw usage_error("plan: one weight per demand point in every phase");
    for (double x : w) {
      if (!(x >= 0) || !std::isfinite(x)) throw usage_error("plan: weights must be finite and >= 0");
    }
  }
  if (p.coverage.points.size() != S) throw usage_error("plan: one coverage set per site");
  for (const auto& pts : p.coverage.points) {
    for (auto i : pts) {
      if (i >= p.coverage.demand_count) throw usage_error("plan: coverage names a point out of range");
    }
  }
  for (const auto& s : p.sites) {
    if (s.province >= static_cast<int>(A) || s.province < -1) throw usage_error("plan: site province out of range");
    if (s.troops < 0) throw usage_error("plan: site troops must be >= 0");
  }
  if (p.exit_phase.size() != A) throw usage_error("plan: one exit phase per province");
  for (int e : p.exit_phase) {
    if (e < -1 || e >= static_cast<int>(P)) throw usage_error("plan: exit phase out of range");
  }
  if (p.troop_ceiling.size() != P) throw usage_error("plan: one troop ceiling per phase");
  if (!p.max_closures.empty() && p.max_closures.size() != P) throw usage_error("plan: one closure limit per phase");
  for (const auto* m : {&p.paused, &p.reopen}) {
    if (m->empty()) continue;
    if (m->size() != A) throw usage_error("plan: one trigger row per province");
    for (const auto& r : *m) {
      if (r.size() != P) throw usage_error("plan: one trigger flag per phase");
    }
  }
  if (p.min_sites_per_province < 0) throw usage_error("plan: min sites per province must be >= 0");
}

namespace detail {

Structure::Structure(const PlanProblem& pr) : p(pr) {
  const std::size_t P = pr.phases(), S = pr.sites.size();
  can_open.assign(P, std::vector<char>(S, 0));
  must_open.assign(P, std::vector<char>(S, 0));
  for (std::size_t t = 0; t < P; ++t) {
    for (std::size_t j = 0; j < S; ++j) {
      const auto& s = pr.sites[j];
      bool can = !s.forbidden && !pr.exited(s.province, t) && (s.existing || pr.openings_allowed(t));
      can_open[t][j] = can ? 1 : 0;
      const bool locked = s.lock == Lock::kPlan || (s.lock == Lock::kUntilExit && !pr.exited(s.province, t));
      must_open[t][j] = locked && can ? 1 : 0;
    }
  }
  required.assign(P, std::vector<int>(pr.provinces.size(), 0));
  for (std::size_t t = 0; t < P; ++t) {
    std::vector<int> allowed(pr.provinces.size(), 0);
    for (std::size_t j = 0; j < S; ++j) {
      if (pr.sites[j].province >= 0 && can_open[t][j]) ++allowed[static_cast<std::size_t>(pr.sites[j].province)];
    }
    for (std::size_t a = 0; a < pr.provinces.size(); ++a) {
      if (!pr.exited(static_cast<int>(a), t)) required[t][a] = std::min(pr.min_sites_per_province, allowed[a]);
    }
  }
}

PointGroups group_points(const PlanProblem& p, const std::vector<char>& ever) {
  const std::size_t P = p.phases(), S = p.sites.size();
  std::vector<std::vector<std::uint32_t>> by_point(p.coverage.demand_count);
  for (std::size_t j = 0; j < S; ++j) {
    if (!ever[j]) continue;
    for (auto i : p.coverage.points[j]) by_point[i].push_back(static_cast<std::uint32_t>(j));
  }
  PointGroups out;
  std::map<std::vector<std::uint32_t>, std::size_t> gid;
  for (std::size_t i = 0; i < by_point.size(); ++i) {
    if (by_point[i].empty()) continue;
    double any = 0;
    for (std::size_t t = 0; t < P; ++t) any += p.weights[t][i];
    if (any <= 0) continue;
    auto it = gid.find(by_point[i]);
    if (it == gid.end()) {
      it = gid.emplace(by_point[i], out.sites.size()).first;
      out.sites.push_back(by_point[i]);
      out.weights.emplace_back(P, 0.0);
    }
    for (std::size_t t = 0; t < P; ++t) out.weights[it->second][t] += p.weights[t][i];
  }
  return out;
}

PlanProblem merge_points(const PlanProblem& p, const Structure& st) {
  const std::size_t P = p.phases(), S = p.sites.size();
  std::vector<char> ever(S, 0);
  for (std::size_t t = 0; t < P; ++t) {
    for (std::size_t j = 0; j < S; ++j) {
      if (st.can_open[t][j]) ever[j] = 1;
    }
  }
  auto g = group_points(p, ever);
  PlanProblem q = p;  // the points' copies (a few MB at most) are replaced below
  const std::size_t G = g.sites.size();
  q.coverage.demand_count = G;
  q.coverage.points.assign(S, {});
  q.coverage.hours.assign(S, {});
  for (std::size_t k = 0; k < G; ++k) {
    for (auto j : g.sites[k]) q.coverage.points[j].push_back(static_cast<std::uint32_t>(k));
  }
  for (std::size_t j = 0; j < S; ++j) q.coverage.hours[j].assign(q.coverage.points[j].size(), 0.0F);
  q.weights.assign(P, std::vector<double>(G, 0.0));
  for (std::size_t k = 0; k < G; ++k) {
    for (std::size_t t = 0; t < P; ++t) q.weights[t][k] = g.weights[k][t];
  }
  return q;
}

}  // namespace detail

std::vector<double> phase_coverage(const PlanProblem& p, const OpenPlan& open) {
  const std::size_t P = p.phases();
  std::vector<double> out(P, 0.0);
  std::vector<char> cov(p.coverage.demand_count);
  for (std::size_t t = 0; t < P; ++t) {
    std::fill(cov.begin(), cov.end(), 0);
    for (std::size_t j = 0; j < p.sites.size(); ++j) {
      if (!open[t][j]) continue;
      for (auto i : p.coverage.points[j]) cov[i] = 1;
    }
    for (std::size_t i = 0; i < cov.size(); ++i) {
      if (cov[i]) out[t] += p.weights[t][i];
    }
  }
  return out;
}

std::vector<std::string> violations(const PlanProblem& p, const OpenPlan& open) {
  const std::size_t P = p.phases(), S = p.sites.size();
  std::vector<std::string> out;
  if (open.size() != P) return {"shape: one row per phase"};
  for (const auto& r : open) {
    if (r.size() != S) return {"shape: one flag per site"};
  }
  const detail::Structure st(p);
  std::vector<int> openings(S, 0);  // openings outside reopen phases (candidates)
  for (std::size_t t = 0; t < P; ++t) {
    const std::string at = "@" + p.phase_labels[t];
    std::int64_t troops = 0, closures = 0;
    std::vector<int> present(p.provinces.size(), 0);
    for (std::size_t j = 0; j < S; ++j) {
      const auto& s = p.sites[j];
      const bool x = open[t][j] != 0;
      const bool prev = t == 0 ? s.existing : open[t - 1][j] != 0;
      if (x) {
        troops += s.troops;
        if (s.province >= 0) ++present[static_cast<std::size_t>(s.province)];
        if (s.forbidden) out.push_back("forbidden:" + s.id + at);
        if (p.exited(s.province, t))
          out.push_back("exit:" + p.provinces[static_cast<std::size_t>(s.province)] + ":" + s.id + at);
      } else if (st.must_open[t][j] || (s.lock == Lock::kPlan)) {
        out.push_back("locked:" + s.id + at);
      }
      if (x && !prev) {  // an opening
        if (!p.openings_allowed(t)) out.push_back("lead_time_open:" + s.id + at);
        if (s.existing) {
          if (!p.may_reopen(s.province, t)) out.push_back("monotone:" + s.id + at);
        } else if (!p.may_reopen(s.province, t) && ++openings[j] > 1) {
          out.push_back("monotone:" + s.id + at);
        }
      }
      if (!x && prev) {  // a closure
        ++closures;
        if (!p.closures_allowed(t)) out.push_back("lead_time_close:" + s.id + at);
        if (p.is_paused(s.province, t))
          out.push_back("pause:" + p.provinces[static_cast<std::size_t>(s.province)] + ":" + s.id + at);
      }
    }
    if (troops > p.troop_ceiling[t]) out.push_back("troop_ceiling" + at);
    const auto lim = p.closure_limit(t);
    if (lim >= 0 && closures > lim) out.push_back("max_closures" + at);
    for (std::size_t a = 0; a < p.provinces.size(); ++a) {
      if (present[a] < st.required[t][a]) out.push_back("presence:" + p.provinces[a] + at);
    }
  }
  return out;
}

std::vector<std::string> infeasibility(const PlanProblem& p) {
  validate(p);
  const std::size_t P = p.phases(), S = p.sites.size(), A = p.provinces.size();
  const detail::Structure st(p);
  std::vector<std::string> out;
  auto add = [&](const std::string& s) {
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  };
  auto prov = [&](int a) { return p.provinces[static_cast<std::size_t>(a)]; };
  for (std::size_t j = 0; j < S; ++j) {
    const auto& s = p.sites[j];
    if (s.lock == Lock::kPlan && s.province >= 0 && p.exit_phase[static_cast<std::size_t>(s.province)] >= 0) {
      add("locked:" + s.id);
      add("exit:" + prov(s.province));
    }
    if (s.lock != Lock::kNone && s.forbidden) {
      add("locked:" + s.id);
      add("forbidden:" + s.id);
    }
    if (s.lock == Lock::kPlan && !s.existing && !p.openings_allowed(0)) {
      add("locked:" + s.id);
      add("lead_time_open");
    }
    // An open base that must close (exit, forbidden) needs a phase where it may.
    if (s.existing) {
      int last = static_cast<int>(P);  // the phase by which it must be closed
      if (s.forbidden) last = 0;
      if (s.province >= 0 && p.exit_phase[static_cast<std::size_t>(s.province)] >= 0) {
        last = std::min(last, p.exit_phase[static_cast<std::size_t>(s.province)]);
      }
      if (last < static_cast<int>(P)) {
        bool lead = false, pause = false, ok = false;
        for (int t = 0; t <= last && !ok; ++t) {
          const bool l = p.closures_allowed(static_cast<std::size_t>(t));
          const bool q = !p.is_paused(s.province, static_cast<std::size_t>(t));
          if (l && q) ok = true;
          lead |= !l;
          pause |= l && !q;
        }
        if (!ok) {
          add(s.forbidden ? "forbidden:" + s.id : "exit:" + prov(s.province));
          if (lead) add("lead_time_close");
          if (pause) add("pause:" + prov(s.province));
        }
      }
    }
  }
  // Locked troops, and the cheapest presence, against each phase's ceiling;
  // before the closing lead time, every base of today stays open.
  for (std::size_t t = 0; t < P; ++t) {
    std::int64_t locked = 0, stuck = 0;
    bool any_stuck = false;
    std::vector<std::vector<std::int64_t>> free_troops(A);
    std::vector<int> locked_in(A, 0);
    for (std::size_t j = 0; j < S; ++j) {
      const auto& s = p.sites[j];
      if (st.must_open[t][j]) {
        locked += s.troops;
        if (s.province >= 0) ++locked_in[static_cast<std::size_t>(s.province)];
      } else if (st.can_open[t][j] && s.province >= 0) {
        free_troops[static_cast<std::size_t>(s.province)].push_back(s.troops);
      }
      // no closure has been possible yet: today's bases are all still open
      bool closable = false;
      for (std::size_t q = 0; q <= t; ++q) closable |= p.closures_allowed(q);
      if (s.existing && !closable && !st.must_open[t][j]) {
        stuck += s.troops;
        any_stuck = true;
      }
    }
    const std::string at = "@" + p.phase_labels[t];
    if (locked > p.troop_ceiling[t]) {
      add("troop_ceiling" + at);
      add("locked");
    } else if (any_stuck && locked + stuck > p.troop_ceiling[t]) {
      add("troop_ceiling" + at);
      add("lead_time_close");
    } else {
      std::int64_t need = locked;
      for (std::size_t a = 0; a < A; ++a) {
        int more = st.required[t][a] - locked_in[a];
        auto& v = free_troops[a];
        std::sort(v.begin(), v.end());
        for (std::size_t k = 0; more > 0 && k < v.size(); ++k, --more) need += v[k];
      }
      if (need > p.troop_ceiling[t]) {
        add("troop_ceiling" + at);
        add("presence");
      }
    }
  }
  // Closures the exits force against the closure limits.
  if (!p.max_closures.empty()) {
    for (std::size_t t = 0; t < P; ++t) {
      std::int64_t forced = 0, room = 0;
      std::vector<std::string> who;
      for (std::size_t j = 0; j < S; ++j) {
        const auto& s = p.sites[j];
        if (!s.existing) continue;
        if (s.forbidden || p.exited(s.province, t)) {
          ++forced;
          if (s.province >= 0 && p.exited(s.province, t)) who.push_back("exit:" + prov(s.province));
        }
      }
      for (std::size_t q = 0; q <= t; ++q) {
        if (p.closures_allowed(q)) room += p.max_closures[q] < 0 ? std::int64_t{1} << 40 : p.max_closures[q];
      }
      if (forced > room) {
        add("max_closures@" + p.phase_labels[t]);
        for (const auto& w : who) add(w);
        break;
      }
    }
  }
  return out;
}

namespace detail {

std::string binding_label(const PlanProblem& p, std::size_t t, const char* what) {
  return std::string(what) + "@" + p.phase_labels[t];
}

void fill_binding(const PlanProblem& p, PlanSolution& s) {
  s.binding.clear();
  const detail::Structure st(p);
  for (std::size_t t = 0; t < p.phases(); ++t) {
    std::int64_t used = 0, closures = 0;
    std::int64_t cheapest = std::numeric_limits<std::int64_t>::max();
    for (std::size_t j = 0; j < p.sites.size(); ++j) {
      const bool x = s.open[t][j] != 0;
      const bool prev = t == 0 ? p.sites[j].existing : s.open[t - 1][j] != 0;
      if (x) used += p.sites[j].troops;
      if (!x && prev) ++closures;
      if (!x && st.can_open[t][j]) cheapest = std::min(cheapest, p.sites[j].troops);
    }
    if (cheapest != std::numeric_limits<std::int64_t>::max() && used + cheapest > p.troop_ceiling[t]) {
      s.binding.push_back(binding_label(p, t, "troop_ceiling"));
    }
    const auto lim = p.closure_limit(t);
    if (lim >= 0 && closures >= lim && lim < static_cast<std::int64_t>(p.sites.size())) {
      s.binding.push_back(binding_label(p, t, "max_closures"));
    }
  }
}

void finish(PlanSolution& s) {
  s.bound = std::max(s.bound, s.objective);
  s.gap = (s.bound - s.objective) / std::max(std::abs(s.objective), 1e-9);
  if (s.gap < 1e-12) s.gap = 0;
}

PlanSolution infeasible_solution(const PlanProblem& p, std::vector<std::string> binding, const char* solver) {
  PlanSolution s;
  s.open.assign(p.phases(), std::vector<char>(p.sites.size(), 0));
  s.covered.assign(p.phases(), 0.0);
  s.solver = solver;
  s.status = fp::SolveStatus::kInfeasible;
  s.binding = std::move(binding);
  return s;
}

/// Families of constraints the MILP may leave out (for the deletion filter).
enum Family : unsigned {
  kCeiling = 1u << 0,
  kClosures = 1u << 1,
  kPresence = 1u << 2,
  kLocks = 1u << 3,
  kLeadClose = 1u << 4,
  kLeadOpen = 1u << 5,
  kPause = 1u << 6,
  kExit = 1u << 7,
  kMonotone = 1u << 8,
  kAll = (1u << 9) - 1,
};

const char* family_name(unsigned f) {
  switch (f) {
    case kCeiling:
      return "troop_ceiling";
    case kClosures:
      return "max_closures";
    case kPresence:
      return "presence";
    case kLocks:
      return "locked";
    case kLeadClose:
      return "lead_time_close";
    case kLeadOpen:
      return "lead_time_open";
    case kPause:
      return "pause";
    case kExit:
      return "exit";
    case kMonotone:
      return "monotone";
    default:
      return "?";
  }
}

/// The MILP of the plan; `families` selects the constraints kept,
/// `objective` false gives a feasibility problem.
struct PlanMilp {
  fp::Milp m;
  std::vector<std::vector<int>> x;  // [phase][site] column
  std::vector<std::vector<int>> y;  // [phase][group] column or -1
  std::vector<std::vector<std::uint32_t>> group_sites;
  std::vector<std::vector<int>> cl, op;  // [phase][site] column or -1
};

PlanMilp build_milp(const PlanProblem& p, unsigned families, bool objective) {
  const std::size_t P = p.phases(), S = p.sites.size();
  PlanMilp r;
  auto& m = r.m;
  m.maximize = true;
  const Structure st(p);
  auto has = [&](Family f) { return (families & f) != 0; };
  // x: fixed by exits, forbidden, lead times (openings) and locks
  r.x.assign(P, std::vector<int>(S, -1));
  for (std::size_t t = 0; t < P; ++t) {
    for (std::size_t j = 0; j < S; ++j) {
      const auto& s = p.sites[j];
      double lo = 0, hi = 1;
      if (s.forbidden) hi = 0;
      if (has(kExit) && p.exited(s.province, t)) hi = 0;
      if (has(kLeadOpen) && !s.existing && !p.openings_allowed(t)) hi = 0;
      if (has(kLocks)) {
        // the checker's meaning: a base locked for the plan is open in every
        // phase; one locked until its exit whenever it may be open
        if (s.lock == Lock::kPlan) lo = 1;
        if (s.lock == Lock::kUntilExit && st.must_open[t][j]) lo = 1;
      }
      if (lo > hi) {
        // a locked base that may not be open (the structural checks name this
        // before any solve; the deletion filter meets it): x = 1 and x <= 0
        r.x[t][j] = m.add_col(1, 1, 0.0, true);
        m.entry(r.x[t][j], 1);
        m.add_row(-1e30, 0);
        continue;
      }
      r.x[t][j] = m.add_col(lo, hi, 0.0, true);
    }
  }
  // coverage groups: points with the same set of sites that may ever be open
  std::vector<char> ever(S, 0);
  for (std::size_t t = 0; t < P; ++t) {
    for (std::size_t j = 0; j < S; ++j) ever[j] |= m.col_hi[static_cast<std::size_t>(r.x[t][j])] > 0.5 ? 1 : 0;
  }
  if (objective) {
    auto groups = group_points(p, ever);
    r.group_sites = std::move(groups.sites);
    const auto& gw = groups.weights;  // [group][phase]
    r.y.assign(P, std::vector<int>(r.group_sites.size(), -1));
    for (std::size_t t = 0; t < P; ++t) {
      for (std::size_t g = 0; g < r.group_sites.size(); ++g) {
        if (gw[g][t] <= 0) continue;
        bool reachable = false;
        for (auto j : r.group_sites[g]) reachable |= m.col_hi[static_cast<std::size_t>(r.x[t][j])] > 0.5;
        if (!reachable) continue;
        const int y = m.add_col(0, 1, gw[g][t], false);
        r.y[t][g] = y;
        m.entry(y, 1);
        for (auto j : r.group_sites[g]) m.entry(r.x[t][j], -1);
        m.add_row(-1e30, 0);
      }
    }
  }
  // dynamics: closures and openings
  r.cl.assign(P, std::vector<int>(S, -1));
  r.op.assign(P, std::vector<int>(S, -1));
  for (std::size_t j = 0; j < S; ++j) {
    const auto& s = p.sites[j];
    const double before = s.existing ? 1.0 : 0.0;
    std::vector<int> counted_openings;
    for (std::size_t t = 0; t < P; ++t) {
      const int xt = r.x[t][j];
      const int xp = t == 0 ? -1 : r.x[t - 1][j];
      // closure indicator cl >= x(t-1) - x(t) when closures are limited
      if (has(kClosures) && p.closure_limit(t) >= 0) {
        const int c = m.add_col(0, 1, 0.0, false);
        r.cl[t][j] = c;
        m.entry(c, 1);
        m.entry(xt, 1);
        if (xp >= 0) {
          m.entry(xp, -1);
          m.add_row(0, 1e30);  // cl >= x(t-1) - x(t)
        } else {
          m.add_row(before, 1e30);  // cl >= open before the plan - x(0)
        }
      }
      // no closure allowed: x(t) >= x(t-1)
      const bool no_close = (has(kLeadClose) && !p.closures_allowed(t)) || (has(kPause) && p.is_paused(s.province, t));
      if (no_close) {
        if (xp >= 0) {
          m.entry(xt, 1);
          m.entry(xp, -1);
          m.add_row(0, 1e30);
        } else if (before > 0) {
          m.entry(xt, 1);
          m.add_row(1, 1e30);
        }
      }
      const bool reopen_ok = p.may_reopen(s.province, t) || !has(kMonotone);
      if (s.existing) {
        // monotone: x(t) <= x(t-1) unless the province may reopen
        if (!reopen_ok && xp >= 0) {
          m.entry(xt, 1);
          m.entry(xp, -1);
          m.add_row(-1e30, 0);
        }
        if (reopen_ok && has(kLeadOpen) && !p.openings_allowed(t) && xp >= 0) {
          m.entry(xt, 1);
          m.entry(xp, -1);
          m.add_row(-1e30, 0);
        }
      } else if (has(kMonotone)) {
        // a new base opens once (outside reopen phases): op >= x(t) - x(t-1), sum op <= 1
        const int o = m.add_col(0, 1, 0.0, false);
        r.op[t][j] = o;
        m.entry(o, 1);
        m.entry(xt, -1);
        if (xp >= 0) m.entry(xp, 1);
        m.add_row(0, 1e30);
        if (!p.may_reopen(s.province, t)) counted_openings.push_back(o);
      }
    }
    if (counted_openings.size() > 1) {
      for (int o : counted_openings) m.entry(o, 1);
      m.add_row(-1e30, 1);
    }
  }
  for (std::size_t t = 0; t < P; ++t) {
    if (has(kCeiling)) {
      for (std::size_t j = 0; j < S; ++j) {
        if (p.sites[j].troops != 0) m.entry(r.x[t][j], static_cast<double>(p.sites[j].troops));
      }
      m.add_row(-1e30, static_cast<double>(p.troop_ceiling[t]));
    }
    if (has(kClosures) && p.closure_limit(t) >= 0) {
      for (std::size_t j = 0; j < S; ++j) m.entry(r.cl[t][j], 1);
      m.add_row(-1e30, static_cast<double>(p.closure_limit(t)));
    }
    if (has(kPresence)) {
      for (std::size_t a = 0; a < p.provinces.size(); ++a) {
        if (st.required[t][a] <= 0) continue;
        for (std::size_t j = 0; j < S; ++j) {
          if (p.sites[j].province == static_cast<int>(a)) m.entry(r.x[t][j], 1);
        }
        m.add_row(st.required[t][a], 1e30);
      }
    }
  }
  return r;
}

/// The MILP column vector of a plan (for CBC's start).
std::vector<double> start_vector(const PlanProblem& p, const PlanMilp& r, const OpenPlan& open) {
  std::vector<double> v(static_cast<std::size_t>(r.m.cols()), 0.0);
  const std::size_t P = p.phases(), S = p.sites.size();
  for (std::size_t t = 0; t < P; ++t) {
    for (std::size_t j = 0; j < S; ++j) {
      v[static_cast<std::size_t>(r.x[t][j])] = open[t][j] ? 1 : 0;
      const double prev = t == 0 ? (p.sites[j].existing ? 1 : 0) : (open[t - 1][j] ? 1 : 0);
      const double x = open[t][j] ? 1 : 0;
      if (r.cl[t][j] >= 0) v[static_cast<std::size_t>(r.cl[t][j])] = std::max(0.0, prev - x);
      if (r.op[t][j] >= 0) v[static_cast<std::size_t>(r.op[t][j])] = std::max(0.0, x - prev);
    }
    for (std::size_t g = 0; g < r.group_sites.size(); ++g) {
      if (r.y.empty() || r.y[t][g] < 0) continue;
      bool c = false;
      for (auto j : r.group_sites[g]) c |= open[t][j] != 0;
      v[static_cast<std::size_t>(r.y[t][g])] = c ? 1 : 0;
    }
  }
  return v;
}

/// Whether the plan with only `families` kept has any solution (CBC, feasibility only).
bool feasible_with(const PlanProblem& p, unsigned families, double seconds) {
  const auto r = build_milp(p, families, false);
  const auto res = fp::solve_milp(r.m, seconds, std::nullopt, nullptr);
  return res.status == fp::MilpResult::Status::kOptimal || res.status == fp::MilpResult::Status::kFeasible;
}

std::vector<std::string> deletion_filter(const PlanProblem& p, double seconds) {
  unsigned keep = kAll;
  for (unsigned f = 1; f < kAll; f <<= 1) {
    if (!feasible_with(p, keep & ~f, seconds)) keep &= ~f;  // still infeasible without it: not needed
  }
  std::vector<std::string> out;
  for (unsigned f = 1; f < kAll; f <<= 1) {
    if (keep & f) out.emplace_back(family_name(f));
  }
  if (out.empty()) out.emplace_back("sites");
  return out;
}

}  // namespace detail

PlanSolution solve_plan_exact(const PlanProblem& p, const fp::SolveOptions& o) {
  validate(p);
  if (auto why = infeasibility(p); !why.empty()) return detail::infeasible_solution(p, std::move(why), "cbc");
  const auto t0 = std::chrono::steady_clock::now();
  auto since = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  PlanSolution h;
  bool have_start = false;
  if (o.heuristic_start) {
    h = solve_plan_heuristic(p, o);
    have_start = h.status == fp::SolveStatus::kFeasible || h.status == fp::SolveStatus::kOptimal;
  }
  auto r = detail::build_milp(p, detail::kAll, true);
  std::vector<double> start;
  if (have_start) start = detail::start_vector(p, r, h.open);
  const double left = std::max(0.5, o.time_limit_s - since());
  std::optional<double> cutoff;
  if (o.stop_at_objective) cutoff = *o.stop_at_objective * (1 - 1e-9) - 1e-9;
  const auto res = fp::solve_milp(r.m, left, cutoff, have_start ? &start : nullptr, o.stop_at_objective.has_value());
  PlanSolution s;
  s.milp_columns = r.m.cols();
  s.milp_rows = r.m.rows();
  s.heuristic_objective = have_start ? h.objective : 0;
  if (res.status == fp::MilpResult::Status::kInfeasible && !o.stop_at_objective) {
    auto why = detail::deletion_filter(p, std::max(1.0, std::min(10.0, o.time_limit_s / 10)));
    auto inf = detail::infeasible_solution(p, std::move(why), "cbc");
    inf.seconds = since();
    inf.milp_columns = s.milp_columns;
    inf.milp_rows = s.milp_rows;
    return inf;
  }
  if (!res.x.empty()) {
    s.open.assign(p.phases(), std::vector<char>(p.sites.size(), 0));
    for (std::size_t t = 0; t < p.phases(); ++t) {
      for (std::size_t j = 0; j < p.sites.size(); ++j)
        s.open[t][j] = res.x[static_cast<std::size_t>(r.x[t][j])] > 0.5 ? 1 : 0;
    }
    s.covered = phase_coverage(p, s.open);
    s.objective = 0;
    for (double c : s.covered) s.objective += c;
    if (have_start && h.objective > s.objective + 1e-9 * std::max(1.0, h.objective)) {
      s.open = h.open;
      s.covered = h.covered;
      s.objective = h.objective;
    }
  } else if (have_start) {
    s.open = h.open;
    s.covered = h.covered;
    s.objective = h.objective;
  } else {
    s.open.assign(p.phases(), std::vector<char>(p.sites.size(), 0));
    s.covered.assign(p.phases(), 0.0);
    s.solver = "cbc";
    s.status = fp::SolveStatus::kNoSolution;
    s.bound = std::isfinite(res.bound) ? res.bound : 0;
    s.seconds = since();
    s.binding = {"cbc: no solution within the time limit"};
    return s;
  }
  s.solver = "cbc";
  const bool optimal = res.status == fp::MilpResult::Status::kOptimal && !o.stop_at_objective;
  s.status = optimal ? fp::SolveStatus::kOptimal : fp::SolveStatus::kTimeLimit;
  if (o.stop_at_objective && s.objective >= *o.stop_at_objective * (1 - 1e-9)) s.status = fp::SolveStatus::kReached;
  double bound = std::numeric_limits<double>::infinity();
  if (have_start) bound = h.bound;
  if (optimal) {
    bound = std::min(bound, res.objective);
  } else if (std::isfinite(res.bound)) {
    bound = std::min(bound, res.bound);
  }
  s.bound = std::isfinite(bound) ? bound : s.objective;
  s.seconds = since();
  detail::finish(s);
  if (s.status == fp::SolveStatus::kOptimal && s.gap > 1e-7) s.status = fp::SolveStatus::kTimeLimit;
  detail::fill_binding(p, s);
  return s;
}

PlanSolution solve_plan(const PlanProblem& p, const fp::SolveOptions& o) {
  switch (o.solver) {
    case fp::SolverKind::kExact:
      return solve_plan_exact(p, o);
    case fp::SolverKind::kHeuristic:
      return solve_plan_heuristic(p, o);
    case fp::SolverKind::kAuto:
      break;
  }
  const std::size_t work = p.coverage.pairs() * std::max<std::size_t>(1, p.phases());
  return work <= o.auto_exact_pairs ? solve_plan_exact(p, o) : solve_plan_heuristic(p, o);
}

}  // namespace endstate::plan
