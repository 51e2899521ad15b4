// Handover scheduling: time-indexed MILP in CBC and serial list scheduling
// with repair (see schedule.hpp for the model and references).
#include "endstate/tasks/schedule.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <queue>

#include "endstate/core/error.hpp"
#include "endstate/footprint/milp.hpp"

namespace endstate::tasks {
namespace {

namespace fp = endstate::footprint;
constexpr double kEps = 1e-6;

/// Resource use of a partial schedule, kept incrementally.
class Use {
 public:
  explicit Use(const ScheduleProblem& p)
      : p_(p),
        cap_(p.capacity.size(), std::vector<double>(p.years, 0.0)),
        fund_(p.funding.size(), std::vector<double>(p.years, 0.0)) {}

  [[nodiscard]] bool fits(std::size_t i, int q) const {
    const auto& it = p_.items[i];
    const auto pa = static_cast<std::size_t>(it.partner);
    const std::size_t y = p_.period_year[static_cast<std::size_t>(q)];
    if (cap_[pa][y] + it.load > p_.capacity[pa][y] + kEps) return false;
    for (std::size_t k = 0; k < p_.years; ++k) {
      const double u = p_.funding_use(i, q, k);
      if (u > 0 && fund_[pa][k] + u > p_.funding[pa][k] + kEps) return false;
    }
    return true;
  }
  void add(std::size_t i, int q, double sign) {
    const auto& it = p_.items[i];
    const auto pa = static_cast<std::size_t>(it.partner);
    cap_[pa][p_.period_year[static_cast<std::size_t>(q)]] += sign * it.load;
    for (std::size_t k = 0; k < p_.years; ++k) fund_[pa][k] += sign * p_.funding_use(i, q, k);
  }

