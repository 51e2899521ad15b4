// p-median: OR-Library reader, greedy + fast interchange, Lagrangian bound
// with variable fixing, radius formulation in CBC. References in pmedian.hpp.
#include "endstate/footprint/pmedian.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <numeric>
#include <sstream>

#include "endstate/core/error.hpp"
#include "endstate/core/io.hpp"
#include "endstate/core/progress.hpp"
#include "endstate/core/rng.hpp"
#include "footprint/detail/milp.hpp"

namespace endstate::footprint {
namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr int kVnsShakes = 200;       // VNS shakes after the interchange (upper bound for fixing)
constexpr long kTreeNodes = 2000000;  // node limit of the Lagrangian tree search (then CBC)

bool parse_int(const std::string& tok, long long& v) {
  if (tok.empty()) return false;
  std::size_t pos = 0;
  try {
    v = std::stoll(tok, &pos);
  } catch (...) {
    return false;
  }
  return pos == tok.size();
}

struct Assign {
  std::vector<double> d1, d2;
  std::vector<int> phi1;
};

Assign assign(const PMedianInstance& in, const std::vector<int>& open) {
  Assign a;
  a.d1.assign(in.n, kInf);
  a.d2.assign(in.n, kInf);
  a.phi1.assign(in.n, -1);
  for (int i = 0; i < in.n; ++i) {
    for (int j : open) {
      const double d = in.d(i, j);
      if (d < a.d1[i] || (d == a.d1[i] && j < a.phi1[i])) {
        a.d2[i] = a.d1[i];
        a.d1[i] = d;
        a.phi1[i] = j;
      } else if (d < a.d2[i]) {
        a.d2[i] = d;
      }
    }
  }
  return a;
}

// Greedy addition then best-improvement fast interchange over `allowed`.
// `start` (optional): begin the interchange from these facilities instead of greedy.
std::vector<int> heuristic(const PMedianInstance& in, const std::vector<char>& allowed, const std::vector<int>& forced,
                           double time_limit_s, Clock::time_point t0, const std::vector<int>& start = {}) {
  std::vector<int> open = start.empty() ? forced : start;
  std::vector<char> is_open(in.n, 0);
  for (int j : open) is_open[j] = 1;
  std::vector<double> cur(in.n, kInf);
  for (int i = 0; i < in.n; ++i) {
    for (int j : open) cur[i] = std::min(cur[i], in.d(i, j));
  }
  while (static_cast<int>(open.size()) < in.p) {
    double best = kInf;
    int bj = -1;
    for (int j = 0; j < in.n; ++j) {
      if (is_open[j] || !allowed[j]) continue;
      double c = 0;
      for (int i = 0; i < in.n; ++i) c += in.weight[i] * std::min(cur[i], in.d(i, j));
      if (c < best) {
        best = c;
        bj = j;
      }
    }
    if (bj < 0) break;
    open.push_back(bj);
    is_open[bj] = 1;
    for (int i = 0; i < in.n; ++i) cur[i] = std::min(cur[i], in.d(i, bj));
  }
  std::vector<char> is_forced(in.n, 0);
  for (int j : forced) is_forced[j] = 1;
  double cost = pmedian_cost(in, open);
  std::vector<double> extra(in.n), loss(in.n);
  for (int iter = 0; iter < 100000; ++iter) {
    if (time_limit_s > 0 && since(t0) > time_limit_s) break;
    Assign a = assign(in, open);
    double best = -1e-9 * std::max(1.0, cost);
    int ba = -1, br = -1;
    if (open.size() == 1) {
      for (int j = 0; j < in.n; ++j) {
        if (is_open[j] || !allowed[j] || is_forced[open[0]]) continue;
        const double d = pmedian_cost(in, {j}) - cost;
        if (d < best) {
          best = d;
          ba = j;
          br = open[0];
        }
      }
    } else {
      std::fill(loss.begin(), loss.end(), 0.0);
      for (int i = 0; i < in.n; ++i) loss[a.phi1[i]] += in.weight[i] * (a.d2[i] - a.d1[i]);
      for (int x = 0; x < in.n; ++x) {
        if (is_open[x] || !allowed[x]) continue;
        for (int r : open) extra[r] = 0;
        double gain = 0;
        for (int i = 0; i < in.n; ++i) {
          const double dix = in.d(i, x);
          if (dix < a.d2[i]) {
            extra[a.phi1[i]] += in.weight[i] * (a.d2[i] - std::max(dix, a.d1[i]));
            if (dix < a.d1[i]) gain += in.weight[i] * (a.d1[i] - dix);
          }
        }
        for (int r : open) {
          if (is_forced[r]) continue;
          const double d = -gain + loss[r] - extra[r];
          if (d < best) {
            best = d;
            ba = x;
            br = r;
          }
        }
      }
    }
    if (ba < 0) break;
    std::replace(open.begin(), open.end(), br, ba);
    is_open[br] = 0;
    is_open[ba] = 1;
    cost = pmedian_cost(in, open);
  }
  std::sort(open.begin(), open.end());
  return open;
}

// Variable neighbourhood search around `best` (Hansen & Mladenovic 1997,
// "Variable neighborhood search for the p-median", Location Science 5(4)):
// shake by k random swaps (k = 1, 2, ... up to kmax, back to 1 after every
// improvement), descend with the fast interchange, keep the better solution.
// Seeded: the same instance gives the same result (unless the time runs out).
std::vector<int> vns(const PMedianInstance& in, const std::vector<char>& allowed, const std::vector<int>& forced,
                     std::vector<int> best, int shakes, double time_limit_s, Clock::time_point t0) {
  if (best.empty() || static_cast<int>(best.size()) >= in.n) return best;
  std::vector<char> is_forced(in.n, 0);
  for (int j : forced) is_forced[j] = 1;
  double best_cost = pmedian_cost(in, best);
  const int kmax = std::max(1, std::min<int>(10, static_cast<int>(best.size())));
  Rng rng(0x9d2c5680u + static_cast<std::uint64_t>(in.n) * 1000003u + static_cast<std::uint64_t>(in.p), 17);
  int k = 1;
  for (int it = 0; it < shakes; ++it) {
    if (time_limit_s > 0 && since(t0) > time_limit_s) break;
    std::vector<int> cur = best;
    std::vector<char> is_open(in.n, 0);
    for (int j : cur) is_open[j] = 1;
    for (int s = 0; s < k; ++s) {
      const int r = static_cast<int>(rng.below(cur.size()));
      if (is_forced[cur[r]]) continue;
      int a = -1;
      for (int tries = 0; tries < 64 && a < 0; ++tries) {
        const int c = static_cast<int>(rng.below(static_cast<std::uint64_t>(in.n)));
        if (!is_open[c] && allowed[c]) a = c;
      }
      if (a < 0) continue;
      is_open[cur[r]] = 0;
      is_open[a] = 1;
      cur[r] = a;
    }
    cur = heuristic(in, allowed, forced, time_limit_s, t0, cur);
    const double c = pmedian_cost(in, cur);
    if (c < best_cost - 1e-9) {
      best = cur;
      best_cost = c;
      k = 1;
    } else {
      k = k % kmax + 1;
    }
  }
  std::sort(best.begin(), best.end());
  return best;
}

// The relaxation at one node of the search (the root: nothing fixed yet).
struct Relaxation {
  std::vector<char> closed, opened;  // fixed facilities; grown by the fixing tests
  std::vector<double> lam;           // multipliers: the start, then those of the best bound
  double lb = -kInf;                 // best Lagrangian bound
  int branch = -1;                   // free facility the relaxation wants most at the best bound
  bool infeasible = false;           // the fixings leave no room for p facilities
};

// The root relaxation plus the best solution it has seen.
struct Lagrange : Relaxation {
  double ub = kInf;       // best solution seen (incumbent or Lagrangian heuristic)
  std::vector<int> best;  // its facilities
};

// Step-size schedule of the subgradient method (Held, Wolfe & Crowder 1974):
// start at theta0, halve after `stall` steps without a better bound, stop
// below theta_min.
struct Schedule {
  double theta0;
  int stall;
  double theta_min;
};

// The fixing tests of Beasley (1993), valid for any multipliers. `freeidx`
// holds the free facilities sorted by C, the first `need` in the relaxed
// solution of value `val`: a facility outside it whose forced opening (in
// place of the last one in) lifts the bound to `too_high` is closed; one
// inside whose forced closing (the first one out taking its place) does is
// opened.
template <class TooHigh>
void fix_facilities(const std::vector<double>& C, const std::vector<int>& freeidx, int need, double val,
                    std::vector<char>& closed, std::vector<char>& opened, TooHigh too_high) {
  if (need <= 0) return;
  const double last_in = C[freeidx[need - 1]];
  double first_out = kInf;
  if (need < static_cast<int>(freeidx.size())) first_out = C[freeidx[need]];
  for (int k = 0; k < static_cast<int>(freeidx.size()); ++k) {
    const int j = freeidx[k];
    if (k >= need) {
      if (too_high(val - last_in + C[j])) closed[j] = 1;
    } else if (too_high(val - C[j] + first_out)) {
      opened[j] = 1;
    }
  }
}

// Lagrangian relaxation of the assignment constraints (Beasley 1993) over
// the facilities not closed, `opened` forced in: C_j = sum_i min(0, w_i d_ij
// - lam_i), bound = sum lam + the forced C + the `need` smallest free C.
// Every relaxed solution is evaluated and may improve the incumbent (ub,
// best); the fixing tests (`too_high`) run at every step; stops when
// `enough(bound)`, the schedule runs out or the relaxed solution is feasible.
template <class TooHigh, class Enough>
void relax(const PMedianInstance& in, double& ub, std::vector<int>& best, Relaxation& r, int iterations, Schedule sch,
           TooHigh too_high, Enough enough) {
  const int n = in.n;
  std::vector<double> C(n), best_lam = r.lam;
  std::vector<int> cand, freeidx, sol;
  std::vector<char> chosen(n);
  double theta = sch.theta0;
  int stall = 0;
  for (int it = 0; it < iterations; ++it) {
    cand.clear();
    for (int j = 0; j < n; ++j) {
      if (!r.closed[j]) cand.push_back(j);
    }
    for (int j : cand) C[j] = 0;
    for (int i = 0; i < n; ++i) {
      const double li = r.lam[i], wi = in.weight[i];
      const double* row = &in.dist[static_cast<std::size_t>(i) * n];
      for (int j : cand) {
        const double c = wi * row[j] - li;
        if (c < 0) C[j] += c;
      }
    }
    // forced open first, then the smallest C among the free ones
    double val = std::accumulate(r.lam.begin(), r.lam.end(), 0.0);
    int need = in.p;
    freeidx.clear();
    std::fill(chosen.begin(), chosen.end(), 0);
    for (int j : cand) {
      if (r.opened[j]) {
        chosen[j] = 1;
        val += C[j];
        --need;
      } else {
        freeidx.push_back(j);
      }
    }
    if (need < 0 || need > static_cast<int>(freeidx.size())) {
      r.infeasible = true;
      break;
    }
    std::sort(freeidx.begin(), freeidx.end(), [&](int a, int b) { return C[a] != C[b] ? C[a] < C[b] : a < b; });
    for (int k = 0; k < need; ++k) {
      chosen[freeidx[k]] = 1;
      val += C[freeidx[k]];
    }
    sol.clear();
    for (int j = 0; j < n; ++j) {
      if (chosen[j]) sol.push_back(j);
    }
    const double c = pmedian_cost(in, sol);
    if (c < ub - 1e-9) {
      ub = c;
      best = sol;
    }
    if (val > r.lb + 1e-12) {
      r.lb = val;
      best_lam = r.lam;
      r.branch = need > 0 ? freeidx[0] : -1;
      stall = 0;
    } else if (++stall >= sch.stall) {
      theta /= 2;
      stall = 0;
    }
    fix_facilities(C, freeidx, need, val, r.closed, r.opened, too_high);
    if (enough(r.lb) || theta < sch.theta_min) break;
    // subgradient: 1 - (number of chosen facilities client i would use)
    std::vector<double> g(n);
    double norm = 0;
    for (int i = 0; i < n; ++i) {
      double sg = 1;
      const double* row = &in.dist[static_cast<std::size_t>(i) * n];
      for (int j : sol) {
        if (in.weight[i] * row[j] - r.lam[i] < 0) sg -= 1;
      }
      g[i] = sg;
      norm += sg * sg;
    }
    if (norm == 0) break;  // the relaxed solution is feasible: optimal here
    const double step = theta * (ub - val) / norm;
    for (int i = 0; i < n; ++i) r.lam[i] = std::max(0.0, r.lam[i] + step * g[i]);
  }
  r.lam = best_lam;
  if (r.branch >= 0 && (r.opened[r.branch] || r.closed[r.branch])) r.branch = -1;
}

// The root: multipliers start at each client's weighted distance in the
// incumbent; fixing keeps solutions as good as the incumbent.
Lagrange lagrangian(const PMedianInstance& in, double ub, const std::vector<int>& incumbent, int iterations) {
  const int n = in.n;
  Lagrange L;
  L.closed.assign(n, 0);
  L.opened.assign(n, 0);
  L.ub = ub;
  L.best = incumbent;
  const Assign a = assign(in, incumbent);
  L.lam.resize(n);
  for (int i = 0; i < n; ++i) L.lam[i] = in.weight[i] * a.d1[i];
  relax(
      in, L.ub, L.best, L, iterations, {2.0, 50, 1e-6}, [&](double b) { return b > L.ub + 1e-7 * std::max(1.0, L.ub); },
      [&](double b) { return b >= L.ub - 1e-9 * std::max(1.0, L.ub); });
  return L;
}

// Lagrangian tree search (Beasley 1993): depth first, branching on the free
// facility the relaxation wants most (forced open first, then closed); each
// child restarts from its parent's multipliers (up to 200 steps) and fixes
// what cannot beat the incumbent below it. Returns true when the tree is
// exhausted (the incumbent is optimal) within the time and node limits.
bool tree_search(const PMedianInstance& in, double& ub, std::vector<int>& best, const Relaxation& root, bool integral,
                 double time_limit_s, Clock::time_point t0, long max_nodes, long& nodes) {
  // no solution below can beat the incumbent (integral data: rounded up)
  auto cannot_beat = [&](double b) {
    const double e = integral ? std::ceil(b - 1e-9) : b;
    return e >= ub - 1e-9 * std::max(1.0, ub);
  };
  std::vector<Relaxation> stack;
  stack.push_back({root.closed, root.opened, root.lam});
  nodes = 0;
  while (!stack.empty()) {
    if (nodes >= max_nodes || (time_limit_s > 0 && since(t0) > time_limit_s)) return false;
    Relaxation nd = std::move(stack.back());
    stack.pop_back();
    ++nodes;
    relax(in, ub, best, nd, 200, {1.0, 20, 1e-4}, cannot_beat, cannot_beat);
    if (nd.infeasible || cannot_beat(nd.lb)) continue;
    int branch = nd.branch;
    if (branch < 0) {
      // the relaxation chose only forced facilities: branch on any free one
      // (none, or p forced: the node's only p-set was evaluated)
      const auto forced = std::count(nd.opened.begin(), nd.opened.end(), 1);
      for (int j = 0; j < in.n && branch < 0 && forced < in.p; ++j) {
        if (!nd.closed[j] && !nd.opened[j]) branch = j;
      }
      if (branch < 0) continue;
    }
    Relaxation closed_child{nd.closed, nd.opened, nd.lam};
    closed_child.closed[branch] = 1;
    Relaxation open_child{std::move(nd.closed), std::move(nd.opened), std::move(nd.lam)};
    open_child.opened[branch] = 1;
    stack.push_back(std::move(closed_child));
    stack.push_back(std::move(open_child));
  }
  return true;
}

bool integral_costs(const PMedianInstance& in) {
  for (double w : in.weight) {
    if (w != std::floor(w)) return false;
  }
  for (double d : in.dist) {
    if (d != std::floor(d)) return false;
  }
  return true;
}

}  // namespace

