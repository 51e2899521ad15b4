// The transition plans of UNMIC for the simulation (docs/plan.md format): the
// same mission under an end-state policy (exit once every stakeholder finds
// the province ready for six months) and an end-date policy (exits on fixed
// months, the quiet provinces first, one every three months from July of
// the year after the data).
#include <algorithm>
#include <fstream>

#include "endstate/core/error.hpp"
#include "scenario/detail/format.hpp"
#include "scenario/detail/model.hpp"

namespace endstate::scenario::detail {

namespace {

int order_of(Trajectory t) {
  switch (t) {
    case Trajectory::kQuiet:
      return 0;
    case Trajectory::kStabilising:
      return 1;
    case Trajectory::kSteady:
      return 2;
    case Trajectory::kDeteriorating:
      return 3;
    case Trajectory::kEscalation:
      return 4;
  }
  return 5;
}

void header(std::ofstream& o, const std::string& id, const std::string& name) {
  o << "# Transition plan of UNMIC (format: docs/plan.md); compare policies with\n"
    << "#   endstate simulate run --plans plan_end_state.yaml,plan_end_date.yaml\n"
    << "plan:\n"
    << "  id: " << id << "\n"
    << "  name: " << yaml_quoted(name) << "\n"
    << "  horizon_months: 36\n"
    << "  ceilings:\n"
    << "    troops: 50000   # not binding: the simulation closes bases only with their province\n"
    << "  coverage:\n"
    << "    demand: localities\n"
    << "    localities: localities.csv\n"
    << "    response_hours: 2   # a hotspot without an open base this close counts as unreached\n";
}

}  // namespace

void write_plans(const std::string& end_state_path, const std::string& end_date_path, const CaranaConfig& config,
                 const Geography& geo) {
  {
    std::ofstream o(end_state_path, std::ios::binary);
    if (!o) throw internal_error("cannot write " + end_state_path);
    header(o, "end-state", "UNMIC exits each province once it is ready");
    o << "  policy:\n    kind: end-state\n    sustain_months: 6\n";
    if (!o) throw internal_error("failed writing " + end_state_path);
  }
  std::vector<std::size_t> order(geo.provinces.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return order_of(geo.provinces[a].trajectory) < order_of(geo.provinces[b].trajectory);
  });
  std::ofstream o(end_date_path, std::ios::binary);
  if (!o) throw internal_error("cannot write " + end_date_path);
  header(o, "end-date", "UNMIC exits each province on a fixed date");
  o << "  policy:\n    kind: end-date\n    dates:\n";
  const int year = config.first_year + config.years;  // the year after the data
  for (std::size_t k = 0; k < order.size(); ++k) {
    const int m = 6 + 3 * static_cast<int>(k);  // months from January: July, October, ...
    const int y = year + m / 12, mo = m % 12 + 1;
    o << "      " << yaml_quoted(geo.provinces[order[k]].name) << ": " << y << "-" << (mo < 10 ? "0" : "") << mo
      << "\n";
  }
  if (!o) throw internal_error("failed writing " + end_date_path);
}

}  // namespace endstate::scenario::detail
