#pragma once
// A small MILP container solved by COIN-OR CBC (through its C interface), so
// that no CBC type leaves this module.

#include <optional>
#include <string>
#include <vector>

namespace endstate::footprint::detail {

struct Milp {
  bool maximize = false;
  std::vector<double> col_lo, col_hi, obj;
  std::vector<char> is_int;
  // rows in compressed sparse row form
  std::vector<double> row_lo, row_hi;
  std::vector<int> row_start{0};
  std::vector<int> idx;
  std::vector<double> val;

  int add_col(double lo, double hi, double c, bool integer) {
    col_lo.push_back(lo);
    col_hi.push_back(hi);
    obj.push_back(c);
    is_int.push_back(integer ? 1 : 0);
    return static_cast<int>(obj.size()) - 1;
  }
  void add_row(double lo, double hi) {  // after pushing its entries with entry()
    row_lo.push_back(lo);
    row_hi.push_back(hi);
    row_start.push_back(static_cast<int>(idx.size()));
  }
  void entry(int col, double v) {
    idx.push_back(col);
    val.push_back(v);
  }
  [[nodiscard]] int cols() const { return static_cast<int>(obj.size()); }
  [[nodiscard]] int rows() const { return static_cast<int>(row_lo.size()); }
};

struct MilpResult {
  enum class Status { kOptimal, kFeasible, kInfeasible, kNoSolution };
  Status status = Status::kNoSolution;
  double objective = 0;
  double bound = 0;
  std::vector<double> x;
  double seconds = 0;
};

/// Solves with CBC (one thread, log off). `cutoff`: only solutions better
/// than it are sought (an Infeasible result then means none exists);
/// `start`: a feasible solution to start from (full column vector).
/// `stop_at_first`: with a cutoff, stop at the first solution better than it.
MilpResult solve_milp(const Milp& m, double time_limit_s, std::optional<double> cutoff,
                      const std::vector<double>* start, bool stop_at_first = false);

}  // namespace endstate::footprint::detail