PMedianInstance parse_orlib_pmed(const std::string& text, const std::string& name) {
  check_text(text, name);  // UTF-8 without NUL: tokens are quoted in messages
  std::istringstream in(text);
  std::string line;
  long long lineno = 0;
  PMedianInstance inst;
  long long m = -1, read_edges = 0;
  auto fail = [&](const std::string& field, const std::string& why) {
    throw bad_input(name + ":" + std::to_string(lineno) + ": " + field + ": " + why, Position{name, lineno, field});
  };
  // Edges are kept as read; the n x n matrix is allocated only once the file
  // is known to be complete and connected (a three-number header must not
  // cost n^2 memory and n^3 time on its own).
  struct Edge {
    int i, j;
    double c;
  };
  std::vector<Edge> edges;
  while (std::getline(in, line)) {
    ++lineno;
    std::istringstream ls(line);
    std::vector<std::string> tok;
    std::string t;
    while (ls >> t) tok.push_back(t);
    if (tok.empty()) continue;
    if (m < 0) {
      long long n = 0, mm = 0, p = 0;
      if (tok.size() < 3) fail("header", "expected 'n m p'");
      if (!parse_int(tok[0], n) || n < 1 || n > 20000)
        fail("n", "expected an integer in 1..20000, got '" + tok[0] + "'");
      if (!parse_int(tok[1], mm) || mm < 0) fail("m", "expected an integer >= 0, got '" + tok[1] + "'");
      if (!parse_int(tok[2], p) || p < 1 || p > n) fail("p", "expected an integer in 1..n, got '" + tok[2] + "'");
      inst.n = static_cast<int>(n);
      inst.p = static_cast<int>(p);
      m = mm;
      continue;
    }
    if (read_edges >= m) fail("edge", "more edge lines than the m = " + std::to_string(m) + " declared");
    if (tok.size() < 3) fail("edge", "expected 'i j cost'");
    long long i = 0, j = 0;
    if (!parse_int(tok[0], i) || i < 1 || i > inst.n) fail("i", "node must be in 1..n, got '" + tok[0] + "'");
    if (!parse_int(tok[1], j) || j < 1 || j > inst.n) fail("j", "node must be in 1..n, got '" + tok[1] + "'");
    double c = 0;
    try {
      std::size_t pos = 0;
      c = std::stod(tok[2], &pos);
      if (pos != tok[2].size()) throw std::invalid_argument("x");
    } catch (...) {
      fail("cost", "not a number: '" + tok[2] + "'");
    }
    if (!(c >= 0) || !std::isfinite(c)) fail("cost", "must be finite and >= 0");
    edges.push_back({static_cast<int>(i - 1), static_cast<int>(j - 1), c});
    ++read_edges;
  }
  if (m < 0) throw bad_input(name + ": empty file, expected 'n m p'", Position{name, 0, "header"});
  if (read_edges < m) {
    throw bad_input(name + ": " + std::to_string(read_edges) + " edge lines, header declares " + std::to_string(m),
                    Position{name, lineno, "m"});
  }
  const int n = inst.n;
  {
    // Connectivity by union-find, in O(n + m), before the O(n^3) shortest paths.
    std::vector<int> parent(static_cast<std::size_t>(n));
    std::iota(parent.begin(), parent.end(), 0);
    auto root = [&](int a) {
      while (parent[static_cast<std::size_t>(a)] != a) {
        parent[static_cast<std::size_t>(a)] = parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(a)])];
        a = parent[static_cast<std::size_t>(a)];
      }
      return a;
    };
    for (const Edge& e : edges) parent[static_cast<std::size_t>(root(e.i))] = root(e.j);
    for (int v = 1; v < n; ++v) {
      if (root(v) != root(0)) {
        throw bad_input(name + ": the graph is not connected (no path from node 1 to " + std::to_string(v + 1) + ")",
                        Position{name, 0, "edges"});
      }
    }
  }
  std::vector<double> edge(static_cast<std::size_t>(n) * n, kInf);
  // Beasley's convention: a repeated edge keeps its last cost.
  for (const Edge& e : edges) {
    edge[static_cast<std::size_t>(e.i) * n + e.j] = e.c;
    edge[static_cast<std::size_t>(e.j) * n + e.i] = e.c;
  }
  for (int i = 0; i < n; ++i) edge[static_cast<std::size_t>(i) * n + i] = 0;
  // Floyd-Warshall
  for (int k = 0; k < n; ++k) {
    const double* rk = &edge[static_cast<std::size_t>(k) * n];
    for (int i = 0; i < n; ++i) {
      double* ri = &edge[static_cast<std::size_t>(i) * n];
      const double dik = ri[k];
      if (dik == kInf) continue;
      for (int j = 0; j < n; ++j) {
        const double v = dik + rk[j];
        if (v < ri[j]) ri[j] = v;
      }
    }
  }
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      if (edge[static_cast<std::size_t>(i) * n + j] == kInf) {
        throw bad_input(name + ": the graph is not connected (no path from node " + std::to_string(i + 1) + " to " +
                            std::to_string(j + 1) + ")",
                        Position{name, 0, "edges"});
      }
    }
  }
  inst.dist = std::move(edge);
  inst.weight.assign(n, 1.0);
  return inst;
}

