// The planner's heuristic (see planner.hpp): backward rolling horizon over
// the footprint module's MCLP heuristic, a multi-period local search on the
// bases' open intervals, and an upper bound from the phases relaxed one by
// one.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <optional>

#include "endstate/core/error.hpp"
#include "endstate/plan/planner.hpp"
#include "plan/detail/plan_internal.hpp"

namespace endstate::plan {

namespace fp = endstate::footprint;

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

constexpr std::int64_t kNoLimit = std::numeric_limits<std::int64_t>::max() / 4;

/// Static covered weight of a site in a phase (for choosing what to lock in repairs).
double site_weight(const PlanProblem& p, std::size_t t, std::size_t j) {
  double w = 0;
  for (auto i : p.coverage.points[j]) w += p.weights[t][i];
  return w;
}

/// Backward rolling horizon: the last phase first; each earlier phase keeps
/// the bases of the next (monotone closures), may add at most the next
/// phase's closure limit, and is solved by the footprint MCLP heuristic.
std::optional<OpenPlan> backward(const PlanProblem& p, const detail::Structure& st, const fp::SolveOptions& o,
                                 Clock::time_point t0) {
  const std::size_t P = p.phases(), S = p.sites.size(), A = p.provinces.size();
  OpenPlan plan(P, std::vector<char>(S, 0));
  std::vector<char> next(S, 0), dead(S, 0);
  std::size_t existing_total = 0;
  for (const auto& s : p.sites) existing_total += s.existing ? 1 : 0;
  fp::CoverProblem cp;
  cp.coverage = p.coverage;
  cp.site_troops.resize(S);
  for (std::size_t j = 0; j < S; ++j) cp.site_troops[j] = p.sites[j].troops;
  fp::SolveOptions so = o;
  so.solver = fp::SolverKind::kHeuristic;
  so.lagrange_iterations = 1;  // the bound of a restricted phase is not used
  // an eighth of the shakes, shared by the phases: the interval search that
  // follows does the work across phases, and on plan_bench 10 shakes per
  // phase reach the objective of 83 in a fifth of the time (docs/plan.md)
  so.vns_shakes = std::max(0, o.vns_shakes / (8 * static_cast<int>(std::max<std::size_t>(1, P))));
  for (std::size_t tt = P; tt-- > 0;) {
    const std::size_t t = tt;
    if (o.time_limit_s > 0 && since(t0) > o.time_limit_s) return std::nullopt;
    const bool last = t + 1 == P;
    std::vector<char> allowed(S, 0), locked(S, 0);
    std::size_t carried = 0;
    for (std::size_t j = 0; j < S; ++j) {
      const auto& s = p.sites[j];
      if (!st.can_open[t][j] || (!s.existing && dead[j])) continue;
      if (!last && !next[j] && (!p.closures_allowed(t + 1) || p.is_paused(s.province, t + 1))) continue;
      allowed[j] = 1;
      if (!last && next[j]) {
        locked[j] = 1;
        ++carried;
      }
      if (st.must_open[t][j]) locked[j] = 1;
    }
    for (std::size_t j = 0; j < S; ++j) {
      if (st.must_open[t][j] && !allowed[j]) return std::nullopt;
      // a new base of the next phase that cannot open now opens then, and never earlier
      if (!last && next[j] && !allowed[j] && !p.sites[j].existing) dead[j] = 1;
    }
    std::int64_t max_sites = 0;  // 0 = no limit for the MCLP
    if (!last && p.closure_limit(t + 1) >= 0) {
      max_sites = static_cast<std::int64_t>(carried) + p.closure_limit(t + 1);
      if (max_sites == 0) {
        // nothing carried and no closure allowed next phase: nothing may be open now
        for (std::size_t j = 0; j < S; ++j) {
          if (locked[j]) return std::nullopt;
          allowed[j] = 0;
        }
      }
    }
    // today's bases not open at t closed at or before t: within the limits so far
    std::int64_t closable = 0;
    bool limited = true;
    for (std::size_t q = 0; q <= t; ++q) {
      if (!p.closures_allowed(q)) continue;
      if (p.closure_limit(q) < 0) limited = false;
      closable += std::max<std::int64_t>(0, p.closure_limit(q));
    }
    const std::int64_t min_existing = limited ? static_cast<std::int64_t>(existing_total) - closable : 0;
    cp.weights = p.weights[t];
    cp.troop_ceiling = p.troop_ceiling[t];
    cp.max_sites = static_cast<int>(std::min<std::int64_t>(max_sites, std::numeric_limits<int>::max()));
    cp.forbidden.assign(S, false);
    cp.locked.assign(S, false);
    for (std::size_t j = 0; j < S; ++j) {
      cp.forbidden[j] = !allowed[j];
      cp.locked[j] = locked[j] != 0;
    }
    fp::CoverSolution sol;
    for (int repair = 0; repair <= static_cast<int>(A + S); ++repair) {
      if (!fp::infeasibility(cp).empty()) return std::nullopt;
      sol = fp::solve_cover_heuristic(cp, so);
      // presence: lock the heaviest allowed base of a province short of bases
      bool changed = false;
      std::vector<int> have(A, 0);
      std::int64_t existing_open = 0;
      for (std::size_t j = 0; j < S; ++j) {
        if (!sol.open[j]) continue;
        if (p.sites[j].province >= 0) ++have[static_cast<std::size_t>(p.sites[j].province)];
        existing_open += p.sites[j].existing ? 1 : 0;
      }
      for (std::size_t a = 0; a < A && !changed; ++a) {
        if (have[a] >= st.required[t][a]) continue;
        std::size_t best = S;
        double bw = -1;
        for (std::size_t j = 0; j < S; ++j) {
          if (p.sites[j].province != static_cast<int>(a) || !allowed[j] || cp.locked[j] || sol.open[j]) continue;
          const double w = site_weight(p, t, j);
          if (w > bw) {
            bw = w;
            best = j;
          }
        }
        if (best == S) return std::nullopt;
        cp.locked[best] = true;
        changed = true;
      }
      if (!changed && existing_open < min_existing) {
        std::size_t best = S;
        double bw = -1;
        for (std::size_t j = 0; j < S; ++j) {
          if (!p.sites[j].existing || !allowed[j] || cp.locked[j] || sol.open[j]) continue;
          const double w = site_weight(p, t, j);
          if (w > bw) {
            bw = w;
            best = j;
          }
        }
        if (best == S) return std::nullopt;
        cp.locked[best] = true;
        changed = true;
      }
      if (!changed) break;
    }
    if (sol.status == fp::SolveStatus::kInfeasible) return std::nullopt;
    for (std::size_t j = 0; j < S; ++j) {
      plan[t][j] = sol.open[j] ? 1 : 0;
      if (!last && next[j] && !plan[t][j] && !p.sites[j].existing) dead[j] = 1;
    }
    next.assign(plan[t].begin(), plan[t].end());
  }
  return plan;
}

/// Forward greedy drawdown, the fallback: keep what is open, close the bases
/// that lose least when a ceiling or an exit forces it, open the best new
/// bases while troops remain.
std::optional<OpenPlan> forward(const PlanProblem& p, const detail::Structure& st) {
  const std::size_t P = p.phases(), S = p.sites.size(), A = p.provinces.size();
  OpenPlan plan(P, std::vector<char>(S, 0));
  std::vector<char> cur(S, 0), opened(S, 0);
  for (std::size_t j = 0; j < S; ++j) cur[j] = p.sites[j].existing ? 1 : 0;
  std::vector<int> cnt(p.coverage.demand_count, 0);
  for (std::size_t j = 0; j < S; ++j) {
    if (cur[j]) {
      for (auto i : p.coverage.points[j]) ++cnt[i];
    }
  }
  for (std::size_t t = 0; t < P; ++t) {
    std::int64_t closures = 0, used = 0;
    std::vector<int> have(A, 0);
    auto close = [&](std::size_t j) {
      cur[j] = 0;
      ++closures;
      for (auto i : p.coverage.points[j]) --cnt[i];
    };
    for (std::size_t j = 0; j < S; ++j) {
      if (cur[j] && !st.can_open[t][j]) close(j);
    }
    for (std::size_t j = 0; j < S; ++j) {
      if (!cur[j]) continue;
      used += p.sites[j].troops;
      if (p.sites[j].province >= 0) ++have[static_cast<std::size_t>(p.sites[j].province)];
    }
    while (used > p.troop_ceiling[t]) {
      std::size_t best = S;
      double bl = std::numeric_limits<double>::infinity();
      for (std::size_t j = 0; j < S; ++j) {
        const auto& s = p.sites[j];
        if (!cur[j] || st.must_open[t][j] || !p.closures_allowed(t) || p.is_paused(s.province, t)) continue;
        if (s.province >= 0 &&
            have[static_cast<std::size_t>(s.province)] <= st.required[t][static_cast<std::size_t>(s.province)])
          continue;
        double l = 0;
        for (auto i : p.coverage.points[j]) l += cnt[i] == 1 ? p.weights[t][i] : 0.0;
        l /= static_cast<double>(std::max<std::int64_t>(1, s.troops));
        if (l < bl) {
          bl = l;
          best = j;
        }
      }
      if (best == S) return std::nullopt;
      close(best);
      used -= p.sites[best].troops;
      if (p.sites[best].province >= 0) --have[static_cast<std::size_t>(p.sites[best].province)];
    }
    if (p.closure_limit(t) >= 0 && closures > p.closure_limit(t)) return std::nullopt;
    // new bases: presence first, then the best gain per troop that fits
    for (bool presence : {true, false}) {
      for (;;) {
        std::size_t best = S;
        double bg = 0;
        for (std::size_t j = 0; j < S; ++j) {
          const auto& s = p.sites[j];
          if (cur[j] || s.existing || opened[j] || !st.can_open[t][j] || used + s.troops > p.troop_ceiling[t]) continue;
          if (presence && (s.province < 0 || have[static_cast<std::size_t>(s.province)] >=
                                                 st.required[t][static_cast<std::size_t>(s.province)])) {
            continue;
          }
          double g = 0;
          for (auto i : p.coverage.points[j]) g += cnt[i] == 0 ? p.weights[t][i] : 0.0;
          g = g / static_cast<double>(std::max<std::int64_t>(1, s.troops)) + (presence ? 1.0 : 0.0);
          if (g > bg) {
            bg = g;
            best = j;
          }
        }
        if (best == S) break;
        cur[best] = 1;
        opened[best] = 1;
        used += p.sites[best].troops;
        if (p.sites[best].province >= 0) ++have[static_cast<std::size_t>(p.sites[best].province)];
        for (auto i : p.coverage.points[best]) ++cnt[i];
      }
    }
    plan[t].assign(cur.begin(), cur.end());
  }
  return plan;
}

/// Multi-period local search on open intervals [o, c): a base is open in
/// phases o..c-1 (today's bases have o = 0; a new base never opened has
/// o = c = P). The move: at phase t an open base k hands its remaining
/// phases t..c_k-1 over to a base j closed in all of them (one that closes
/// exactly at t, or a new base that opens at t), which then closes when k
/// would have. Closure counts stay the same except at t, troops change by
/// the difference of the two bases' minimums. Gains come from per-phase
/// counts: U[q][j] = weight j would add, L[q][k] = weight only k covers.
class IntervalSearch {
 public:
  IntervalSearch(const PlanProblem& p, const detail::Structure& st, const OpenPlan& plan)
      : p_(p), st_(st), P_(p.phases()), S_(p.sites.size()), N_(p.coverage.demand_count) {
    off_.assign(N_ + 1, 0);
    for (const auto& pts : p.coverage.points) {
      for (auto i : pts) ++off_[i + 1];
    }
    for (std::size_t i = 0; i < N_; ++i) off_[i + 1] += off_[i];
    rev_.resize(off_[N_]);
    std::vector<std::size_t> at(off_.begin(), off_.end() - 1);
    for (std::size_t j = 0; j < S_; ++j) {
      for (auto i : p.coverage.points[j]) rev_[at[i]++] = static_cast<std::uint32_t>(j);
    }
    o_.assign(S_, static_cast<int>(P_));
    c_.assign(S_, static_cast<int>(P_));
    for (std::size_t j = 0; j < S_; ++j) {
      int first = -1, end = -1;
      for (std::size_t t = 0; t < P_; ++t) {
        if (plan[t][j]) {
          if (first < 0) first = static_cast<int>(t);
          end = static_cast<int>(t) + 1;
        }
      }
      if (p.sites[j].existing) {
        o_[j] = 0;
        c_[j] = first == 0 ? end : 0;
        if (first > 0) ok_ = false;  // a reopening: not an interval
      } else if (first >= 0) {
        o_[j] = first;
        c_[j] = end;
      }
      for (int t = std::max(0, first); t >= 0 && t < end; ++t) {
        if (!plan[static_cast<std::size_t>(t)][j]) ok_ = false;  // a gap
      }
    }
    rebuild();
  }
  [[nodiscard]] bool ok() const { return ok_; }

