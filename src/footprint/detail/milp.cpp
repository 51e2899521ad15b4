// CBC through its C interface (Cbc_C_Interface.h).
#include "footprint/detail/milp.hpp"

#include "endstate/footprint/location.hpp"

#include <chrono>
#include <cmath>
#include <string>

#include <coin/Cbc_C_Interface.h>

#include "endstate/core/error.hpp"

namespace endstate::footprint {

MilpResult solve_milp(const Milp& m, double time_limit_s, std::optional<double> cutoff,
                      const std::vector<double>* start, bool stop_at_first) {
  const auto t0 = std::chrono::steady_clock::now();
  const int nc = m.cols(), nr = m.rows();
  // CSR -> CSC
  std::vector<int> start_c(static_cast<std::size_t>(nc) + 1, 0);
  for (int k : m.idx) ++start_c[static_cast<std::size_t>(k) + 1];
  for (int j = 0; j < nc; ++j) start_c[j + 1] += start_c[j];
  std::vector<int> rows(m.idx.size());
  std::vector<double> vals(m.idx.size());
  std::vector<int> pos(start_c.begin(), start_c.end() - 1);
  for (int r = 0; r < nr; ++r) {
    for (int k = m.row_start[r]; k < m.row_start[r + 1]; ++k) {
      const int j = m.idx[k];
      rows[pos[j]] = r;
      vals[pos[j]] = m.val[k];
      ++pos[j];
    }
  }
  Cbc_Model* model = Cbc_newModel();
  if (!model) throw internal_error("CBC: could not create a model");
  struct Guard {
    Cbc_Model* m;
    ~Guard() { Cbc_deleteModel(m); }
  } guard{model};
  std::vector<double> obj = m.obj;
  Cbc_loadProblem(model, nc, nr, start_c.data(), rows.data(), vals.data(), m.col_lo.data(), m.col_hi.data(), obj.data(),
                  m.row_lo.data(), m.row_hi.data());
  for (int j = 0; j < nc; ++j) {
    if (m.is_int[j]) Cbc_setInteger(model, j);
  }
  Cbc_setObjSense(model, m.maximize ? -1.0 : 1.0);
  Cbc_setLogLevel(model, 0);
  Cbc_setParameter(model, "log", "0");
  Cbc_setParameter(model, "slog", "0");
  Cbc_setParameter(model, "threads", "0");
  Cbc_setMaximumSeconds(model, std::max(0.1, time_limit_s));
  Cbc_setAllowableGap(model, 1e-7);
  Cbc_setAllowableFractionGap(model, 1e-9);
  if (cutoff) Cbc_setCutoff(model, *cutoff);  // the C interface takes it in the model's own sense
  if (cutoff && stop_at_first) Cbc_setMaximumSolutions(model, 1);
  std::vector<int> sidx;
  std::vector<double> sval;
  if (start && static_cast<int>(start->size()) == nc) {
    for (int j = 0; j < nc; ++j) {
      sidx.push_back(j);
      sval.push_back((*start)[j]);
    }
    Cbc_setMIPStartI(model, nc, sidx.data(), sval.data());
  }
  Cbc_solve(model);
  MilpResult r;
  const double* x = Cbc_bestSolution(model);
  const bool optimal = Cbc_isProvenOptimal(model) != 0;
  const bool infeasible = Cbc_isProvenInfeasible(model) != 0;
  if (x) {
    r.x.assign(x, x + nc);
    double v = 0;
    for (int j = 0; j < nc; ++j) v += m.obj[j] * r.x[j];
    r.objective = v;
    r.status = optimal ? MilpResult::Status::kOptimal : MilpResult::Status::kFeasible;
  } else {
    r.status = (infeasible || optimal) ? MilpResult::Status::kInfeasible : MilpResult::Status::kNoSolution;
  }
  // Reported in the model's own sense (checked by the unit tests).
  r.bound = Cbc_getBestPossibleObjValue(model);
  if (optimal && x) r.bound = r.objective;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

std::string cbc_version() { return std::string("CBC ") + Cbc_getVersion(); }

}  // namespace endstate::footprint