PMedianInstance read_orlib_pmed(const std::string& path) {
  // Bounded (kMaxTextFileBytes); pipes work, folders and binary data (/dev/zero) are bad input.
  return parse_orlib_pmed(read_text_file(path), path);
}

double pmedian_cost(const PMedianInstance& inst, const std::vector<int>& open) {
  double c = 0;
  for (int i = 0; i < inst.n; ++i) {
    double b = kInf;
    for (int j : open) b = std::min(b, inst.d(i, j));
    c += inst.weight[i] * b;
  }
  return c;
}

static void check_instance(const PMedianInstance& in) {
  if (in.n < 1 || in.p < 1 || in.p > in.n) throw usage_error("p-median: need 1 <= p <= n");
  if (in.dist.size() != static_cast<std::size_t>(in.n) * in.n || in.weight.size() != static_cast<std::size_t>(in.n)) {
    throw usage_error("p-median: distance matrix must be n x n and weights n");
  }
}

PMedianSolution solve_pmedian_heuristic(const PMedianInstance& inst, const SolveOptions& o) {
  check_instance(inst);
  const auto t0 = Clock::now();
  PMedianSolution s;
  const std::vector<char> all(inst.n, 1);
  s.open = heuristic(inst, all, {}, o.time_limit_s, t0);
  s.open = vns(inst, all, {}, s.open, kVnsShakes, o.time_limit_s, t0);
  s.objective = pmedian_cost(inst, s.open);
  const Lagrange L = lagrangian(inst, s.objective, s.open, std::max(1, o.lagrange_iterations));
  s.bound = std::min(s.objective, L.lb);
  if (integral_costs(inst)) s.bound = std::min(s.objective, std::ceil(s.bound - 1e-9));
  s.gap = s.objective > 0 ? (s.objective - s.bound) / s.objective : 0;
  s.solver = "heuristic";
  s.status = s.gap <= 0 ? SolveStatus::kOptimal : SolveStatus::kFeasible;
  s.seconds = since(t0);
  return s;
}