  /// Recomputes counts, gains and losses from the intervals.
  void rebuild() {
    cnt_.assign(P_ * N_, 0);
    U_.assign(P_ * S_, 0.0);
    L_.assign(P_ * S_, 0.0);
    used_.assign(P_, 0);
    closures_.assign(P_, 0);
    present_.assign(P_ * std::max<std::size_t>(1, p_.provinces.size()), 0);
    for (std::size_t j = 0; j < S_; ++j) {
      for (int t = o_[j]; t < c_[j]; ++t) {
        const auto q = static_cast<std::size_t>(t);
        used_[q] += p_.sites[j].troops;
        if (p_.sites[j].province >= 0) ++present_[q * area_count() + static_cast<std::size_t>(p_.sites[j].province)];
        for (auto i : p_.coverage.points[j]) ++cnt_[q * N_ + i];
      }
      if (closes(j)) ++closures_[static_cast<std::size_t>(c_[j])];
    }
    for (std::size_t q = 0; q < P_; ++q) {
      for (std::size_t i = 0; i < N_; ++i) {
        const int c = cnt_[q * N_ + i];
        if (c > 1) continue;
        const double w = p_.weights[q][i];
        for (std::size_t x = off_[i]; x < off_[i + 1]; ++x) (c == 0 ? U_ : L_)[q * S_ + rev_[x]] += w;
      }
    }
  }

