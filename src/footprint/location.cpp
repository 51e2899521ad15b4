// Maximal covering location with extensions: heuristic and exact solvers.
// Methods and references in include/endstate/footprint/location.hpp.
#include "endstate/footprint/location.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <queue>

#include "endstate/core/error.hpp"
#include "endstate/core/rng.hpp"
#include "footprint/detail/milp.hpp"

namespace endstate::footprint {
namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

struct View {
  const CoverProblem& p;
  std::size_t ns, nd;
  double beta;
  int pmax;
  std::int64_t ceiling;
  std::vector<std::int64_t> troops;
  std::vector<char> locked, forbidden;
  explicit View(const CoverProblem& pr) : p(pr) {
    ns = pr.coverage.points.size();
    nd = pr.weights.size();
    beta = pr.backup_weight;
    pmax = pr.max_sites > 0 ? pr.max_sites : static_cast<int>(ns);
    ceiling = pr.troop_ceiling ? *pr.troop_ceiling : std::numeric_limits<std::int64_t>::max() / 4;
    troops.assign(ns, 0);
    locked.assign(ns, 0);
    forbidden.assign(ns, 0);
    for (std::size_t j = 0; j < ns; ++j) {
      if (!pr.site_troops.empty()) troops[j] = pr.site_troops[j];
      if (!pr.locked.empty()) locked[j] = pr.locked[j] ? 1 : 0;
      if (!pr.forbidden.empty()) forbidden[j] = pr.forbidden[j] ? 1 : 0;
    }
  }
  // value of point i at cover count c
  [[nodiscard]] double f(std::size_t i, int c) const {
    const double w = p.weights[i];
    return c <= 0 ? 0.0 : (c == 1 ? w : w * (1.0 + beta));
  }
  [[nodiscard]] double gain(std::size_t i, int c) const { return f(i, c + 1) - f(i, c); }
  [[nodiscard]] double loss(std::size_t i, int c) const { return f(i, c) - f(i, c - 1); }
};

// Greedy fractional assignment for capacitated coverage: open sites in index
// order serve their covered points (nearest first) up to their capacity.
double capacitated_value(const View& v, const std::vector<bool>& open, std::vector<double>* served) {
  std::vector<double> left(v.p.weights);
  double total = 0;
  if (served) served->assign(v.ns, 0.0);
  for (std::size_t j = 0; j < v.ns; ++j) {
    if (!open[j]) continue;
    double cap = *v.p.load_per_troop * static_cast<double>(v.troops[j]);
    const auto& pts = v.p.coverage.points[j];
    const auto& hrs = v.p.coverage.hours[j];
    std::vector<std::size_t> order(pts.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return hrs[a] < hrs[b]; });
    for (std::size_t k : order) {
      if (cap <= 0) break;
      const std::uint32_t i = pts[k];
      const double s = std::min(left[i], cap);
      left[i] -= s;
      cap -= s;
      total += s;
      if (served) (*served)[j] += s;
    }
  }
  return total;
}

std::vector<int> counts_of(const View& v, const std::vector<bool>& open) {
  std::vector<int> c(v.nd, 0);
  for (std::size_t j = 0; j < v.ns; ++j) {
    if (open[j]) {
      for (std::uint32_t i : v.p.coverage.points[j]) ++c[i];
    }
  }
  return c;
}

void fill_binding(const View& v, CoverSolution& s) {
  s.binding.clear();
  int count = 0;
  std::int64_t used = 0;
  for (std::size_t j = 0; j < v.ns; ++j) {
    if (s.open[j]) {
      ++count;
      used += v.troops[j];
    }
  }
  std::int64_t cheapest = std::numeric_limits<std::int64_t>::max();
  bool any_closed = false;
  for (std::size_t j = 0; j < v.ns; ++j) {
    if (!s.open[j] && !v.forbidden[j]) {
      any_closed = true;
      cheapest = std::min(cheapest, v.troops[j]);
    }
  }
  if (v.p.max_sites > 0 && count >= v.p.max_sites && any_closed) s.binding.push_back("max_sites");
  if (v.p.troop_ceiling && any_closed && used + cheapest > *v.p.troop_ceiling) s.binding.push_back("troop_ceiling");
  if (v.p.load_per_troop && !s.served.empty()) {
    for (std::size_t j = 0; j < v.ns; ++j) {
      const double cap = *v.p.load_per_troop * static_cast<double>(v.troops[j]);
      if (s.open[j] && s.served[j] >= cap * (1 - 1e-9) - 1e-9) s.binding.push_back("capacity:" + std::to_string(j));
    }
  }
  // A locked site binds when some closed site would cover more than it adds.
  if (!v.p.load_per_troop) {
    const auto c = counts_of(v, s.open);
    double best_gain = 0;
    for (std::size_t j = 0; j < v.ns; ++j) {
      if (s.open[j] || v.forbidden[j]) continue;
      double g = 0;
      for (std::uint32_t i : v.p.coverage.points[j]) g += v.gain(i, c[i]);
      best_gain = std::max(best_gain, g);
    }
    for (std::size_t j = 0; j < v.ns; ++j) {
      if (!v.locked[j]) continue;
      double l = 0;
      for (std::uint32_t i : v.p.coverage.points[j]) l += v.loss(i, c[i]);
      if (l < best_gain) s.binding.push_back("locked:" + std::to_string(j));
    }
  }
}

void finish(CoverSolution& s) {
  s.bound = std::max(s.bound, s.objective);
  s.gap = (s.bound - s.objective) / std::max(std::abs(s.objective), 1e-9);
  if (s.gap < 1e-12) s.gap = 0;
}

