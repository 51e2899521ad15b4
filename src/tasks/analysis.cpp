// Sequencing, handover items, at-risk reasons, shortfall per budget year and
// continuity of protection (see analysis.hpp; docs/tasks.md).
#include "endstate/tasks/analysis.hpp"

#include <algorithm>
#include <map>
#include <queue>
#include <set>

#include "endstate/core/error.hpp"

namespace endstate::tasks {
namespace {

/// Lookup of a per-province table keyed by benchmark id.
template <typename T>
const std::vector<T>* find_row(const std::vector<std::pair<std::string, std::vector<T>>>& rows, const std::string& id) {
  for (const auto& [k, v] : rows)
    if (k == id) return &v;
  return nullptr;
}

bool met_now(const Context& c, const std::string& benchmark, int province) {
  const auto* row = find_row(c.met_now, benchmark);
  return row && province >= 0 && static_cast<std::size_t>(province) < row->size() &&
         (*row)[static_cast<std::size_t>(province)];
}

std::optional<Month> met_from(const Context& c, const std::string& benchmark, int province) {
  const auto* row = find_row(c.met_from, benchmark);
  if (!row || province < 0 || static_cast<std::size_t>(province) >= row->size()) return std::nullopt;
  return (*row)[static_cast<std::size_t>(province)];
}

/// Tasks in order: dependencies first, then tier, then the larger benchmark gap, then id.
std::vector<SequencedTask> sequence(const Register& r, const Context& c) {
  const std::size_t n = r.tasks.size();
  std::vector<SequencedTask> info(n);
  for (std::size_t i = 0; i < n; ++i) {
    info[i].task = i;
    std::set<int> provinces;
    for (const auto& pl : c.task_places[i]) provinces.insert(pl.province);
    for (const auto& b : r.tasks[i].benchmarks) {
      for (int pv : provinces) {
        ++info[i].gap_total;
        if (!met_now(c, b, pv)) ++info[i].gap;
      }
    }
  }
  std::vector<int> indeg(n, 0);
  std::vector<std::vector<std::size_t>> succ(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (const auto& d : r.tasks[i].depends_on) {
      succ[*r.task_index(d)].push_back(i);
      ++indeg[i];
    }
  }
  auto later = [&](std::size_t a, std::size_t b) {
    const auto &x = r.tasks[a], &y = r.tasks[b];
    if (x.tier != y.tier) return x.tier > y.tier;
    if (info[a].gap != info[b].gap) return info[a].gap < info[b].gap;
    return x.id > y.id;
  };
  std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(later)> ready(later);
  for (std::size_t i = 0; i < n; ++i)
    if (indeg[i] == 0) ready.push(i);
  std::vector<SequencedTask> out;
  while (!ready.empty()) {
    const auto i = ready.top();
    ready.pop();
    info[i].rank = static_cast<int>(out.size()) + 1;
    out.push_back(info[i]);
    for (auto b : succ[i])
      if (--indeg[b] == 0) ready.push(b);
  }
  if (out.size() != n) throw usage_error("tasks: dependency cycle (the register should have refused it)");
  return out;
}

}  // namespace

std::string to_string(ItemStatus s) {
  switch (s) {
    case ItemStatus::kHandedOver:
      return "handed_over";
    case ItemStatus::kAtRisk:
      return "at_risk";
    case ItemStatus::kContinues:
      return "continues";
    case ItemStatus::kEnds:
      return "ends";
  }
  return "?";
}

std::string to_string(RiskKind k) {
  switch (k) {
    case RiskKind::kNoPartner:
      return "no_partner";
    case RiskKind::kNoTime:
      return "no_time";
    case RiskKind::kPartnerCapacity:
      return "partner_capacity";
    case RiskKind::kPartnerFunding:
      return "partner_funding";
    case RiskKind::kDependency:
      return "dependency";
    case RiskKind::kConditionsNotMet:
      return "conditions_not_met";
  }
  return "?";
}

std::string ContinuityPhase::status() const {
  if (active == 0) return "none";
  return mission_run == active ? "mission_only" : "covered";
}

std::string Period::label() const { return from.str() + ".." + to.str(); }

std::vector<Period> make_periods(const Register& r) {
  std::vector<Period> out;
  for (std::size_t y = 0; y < r.years.size(); ++y) {
    for (int k = 0; k < 12 / r.period_months; ++k) {
      const Month from = r.years[y].first().plus(k * r.period_months);
      out.push_back({from, from.plus(r.period_months - 1), y});
    }
  }
  return out;
}

void validate(const Register& r, const Context& c) {
  if (c.task_places.size() != r.tasks.size()) throw usage_error("tasks: one place list per task needed");
  for (std::size_t i = 0; i < r.tasks.size(); ++i) {
    if (c.task_places[i].size() != r.tasks[i].places.size()) throw usage_error("tasks: places of " + r.tasks[i].id);
    for (const auto& p : c.task_places[i]) {
      if (p.province < 0 || static_cast<std::size_t>(p.province) >= c.provinces.size()) {
        throw usage_error("tasks: province of " + p.name + " out of range");
      }
    }
  }
  if (c.continuity_places.size() != r.continuity.size()) throw usage_error("tasks: one place per continuity entry");
  for (const auto& t : c.territories) {
    if (t.province >= static_cast<int>(c.provinces.size())) throw usage_error("tasks: territory province out of range");
  }
  if (!c.plan_cost.empty() && c.plan_cost.size() != r.years.size())
    throw usage_error("tasks: plan cost per budget year");
  if (r.years.empty()) throw usage_error("tasks: no budget year");
}

std::vector<TerritoryContinuity> continuity(const Register& r, const Context& c, const std::vector<PhaseSpan>& phases) {
  std::vector<TerritoryContinuity> out;
  for (std::size_t t = 0; t < c.territories.size(); ++t) {
    TerritoryContinuity tc;
    tc.territory = t;
    const auto& terr = c.territories[t];
    for (std::size_t e = 0; e < r.continuity.size(); ++e)
      if (c.continuity_places[e].id == terr.id) tc.entries.push_back(e);
    const std::optional<Month> exit =
        terr.province >= 0 ? c.provinces[static_cast<std::size_t>(terr.province)].exit : std::optional<Month>();
    for (const auto& ph : phases) {
      const Month m = ph.to;
      ContinuityPhase cp;
      std::set<std::string> kinds;
      for (auto e : tc.entries) {
        const auto& x = r.continuity[e];
        const bool mission = x.run_by == "mission";
        bool running = !x.until || m <= *x.until;
        if (mission && exit && m >= *exit) running = false;
        bool by_mission = mission;
        if (!running && !x.taken_over_by.empty()) {
          if (x.taken_over_by == "mission") {
            running = !exit || m < *exit;
            by_mission = true;
          } else {
            running = true;
            by_mission = false;
          }
        }
        if (!running) continue;
        ++cp.active;
        cp.mission_run += by_mission ? 1 : 0;
        kinds.insert(to_string(x.kind));
      }
      cp.kinds.assign(kinds.begin(), kinds.end());
      if (cp.active == 0 && tc.first_without < 0) tc.first_without = static_cast<int>(tc.phases.size());
      tc.phases.push_back(std::move(cp));
    }
    out.push_back(std::move(tc));
  }
  return out;
}

Analysis analyse(const Register& r, const Context& c, const ScheduleOptions& o) {
  validate(r, c);
  Analysis a;
  a.periods = make_periods(r);
  const auto& periods = a.periods;
  const Month first = periods.front().from, last = periods.back().to;
  if (c.phases.empty()) {
    for (const auto& p : periods) a.phases.push_back({p.from, p.to, p.label()});
  } else {
    a.phases = c.phases;
  }
  a.sequence = sequence(r, c);
  std::vector<int> rank(r.tasks.size(), 0);
  for (const auto& s : a.sequence) rank[s.task] = s.rank;
  int max_tier = 1;
  for (const auto& t : r.tasks) max_tier = std::max(max_tier, t.tier);

  // --- items and their windows
  for (const auto& s : a.sequence) {
    const auto& t = r.tasks[s.task];
    for (std::size_t k = 0; k < t.places.size(); ++k) {
      Item it;
      it.task = s.task;
      it.place = k;
      it.province = c.task_places[s.task][k].province;
      it.exit = c.provinces[static_cast<std::size_t>(it.province)].exit;
      const bool exits = it.exit && *it.exit <= last;
      if (!exits) {
        it.status = ItemStatus::kContinues;
      } else if (t.ends_with_mission) {
        it.status = ItemStatus::kEnds;
      } else {
        it.status = ItemStatus::kAtRisk;  // until scheduled
        for (std::size_t q = 0; q < periods.size(); ++q)
          if (periods[q].to < *it.exit) it.latest = static_cast<int>(q);
        std::optional<Month> met = first;
        for (const auto& b : t.handover.conditions) {
          const auto m = met_from(c, b, it.province);
          met = m && met ? std::max(*met, *m) : std::optional<Month>();
        }
        it.conditions_met = met;
        it.earliest = 0;
        if (met) {
          int e = -1;
          for (std::size_t q = 0; q < periods.size() && e < 0; ++q)
            if (periods[q].from >= *met) e = static_cast<int>(q);
          if (e >= 0 && e <= it.latest) it.earliest = e;
        }
      }
      a.items.push_back(std::move(it));
    }
  }

  // --- the scheduling problem
  auto& p = a.problem;
  for (const auto& q : periods) {
    p.period_labels.push_back(q.label());
    p.period_year.push_back(q.year);
    p.period_months.push_back(q.months());
  }
  p.years = r.years.size();
  for (const auto& pa : r.partners) {
    p.capacity.push_back(pa.capacity);
    p.funding.push_back(pa.funding);
  }
  std::vector<int> problem_index(a.items.size(), -1);
  for (std::size_t i = 0; i < a.items.size(); ++i) {
    const auto& it = a.items[i];
    if (it.status != ItemStatus::kAtRisk) continue;
    const auto& t = r.tasks[it.task];
    ScheduleItem si;
    si.name = t.id + "@" + c.task_places[it.task][it.place].name;
    si.partner = t.handover.partner.empty() ? -1 : static_cast<int>(*r.partner_index(t.handover.partner));
    si.load = t.handover.load;
    si.weight = max_tier + 1 - t.tier;
    si.rank = rank[it.task];
    si.earliest = it.earliest;
    si.latest = it.latest;
    si.running = t.handover.cost.empty() ? t.cost : t.handover.cost;
    problem_index[i] = static_cast<int>(p.items.size());
    a.problem_items.push_back(i);
    p.items.push_back(std::move(si));
  }
  for (std::size_t ib = 0; ib < a.items.size(); ++ib) {
    if (problem_index[ib] < 0) continue;
    const auto& tb = r.tasks[a.items[ib].task];
    for (const auto& d : tb.depends_on) {
      const auto ta = *r.task_index(d);
      for (std::size_t ia = 0; ia < a.items.size(); ++ia) {
        if (a.items[ia].task != ta || a.items[ia].province != a.items[ib].province || problem_index[ia] < 0) continue;
        p.precedes.emplace_back(static_cast<std::size_t>(problem_index[ia]),
                                static_cast<std::size_t>(problem_index[ib]));
      }
    }
  }
  a.schedule = schedule(p, o);

  // --- outcome of each item, and why one is at risk
  std::vector<std::vector<double>> cap_used(p.capacity.size(), std::vector<double>(p.years, 0.0));
  for (std::size_t k = 0; k < p.items.size(); ++k) {
    const int q = a.schedule.period[k];
    if (q >= 0)
      cap_used[static_cast<std::size_t>(p.items[k].partner)][p.period_year[static_cast<std::size_t>(q)]] +=
          p.items[k].load;
  }
  for (std::size_t k = 0; k < p.items.size(); ++k) {
    auto& it = a.items[a.problem_items[k]];
    const auto& si = p.items[k];
    const auto& t = r.tasks[it.task];
    const int q = a.schedule.period[k];
    if (q >= 0) {
      it.status = ItemStatus::kHandedOver;
      it.period = q;
      it.handover = periods[static_cast<std::size_t>(q)].to.plus(1);
    } else {
      it.handover = *it.exit;
      if (si.partner < 0) {
        it.risks.push_back({RiskKind::kNoPartner, "no partner named to take over " + t.id});
      } else if (si.latest < 0) {
        it.risks.push_back(
            {RiskKind::kNoTime, "the exit (" + it.exit->str() + ") comes before the end of the first period"});
      } else {
        std::vector<std::string> missing;
        for (const auto& [x, y] : p.precedes)
          if (y == k && a.schedule.period[x] < 0) missing.push_back(p.items[x].name);
        if (!missing.empty()) {
          std::string s;
          for (const auto& m : missing) s += (s.empty() ? "" : ", ") + m;
          it.risks.push_back({RiskKind::kDependency, "depends on " + s + ", not handed over in time"});
        } else {
          bool capacity_left = false;
          for (int qq = si.earliest; qq <= si.latest; ++qq) {
            const std::size_t y = p.period_year[static_cast<std::size_t>(qq)];
            const auto pa = static_cast<std::size_t>(si.partner);
            if (cap_used[pa][y] + si.load <= p.capacity[pa][y] + 1e-9) capacity_left = true;
          }
          const auto& partner = r.partners[static_cast<std::size_t>(si.partner)];
          if (!capacity_left) {
            it.risks.push_back({RiskKind::kPartnerCapacity, partner.id + " has no capacity left before the exit"});
          } else {
            it.risks.push_back({RiskKind::kPartnerFunding, partner.id + "'s secured funding does not cover it"});
          }
        }
      }
    }
    const Month by = q >= 0 ? periods[static_cast<std::size_t>(q)].from : *it.exit;
    it.conditions_ok = it.conditions_met && *it.conditions_met <= by;
    if (!it.conditions_ok) {
      std::string conds;
      for (const auto& b : t.handover.conditions) conds += (conds.empty() ? "" : ", ") + b;
      it.risks.push_back(
          {RiskKind::kConditionsNotMet, conds + (it.conditions_met ? " expected met only in " + it.conditions_met->str()
                                                                   : " not expected met within the horizon")});
    }
  }

  // --- costs per budget year, by months
  const std::size_t years = r.years.size();
  std::vector<double> mission(years, 0.0), orphan(years, 0.0);
  std::vector<std::vector<double>> demand(r.partners.size(), std::vector<double>(years, 0.0));
  std::vector<std::vector<int>> handovers(r.partners.size(), std::vector<int>(years, 0));
  std::vector<std::vector<double>> load(r.partners.size(), std::vector<double>(years, 0.0));
  auto year_of = [&](Month m) {
    for (std::size_t y = 0; y < years; ++y)
      if (r.years[y].contains(m)) return y;
    return years;
  };
  for (const auto& it : a.items) {
    const auto& t = r.tasks[it.task];
    const auto& pcost = t.handover.cost.empty() ? t.cost : t.handover.cost;
    const int partner = t.handover.partner.empty() ? -1 : static_cast<int>(*r.partner_index(t.handover.partner));
    std::vector<int> m_mission(years, 0), m_after(years, 0);
    for (Month m = first; m <= last; m = m.plus(1)) {
      const std::size_t y = year_of(m);
      bool by_mission = true;
      if (it.status == ItemStatus::kEnds) {
        by_mission = m < *it.exit;
      } else if (it.status == ItemStatus::kHandedOver || it.status == ItemStatus::kAtRisk) {
        by_mission = m < *it.handover;
      }
      if (by_mission) {
        ++m_mission[y];
      } else if (it.status != ItemStatus::kEnds) {
        ++m_after[y];
      }
    }
    for (std::size_t y = 0; y < years; ++y) {
      mission[y] += t.cost[y] * m_mission[y] / 12.0;
      const double after = pcost[y] * m_after[y] / 12.0;
      if (partner >= 0) {
        demand[static_cast<std::size_t>(partner)][y] += after;
      } else {
        orphan[y] += after;
      }
    }
    if (it.status == ItemStatus::kHandedOver) {
      const std::size_t y = periods[static_cast<std::size_t>(it.period)].year;
      ++handovers[static_cast<std::size_t>(partner)][y];
      load[static_cast<std::size_t>(partner)][y] += t.handover.load;
    }
  }
  for (std::size_t pa = 0; pa < r.partners.size(); ++pa) {
    for (std::size_t y = 0; y < years; ++y) {
      PartnerYear py;
      py.partner = pa;
      py.year = y;
      py.handovers = handovers[pa][y];
      py.load = load[pa][y];
      py.capacity = r.partners[pa].capacity[y];
      py.demand = demand[pa][y];
      py.funding = r.partners[pa].funding[y];
      py.gap = std::max(0.0, py.demand - py.funding);
      a.partner_years.push_back(py);
    }
  }
  for (std::size_t y = 0; y < years; ++y) {
    YearShortfall s;
    s.year = y;
    s.mission_tasks = mission[y];
    if (!c.plan_cost.empty()) s.plan_cost = c.plan_cost[y];
    s.mission_total = s.mission_tasks + s.plan_cost.value_or(0.0);
    if (!r.mission_budget.empty()) {
      s.mission_budget = r.mission_budget[y];
      s.mission_shortfall = std::max(0.0, s.mission_total - *s.mission_budget);
    }
    for (const auto& py : a.partner_years) {
      if (py.year != y) continue;
      s.partner_demand += py.demand;
      s.partner_funding += py.funding;
      s.partner_gap += py.gap;
    }
    s.no_partner = orphan[y];
    s.continuing = s.partner_demand + s.no_partner;
    s.shortfall = s.partner_gap + s.no_partner;
    a.shortfall.push_back(s);
  }

  // --- continuity of protection
  a.continuity = continuity(r, c, a.phases);
  a.without.assign(a.phases.size(), {});
  for (const auto& tc : a.continuity) {
    for (std::size_t ph = 0; ph < tc.phases.size(); ++ph)
      if (tc.phases[ph].active == 0) a.without[ph].push_back(tc.territory);
  }
  return a;
}

}  // namespace endstate::tasks