  [[nodiscard]] OpenPlan plan() const {
    OpenPlan out(P_, std::vector<char>(S_, 0));
    for (std::size_t j = 0; j < S_; ++j) {
      for (int t = o_[j]; t < c_[j]; ++t) out[static_cast<std::size_t>(t)][j] = 1;
    }
    return out;
  }

  /// One pass of handovers over every base; returns the improvement.
  double handover_pass(double tol, Clock::time_point t0, double limit_s) {
    double total = 0;
    std::vector<double> X(S_, 0.0);
    std::vector<std::uint32_t> touched;
    for (std::size_t k = 0; k < S_; ++k) {
      if (limit_s > 0 && since(t0) > limit_s) break;
      const auto& sk = p_.sites[k];
      if (sk.lock != Lock::kNone || o_[k] >= c_[k]) continue;
      const int ck = c_[k];
      double best = tol;
      std::size_t bj = S_;
      int bt = -1;
      for (int t = o_[k]; t < ck; ++t) {
        const auto tq = static_cast<std::size_t>(t);
        // k stops at t: a closure at t unless k is a new base that then never opens
        const bool k_closes = sk.existing || t > o_[k];
        if (k_closes && (!p_.closures_allowed(tq) || p_.is_paused(sk.province, tq))) continue;
        // X[j]: weight only k covers that j would keep, over t..ck-1
        touched.clear();
        double B = 0;
        for (int q = t; q < ck; ++q) {
          const auto qq = static_cast<std::size_t>(q);
          B += L_[qq * S_ + k];
          for (auto i : p_.coverage.points[k]) {
            if (cnt_[qq * N_ + i] != 1) continue;
            const double w = p_.weights[qq][i];
            if (w == 0) continue;
            for (std::size_t x = off_[i]; x < off_[i + 1]; ++x) {
              const auto j = rev_[x];
              if (j == k) continue;
              if (X[j] == 0) touched.push_back(j);
              X[j] += w;
            }
          }
        }
        for (std::size_t j = 0; j < S_; ++j) {
          const auto& sj = p_.sites[j];
          if (j == k || sj.lock != Lock::kNone || sj.forbidden) continue;
          const bool extends = c_[j] == t && (sj.existing || o_[j] < t);
          const bool fresh = !sj.existing && o_[j] == static_cast<int>(P_) && c_[j] == static_cast<int>(P_);
          if (!extends && !fresh) continue;
          double A = 0;
          for (int q = t; q < ck; ++q) A += U_[static_cast<std::size_t>(q) * S_ + j];
          const double d = A - B + X[j];
          if (d <= best) continue;
          if (!feasible(k, j, t, extends)) continue;
          best = d;
          bj = j;
          bt = t;
        }
        for (auto j : touched) X[j] = 0;
      }
      if (bj < S_) {
        apply(k, bj, bt);
        total += best;
      }
    }
    return total;
  }

