#pragma once
// A small mixed-integer linear programme solved by COIN-OR CBC 2.10
// (Forrest & Lougee-Heimer 2005, "CBC User Guide", INFORMS Tutorials in
// Operations Research) through its C interface, so that no CBC type leaves
// the footprint module. The footprint's location models use it, and so do
// modules on higher floors (the transition planner) that build their own
// formulations.

#include <optional>
#include <string>
#include <vector>

namespace endstate::footprint {

/// Columns with bounds, objective and integrality; rows in compressed sparse
/// row form with lower and upper bounds (-1e30 / 1e30 = none).
struct Milp {
  bool maximize = false;
  std::vector<double> col_lo, col_hi, obj;
  std::vector<char> is_int;
  std::vector<double> row_lo, row_hi;
  std::vector<int> row_start{0};
  std::vector<int> idx;
  std::vector<double> val;

  /// A new column; returns its index.
  int add_col(double lo, double hi, double c, bool integer) {
    col_lo.push_back(lo);
    col_hi.push_back(hi);
    obj.push_back(c);
    is_int.push_back(integer ? 1 : 0);
    return static_cast<int>(obj.size()) - 1;
  }
  /// Closes the row whose entries were pushed with entry().
  void add_row(double lo, double hi) {
    row_lo.push_back(lo);
    row_hi.push_back(hi);
    row_start.push_back(static_cast<int>(idx.size()));
  }
  /// One coefficient of the row being built.
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
  double bound = 0;  ///< CBC's best possible objective, in the model's own sense
  std::vector<double> x;
  double seconds = 0;
};

/// Solves with CBC (one thread, log off). `cutoff`: only solutions better
/// than it are sought (an Infeasible result then means none exists);
/// `start`: a feasible solution to start from (full column vector).
/// `stop_at_first`: with a cutoff, stop at the first solution better than it.
MilpResult solve_milp(const Milp& m, double time_limit_s, std::optional<double> cutoff,
                      const std::vector<double>* start, bool stop_at_first = false);

}  // namespace endstate::footprint