// Upper bound on what `k` more sites (and `room` troops) can add, given marginal gains.
double best_additions(const View& v, std::vector<std::pair<double, std::size_t>> gains, int k, std::int64_t room) {
  std::sort(gains.begin(), gains.end(),
            [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  double card = 0;
  for (int t = 0; t < k && t < static_cast<int>(gains.size()); ++t) card += std::max(0.0, gains[t].first);
  if (!v.p.troop_ceiling) return card;
  // Fractional knapsack over the gains (a relaxation of the ceiling alone).
  std::vector<std::pair<double, std::size_t>> r = gains;
  double free_gain = 0;
  std::vector<std::pair<double, std::size_t>> costly;
  for (const auto& g : r) {
    if (g.first <= 0) continue;
    if (v.troops[g.second] <= 0) {
      free_gain += g.first;
    } else {
      costly.push_back({g.first / static_cast<double>(v.troops[g.second]), g.second});
    }
  }
  std::sort(costly.begin(), costly.end(),
            [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  double knap = free_gain;
  double left = static_cast<double>(std::max<std::int64_t>(0, room));
  for (const auto& [ratio, j] : costly) {
    const double t = static_cast<double>(v.troops[j]);
    if (left <= 0) break;
    const double take = std::min(1.0, left / t);
    knap += ratio * t * take;
    left -= t * take;
  }
  return std::min(card, knap);
}

// point -> the sites that cover it (compressed rows).
struct PointSites {
  std::vector<std::size_t> off;  ///< [point], size nd + 1
  std::vector<std::uint32_t> sites;
  explicit PointSites(const View& v) : off(v.nd + 1, 0) {
    const auto& pts = v.p.coverage.points;
    for (const auto& s : pts) {
      for (std::uint32_t i : s) ++off[i + 1];
    }
    for (std::size_t i = 0; i < v.nd; ++i) off[i + 1] += off[i];
    sites.resize(off[v.nd]);
    std::vector<std::size_t> at(off.begin(), off.end() - 1);
    for (std::size_t j = 0; j < v.ns; ++j) {
      for (std::uint32_t i : pts[j]) sites[at[i]++] = static_cast<std::uint32_t>(j);
    }
  }
};

// Fast 1-swap bookkeeping for the uncapacitated problem, after Resende &
// Werneck (2004), "A hybrid heuristic for the p-median problem", Journal of
// Heuristics 10:59-88, applied to coverage: gain[a] (what closed site a would
// add), loss[r] (what open site r would lose) and extra(a, r) (the correction
// for points that a and r both cover) are kept up to date point by point as
// sites open and close, through a point -> sites index. The best swap is then
// max over (a, r) of gain[a] - loss[r] + extra(a, r), O(sites x open) per
// step instead of a scan of every coverage pair; a move updates only the
// points whose count changed. extra is stored per open-site slot (slot-major),
// so memory is sites x open slots.
class SwapEngine {
 public:
  /// Whether the extra table fits (sites x slots doubles).
  static bool fits(const View& v) { return v.ns * slots_for(v) <= (std::size_t{1} << 25); }

  SwapEngine(const View& v, const PointSites& by_point, const std::vector<bool>& open)
      : v_(v), off_(by_point.off), rev_(by_point.sites), slots_(slots_for(v)) {
    stamp_.assign(v.nd, 0);
    rebuild(open);
  }

  /// Recomputes every quantity from the open set (clears floating-point drift).
  void rebuild(const std::vector<bool>& open) {
    open_.assign(v_.ns, 0);
    c_.assign(v_.nd, 0);
    s1_.assign(v_.nd, 0);
    s2_.assign(v_.nd, 0);
    gain_.assign(v_.ns, 0.0);
    loss_.assign(v_.ns, 0.0);
    slot_.assign(v_.ns, -1);
    site_in_slot_.assign(slots_, kNone);
    free_.clear();
    for (std::size_t s = slots_; s-- > 0;) free_.push_back(s);
    count_ = 0;
    used_ = 0;
    for (std::size_t j = 0; j < v_.ns; ++j) {
      if (open[j]) flip_open(j);
    }
    extra_.assign(v_.ns * slots_, 0.0);
    for (std::size_t i = 0; i < v_.nd; ++i) {
      add_gain_loss(i);
      add_extra(i, 1.0);
    }
  }

  [[nodiscard]] bool is_open(std::size_t j) const { return open_[j] != 0; }
  [[nodiscard]] int count() const { return count_; }
  [[nodiscard]] std::int64_t used() const { return used_; }
  [[nodiscard]] double gain(std::size_t j) const { return gain_[j]; }
  [[nodiscard]] std::vector<bool> open_set() const {
    std::vector<bool> o(v_.ns);
    for (std::size_t j = 0; j < v_.ns; ++j) o[j] = open_[j] != 0;
    return o;
  }
  /// Exact value of the current open set.
  [[nodiscard]] double value() const {
    double s = 0;
    for (std::size_t i = 0; i < v_.nd; ++i) s += v_.f(i, c_[i]);
    return s;
  }

  /// The best improving move (add a / swap a for r) by more than `tol`;
  /// ties go to the smaller a, an addition before a swap, then the smaller
  /// r. Returns false if none improves.
  bool best_move(double tol, std::size_t& add, std::size_t& remove, double& delta) const {
    delta = tol;
    add = remove = kNone;
    if (count_ < v_.pmax) {
      for (std::size_t a = 0; a < v_.ns; ++a) {
        if (open_[a] || v_.forbidden[a]) continue;
        if (used_ + v_.troops[a] <= v_.ceiling && gain_[a] > delta) {
          delta = gain_[a];
          add = a;
        }
      }
    }
    // swaps, slot by slot (the extra column is contiguous over a)
    for (std::size_t s = 0; s < slots_; ++s) {
      const std::size_t r = site_in_slot_[s];
      if (r == kNone || v_.locked[r]) continue;
      const double* col = &extra_[s * v_.ns];
      const double lr = loss_[r];
      const std::int64_t room = v_.ceiling - (used_ - v_.troops[r]);
      for (std::size_t a = 0; a < v_.ns; ++a) {
        if (open_[a] || v_.forbidden[a]) continue;
        const double d = gain_[a] - lr + col[a];
        if (d < delta || v_.troops[a] > room) continue;
        if (d > delta || (add != kNone && better_tie(a, r, add, remove))) {
          delta = d;
          add = a;
          remove = r;
        }
      }
    }
    return add != kNone;
  }

  /// Closes `remove` (kNone: none), then opens `add` (kNone: none). Only the
  /// points the two sites cover change count; of those, a point moves the
  /// gain of a closed site or the loss of an open one only when its marginal
  /// values change, and extra only while its count is small (1, or 2 with
  /// backup), so most points in dense areas cost one comparison.
  void apply(std::size_t add, std::size_t remove) {
    ++epoch_;
    touched_.clear();
    old_c_.clear();
    for (std::size_t j : {add, remove}) {
      if (j == kNone) continue;
      for (std::uint32_t i : v_.p.coverage.points[j]) {
        if (stamp_[i] != epoch_) {
          stamp_[i] = epoch_;
          touched_.push_back(i);
          old_c_.push_back(c_[i]);
        }
      }
    }
    // (the column of `remove` is discarded and the row of `add` unused while it is open)
    for (std::uint32_t i : touched_) add_extra(i, -1.0, remove, add);
    if (remove != kNone) flip_close(remove);
    if (add != kNone) flip_open(add);
    for (std::size_t t = 0; t < touched_.size(); ++t) {
      const std::uint32_t i = touched_[t];
      const int c0 = old_c_[t], c1 = c_[i];
      add_extra(i, 1.0);
      if (c0 == c1) continue;
      const double dg = v_.gain(i, c1) - v_.gain(i, c0), dl = v_.loss(i, c1) - v_.loss(i, c0);
      if (dg == 0 && dl == 0) continue;
      for (std::size_t q = off_[i]; q < off_[i + 1]; ++q) {
        const std::uint32_t j = rev_[q];
        if (j == add || j == remove) continue;  // recomputed below
        if (open_[j]) {
          loss_[j] += dl;
        } else {
          gain_[j] += dg;
        }
      }
    }
    if (remove != kNone) {
      double g = 0;
      for (std::uint32_t i : v_.p.coverage.points[remove]) g += v_.gain(i, c_[i]);
      gain_[remove] = g;
    }
    if (add != kNone) {
      double l = 0;
      for (std::uint32_t i : v_.p.coverage.points[add]) l += v_.loss(i, c_[i]);
      loss_[add] = l;
    }
  }

  static constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

 private:
  // One slot per site that can be open at once.
  static std::size_t slots_for(const View& v) {
    return std::min<std::size_t>(v.ns, static_cast<std::size_t>(std::max(1, v.pmax)));
  }

  // Among equal deltas: smaller a, then an addition (r = kNone) before a swap, then smaller r.
  static bool better_tie(std::size_t a, std::size_t r, std::size_t ba, std::size_t br) {
    if (a != ba) return a < ba;
    if (br == kNone) return false;
    return r < br;
  }

  void flip_open(std::size_t j) {
    open_[j] = 1;
    ++count_;
    used_ += v_.troops[j];
    const auto jj = static_cast<std::int64_t>(j) + 1;
    for (std::uint32_t i : v_.p.coverage.points[j]) {
      ++c_[i];
      s1_[i] += jj;
      s2_[i] += jj * jj;
    }
    if (free_.empty()) throw Error(ErrorCategory::kInternal, "swap engine: more open sites than slots");
    const std::size_t s = free_.back();
    free_.pop_back();
    slot_[j] = static_cast<std::ptrdiff_t>(s);
    site_in_slot_[s] = j;
    // the new column starts clean (whatever drift the last owner left)
    if (!extra_.empty()) std::fill_n(&extra_[s * v_.ns], v_.ns, 0.0);
    gain_[j] = 0;
    loss_[j] = 0;
  }
  void flip_close(std::size_t j) {
    open_[j] = 0;
    --count_;
    used_ -= v_.troops[j];
    const auto jj = static_cast<std::int64_t>(j) + 1;
    for (std::uint32_t i : v_.p.coverage.points[j]) {
      --c_[i];
      s1_[i] -= jj;
      s2_[i] -= jj * jj;
    }
    const auto s = static_cast<std::size_t>(slot_[j]);
    site_in_slot_[s] = kNone;
    free_.push_back(s);
    slot_[j] = -1;
    gain_[j] = 0;
    loss_[j] = 0;
    // row j (as a closed site) only holds points j covers: all touched, so it restarts at 0
    for (std::size_t t = 0; t < slots_; ++t) extra_[t * v_.ns + j] = 0;
  }

  // Point i's share of gain and loss at its current count.
  void add_gain_loss(std::size_t i) {
    const int c = c_[i];
    const double g = v_.gain(i, c), l = v_.loss(i, c);
    for (std::size_t q = off_[i]; q < off_[i + 1]; ++q) {
      const std::uint32_t j = rev_[q];
      if (open_[j]) {
        loss_[j] += l;
      } else {
        gain_[j] += g;
      }
    }
  }

  // Adds (sign = 1) or removes (-1) point i's share of extra: for every open
  // r and closed a that both cover it, the count stays c when a replaces r,
  // so the swap's true change is gain - loss + (loss(c) - gain(c)). That is
  // nonzero only at c = 1 or 2, where the open coverers are known from the
  // sums of their ids and squared ids. Contributions to the column of
  // `skip_open` or the row of `skip_closed` are skipped (the caller discards
  // them).
  void add_extra(std::size_t i, double sign, std::size_t skip_open = kNone, std::size_t skip_closed = kNone) {
    const int c = c_[i];
    if (c != 1 && c != 2) return;
    const double e = sign * (v_.loss(i, c) - v_.gain(i, c));
    if (e == 0) return;
    std::int64_t r1 = s1_[i], r2 = 0;
    if (c == 2) {
      const std::int64_t S = s1_[i], Q = s2_[i];
      const auto disc = static_cast<std::int64_t>(std::llround(std::sqrt(static_cast<double>(2 * Q - S * S))));
      r1 = (S - disc) / 2;
      r2 = (S + disc) / 2;
    }
    const auto* b = &rev_[off_[i]];
    const auto* end = &rev_[off_[i + 1]];
    for (std::int64_t rr : {r1, r2}) {
      if (rr == 0) continue;
      const auto r = static_cast<std::size_t>(rr - 1);
      if (r == skip_open) continue;
      double* col = &extra_[static_cast<std::size_t>(slot_[r]) * v_.ns];
      for (const auto* q = b; q != end; ++q) {
        if (!open_[*q] && *q != skip_closed) col[*q] += e;
      }
    }
  }

  const View& v_;
  const std::vector<std::size_t>& off_;
  const std::vector<std::uint32_t>& rev_;
  std::size_t slots_;
  std::vector<char> open_;
  std::vector<int> c_;
  std::vector<std::int64_t> s1_, s2_;  // per point: sum of (open coverer + 1) and of its square
  std::vector<double> gain_, loss_, extra_;
  std::vector<std::ptrdiff_t> slot_;
  std::vector<std::size_t> site_in_slot_, free_;
  int count_ = 0;
  std::int64_t used_ = 0;
  std::vector<std::uint32_t> stamp_;
  std::uint32_t epoch_ = 0;
  std::vector<std::uint32_t> touched_;
  std::vector<int> old_c_;
};

}  // namespace

std::optional<SolverKind> parse_solver(const std::string& s) {
  if (s == "exact") return SolverKind::kExact;
  if (s == "heuristic") return SolverKind::kHeuristic;
  if (s == "auto") return SolverKind::kAuto;
  return std::nullopt;
}

void validate(const CoverProblem& p) {
  const std::size_t ns = p.coverage.points.size();
  if (p.coverage.demand_count != p.weights.size()) throw usage_error("coverage: demand count differs from weights");
  if (p.coverage.hours.size() != ns) throw usage_error("coverage: hours and points differ in size");
  for (std::size_t j = 0; j < ns; ++j) {
    if (p.coverage.hours[j].size() != p.coverage.points[j].size())
      throw usage_error("coverage: site " + std::to_string(j) + " hours/points differ");
    for (std::uint32_t i : p.coverage.points[j]) {
      if (i >= p.weights.size())
        throw usage_error("coverage: site " + std::to_string(j) + " covers point " + std::to_string(i) +
                          " out of range");
    }
  }
  for (std::size_t i = 0; i < p.weights.size(); ++i) {
    if (!(p.weights[i] >= 0) || !std::isfinite(p.weights[i]))
      throw usage_error("weight of demand point " + std::to_string(i) + " must be finite and >= 0");
  }
  if (!p.site_troops.empty() && p.site_troops.size() != ns) throw usage_error("site_troops: one value per site");
  for (auto t : p.site_troops) {
    if (t < 0) throw usage_error("site_troops must be >= 0");
  }
  if (!p.locked.empty() && p.locked.size() != ns) throw usage_error("locked: one value per site");
  if (!p.forbidden.empty() && p.forbidden.size() != ns) throw usage_error("forbidden: one value per site");
  if (p.max_sites < 0) throw usage_error("max sites must be >= 0");
  if (p.troop_ceiling && *p.troop_ceiling < 0) throw usage_error("troop ceiling must be >= 0");
  if (p.load_per_troop && !(*p.load_per_troop > 0)) throw usage_error("load per troop must be > 0");
  if (!(p.backup_weight >= 0)) throw usage_error("backup weight must be >= 0");
  if (p.load_per_troop && p.backup_weight > 0)
    throw usage_error("capacitated coverage and backup coverage cannot be combined");
  View v(p);
  for (std::size_t j = 0; j < ns; ++j) {
    if (v.locked[j] && v.forbidden[j]) throw usage_error("site " + std::to_string(j) + " is both locked and forbidden");
  }
}

std::string to_string(SolveStatus s) {
  switch (s) {
    case SolveStatus::kOptimal:
      return "optimal";
    case SolveStatus::kFeasible:
      return "feasible";
    case SolveStatus::kTimeLimit:
      return "time_limit";
    case SolveStatus::kInfeasible:
      return "infeasible";
    case SolveStatus::kNoSolution:
      return "no_solution";
    case SolveStatus::kEvaluated:
      return "evaluated";
    case SolveStatus::kReached:
      return "reached";
  }
  return "no_solution";
}

std::vector<std::string> infeasibility(const CoverProblem& p) {
  View v(p);
  int nlocked = 0;
  std::int64_t tlocked = 0;
  for (std::size_t j = 0; j < v.ns; ++j) {
    if (v.locked[j]) {
      ++nlocked;
      tlocked += v.troops[j];
    }
  }
  std::vector<std::string> out;
  if (p.max_sites > 0 && nlocked > p.max_sites) out.push_back("max_sites");
  if (p.troop_ceiling && tlocked > *p.troop_ceiling) out.push_back("troop_ceiling");
  if (!out.empty()) out.insert(out.begin(), "locked");
  return out;
}

namespace {

/// The answer for a problem that has no solution: nothing open, the conflict named.
CoverSolution infeasible_solution(const CoverProblem& p, std::vector<std::string> binding, const char* solver) {
  CoverSolution s;
  s.open.assign(p.coverage.points.size(), false);
  s.solver = solver;
  s.status = SolveStatus::kInfeasible;
  s.binding = std::move(binding);
  return s;
}

}  // namespace

CoverSolution evaluate(const CoverProblem& p, const std::vector<bool>& open) {
  View v(p);
  if (open.size() != v.ns) throw usage_error("evaluate: one open flag per site");
  CoverSolution s;
  s.open = open;
  const auto c = counts_of(v, open);
  for (std::size_t i = 0; i < v.nd; ++i) {
    if (c[i] >= 1) s.covered += p.weights[i];
    if (c[i] >= 2) s.covered_twice += p.weights[i];
  }
  if (p.load_per_troop) {
    s.objective = capacitated_value(v, open, &s.served);
    s.covered = s.objective;
  } else {
    s.objective = s.covered + p.backup_weight * s.covered_twice;
  }
  s.bound = s.objective;
  s.solver = "evaluate";
  s.status = SolveStatus::kEvaluated;
  fill_binding(v, s);
  return s;
}

double lagrangian_cover_bound(const CoverProblem& p, double target, int iterations, double stall_tolerance) {
  View v(p);
  // points no allowed site covers have y = u = 0
  const PointSites by_point(v);
  std::vector<char> coverable(v.nd, 0);
  for (std::size_t i = 0; i < v.nd; ++i) {
    for (std::size_t x = by_point.off[i]; x < by_point.off[i + 1] && !coverable[i]; ++x) {
      coverable[i] = v.forbidden[by_point.sites[x]] ? 0 : 1;
    }
  }
  std::vector<double> lam(v.nd);
  for (std::size_t i = 0; i < v.nd; ++i) lam[i] = 0.5 * p.weights[i];
  double best = std::numeric_limits<double>::infinity();
  double theta = 2.0;
  int stall = 0;
  double checkpoint = std::numeric_limits<double>::infinity();
  std::vector<double> sigma(v.ns);
  std::vector<char> x(v.ns);
  std::vector<double> g(v.nd);
  for (int it = 0; it < std::max(1, iterations); ++it) {
    double L = 0;
    std::vector<double> yu(v.nd, 0.0);
    for (std::size_t i = 0; i < v.nd; ++i) {
      if (!coverable[i]) continue;
      const double w = p.weights[i];
      const double a = w - lam[i];
      const double b = a + (v.beta * w - lam[i]);
      double best_i = 0, units = 0;
      if (a > best_i) {
        best_i = a;
        units = 1;
      }
      if (v.beta > 0 && b > best_i) {
        best_i = b;
        units = 2;
      }
      L += best_i;
      yu[i] = units;
    }
    std::fill(sigma.begin(), sigma.end(), 0.0);
    for (std::size_t j = 0; j < v.ns; ++j) {
      if (v.forbidden[j]) continue;
      for (std::uint32_t i : p.coverage.points[j]) sigma[j] += lam[i];
    }
    // x-subproblem: locked forced, then the best additions (relaxed).
    std::fill(x.begin(), x.end(), 0);
    int k = v.pmax;
    std::int64_t room = v.ceiling;
    std::vector<std::pair<double, std::size_t>> free;
    for (std::size_t j = 0; j < v.ns; ++j) {
      if (v.locked[j]) {
        x[j] = 1;
        L += sigma[j];
        --k;
        room -= v.troops[j];
      } else if (!v.forbidden[j]) {
        free.push_back({sigma[j], j});
      }
    }
    L += best_additions(v, free, std::max(0, k), room);
    // a subgradient: the cardinality/ceiling-feasible greedy choice
    std::sort(free.begin(), free.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    int taken = 0;
    for (const auto& [sg, j] : free) {
      if (taken >= k || sg <= 0) break;
      if (v.troops[j] > room) continue;
      x[j] = 1;
      room -= v.troops[j];
      ++taken;
    }
    if (L < best - 1e-12) {
      best = L;
      stall = 0;
    } else if (++stall >= 25) {
      theta /= 2;
      stall = 0;
    }
    if (best <= target * (1 + 1e-9) + 1e-12 || theta < 1e-6) break;
    if (stall_tolerance > 0 && (it + 1) % 50 == 0) {
      if (checkpoint - best < stall_tolerance * std::abs(best)) break;
      checkpoint = best;
    }
    std::fill(g.begin(), g.end(), 0.0);
    for (std::size_t j = 0; j < v.ns; ++j) {
      if (!x[j]) continue;
      for (std::uint32_t i : p.coverage.points[j]) g[i] += 1;
    }
    double norm = 0;
    for (std::size_t i = 0; i < v.nd; ++i) {
      if (!coverable[i]) {
        g[i] = 0;
        continue;
      }
      g[i] -= yu[i];
      if (lam[i] <= 0 && g[i] > 0) g[i] = 0;  // projected
      norm += g[i] * g[i];
    }
    if (norm <= 0) break;  // the relaxed solution is feasible: L is optimal
    const double step = theta * (L - target) / norm;
    for (std::size_t i = 0; i < v.nd; ++i) lam[i] = std::max(0.0, lam[i] - step * g[i]);
  }
  return best;
}

CoverSolution solve_cover_heuristic(const CoverProblem& p, const SolveOptions& o) {
  validate(p);
  if (auto why = infeasibility(p); !why.empty()) return infeasible_solution(p, std::move(why), "heuristic");
  const auto t0 = Clock::now();
  View v(p);
  std::vector<bool> open(v.ns, false);
  std::vector<int> c(v.nd, 0);
  std::vector<std::int64_t> s1(v.nd, 0), s2(v.nd, 0);
  int count = 0;
  std::int64_t used = 0;
  auto open_site = [&](std::size_t j) {
    open[j] = true;
    ++count;
    used += v.troops[j];
    const auto jj = static_cast<std::int64_t>(j) + 1;
    for (std::uint32_t i : p.coverage.points[j]) {
      ++c[i];
      s1[i] += jj;
      s2[i] += jj * jj;
    }
  };
  auto close_site = [&](std::size_t j) {
    open[j] = false;
    --count;
    used -= v.troops[j];
    const auto jj = static_cast<std::int64_t>(j) + 1;
    for (std::uint32_t i : p.coverage.points[j]) {
      --c[i];
      s1[i] -= jj;
      s2[i] -= jj * jj;
    }
  };
  auto reset = [&]() {
    for (std::size_t j = 0; j < v.ns; ++j) {
      if (open[j]) close_site(j);
    }
    for (std::size_t j = 0; j < v.ns; ++j) {
      if (v.locked[j]) open_site(j);
    }
  };
  reset();
  const bool cap = p.load_per_troop.has_value();
  auto value_of = [&](const std::vector<bool>& op) { return capacitated_value(v, op, nullptr); };
  auto site_gain = [&](std::size_t j) {
    double g = 0;
    for (std::uint32_t i : p.coverage.points[j]) g += v.gain(i, c[i]);
    return g;
  };
  // --- lazy greedy (Minoux 1978): gains only shrink as sites open ---
  if (!cap) {
    // per_troop: rank by gain per troop (knapsack-aware) instead of gain.
    auto greedy = [&](bool per_troop) {
      auto key = [&](std::size_t j, double g) {
        return per_troop ? g / static_cast<double>(std::max<std::int64_t>(1, v.troops[j])) : g;
      };
      std::priority_queue<std::pair<double, std::int64_t>> pq;  // (key, -site)
      for (std::size_t j = 0; j < v.ns; ++j) {
        if (!open[j] && !v.forbidden[j]) pq.push({key(j, site_gain(j)), -static_cast<std::int64_t>(j)});
      }
      while (!pq.empty() && count < v.pmax) {
        auto [g, nj] = pq.top();
        pq.pop();
        const auto j = static_cast<std::size_t>(-nj);
        if (used + v.troops[j] > v.ceiling) continue;  // never affordable again
        const double fresh = key(j, site_gain(j));
        if (!pq.empty() && fresh < pq.top().first - 1e-12 * std::max(1.0, fresh)) {
          pq.push({fresh, nj});
          continue;
        }
        if (fresh <= 0) break;
        open_site(j);
      }
      double val = 0;
      for (std::size_t i = 0; i < v.nd; ++i) val += v.f(i, c[i]);
      return val;
    };
    const double by_gain = greedy(false);
    if (p.troop_ceiling) {
      const std::vector<bool> first = open;
      reset();
      const double by_ratio = greedy(true);
      if (by_ratio <= by_gain) {
        reset();
        for (std::size_t j = 0; j < v.ns; ++j) {
          if (first[j] && !open[j]) open_site(j);
        }
      }
    }
  } else {
    double cur = value_of(open);
    while (count < v.pmax) {
      double best = cur;
      std::size_t bj = v.ns;
      for (std::size_t j = 0; j < v.ns; ++j) {
        if (open[j] || v.forbidden[j] || used + v.troops[j] > v.ceiling) continue;
        open[j] = true;
        const double val = value_of(open);
        open[j] = false;
        if (val > best + 1e-9) {
          best = val;
          bj = j;
        }
      }
      if (bj == v.ns) break;
      open_site(bj);
      cur = best;
    }
  }
  // --- 1-swap local search with a fast delta ---
  std::vector<double> extra(v.ns, 0.0), loss(v.ns, 0.0);
  std::vector<std::size_t> touched, open_list;
  const int max_swaps = std::max(0, o.swap_passes) * std::max(1, count);
  double cur = 0;
  if (cap) {
    cur = value_of(open);
  } else {
    for (std::size_t i = 0; i < v.nd; ++i) cur += v.f(i, c[i]);
  }
  auto local_search = [&]() {
    for (int sw = 0; sw < max_swaps; ++sw) {
      if (o.time_limit_s > 0 && since(t0) > o.time_limit_s) break;
      double best_delta = 1e-9 * std::max(1.0, std::abs(cur));
      std::size_t best_a = v.ns, best_r = v.ns;
      if (cap) {
        for (std::size_t a = 0; a < v.ns; ++a) {
          if (open[a] || v.forbidden[a]) continue;
          for (std::size_t r = 0; r <= v.ns; ++r) {
            if (r < v.ns && (!open[r] || v.locked[r])) continue;
            const std::int64_t t = used + v.troops[a] - (r < v.ns ? v.troops[r] : 0);
            if (t > v.ceiling || (r == v.ns && count >= v.pmax)) continue;
            std::vector<bool> op = open;
            op[a] = true;
            if (r < v.ns) op[r] = false;
            const double d = value_of(op) - cur;
            if (d > best_delta) {
              best_delta = d;
              best_a = a;
              best_r = r;
            }
          }
        }
      } else {
        std::fill(loss.begin(), loss.end(), 0.0);
        open_list.clear();
        for (std::size_t r = 0; r < v.ns; ++r) {
          if (!open[r]) continue;
          if (!v.locked[r]) open_list.push_back(r);
          for (std::uint32_t i : p.coverage.points[r]) loss[r] += v.loss(i, c[i]);
        }
        for (std::size_t a = 0; a < v.ns; ++a) {
          if (open[a] || v.forbidden[a]) continue;
          double gain_a = 0;
          touched.clear();
          for (std::uint32_t i : p.coverage.points[a]) {
            const int ci = c[i];
            gain_a += v.gain(i, ci);
            if (ci == 1) {
              const auto r = static_cast<std::size_t>(s1[i] - 1);
              if (extra[r] == 0) touched.push_back(r);
              extra[r] += v.loss(i, 1) - v.gain(i, 1);
            } else if (ci == 2 && v.beta > 0) {
              const std::int64_t S = s1[i], Q = s2[i];
              const auto disc = static_cast<std::int64_t>(std::llround(std::sqrt(static_cast<double>(2 * Q - S * S))));
              const std::int64_t r1 = (S - disc) / 2, r2 = (S + disc) / 2;
              for (std::int64_t rr : {r1, r2}) {
                const auto r = static_cast<std::size_t>(rr - 1);
                if (extra[r] == 0) touched.push_back(r);
                extra[r] += v.loss(i, 2) - v.gain(i, 2);
              }
            }
          }
          if (count < v.pmax && used + v.troops[a] <= v.ceiling && gain_a > best_delta) {
            best_delta = gain_a;
            best_a = a;
            best_r = v.ns;
          }
          for (std::size_t r : open_list) {
            if (used - v.troops[r] + v.troops[a] > v.ceiling) continue;
            const double d = gain_a - loss[r] + extra[r];
            if (d > best_delta) {
              best_delta = d;
              best_a = a;
              best_r = r;
            }
          }
          for (std::size_t r : touched) extra[r] = 0;
        }
      }
      if (best_a == v.ns) break;
      if (best_r < v.ns) close_site(best_r);
      open_site(best_a);
      cur += best_delta;
    }
  };
  // The uncapacitated search runs on the incremental engine when its table
  // fits; otherwise (and for capacitated coverage) on the scans above.
  std::optional<PointSites> by_point;
  if (!cap) by_point.emplace(v);
  std::optional<SwapEngine> eng;
  if (!cap && SwapEngine::fits(v)) eng.emplace(v, *by_point, open);
  auto descend = [&]() {
    if (!eng) {
      local_search();
      return;
    }
    for (int sw = 0; sw < max_swaps; ++sw) {
      if (o.time_limit_s > 0 && since(t0) > o.time_limit_s) break;
      std::size_t a = 0, r = 0;
      double d = 0;
      if (!eng->best_move(1e-9 * std::max(1.0, std::abs(cur)), a, r, d)) break;
      eng->apply(a, r);
      cur += d;
    }
    cur = eng->value();  // exact, free of the increments' rounding
  };
  auto is_open = [&](std::size_t j) { return eng ? eng->is_open(j) : static_cast<bool>(open[j]); };
  auto do_close = [&](std::size_t j) { eng ? eng->apply(SwapEngine::kNone, j) : close_site(j); };
  auto do_open = [&](std::size_t j) { eng ? eng->apply(j, SwapEngine::kNone) : open_site(j); };
  auto gain_of = [&](std::size_t j) { return eng ? eng->gain(j) : site_gain(j); };
  auto used_now = [&]() { return eng ? eng->used() : used; };
  auto count_now = [&]() { return eng ? eng->count() : count; };
  auto value_now = [&]() {
    if (eng) return eng->value();
    double val = 0;
    for (std::size_t i = 0; i < v.nd; ++i) val += v.f(i, c[i]);
    return val;
  };
  descend();
  // --- variable neighbourhood search (Hansen & Mladenovic 1997) for the
  // uncapacitated case: shake by k swaps (k = 1..kmax, back to 1 after an
  // improvement). A shake is local: it closes a random open site and k - 1
  // of the open sites that share covered points with it (random ones once
  // those run out), each time opening one of the 5 closed sites that would
  // add the most at that moment; descend with the 1-swap search; keep the
  // better solution. Neighbouring sites compete for the same people, so
  // moving them together escapes local optima that k unrelated swaps do not
  // (docs/performance.md: 11.354 M vs 11.324 M after 1,000 shakes).
  // Seeded and a fixed number of shakes: deterministic unless the time runs out.
  if (!cap && count_now() > 0 && o.vns_shakes > 0) {
    Rng rng(0x51ed2701u + v.ns * 7919u + v.nd, 3);
    const int kmax = std::max(1, std::min(10, count_now()));
    int k = 1;
    std::vector<bool> best_open(v.ns);
    for (std::size_t j = 0; j < v.ns; ++j) best_open[j] = is_open(j);
    double best_val = cur;
    constexpr std::size_t kTop = 5;
    std::vector<std::pair<double, std::size_t>> top;
    std::vector<std::size_t> near;
    std::vector<std::uint32_t> seen(v.ns, 0);
    for (int it = 0; it < o.vns_shakes; ++it) {
      if (o.time_limit_s > 0 && since(t0) > o.time_limit_s) break;
      if (eng && it % 32 == 31) eng->rebuild(eng->open_set());
      for (int q = 0; q < k; ++q) {
        std::size_t r = v.ns, a = v.ns;
        if (q > 0 && !near.empty()) {
          const auto at = static_cast<std::ptrdiff_t>(rng.below(near.size()));
          r = near[static_cast<std::size_t>(at)];
          near.erase(near.begin() + at);
          if (!is_open(r)) r = v.ns;
        }
        for (int tries = 0; tries < 64 && r == v.ns; ++tries) {
          const auto j = static_cast<std::size_t>(rng.below(v.ns));
          if (is_open(j) && !v.locked[j]) r = j;
        }
        if (r == v.ns) break;
        if (q == 0) {
          // the open sites that share a covered point with r: the rest of the shake
          near.clear();
          for (std::uint32_t i : p.coverage.points[r]) {
            for (std::size_t x = by_point->off[i]; x < by_point->off[i + 1]; ++x) {
              const std::uint32_t j = by_point->sites[x];
              if (j != r && seen[j] != static_cast<std::uint32_t>(it + 1) && is_open(j) && !v.locked[j]) {
                seen[j] = static_cast<std::uint32_t>(it + 1);
                near.push_back(j);
              }
            }
          }
          std::sort(near.begin(), near.end());
        }
        do_close(r);
        // the new site: one of the kTop closed sites that would add the most now
        top.clear();
        for (std::size_t j = 0; j < v.ns; ++j) {
          if (is_open(j) || v.forbidden[j] || j == r || used_now() + v.troops[j] > v.ceiling) continue;
          top.push_back({gain_of(j), j});
        }
        const std::size_t keep = std::min<std::size_t>(top.size(), kTop);
        if (keep == 0) {
          do_open(r);
          break;
        }
        std::partial_sort(
            top.begin(), top.begin() + static_cast<std::ptrdiff_t>(keep), top.end(),
            [](const auto& x, const auto& y) { return x.first != y.first ? x.first > y.first : x.second < y.second; });
        a = top[rng.below(keep)].second;
        do_open(a);
      }
      cur = value_now();
      descend();
      if (cur > best_val + 1e-9 * std::max(1.0, std::abs(best_val))) {
        best_val = cur;
        for (std::size_t j = 0; j < v.ns; ++j) best_open[j] = is_open(j);
        k = 1;
      } else {
        for (std::size_t j = 0; j < v.ns; ++j) {
          if (is_open(j) && !best_open[j]) do_close(j);
        }
        for (std::size_t j = 0; j < v.ns; ++j) {
          if (!is_open(j) && best_open[j]) do_open(j);
        }
        cur = best_val;
        k = k % kmax + 1;
      }
    }
  }
  if (eng) open = eng->open_set();
  CoverSolution s = evaluate(p, open);
  s.solver = "heuristic";
  s.status = SolveStatus::kFeasible;
  // --- bounds: Lagrangian and submodular (uncapacitated relaxations are valid) ---
  double bound = lagrangian_cover_bound(p, s.objective, o.lagrange_iterations);
  {
    std::vector<std::pair<double, std::size_t>> gains;
    std::fill(c.begin(), c.end(), 0);
    for (std::size_t j = 0; j < v.ns; ++j) {
      if (open[j]) {
        for (std::uint32_t i : p.coverage.points[j]) ++c[i];
      }
    }
    double f_s = 0;
    for (std::size_t i = 0; i < v.nd; ++i) f_s += v.f(i, c[i]);
    for (std::size_t j = 0; j < v.ns; ++j) {
      if (!open[j] && !v.forbidden[j]) gains.push_back({site_gain(j), j});
    }
    int nlocked = 0;
    std::int64_t tl = 0;
    for (std::size_t j = 0; j < v.ns; ++j) {
      if (v.locked[j]) {
        ++nlocked;
        tl += v.troops[j];
      }
    }
    // OPT (which holds the locked sites) <= f(S) + the best additions of size P - locked.
    const double sub = f_s + best_additions(v, gains, v.pmax - nlocked, v.ceiling - tl);
    bound = std::min(bound, sub);
  }
  s.bound = bound;
  s.seconds = since(t0);
  finish(s);
  return s;
}

CoverSolution solve_cover_exact(const CoverProblem& p, const SolveOptions& o) {
  validate(p);
  if (auto why = infeasibility(p); !why.empty()) return infeasible_solution(p, std::move(why), "cbc");
  const auto t0 = Clock::now();
  CoverSolution h;
  View v(p);
  if (o.heuristic_start) {
    h = solve_cover_heuristic(p, o);
  } else {
    h.open.assign(v.ns, false);
    h.bound = std::numeric_limits<double>::infinity();
  }
  detail::Milp m;
  m.maximize = true;
  std::vector<int> xcol(v.ns);
  for (std::size_t j = 0; j < v.ns; ++j) {
    const double lo = v.locked[j] ? 1 : 0, hi = v.forbidden[j] ? 0 : 1;
    xcol[j] = m.add_col(lo, hi, 0.0, true);
  }
  std::vector<double> start(v.ns);
  for (std::size_t j = 0; j < v.ns; ++j) start[j] = h.open[j] ? 1 : 0;
  if (!p.load_per_troop) {
    // Aggregate points with the same set of allowed covering sites (exact).
    std::vector<std::vector<std::uint32_t>> by_point(v.nd);
    for (std::size_t j = 0; j < v.ns; ++j) {
      if (v.forbidden[j]) continue;
      for (std::uint32_t i : p.coverage.points[j]) by_point[i].push_back(static_cast<std::uint32_t>(j));
    }
    std::map<std::vector<std::uint32_t>, double> groups;
    for (std::size_t i = 0; i < v.nd; ++i) {
      if (!by_point[i].empty() && p.weights[i] > 0) groups[by_point[i]] += p.weights[i];
    }
    for (const auto& [sites, w] : groups) {
      int cnt = 0;
      for (auto j : sites) cnt += h.open[j] ? 1 : 0;
      const int y = m.add_col(0, 1, w, false);
      start.push_back(cnt >= 1 ? 1 : 0);
      int u = -1;
      if (v.beta > 0) {
        u = m.add_col(0, 1, v.beta * w, false);
        start.push_back(cnt >= 2 ? 1 : 0);
      }
      m.entry(y, 1);
      if (u >= 0) m.entry(u, 1);
      for (auto j : sites) m.entry(xcol[j], -1);
      m.add_row(-1e30, 0);
      if (u >= 0) {
        m.entry(u, 1);
        m.entry(y, -1);
        m.add_row(-1e30, 0);
      }
    }
  } else {
    // assignment form: v_ij in [0,1], sum_j v_ij <= 1, sum_i w_i v_ij <= cap_j x_j, v_ij <= x_j
    std::vector<std::vector<std::pair<std::uint32_t, int>>> by_point(v.nd);
    for (std::size_t j = 0; j < v.ns; ++j) {
      if (v.forbidden[j]) continue;
      const double cap = *p.load_per_troop * static_cast<double>(v.troops[j]);
      std::vector<std::pair<int, double>> caprow;
      for (std::uint32_t i : p.coverage.points[j]) {
        if (p.weights[i] <= 0) continue;
        const int col = m.add_col(0, 1, p.weights[i], false);
        by_point[i].push_back({static_cast<std::uint32_t>(j), col});
        caprow.push_back({col, p.weights[i]});
        m.entry(col, 1);
        m.entry(xcol[j], -1);
        m.add_row(-1e30, 0);
      }
      for (const auto& [col, w] : caprow) m.entry(col, w);
      m.entry(xcol[j], -cap);
      m.add_row(-1e30, 0);
    }
    for (std::size_t i = 0; i < v.nd; ++i) {
      if (by_point[i].size() < 2) continue;
      for (const auto& pr : by_point[i]) m.entry(pr.second, 1);
      m.add_row(-1e30, 1);
    }
  }
  if (p.max_sites > 0) {
    for (std::size_t j = 0; j < v.ns; ++j) m.entry(xcol[j], 1);
    m.add_row(-1e30, p.max_sites);
  }
  if (p.troop_ceiling) {
    for (std::size_t j = 0; j < v.ns; ++j) {
      if (v.troops[j] != 0) m.entry(xcol[j], static_cast<double>(v.troops[j]));
    }
    m.add_row(-1e30, static_cast<double>(*p.troop_ceiling));
  }
  const double left = std::max(0.5, o.time_limit_s - since(t0));
  std::optional<double> cutoff;
  if (o.stop_at_objective) cutoff = *o.stop_at_objective * (1 - 1e-9) - 1e-9;
  const auto r = detail::solve_milp(m, left, cutoff, (p.load_per_troop || !o.heuristic_start) ? nullptr : &start,
                                    o.stop_at_objective.has_value());
  CoverSolution s = h;
  if (!r.x.empty()) {
    std::vector<bool> open(v.ns);
    for (std::size_t j = 0; j < v.ns; ++j) open[j] = r.x[xcol[j]] > 0.5;
    CoverSolution e = evaluate(p, open);
    // With capacity, the MILP's assignment may beat the greedy fill of evaluate().
    if (p.load_per_troop) e.objective = std::max(e.objective, r.objective);
    if (e.objective >= h.objective - 1e-9 * std::max(1.0, h.objective)) s = e;
  }
  s.solver = "cbc";
  if (r.status == detail::MilpResult::Status::kInfeasible) {
    // Proven infeasible by CBC (the checks above catch every conflict we know of).
    return infeasible_solution(p, {"cbc: proven infeasible"}, "cbc");
  }
  s.status = r.status == detail::MilpResult::Status::kOptimal && !o.stop_at_objective ? SolveStatus::kOptimal
                                                                                      : SolveStatus::kTimeLimit;
  if (o.stop_at_objective && s.objective >= *o.stop_at_objective * (1 - 1e-9)) s.status = SolveStatus::kReached;
  double bound = h.bound;
  if (r.status == detail::MilpResult::Status::kOptimal && !o.stop_at_objective) {
    bound = std::min(bound, r.objective);
  } else if (std::isfinite(r.bound) && r.bound > 0) {
    bound = std::min(bound, r.bound);
  }
  if (r.status == detail::MilpResult::Status::kOptimal && p.load_per_troop) s.objective = r.objective;
  s.bound = bound;
  s.seconds = since(t0);
  finish(s);
  if (s.status == SolveStatus::kOptimal && s.gap > 1e-7) s.status = SolveStatus::kTimeLimit;
  return s;
}

CoverSolution solve_cover(const CoverProblem& p, const SolveOptions& o) {
  switch (o.solver) {
    case SolverKind::kExact:
      return solve_cover_exact(p, o);
    case SolverKind::kHeuristic:
      return solve_cover_heuristic(p, o);
    case SolverKind::kAuto:
      break;
  }
  std::size_t pairs = p.coverage.pairs();
  if (p.load_per_troop) pairs *= 4;
  return pairs <= o.auto_exact_pairs ? solve_cover_exact(p, o) : solve_cover_heuristic(p, o);
}

}  // namespace endstate::footprint