  /// Extends bases into phases where troops remain (later closing, earlier
  /// opening, a new base opening); returns the improvement.
  double extend_pass(double tol) {
    double total = 0;
    for (std::size_t j = 0; j < S_; ++j) {
      const auto& s = p_.sites[j];
      if (s.lock != Lock::kNone || s.forbidden) continue;
      const bool fresh = !s.existing && o_[j] >= c_[j];
      // candidate intervals [a, b): extend the end, or (new bases) the start, or open anew
      double best = tol;
      int ba = -1, bb = -1;
      auto consider = [&](int a, int b) {
        if (a >= b) return;
        double g = 0;
        for (int q = a; q < b; ++q) {
          const auto qq = static_cast<std::size_t>(q);
          if (!st_.can_open[qq][j] || used_[qq] + s.troops > p_.troop_ceiling[qq]) return;
          g += U_[qq * S_ + j];
        }
        if (g > best) {
          best = g;
          ba = a;
          bb = b;
        }
      };
      if (fresh) {
        for (int a = 0; a < static_cast<int>(P_); ++a) {
          if (!p_.openings_allowed(static_cast<std::size_t>(a))) continue;
          for (int b = a + 1; b <= static_cast<int>(P_); ++b) {
            if (!end_ok(j, b, -1)) continue;
            consider(a, b);
          }
        }
      } else {
        if (c_[j] < static_cast<int>(P_)) {
          for (int b = c_[j] + 1; b <= static_cast<int>(P_); ++b) {
            if (!end_ok(j, b, c_[j])) continue;
            consider(c_[j], b);
          }
        }
        if (!s.existing) {
          for (int a = 0; a < o_[j]; ++a) {
            if (!p_.openings_allowed(static_cast<std::size_t>(a))) continue;
            consider(a, o_[j]);
          }
        }
      }
      if (ba < 0) continue;
      // apply: open j over [ba, bb)
      const bool was_closing = closes(j);
      const int old_c = c_[j];
      for (int q = ba; q < bb; ++q) open_at(static_cast<std::size_t>(q), j);
      if (fresh) {
        o_[j] = ba;
        c_[j] = bb;
      } else if (ba >= c_[j]) {
        c_[j] = bb;
      } else {
        o_[j] = ba;
      }
      if (was_closing) --closures_[static_cast<std::size_t>(old_c)];
      if (closes(j)) ++closures_[static_cast<std::size_t>(c_[j])];
      total += best;
    }
    return total;
  }