 private:
  const ScheduleProblem& p_;
  std::vector<std::vector<double>> cap_, fund_;
};

/// Predecessors and successors of each item.
struct Graph {
  std::vector<std::vector<std::size_t>> pred, succ;
  explicit Graph(const ScheduleProblem& p) : pred(p.items.size()), succ(p.items.size()) {
    for (const auto& [a, b] : p.precedes) {
      pred[b].push_back(a);
      succ[a].push_back(b);
    }
  }
};

/// The periods item i may take given the others: its window, not before any
/// predecessor, not after any scheduled successor; empty when a predecessor is
/// unscheduled.
std::pair<int, int> range(const ScheduleProblem& p, const Graph& g, const std::vector<int>& at, std::size_t i) {
  int lo = p.items[i].earliest, hi = p.items[i].latest;
  if (p.items[i].partner < 0) return {0, -1};
  for (auto a : g.pred[i]) {
    if (at[a] < 0) return {0, -1};
    lo = std::max(lo, at[a]);
  }
  for (auto b : g.succ[i])
    if (at[b] >= 0) hi = std::min(hi, at[b]);
  return {lo, hi};
}

void finish(const ScheduleProblem& p, Schedule& s) {
  s.objective = objective(p, s.period);
  s.weight = 0;
  for (std::size_t i = 0; i < p.items.size(); ++i)
    if (s.period[i] >= 0) s.weight += p.items[i].weight;
  s.bound = std::max(s.bound, s.objective);
  s.gap = (s.bound - s.objective) / std::max(std::abs(s.objective), 1.0);
  // binding resources
  s.binding.clear();
  std::vector<std::vector<double>> cap(p.capacity.size(), std::vector<double>(p.years, 0.0));
  auto fund = cap;
  for (std::size_t i = 0; i < p.items.size(); ++i) {
    const int q = s.period[i];
    if (q < 0) continue;
    const auto pa = static_cast<std::size_t>(p.items[i].partner);
    cap[pa][p.period_year[static_cast<std::size_t>(q)]] += p.items[i].load;
    for (std::size_t y = 0; y < p.years; ++y) fund[pa][y] += p.funding_use(i, q, y);
  }
  for (std::size_t pa = 0; pa < cap.size(); ++pa) {
    for (std::size_t y = 0; y < p.years; ++y) {
      if (cap[pa][y] > 0 && cap[pa][y] >= p.capacity[pa][y] - kEps) {
        s.binding.push_back("capacity:" + std::to_string(pa) + "@" + std::to_string(y));
      }
      if (fund[pa][y] > 0 && fund[pa][y] >= p.funding[pa][y] * (1 - 1e-9) - kEps) {
        s.binding.push_back("funding:" + std::to_string(pa) + "@" + std::to_string(y));
      }
    }
  }
}

double trivial_bound(const ScheduleProblem& p) {
  double b = 0;
  for (std::size_t i = 0; i < p.items.size(); ++i) {
    const auto& it = p.items[i];
    if (it.partner >= 0 && it.latest >= it.earliest) b += p.value(i, it.earliest);
  }
  return b;
}

}  // namespace

double ScheduleProblem::funding_use(std::size_t item, int q, std::size_t y) const {
  const auto& it = items[item];
  if (y >= it.running.size() || it.running[y] <= 0) return 0;
  int months = 0;
  for (std::size_t r = static_cast<std::size_t>(q) + 1; r < periods(); ++r)
    if (period_year[r] == y) months += period_months[r];
  return it.running[y] * months / 12.0;
}

double ScheduleProblem::value(std::size_t item, int q) const {
  const double big = static_cast<double>(periods() * items.size() + 1);
  return static_cast<double>(items[item].weight) * big - q;
}

void validate(const ScheduleProblem& p) {
  const std::size_t n = p.periods();
  if (p.period_year.size() != n || p.period_months.size() != n) throw usage_error("schedule: period sizes differ");
  for (std::size_t q = 0; q < n; ++q) {
    if (p.period_year[q] >= p.years) throw usage_error("schedule: period year out of range");
    if (q > 0 && p.period_year[q] < p.period_year[q - 1]) throw usage_error("schedule: period years must not decrease");
    if (p.period_months[q] <= 0) throw usage_error("schedule: period months must be positive");
  }
  if (p.capacity.size() != p.funding.size()) throw usage_error("schedule: capacity and funding sizes differ");
  for (std::size_t k = 0; k < p.capacity.size(); ++k) {
    if (p.capacity[k].size() != p.years || p.funding[k].size() != p.years) {
      throw usage_error("schedule: capacity/funding need one value per year");
    }
  }
  for (const auto& it : p.items) {
    if (it.partner >= static_cast<int>(p.capacity.size())) throw usage_error("schedule: item partner out of range");
    if (it.latest >= static_cast<int>(n) || it.earliest < 0) throw usage_error("schedule: item window out of range");
    if (it.load < 0 || it.weight < 0) throw usage_error("schedule: negative load or weight");
    if (!it.running.empty() && it.running.size() != p.years) throw usage_error("schedule: running cost per year");
  }
  for (const auto& [a, b] : p.precedes) {
    if (a >= p.items.size() || b >= p.items.size() || a == b) throw usage_error("schedule: bad precedence");
  }
}

std::vector<std::string> violations(const ScheduleProblem& p, const std::vector<int>& period) {
  std::vector<std::string> out;
  if (period.size() != p.items.size()) return {"size"};
  std::vector<std::vector<double>> cap(p.capacity.size(), std::vector<double>(p.years, 0.0));
  auto fund = cap;
  for (std::size_t i = 0; i < p.items.size(); ++i) {
    const int q = period[i];
    if (q < 0) continue;
    const auto& it = p.items[i];
    if (it.partner < 0 || q < it.earliest || q > it.latest) {
      out.push_back("window:" + it.name);
      continue;
    }
    const auto pa = static_cast<std::size_t>(it.partner);
    cap[pa][p.period_year[static_cast<std::size_t>(q)]] += it.load;
    for (std::size_t y = 0; y < p.years; ++y) fund[pa][y] += p.funding_use(i, q, y);
  }
  for (const auto& [a, b] : p.precedes) {
    if (period[b] >= 0 && (period[a] < 0 || period[a] > period[b])) {
      out.push_back("precedence:" + p.items[a].name + "->" + p.items[b].name);
    }
  }
  for (std::size_t pa = 0; pa < cap.size(); ++pa) {
    for (std::size_t y = 0; y < p.years; ++y) {
      if (cap[pa][y] > p.capacity[pa][y] + kEps)
        out.push_back("capacity:" + std::to_string(pa) + "@" + std::to_string(y));
      if (fund[pa][y] > p.funding[pa][y] + kEps)
        out.push_back("funding:" + std::to_string(pa) + "@" + std::to_string(y));
    }
  }
  return out;
}

double objective(const ScheduleProblem& p, const std::vector<int>& period) {
  double v = 0;
  for (std::size_t i = 0; i < p.items.size(); ++i)
    if (period[i] >= 0) v += p.value(i, period[i]);
  return v;
}

std::vector<std::size_t> priority_order(const ScheduleProblem& p) {
  // Kahn's algorithm with a priority queue: among the items whose
  // predecessors are placed, the heaviest, then lowest rank, earliest deadline, index.
  const Graph g(p);
  std::vector<int> indeg(p.items.size(), 0);
  for (const auto& [a, b] : p.precedes) ++indeg[b];
  auto worse = [&](std::size_t a, std::size_t b) {
    const auto& x = p.items[a];
    const auto& y = p.items[b];
    if (x.weight != y.weight) return x.weight < y.weight;
    if (x.rank != y.rank) return x.rank > y.rank;
    if (x.latest != y.latest) return x.latest > y.latest;
    return a > b;
  };
  std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(worse)> ready(worse);
  for (std::size_t i = 0; i < p.items.size(); ++i)
    if (indeg[i] == 0) ready.push(i);
  std::vector<std::size_t> order;
  while (!ready.empty()) {
    const auto i = ready.top();
    ready.pop();
    order.push_back(i);
    for (auto b : g.succ[i])
      if (--indeg[b] == 0) ready.push(b);
  }
  if (order.size() != p.items.size()) throw usage_error("schedule: precedences form a cycle");
  return order;
}

Schedule schedule_heuristic(const ScheduleProblem& p, const ScheduleOptions&) {
  validate(p);
  const auto t0 = std::chrono::steady_clock::now();
  const Graph g(p);
  const auto order = priority_order(p);
  std::vector<int> at(p.items.size(), -1);
  Use use(p);
  // 1. serial list scheduling: each item the earliest period that fits
  for (auto i : order) {
    const auto [lo, hi] = range(p, g, at, i);
    for (int q = lo; q <= hi; ++q) {
      if (use.fits(i, q)) {
        at[i] = q;
        use.add(i, q, 1);
        break;
      }
    }
  }
  // 2. repair and improvement, until nothing changes (bounded)
  for (int pass = 0; pass < 20; ++pass) {
    bool changed = false;
    // 2a. insert an unscheduled item by moving or dropping one lighter item of the same partner
    for (auto u : order) {
      if (at[u] >= 0) continue;
      const auto [lo, hi] = range(p, g, at, u);
      if (lo > hi) continue;
      double best_gain = 0;
      int best_q = -1;
      constexpr std::size_t kNone = static_cast<std::size_t>(-1);
      std::size_t best_v = kNone;
      int best_vq = -1;
      for (int q = lo; q <= hi; ++q) {
        if (use.fits(u, q)) {
          const double gain = p.value(u, q);
          if (gain > best_gain) best_gain = gain, best_q = q, best_v = kNone;
          continue;
        }
        for (std::size_t v = 0; v < p.items.size(); ++v) {
          if (at[v] < 0 || p.items[v].partner != p.items[u].partner) continue;
          if (std::any_of(g.succ[v].begin(), g.succ[v].end(), [&](std::size_t b) { return at[b] >= 0; })) continue;
          if (std::find(g.pred[u].begin(), g.pred[u].end(), v) != g.pred[u].end()) continue;
          const int vq = at[v];
          use.add(v, vq, -1);
          at[v] = -1;
          if (use.fits(u, q)) {
            use.add(u, q, 1);
            // move v elsewhere, or drop it
            const auto [vlo, vhi] = range(p, g, at, v);
            int moved = -1;
            for (int r = vlo; r <= vhi; ++r) {
              if (use.fits(v, r)) {
                moved = r;
                break;
              }
            }
            const double gain = p.value(u, q) - p.value(v, vq) + (moved >= 0 ? p.value(v, moved) : 0.0);
            if (gain > best_gain + kEps) best_gain = gain, best_q = q, best_v = v, best_vq = moved;
            use.add(u, q, -1);
          }
          at[v] = vq;
          use.add(v, vq, 1);
        }
      }
      if (best_q < 0) continue;
      if (best_v != kNone) {
        use.add(best_v, at[best_v], -1);
        at[best_v] = -1;
      }
      at[u] = best_q;
      use.add(u, best_q, 1);
      if (best_v != kNone && best_vq >= 0) {
        at[best_v] = best_vq;
        use.add(best_v, best_vq, 1);
      }
      changed = true;
    }
    // 2b. move scheduled items earlier
    for (auto i : order) {
      if (at[i] < 0) continue;
      const int q0 = at[i];
      use.add(i, q0, -1);
      at[i] = -1;
      const auto [lo, hi] = range(p, g, at, i);
      int q = q0;
      for (int r = lo; r < q0 && r <= hi; ++r) {
        if (use.fits(i, r)) {
          q = r;
          break;
        }
      }
      at[i] = q;
      use.add(i, q, 1);
      changed = changed || q != q0;
    }
    if (!changed) break;
  }
  Schedule s;
  s.period = at;
  s.solver = "list";
  s.bound = trivial_bound(p);
  finish(p, s);
  s.status = s.gap <= 1e-9 ? fp::SolveStatus::kOptimal : fp::SolveStatus::kFeasible;
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return s;
}

Schedule schedule_exact(const ScheduleProblem& p, const ScheduleOptions& o) {
  validate(p);
  const auto t0 = std::chrono::steady_clock::now();
  const Schedule h = schedule_heuristic(p, o);
  fp::Milp m;
  m.maximize = true;
  const std::size_t n = p.items.size();
  std::vector<std::vector<int>> x(n);  // [item][q - earliest] -> column
  for (std::size_t i = 0; i < n; ++i) {
    const auto& it = p.items[i];
    if (it.partner < 0) continue;
    for (int q = it.earliest; q <= it.latest; ++q) x[i].push_back(m.add_col(0, 1, p.value(i, q), true));
  }
  auto col = [&](std::size_t i, int q) { return x[i][static_cast<std::size_t>(q - p.items[i].earliest)]; };
  for (std::size_t i = 0; i < n; ++i) {  // at most one period
    if (x[i].size() < 2) continue;
    for (int c : x[i]) m.entry(c, 1);
    m.add_row(-1e30, 1);
  }
  for (const auto& [a, b] : p.precedes) {  // x[b][q] <= sum_{r <= q} x[a][r]
    for (std::size_t k = 0; k < x[b].size(); ++k) {
      const int q = p.items[b].earliest + static_cast<int>(k);
      m.entry(x[b][k], 1);
      for (std::size_t r = 0; r < x[a].size(); ++r)
        if (p.items[a].earliest + static_cast<int>(r) <= q) m.entry(x[a][r], -1);
      m.add_row(-1e30, 0);
    }
  }
  for (std::size_t pa = 0; pa < p.capacity.size(); ++pa) {
    for (std::size_t y = 0; y < p.years; ++y) {
      bool cap_any = false, fund_any = false;
      for (std::size_t i = 0; i < n; ++i) {
        if (p.items[i].partner != static_cast<int>(pa)) continue;
        for (int q = p.items[i].earliest; q <= p.items[i].latest; ++q) {
          if (p.period_year[static_cast<std::size_t>(q)] == y && p.items[i].load > 0) {
            m.entry(col(i, q), p.items[i].load);
            cap_any = true;
          }
        }
      }
      if (cap_any) m.add_row(-1e30, p.capacity[pa][y]);
      for (std::size_t i = 0; i < n; ++i) {
        if (p.items[i].partner != static_cast<int>(pa)) continue;
        for (int q = p.items[i].earliest; q <= p.items[i].latest; ++q) {
          const double u = p.funding_use(i, q, y);
          if (u > 0) {
            m.entry(col(i, q), u);
            fund_any = true;
          }
        }
      }
      if (fund_any) m.add_row(-1e30, p.funding[pa][y]);
    }
  }
  std::vector<double> start(static_cast<std::size_t>(m.cols()), 0.0);
  for (std::size_t i = 0; i < n; ++i)
    if (h.period[i] >= 0) start[static_cast<std::size_t>(col(i, h.period[i]))] = 1;
  const double since = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  Schedule s;
  s.solver = "cbc";
  if (m.cols() == 0) {
    s.period.assign(n, -1);
    finish(p, s);
    s.status = fp::SolveStatus::kOptimal;
  } else {
    const auto res = fp::solve_milp(m, std::max(0.5, o.time_limit_s - since), std::nullopt, &start);
    if (res.x.empty()) {
      s = h;
      s.solver = "cbc";
      s.status = fp::SolveStatus::kTimeLimit;
    } else {
      s.period.assign(n, -1);
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t k = 0; k < x[i].size(); ++k)
          if (res.x[static_cast<std::size_t>(x[i][k])] > 0.5) s.period[i] = p.items[i].earliest + static_cast<int>(k);
      }
      // keep the heuristic's schedule if CBC returned nothing better (rounding)
      if (objective(p, s.period) < h.objective - kEps) s.period = h.period;
      s.bound = res.status == fp::MilpResult::Status::kOptimal ? objective(p, s.period) : res.bound;
      finish(p, s);
      s.status =
          res.status == fp::MilpResult::Status::kOptimal ? fp::SolveStatus::kOptimal : fp::SolveStatus::kTimeLimit;
    }
  }
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return s;
}

Schedule schedule(const ScheduleProblem& p, const ScheduleOptions& o) {
  const std::size_t cells = p.items.size() * p.periods();
  auto kind = o.solver;
  std::string why;
  if (kind == fp::SolverKind::kAuto) {
    kind = cells <= o.auto_exact_cells ? fp::SolverKind::kExact : fp::SolverKind::kHeuristic;
    why = "auto: " + std::to_string(p.items.size()) + " handovers x " + std::to_string(p.periods()) +
          " periods = " + std::to_string(cells) + (cells <= o.auto_exact_cells ? " <= " : " > ") +
          std::to_string(o.auto_exact_cells) + " cells";
  } else {
    why = "asked for";
  }
  Schedule s = kind == fp::SolverKind::kExact ? schedule_exact(p, o) : schedule_heuristic(p, o);
  s.rule = (kind == fp::SolverKind::kExact ? "exact (time-indexed MILP in CBC; "
                                           : "heuristic (serial list scheduling with repair; ") +
           why + ")";
  return s;
}

}  // namespace endstate::tasks
