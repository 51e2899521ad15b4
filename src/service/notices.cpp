// Who a closure affects, for public notices (service/notices.hpp).
#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "endstate/core/error.hpp"
#include "endstate/core/hash.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/footprint/coverage.hpp"
#include "endstate/geo/reach.hpp"
#include "endstate/service/engine.hpp"
#include "service/detail/engine_impl.hpp"

namespace endstate::service {

std::string to_string(SecurityAfter s) {
  switch (s) {
    case SecurityAfter::kBase:
      return "base";
    case SecurityAfter::kAir:
      return "air";
    case SecurityAfter::kPolice:
      return "police";
  }
  return "police";
}

namespace {

/// The localities reached by a base open before and closed after, with who
/// covers them afterwards. `exit_area[j]` marks bases closed because their province is exited.
std::vector<AffectedLocality> affected(const FootprintModel& m, const std::vector<char>& before,
                                       const std::vector<char>& after, Month when, double mitigation_hours,
                                       const std::vector<char>& exit_site) {
  const std::size_t n = m.demand.size();
  std::vector<int> closing(n, -1), staying(n, -1);
  std::vector<double> closing_h(n, 0), staying_h(n, 0);
  for (std::size_t j = 0; j < m.sites.size(); ++j) {
    const bool closes = before[j] && !after[j];
    const bool stays = after[j] != 0;
    if (!closes && !stays) continue;
    const auto& pts = m.coverage.points[j];
    const auto& hrs = m.coverage.hours[j];
    for (std::size_t k = 0; k < pts.size(); ++k) {
      const std::size_t i = pts[k];
      const double h = hrs[k];
      auto& best = closes ? closing[i] : staying[i];
      auto& best_h = closes ? closing_h[i] : staying_h[i];
      if (best < 0 || h < best_h || (h == best_h && static_cast<int>(j) < best)) {
        best = static_cast<int>(j);
        best_h = h;
      }
    }
  }
  std::vector<AffectedLocality> out;
  for (std::size_t i = 0; i < n; ++i) {
    if (closing[i] < 0) continue;
    AffectedLocality a;
    const auto& d = m.demand[i];
    a.name = d.name;
    a.where = d.where;
    a.population = m.population[i];
    if (m.demand_area[i] >= 0) {
      a.area_id = m.area_ids[static_cast<std::size_t>(m.demand_area[i])];
      a.area = m.area_names[static_cast<std::size_t>(m.demand_area[i])];
    }
    const auto j = static_cast<std::size_t>(closing[i]);
    a.site = m.sites[j].name;
    a.hours_before = closing_h[i];
    a.change = !exit_site.empty() && exit_site[j] ? "exit" : "closure";
    a.when = when;
    if (staying[i] >= 0) {
      a.after = SecurityAfter::kBase;
      a.after_site = m.sites[static_cast<std::size_t>(staying[i])].name;
      a.after_hours = staying_h[i];
    } else {
      std::optional<std::size_t> air;
      double air_h = 0;
      for (std::size_t s = 0; s < m.sites.size(); ++s) {
        if (!after[s] || !m.sites[s].has_air) continue;
        const auto h = geo::air_hours(m.sites[s].where, d.where, m.params.reach);
        if (h && *h <= mitigation_hours && (!air || *h < air_h)) air = s, air_h = *h;
      }
      if (air) {
        a.after = SecurityAfter::kAir;
        a.after_site = m.sites[*air].name;
        a.after_hours = air_h;
      }
    }
    out.push_back(std::move(a));
  }
  return out;
}

/// The closures of a transition plan, phase by phase: the localities model
/// of today's bases (the plan's "today") plus the new bases the plan opens,
/// each phase's bases open before and after its first month.
void plan_targets(Engine& engine, const NoticeTargetsRequest& r, FootprintModelRequest mr, NoticeTargetsResult& out) {
  const PlanResult pl = engine.plan_run(*r.plan);
  out.source = "plan";
  out.plan_id = pl.spec.id;
  out.data_last = pl.data_last;
  if (!pl.report) {
    throw bad_input("plan " + r.plan->file + ": the planner found no plan (" +
                    footprint::to_string(pl.solution.status) +
                    (pl.solution.binding.empty() ? "" : ": " + join(pl.solution.binding, ", ")) +
                    "), so there are no closures to announce");
  }
  std::vector<std::size_t> phases;  // those announced
  for (std::size_t k = 0; k < pl.phases.size(); ++k) {
    if (!r.month || pl.phases[k].from == *r.month) phases.push_back(k);
  }
  if (phases.empty()) {
    std::vector<std::string> starts;
    for (const auto& ph : pl.phases) starts.push_back(ph.from.str());
    throw invalid_field("month", "matches no phase start of plan '" + pl.spec.id + "': " + r.month->str() +
                                     " (its phases start in " + join(starts, ", ") + ")");
  }
  mr.month = pl.today;  // today's bases are the plan's
  FootprintModel m = engine.footprint_model(mr);
  // Plan site -> localities model site; the plan's new bases are added to the model.
  std::map<std::string, std::size_t> by_id;
  for (std::size_t j = 0; j < m.sites.size(); ++j) by_id[m.sites[j].id] = j;
  const auto& ps = pl.problem.sites;
  std::vector<int> model_site(ps.size(), -1);
  std::vector<footprint::Site> added;
  for (std::size_t p = 0; p < ps.size(); ++p) {
    if (const auto it = by_id.find(ps[p].id); it != by_id.end()) {
      model_site[p] = static_cast<int>(it->second);
      continue;
    }
    bool opens = false;
    for (const auto& open : pl.solution.open) opens = opens || open[p];
    if (!opens) continue;
    model_site[p] = static_cast<int>(m.sites.size() + added.size());
    auto s = pl.model.sites[p];
    s.existing = false;
    added.push_back(std::move(s));
  }
  if (!added.empty()) {
    auto cov = footprint::build_coverage(m.demand, added, m.params);
    for (std::size_t k = 0; k < added.size(); ++k) {
      m.sites.push_back(added[k]);
      m.coverage.points.push_back(std::move(cov.points[k]));
      m.coverage.hours.push_back(std::move(cov.hours[k]));
    }
  }
  // Bases outside the plan (police posts) stay open throughout.
  std::vector<char> state(m.sites.size(), 0);
  for (std::size_t j = 0; j < m.sites.size(); ++j) state[j] = m.sites[j].existing ? 1 : 0;
  for (std::size_t k = 0; k < pl.phases.size(); ++k) {
    std::vector<char> next = state, exit_site(m.sites.size(), 0);
    for (std::size_t p = 0; p < ps.size(); ++p) {
      if (model_site[p] >= 0) next[static_cast<std::size_t>(model_site[p])] = pl.solution.open[k][p] ? 1 : 0;
    }
    const Month when = pl.phases[k].from;
    const bool announced = std::find(phases.begin(), phases.end(), k) != phases.end();
    bool any = false;
    for (const auto& c : pl.report->closures) {
      if (c.phase != k || model_site[c.site] < 0) continue;
      const auto j = static_cast<std::size_t>(model_site[c.site]);
      exit_site[j] = c.exit ? 1 : 0;
      any = true;
      if (!announced) continue;
      out.closed_sites.push_back(m.sites[j].name);
      out.closures.push_back({m.sites[j].id, m.sites[j].name, when, c.exit, pl.phases[k].label()});
    }
    if (announced && any) {
      auto some = affected(m, state, next, when, out.mitigation_hours, exit_site);
      for (auto& a : some) out.localities.push_back(std::move(a));
    }
    state = std::move(next);
  }
}

}  // namespace

void check_request(const NoticeTargetsRequest& r) {
  if (r.plan) {
    if (!r.close.empty())
      throw invalid_field("close", "cannot be combined with a plan: the plan says which bases close");
    if (r.plan->file.empty()) throw invalid_field("plan", "needs the plan file");
  } else if (r.close.empty()) {
    throw invalid_field("close", "needs at least one base (key or name), or a plan");
  }
  if (r.localities_file.empty()) throw invalid_field("localities", "is required (the localities CSV)");
  detail::check_range("response_hours", r.response_hours, 0.01, 1000);
  if (r.mitigation_hours) detail::check_range("mitigation_hours", *r.mitigation_hours, 0.01, 1000);
}

NoticeTargetsResult Engine::notice_targets(const NoticeTargetsRequest& r) {
  check_request(r);
  auto& db = reader();
  FootprintModelRequest mr;
  if (r.level.empty()) {
    const auto levels = db.area_levels();
    mr.level = std::find(levels.begin(), levels.end(), "territory") != levels.end() ? "territory" : "";
  } else {
    mr.level = r.level;
  }
  mr.demand = Demand::kLocalities;
  mr.localities_file = r.localities_file;
  mr.threat = ThreatWeight::kNone;  // every locality counts, whatever its threat
  mr.candidates = Candidates::kNone;
  mr.coverage.response_hours = r.response_hours;
  NoticeTargetsResult out;
  out.response_hours = r.response_hours;
  out.mitigation_hours = r.mitigation_hours.value_or(2 * r.response_hours);
  if (!r.plan) {
    const FootprintModel m = footprint_model(mr);
    out.source = "close";
    out.data_last = m.month;
    const Month when = r.month.value_or(m.month.plus(1));
    std::vector<char> before(m.sites.size(), 0), after;
    for (std::size_t j = 0; j < m.sites.size(); ++j) before[j] = m.sites[j].existing ? 1 : 0;
    after = before;
    for (const auto& key : r.close) {
      const std::size_t j = m.find_site(key);
      if (!before[j]) throw invalid_field("close", "'" + key + "' is not active in " + m.month.str());
      after[j] = 0;
      out.closed_sites.push_back(m.sites[j].name);
      out.closures.push_back({m.sites[j].id, m.sites[j].name, when, false, ""});
    }
    out.localities = affected(m, before, after, when, out.mitigation_hours, {});
  } else {
    plan_targets(*this, r, mr, out);
  }
  // Provinces (the parent of each locality's area) and consultations.
  std::map<std::string, Area> areas;
  for (auto& a : db.areas("", false)) areas[a.id] = std::move(a);
  std::map<std::string, std::vector<store::ConsultationRow>> by_locality;
  for (auto& c : db.consultations("")) by_locality[to_lower(c.locality)].push_back(std::move(c));
  for (auto& a : out.localities) {
    if (const auto it = areas.find(a.area_id); it != areas.end() && !it->second.parent_id.empty()) {
      a.province_id = it->second.parent_id;
      const auto p = areas.find(a.province_id);
      a.province = p != areas.end() ? p->second.name : a.province_id;
    }
    if (const auto it = by_locality.find(to_lower(a.name)); it != by_locality.end()) {
      for (const auto& c : it->second) {
        if (c.territory.empty() || iequals(c.territory, a.area_id) || iequals(c.territory, a.area)) {
          a.consultations.push_back(c);
        }
      }
    }
  }
  std::stable_sort(out.localities.begin(), out.localities.end(), [](const auto& x, const auto& y) {
    return std::tie(x.when, x.area, x.name) < std::tie(y.when, y.area, y.name);
  });
  return out;
}

std::string Engine::data_fingerprint() {
  std::string all;
  auto imports = reader().imports(1000000);
  std::sort(imports.begin(), imports.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  for (const auto& i : imports) {
    if (i.imported > 0) all += i.kind + ":" + i.sha256 + "\n";  // a re-import that added nothing changes nothing
  }
  return sha256_hex(all);
}

}  // namespace endstate::service