  [[nodiscard]] double value() const {
    double v = 0;
    for (std::size_t q = 0; q < P_; ++q) {
      for (std::size_t i = 0; i < N_; ++i) {
        if (cnt_[q * N_ + i] > 0) v += p_.weights[q][i];
      }
    }
    return v;
  }

 private:
  [[nodiscard]] std::size_t area_count() const { return std::max<std::size_t>(1, p_.provinces.size()); }
  [[nodiscard]] bool closes(std::size_t j) const {
    return c_[j] < static_cast<int>(P_) && (p_.sites[j].existing || o_[j] < c_[j]);
  }

  /// Whether base j may close at phase b (b = P: never), given that its
  /// current closure (at old_c, or none: -1) moves there.
  [[nodiscard]] bool end_ok(std::size_t j, int b, int old_c) const {
    const auto& s = p_.sites[j];
    if (s.province >= 0) {
      const int e = p_.exit_phase[static_cast<std::size_t>(s.province)];
      if (e >= 0 && b > e) return false;
    }
    if (b >= static_cast<int>(P_)) return true;
    const auto bq = static_cast<std::size_t>(b);
    if (!p_.closures_allowed(bq) || p_.is_paused(s.province, bq)) return false;
    const auto lim = p_.closure_limit(bq);
    const std::int64_t extra = old_c == b ? 0 : 1;
    return lim < 0 || closures_[bq] + extra <= lim;
  }