PMedianSolution solve_pmedian_exact(const PMedianInstance& inst, const SolveOptions& o) {
  check_instance(inst);
  const auto t0 = Clock::now();
  const int n = inst.n, p = inst.p;
  PMedianSolution s;
  s.solver = "lagrangian";
  const std::vector<char> all(n, 1);
  s.open = heuristic(inst, all, {}, o.time_limit_s / 4, t0);
  s.open = vns(inst, all, {}, s.open, kVnsShakes, o.time_limit_s / 4, t0);
  s.objective = pmedian_cost(inst, s.open);
  Lagrange L = lagrangian(inst, s.objective, s.open, std::max(1000, o.lagrange_iterations));
  if (L.ub < s.objective - 1e-9) {
    // the Lagrangian heuristic found better: polish it by interchange, then
    // run the relaxation again with the better upper bound for stronger fixing
    s.open = heuristic(inst, all, {}, o.time_limit_s / 4, t0, L.best);
    s.open = vns(inst, all, {}, s.open, kVnsShakes, o.time_limit_s / 4, t0);
    s.objective = pmedian_cost(inst, s.open);
    L = lagrangian(inst, s.objective, s.open, std::max(1000, o.lagrange_iterations));
    if (L.ub < s.objective - 1e-9) {
      s.open = L.best;
      s.objective = L.ub;
    }
  }
  const double ub = s.objective;
  const bool integral = integral_costs(inst);
  double lb = L.lb;
  if (integral) lb = std::ceil(lb - 1e-9);
  s.bound = std::min(ub, lb);
  for (int j = 0; j < n; ++j) {
    s.fixed_closed += L.closed[j];
    s.fixed_open += L.opened[j];
  }
  auto done = [&](SolveStatus status) {
    s.gap = s.objective > 0 ? (s.objective - s.bound) / s.objective : 0;
    s.status = status;
    s.seconds = since(t0);
    return s;
  };
  if (s.bound >= ub - 1e-9 * std::max(1.0, ub)) return done(SolveStatus::kOptimal);
  // --- Lagrangian tree search, given up to half the time left ---
  if (o.pmedian_tree) {
    long nodes = 0;
    const double limit = o.time_limit_s > 0 ? since(t0) + 0.5 * std::max(0.0, o.time_limit_s - since(t0)) : 0.0;
    const bool complete = tree_search(inst, s.objective, s.open, L, integral, limit, t0, kTreeNodes, nodes);
    std::sort(s.open.begin(), s.open.end());
    s.tree_nodes = nodes;
    if (complete) {
      s.solver = "lagrangian-tree";
      s.bound = s.objective;
      return done(SolveStatus::kOptimal);
    }
  }
  s.solver = "cbc-radius";
  // --- radius formulation over the facilities left after fixing ---
  std::vector<int> cand;
  std::vector<char> forced(n, 0);
  for (int j = 0; j < n; ++j) {
    if (!L.closed[j]) cand.push_back(j);
    if (L.opened[j]) forced[j] = 1;
  }
  const int nc = static_cast<int>(cand.size());
  detail::Milp m;
  std::vector<int> ycol(n, -1);
  std::vector<double> start;
  std::vector<char> inc(n, 0);
  for (int j : s.open) inc[j] = 1;
  for (int j : cand) {
    ycol[j] = m.add_col(forced[j] ? 1 : 0, 1, 0.0, true);
    start.push_back(inc[j] ? 1 : 0);
  }
  double constant = 0;
  std::vector<int> order(nc);
  for (int i = 0; i < n; ++i) {
    const double w = inst.weight[i];
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) {
      const double da = inst.d(i, cand[a]), db = inst.d(i, cand[b]);
      return da != db ? da < db : a < b;
    });
    // levels: distinct distances; S_k = facilities strictly closer than level k
    int k0 = 0;
    const double D0 = inst.d(i, cand[order[0]]);
    constant += w * D0;
    if (w == 0) continue;
    int prev_z = -1;
    double prev_d = D0;
    bool inc_open_before = false;
    int closed_room = nc - p;  // at most this many candidates are closed
    while (k0 < nc) {
      // group of facilities at distance prev_d
      int k1 = k0;
      bool has_forced = false;
      while (k1 < nc && inst.d(i, cand[order[k1]]) == prev_d) {
        has_forced = has_forced || forced[cand[order[k1]]];
        ++k1;
      }
      if (k1 >= nc || has_forced || k1 > closed_room) break;  // z for the next level is 0
      const double d_next = inst.d(i, cand[order[k1]]);
      const int z = m.add_col(0, 1, w * (d_next - prev_d), false);
      // z_k - z_{k-1} + sum_{d = prev_d} y >= 0 ; first level: z_1 + sum y >= 1
      bool open_here = false;
      for (int t = k0; t < k1; ++t) {
        m.entry(ycol[cand[order[t]]], 1);
        open_here = open_here || inc[cand[order[t]]];
      }
      m.entry(z, 1);
      if (prev_z >= 0) {
        m.entry(prev_z, -1);
        m.add_row(0, 1e30);
      } else {
        m.add_row(1, 1e30);
      }
      inc_open_before = inc_open_before || open_here;
      start.push_back(inc_open_before ? 0 : 1);
      prev_z = z;
      prev_d = d_next;
      k0 = k1;
    }
  }
  for (int j : cand) m.entry(ycol[j], 1);
  m.add_row(p, p);
  s.milp_columns = m.cols();
  s.milp_rows = m.rows();
  // constant part of the objective: one fixed column keeps CBC's values comparable
  const int cst = m.add_col(1, 1, constant, false);
  start.push_back(1);
  (void)cst;
  const double left = std::max(1.0, o.time_limit_s - since(t0));
  const auto r = detail::solve_milp(m, left, s.objective + 1e-6 * std::max(1.0, s.objective), &start);
  if (!r.x.empty()) {
    std::vector<int> open;
    for (int j : cand) {
      if (r.x[ycol[j]] > 0.5) open.push_back(j);
    }
    const double c = pmedian_cost(inst, open);
    if (static_cast<int>(open.size()) == p && c < s.objective - 1e-9) {
      s.open = open;
      s.objective = c;
    }
  }
  if (r.status == detail::MilpResult::Status::kOptimal || r.status == detail::MilpResult::Status::kInfeasible) {
    s.bound = s.objective;
    return done(SolveStatus::kOptimal);
  }
  double b = r.bound;
  if (integral) b = std::ceil(b - 1e-9);
  if (std::isfinite(b)) s.bound = std::max(s.bound, std::min(b, s.objective));
  return done(s.bound >= s.objective ? SolveStatus::kOptimal : SolveStatus::kTimeLimit);
}

