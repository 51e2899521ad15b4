// The two transition plans of Carana (format: docs/plan.md): the same
// ceilings, sites, coverage, triggers and costs, one exiting provinces on
// readiness (end-state), the other on a calendar (end-date). The comparison
// is the point: `endstate plan compare plan_end_state.yaml plan_end_date.yaml`.
//
// Ceilings: today's troops (the last Geo-PKO year, rounded down to 100) cut
// in equal steps to 40% over the six half-year phases of the three budget
// years after the data, as MONUSCO's ceiling was cut in steps. The calendar
// of the end-date plan is fixed in advance, one province per phase from the
// second phase, in the order stabilising, deteriorating, steady provinces,
// then escalation; the capital's province (the mission HQ, locked) has no
// date. A calendar drawn up before the data ran out dates the deteriorating
// province early: that is the risk the end-state policy is for.
#include <algorithm>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "detail/format.hpp"
#include "detail/model.hpp"
#include "endstate/core/error.hpp"

namespace endstate::scenario::detail {
namespace {

int rank(Trajectory t) {
  switch (t) {
    case Trajectory::kStabilising:
      return 0;
    case Trajectory::kDeteriorating:
      return 1;
    case Trajectory::kSteady:
      return 2;
    case Trajectory::kEscalation:
      return 3;
    case Trajectory::kQuiet:
      return 4;
  }
  return 5;
}

std::string month_text(int year, int month) {
  return std::to_string(year) + "-" + (month < 10 ? "0" : "") + std::to_string(month);
}

}  // namespace

std::vector<std::int64_t> plan_ceilings(std::int64_t troops_today, int phases) {
  const std::int64_t first = std::max<std::int64_t>(100, troops_today / 100 * 100);
  const std::int64_t last = std::max<std::int64_t>(100, (troops_today * 4 / 10) / 100 * 100);
  std::vector<std::int64_t> out;
  for (int k = 0; k < phases; ++k) {
    const double f = phases == 1 ? 0.0 : static_cast<double>(k) / (phases - 1);
    out.push_back((first - static_cast<std::int64_t>(f * static_cast<double>(first - last))) / 100 * 100);
  }
  out.back() = last;
  return out;
}

void write_plans(const std::string& end_state_path, const std::string& end_date_path, const CaranaConfig& config,
                 const Geography& geo, int capital_province, std::int64_t troops_today) {
  const int start_year = config.first_year + config.years;  // the month after the data: January
  constexpr int kPhases = 6;
  const auto ceilings = plan_ceilings(troops_today, kPhases);
  std::string ceiling_list;
  for (auto c : ceilings) ceiling_list += (ceiling_list.empty() ? "" : ", ") + std::to_string(c);

  // the calendar: one province per phase from the second, capital's province excluded
  std::vector<int> order;
  for (int p = 0; p < static_cast<int>(geo.provinces.size()); ++p) {
    if (p != capital_province) order.push_back(p);
  }
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return rank(geo.provinces[static_cast<std::size_t>(a)].trajectory) <
           rank(geo.provinces[static_cast<std::size_t>(b)].trajectory);
  });
  std::string dates;
  for (std::size_t k = 0; k < order.size() && k + 1 < kPhases; ++k) {
    const int months = 6 * static_cast<int>(k + 1);
    const auto& p = geo.provinces[static_cast<std::size_t>(order[k])];
    dates += "      " + yaml_quoted(p.name) + ": " + month_text(start_year + months / 12, months % 12 + 1) + "  # " +
             to_string(p.trajectory) + "\n";
  }

  auto common = [&](std::ostream& o, const std::string& id, const std::string& name) {
    o << "# Transition plan of UNMIC (" << config.country_name << "). Format: docs/plan.md.\n"
      << "# Run: endstate plan run " << id << ".yaml; compare both: endstate plan compare\n"
      << "#   plan_end_state.yaml plan_end_date.yaml\n"
      << "plan:\n"
      << "  id: " << id << "\n"
      << "  name: " << yaml_quoted(name) << "\n"
      << "  start: " << month_text(start_year, 1) << "\n"
      << "  horizon_months: 36  # six phases of six months, aligned to the July-June budget year\n"
      << "  ceilings:\n"
      << "    troops: [" << ceiling_list << "]  # today's " << troops_today << " cut to 40%\n"
      << "    police: 1400     # 10 formed police units\n"
      << "    civilians: 300\n";
  };
  auto rest = [&](std::ostream& o) {
    o << "  sites:\n"
      << "    min_troops: 300             # a company-size base\n"
      << "    locks:\n"
      << "      hq_codes: [3]             # the mission HQ stays for the whole plan\n"
      << "      until_exit_hq_codes: [2]  # sector HQs stay until their province exits\n"
      << "    max_closures_per_phase: 3\n"
      << "    lead_time_months: {close: 0, open: 6}\n"
      << "    candidates: demand          # new bases may open at the most threatened localities\n"
      << "    candidate_limit: 20\n"
      << "  coverage:\n"
      << "    demand: localities\n"
      << "    localities: localities.csv\n"
      << "    response_hours: 1.5\n"
      << "  threat:\n"
      << "    samples: 200\n"
      << "    seed: 1\n"
      << "  triggers:\n"
      << "    red_alert: true             # a red alert pauses closures in its province\n"
      << "    action: pause\n"
      << "  substitution:\n"
      << "    ipo_per_100k: 10\n"
      << "    fpu_per_million: 0.5\n"
      << "    fpu_size: 140\n"
      << "    civilians_per_100k: 2\n"
      << "  costs:\n"
      << "    currency: USD\n"
      << "    troop_month: 1448    # UN reimbursement rate per contingent member and month\n"
      << "    police_month: 1448\n"
      << "    civilian_month: 12000\n"
      << "    base_month: 80000\n"
      << "    closure: 400000\n"
      << "    opening: 1500000\n";
  };
  {
    std::ofstream o(end_state_path, std::ios::binary);
    if (!o) throw detail::write_error(end_state_path);
    common(o, "plan_end_state", "UNMIC drawdown: an end state");
    o << "  policy:\n"
      << "    kind: end-state\n"
      << "    stakeholders: [government, un]  # ready for both\n"
      << "    sustain_months: 6                # for six months in a row before the exit\n"
      << "    projection: median               # future readiness: the median projected month\n";
    rest(o);
    if (!o) throw internal_error("failed writing " + end_state_path);
  }
  {
    std::ofstream o(end_date_path, std::ios::binary);
    if (!o) throw detail::write_error(end_date_path);
    common(o, "plan_end_date", "UNMIC drawdown: an end date");
    o << "  policy:\n"
      << "    kind: end-date\n"
      << "    stakeholders: [government, un]  # whose readiness is reported (not required)\n"
      << "    dates:  # a calendar fixed in advance, one province per phase\n"
      << dates;
    rest(o);
    if (!o) throw internal_error("failed writing " + end_date_path);
  }
}

}  // namespace endstate::scenario::detail