  [[nodiscard]] bool feasible(std::size_t k, std::size_t j, int t, bool extends) const {
    const auto& sk = p_.sites[k];
    const auto& sj = p_.sites[j];
    const int ck = c_[k];
    const auto tq = static_cast<std::size_t>(t);
    if (!extends && !p_.openings_allowed(tq)) return false;
    // j closes when k would have: its province's exit, pauses
    if (sj.province >= 0) {
      const int e = p_.exit_phase[static_cast<std::size_t>(sj.province)];
      if (e >= 0 && ck > e) return false;
    }
    if (ck < static_cast<int>(P_) && p_.is_paused(sj.province, static_cast<std::size_t>(ck))) return false;
    // closures at t: k's closure (if it opened) replaces j's (if it extends)
    const bool k_closes = sk.existing || t > o_[k];
    const std::int64_t delta = (k_closes ? 1 : 0) - (extends ? 1 : 0);
    const auto lim = p_.closure_limit(tq);
    if (delta > 0 && lim >= 0 && closures_[tq] + delta > lim) return false;
    for (int q = t; q < ck; ++q) {
      const auto qq = static_cast<std::size_t>(q);
      if (!st_.can_open[qq][j]) return false;
      if (used_[qq] - sk.troops + sj.troops > p_.troop_ceiling[qq]) return false;
      if (sk.province >= 0 && sk.province != sj.province) {
        const auto a = static_cast<std::size_t>(sk.province);
        if (present_[qq * area_count() + a] - 1 < st_.required[qq][a]) return false;
      }
    }
    return true;
  }

  void apply(std::size_t k, std::size_t j, int t) {
    const int ck = c_[k];
    const bool k_closed_before = closes(k), j_closed_before = closes(j);
    const int jc = c_[j];
    for (int q = t; q < ck; ++q) {
      close_at(static_cast<std::size_t>(q), k);
      open_at(static_cast<std::size_t>(q), j);
    }
    if (k_closed_before) --closures_[static_cast<std::size_t>(ck)];
    if (j_closed_before) --closures_[static_cast<std::size_t>(jc)];
    const bool fresh = o_[j] >= c_[j];
    if (fresh) o_[j] = t;
    c_[j] = ck;
    c_[k] = t;
    if (!p_.sites[k].existing && o_[k] >= t) o_[k] = c_[k] = static_cast<int>(P_);  // never opens
    if (closes(k)) ++closures_[static_cast<std::size_t>(c_[k])];
    if (closes(j)) ++closures_[static_cast<std::size_t>(c_[j])];
  }