PMedianSolution solve_pmedian_tree(const PMedianInstance& inst, const std::vector<int>& incumbent,
                                   const SolveOptions& o) {
  check_instance(inst);
  if (static_cast<int>(incumbent.size()) != inst.p)
    throw usage_error("tree search: the incumbent must hold p facilities");
  const auto t0 = Clock::now();
  PMedianSolution s;
  s.solver = "lagrangian-tree";
  s.open = incumbent;
  s.objective = pmedian_cost(inst, incumbent);
  const Lagrange L = lagrangian(inst, s.objective, s.open, std::max(1, o.lagrange_iterations));
  if (L.ub < s.objective - 1e-9) {
    s.open = L.best;
    s.objective = L.ub;
  }
  long nodes = 0;
  const bool complete =
      tree_search(inst, s.objective, s.open, L, integral_costs(inst), o.time_limit_s, t0, kTreeNodes, nodes);
  std::sort(s.open.begin(), s.open.end());
  s.tree_nodes = nodes;
  s.bound = complete ? s.objective : std::min(s.objective, L.lb);
  s.gap = s.objective > 0 ? (s.objective - s.bound) / s.objective : 0;
  s.status = complete ? SolveStatus::kOptimal : SolveStatus::kTimeLimit;
  s.seconds = since(t0);
  return s;
}

PMedianSolution solve_pmedian(const PMedianInstance& inst, const SolveOptions& o) {
  if (o.solver == SolverKind::kHeuristic) return solve_pmedian_heuristic(inst, o);
  return solve_pmedian_exact(inst, o);
}

}  // namespace endstate::footprint