  void open_at(std::size_t q, std::size_t j) {
    used_[q] += p_.sites[j].troops;
    if (p_.sites[j].province >= 0) ++present_[q * area_count() + static_cast<std::size_t>(p_.sites[j].province)];
    for (auto i : p_.coverage.points[j]) {
      const int c = cnt_[q * N_ + i]++;
      if (c > 1) continue;
      const double w = p_.weights[q][i];
      if (w == 0) continue;
      for (std::size_t x = off_[i]; x < off_[i + 1]; ++x) {
        const std::size_t s = q * S_ + rev_[x];
        if (c == 0) {
          U_[s] -= w;
          L_[s] += w;
        } else {
          L_[s] -= w;
        }
      }
    }
  }
  void close_at(std::size_t q, std::size_t j) {
    used_[q] -= p_.sites[j].troops;
    if (p_.sites[j].province >= 0) --present_[q * area_count() + static_cast<std::size_t>(p_.sites[j].province)];
    for (auto i : p_.coverage.points[j]) {
      const int c = cnt_[q * N_ + i]--;
      if (c > 2) continue;
      const double w = p_.weights[q][i];
      if (w == 0) continue;
      for (std::size_t x = off_[i]; x < off_[i + 1]; ++x) {
        const std::size_t s = q * S_ + rev_[x];
        if (c == 1) {
          L_[s] -= w;
          U_[s] += w;
        } else {
          L_[s] += w;
        }
      }
    }
  }

  const PlanProblem& p_;
  const detail::Structure& st_;
  std::size_t P_, S_, N_;
  std::vector<std::size_t> off_;
  std::vector<std::uint32_t> rev_;
  std::vector<int> o_, c_;
  std::vector<int> cnt_;
  std::vector<double> U_, L_;
  std::vector<std::int64_t> used_, closures_;
  std::vector<int> present_;
  bool ok_ = true;
};

/// The phases' Lagrangian bounds stop once 50 subgradient steps lower them by
/// less than 0.01%: the last few hundred steps of the step-size schedule
/// tighten the bound by a few millionths and cost most of its time.
constexpr double kBoundStallTolerance = 1e-4;

/// Upper bound: every phase alone (linking constraints dropped), each by the
/// smaller of the footprint's Lagrangian bound and the submodular bound
/// f(S) + the best additions within the troops left (Nemhauser, Wolsey &
/// Fisher 1978), S = the plan's bases in that phase.
double relaxation_bound(const PlanProblem& p, const detail::Structure& st, const OpenPlan& plan,
                        const std::vector<double>& covered, int iterations) {
  const std::size_t P = p.phases(), S = p.sites.size();
  double total = 0;
  fp::CoverProblem cp;
  cp.coverage = p.coverage;
  cp.site_troops.resize(S);
  for (std::size_t j = 0; j < S; ++j) cp.site_troops[j] = p.sites[j].troops;
  std::vector<int> cnt(p.coverage.demand_count);
  for (std::size_t t = 0; t < P; ++t) {
    cp.weights = p.weights[t];
    cp.troop_ceiling = p.troop_ceiling[t];
    cp.forbidden.assign(S, false);
    cp.locked.assign(S, false);
    std::int64_t locked_troops = 0;
    for (std::size_t j = 0; j < S; ++j) {
      cp.forbidden[j] = !st.can_open[t][j];
      cp.locked[j] = st.must_open[t][j] != 0;
      if (cp.locked[j]) locked_troops += p.sites[j].troops;
    }
    // submodular: f(S) + fractional knapsack of the gains of bases outside S
    std::fill(cnt.begin(), cnt.end(), 0);
    for (std::size_t j = 0; j < S; ++j) {
      if (plan[t][j]) {
        for (auto i : p.coverage.points[j]) ++cnt[i];
      }
    }
    std::vector<std::pair<double, double>> items;  // (gain, troops)
    double free_gain = 0;
    for (std::size_t j = 0; j < S; ++j) {
      if (plan[t][j] || !st.can_open[t][j]) continue;
      double g = 0;
      for (auto i : p.coverage.points[j]) g += cnt[i] == 0 ? p.weights[t][i] : 0.0;
      if (g <= 0) continue;
      if (p.sites[j].troops <= 0) {
        free_gain += g;
      } else {
        items.push_back({g, static_cast<double>(p.sites[j].troops)});
      }
    }
    std::sort(items.begin(), items.end(),
              [](const auto& a, const auto& b) { return a.first / a.second > b.first / b.second; });
    double room = static_cast<double>(std::max<std::int64_t>(0, p.troop_ceiling[t] - locked_troops));
    double sub = covered[t] + free_gain;
    for (const auto& [g, tr] : items) {
      if (room <= 0) break;
      const double take = std::min(1.0, room / tr);
      sub += g * take;
      room -= tr * take;
    }
    // the Lagrangian bound, unless the submodular one already proves the phase optimal
    double lag = std::numeric_limits<double>::infinity();
    if (iterations > 0 && sub > covered[t] * (1 + 1e-9) + 1e-12 && fp::infeasibility(cp).empty()) {
      lag = fp::lagrangian_cover_bound(cp, covered[t], iterations, kBoundStallTolerance);
    }
    total += std::min(lag, sub);
  }
  return total;
}

}  // namespace

PlanSolution solve_plan_heuristic(const PlanProblem& p, const fp::SolveOptions& o) {
  validate(p);
  const auto t0 = Clock::now();
  if (auto why = infeasibility(p); !why.empty()) return detail::infeasible_solution(p, std::move(why), "heuristic");
  // the search runs on the points grouped by their covering bases: the same
  // value for every plan, with fewer (often far fewer) demand points
  const PlanProblem q = detail::merge_points(p, detail::Structure(p));
  const detail::Structure st(q);
  std::optional<OpenPlan> plan = backward(q, st, o, t0);
  if (plan && !violations(p, *plan).empty()) plan.reset();
  if (!plan) {
    plan = forward(q, st);
    if (plan && !violations(p, *plan).empty()) plan.reset();
  }
  PlanSolution s;
  s.solver = "heuristic";
  if (!plan) {
    s = detail::infeasible_solution(p, {"no feasible plan found by the heuristic; try --solver exact"}, "heuristic");
    s.status = fp::SolveStatus::kNoSolution;
    s.seconds = since(t0);
    return s;
  }
  IntervalSearch ls(q, st, *plan);
  if (ls.ok()) {
    double v = ls.value();
    for (int pass = 0; pass < 100; ++pass) {
      if (o.time_limit_s > 0 && since(t0) > o.time_limit_s) break;
      const double tol = 1e-9 * std::max(1.0, v);
      const double gained = ls.handover_pass(tol, t0, o.time_limit_s) + ls.extend_pass(tol);
      ls.rebuild();
      const double nv = ls.value();
      if (!(gained > tol) || nv <= v + tol) {
        v = std::max(v, nv);
        break;
      }
      v = nv;
    }
    auto improved = ls.plan();
    if (violations(p, improved).empty()) plan = std::move(improved);
  }
  s.open = *plan;
  s.search_seconds = since(t0);
  s.covered = phase_coverage(p, s.open);
  for (double c : s.covered) s.objective += c;
  s.heuristic_objective = s.objective;
  s.status = fp::SolveStatus::kFeasible;
  s.bound = relaxation_bound(q, st, s.open, phase_coverage(q, s.open), o.lagrange_iterations);
  s.seconds = since(t0);
  detail::finish(s);
  detail::fill_binding(p, s);
  return s;
}

}  // namespace endstate::plan
