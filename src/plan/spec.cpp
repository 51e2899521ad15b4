// The plan file (see spec.hpp; docs/plan.md documents every field).
#include "endstate/plan/spec.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include <yaml-cpp/yaml.h>

#include "core/detail/yaml_reader.hpp"
#include "endstate/core/error.hpp"

namespace endstate::plan {
namespace {

/// Parsing context: the shared YAML reader (file:line:field errors) and the
/// plan's own value kinds.
class Ctx : public endstate::detail::YamlReader {
 public:
  using YamlReader::YamlReader;
  std::vector<int> codes(const YAML::Node& n, const std::string& field) const {
    std::vector<int> out;
    if (!n.IsDefined() || n.IsNull()) return out;
    if (!n.IsSequence()) fail(n, field, "expected a list of Geo-PKO HQ codes (0..9)");
    for (std::size_t i = 0; i < n.size(); ++i) out.push_back(static_cast<int>(integer(n[i], idx(field, i), 0, 9)));
    return out;
  }
  PerPhase per_phase(const YAML::Node& n, const std::string& field, std::int64_t hi) const {
    PerPhase p;
    p.where = {field, line(n)};
    if (n.IsScalar()) {
      p.values.push_back(integer(n, field, 0, hi));
    } else if (n.IsSequence()) {
      if (n.size() == 0) fail(n, field, "expected a number or a non-empty list (one per phase)");
      for (std::size_t i = 0; i < n.size(); ++i) p.values.push_back(integer(n[i], idx(field, i), 0, hi));
    } else {
      fail(n, field, "expected a number or a list (one per phase)");
    }
    return p;
  }
};

std::string resolve(const std::string& dir, const std::string& path) {
  if (path.empty() || path == "-") return path;
  const std::filesystem::path p(path);
  if (p.is_absolute() || dir.empty()) return path;
  return (std::filesystem::path(dir) / p).string();
}

void parse_policy(const Ctx& c, const YAML::Node& n, PlanSpec& s) {
  const std::string f = "plan.policy";
  c.only_keys(
      n, f, {"kind", "stakeholders", "sustain_months", "dates", "max_delay_months", "framework_version", "projection"});
  if (!Ctx::has(n, "kind")) c.fail(n, f + ".kind", "missing required field 'kind' (end-state, end-date or hybrid)");
  const std::string kind = c.text(n["kind"], f + ".kind");
  if (kind == "end-state") {
    s.policy = Policy::kEndState;
  } else if (kind == "end-date") {
    s.policy = Policy::kEndDate;
  } else if (kind == "hybrid") {
    s.policy = Policy::kHybrid;
  } else {
    c.fail(n["kind"], f + ".kind", "bad policy '" + kind + "' (allowed: end-state, end-date, hybrid)");
  }
  if (Ctx::has(n, "stakeholders")) {
    s.stakeholders = c.names(n["stakeholders"], f + ".stakeholders");
    s.stakeholders_where = {f + ".stakeholders", Ctx::line(n["stakeholders"])};
  }
  if (Ctx::has(n, "sustain_months")) {
    s.sustain_months = static_cast<int>(c.integer(n["sustain_months"], f + ".sustain_months", 1, 120));
  }
  if (Ctx::has(n, "dates")) {
    if (s.policy == Policy::kEndState) {
      c.fail(n["dates"], f + ".dates", "dates are for the end-date and hybrid policies; end-state exits on readiness");
    }
    const YAML::Node d = n["dates"];
    if (!d.IsMap() || d.size() == 0) c.fail(d, f + ".dates", "expected a mapping province: YYYY-MM");
    for (const auto& kv : d) {
      const std::string prov = kv.first.Scalar();
      const std::string pf = f + ".dates." + prov;
      s.exit_dates.emplace_back(prov, c.month(kv.second, pf));
      s.exit_dates_where.push_back({pf, Ctx::line(kv.second)});
    }
  } else if (s.policy != Policy::kEndState) {
    c.fail(n, f + ".dates", "the " + kind + " policy needs 'dates' (province: YYYY-MM)");
  }
  if (Ctx::has(n, "max_delay_months")) {
    if (s.policy != Policy::kHybrid) {
      c.fail(n["max_delay_months"], f + ".max_delay_months", "max_delay_months is for the hybrid policy");
    }
    s.max_delay_months = static_cast<int>(c.integer(n["max_delay_months"], f + ".max_delay_months", 0, 240));
  }
  if (Ctx::has(n, "framework_version")) {
    s.framework_version = c.integer(n["framework_version"], f + ".framework_version", 1, 1000000000);
  }
  if (Ctx::has(n, "projection")) {
    const std::string p = c.text(n["projection"], f + ".projection");
    if (p == "median") {
      s.projection = ProjectionRule::kMedian;
    } else if (p == "high") {
      s.projection = ProjectionRule::kHigh;
    } else {
      c.fail(n["projection"], f + ".projection", "bad projection rule '" + p + "' (allowed: median, high)");
    }
  }
}

void parse_sites(const Ctx& c, const YAML::Node& n, PlanSpec& s) {
  const std::string f = "plan.sites";
  c.only_keys(n, f,
              {"min_troops", "min_troops_at", "locks", "forbid", "min_sites_per_province", "max_closures_per_phase",
               "lead_time_months", "candidates", "candidate_limit"});
  if (Ctx::has(n, "min_troops")) s.min_troops = c.integer(n["min_troops"], f + ".min_troops", 0, 100000);
  auto remember = [&](const YAML::Node& list, const std::string& field) {
    for (std::size_t i = 0; i < list.size(); ++i)
      s.site_where[list[i].Scalar()] = {Ctx::idx(field, i), Ctx::line(list[i])};
  };
  if (Ctx::has(n, "min_troops_at")) {
    const YAML::Node m = n["min_troops_at"];
    if (!m.IsMap()) c.fail(m, f + ".min_troops_at", "expected a mapping site: troops");
    for (const auto& kv : m) {
      const std::string site = kv.first.Scalar();
      s.site_min_troops.emplace_back(site, c.integer(kv.second, f + ".min_troops_at." + site, 0, 100000));
      s.site_where[site] = {f + ".min_troops_at." + site, Ctx::line(kv.first)};
    }
  }
  if (Ctx::has(n, "locks")) {
    const YAML::Node l = n["locks"];
    const std::string lf = f + ".locks";
    c.only_keys(l, lf, {"hq_codes", "until_exit_hq_codes", "sites", "until_exit_sites", "unlock"});
    if (Ctx::get(l, "hq_codes").IsDefined()) s.lock_hq_codes = c.codes(l["hq_codes"], lf + ".hq_codes");
    if (Ctx::get(l, "until_exit_hq_codes").IsDefined()) {
      s.until_exit_hq_codes = c.codes(l["until_exit_hq_codes"], lf + ".until_exit_hq_codes");
    }
    for (int code : s.lock_hq_codes) {
      if (std::count(s.until_exit_hq_codes.begin(), s.until_exit_hq_codes.end(), code)) {
        c.fail(l, lf, "HQ code " + std::to_string(code) + " is in both hq_codes and until_exit_hq_codes");
      }
    }
    s.lock_sites = c.names(Ctx::get(l, "sites"), lf + ".sites");
    s.until_exit_sites = c.names(Ctx::get(l, "until_exit_sites"), lf + ".until_exit_sites");
    s.unlock_sites = c.names(Ctx::get(l, "unlock"), lf + ".unlock");
    if (Ctx::has(l, "sites")) remember(l["sites"], lf + ".sites");
    if (Ctx::has(l, "until_exit_sites")) remember(l["until_exit_sites"], lf + ".until_exit_sites");
    if (Ctx::has(l, "unlock")) remember(l["unlock"], lf + ".unlock");
  }
  s.forbid_sites = c.names(Ctx::get(n, "forbid"), f + ".forbid");
  if (Ctx::has(n, "forbid")) remember(n["forbid"], f + ".forbid");
  if (Ctx::has(n, "min_sites_per_province")) {
    s.min_sites_per_province =
        static_cast<int>(c.integer(n["min_sites_per_province"], f + ".min_sites_per_province", 0, 100));
  }
  if (Ctx::has(n, "max_closures_per_phase")) {
    s.max_closures = c.per_phase(n["max_closures_per_phase"], f + ".max_closures_per_phase", 100000);
  }
  if (Ctx::has(n, "lead_time_months")) {
    const YAML::Node l = n["lead_time_months"];
    c.only_keys(l, f + ".lead_time_months", {"close", "open"});
    if (Ctx::has(l, "close"))
      s.close_lead_months = static_cast<int>(c.integer(l["close"], f + ".lead_time_months.close", 0, 120));
    if (Ctx::has(l, "open"))
      s.open_lead_months = static_cast<int>(c.integer(l["open"], f + ".lead_time_months.open", 0, 120));
  }
  if (Ctx::has(n, "candidates")) {
    const std::string v = c.text(n["candidates"], f + ".candidates");
    if (v == "none") {
      s.candidates = PlanCandidates::kNone;
    } else if (v == "demand") {
      s.candidates = PlanCandidates::kDemand;
    } else if (v.empty()) {
      c.fail(n["candidates"], f + ".candidates", "expected none, demand or a CSV file");
    } else {
      s.candidates = PlanCandidates::kFile;
      s.candidates_file = resolve(s.dir, v);
    }
  }
  if (Ctx::has(n, "candidate_limit")) {
    s.candidate_limit = static_cast<int>(c.integer(n["candidate_limit"], f + ".candidate_limit", 0, 100000));
  }
}

void parse_coverage(const Ctx& c, const YAML::Node& n, PlanSpec& s) {
  const std::string f = "plan.coverage";
  c.only_keys(n, f,
              {"demand", "localities", "response_hours", "mitigation_hours", "road_kmh", "detour", "air_kmh",
               "air_prep_hours", "air_max_km", "default_population"});
  if (Ctx::has(n, "demand")) {
    const std::string d = c.text(n["demand"], f + ".demand");
    if (d == "localities") {
      s.demand = PlanDemand::kLocalities;
    } else if (d == "areas") {
      s.demand = PlanDemand::kAreas;
    } else {
      c.fail(n["demand"], f + ".demand", "bad demand '" + d + "' (allowed: localities, areas)");
    }
  }
  if (Ctx::has(n, "localities")) {
    s.localities_file = resolve(s.dir, c.text(n["localities"], f + ".localities"));
    s.localities_where = {f + ".localities", Ctx::line(n["localities"])};
  }
  if (s.demand == PlanDemand::kLocalities && s.localities_file.empty()) {
    c.fail(n, f + ".localities",
           "demand: localities needs 'localities' (a CSV: name, latitude, longitude, population)");
  }
  if (Ctx::has(n, "response_hours")) s.response_hours = c.num(n["response_hours"], f + ".response_hours", 0.01, 1000);
  if (Ctx::has(n, "mitigation_hours"))
    s.mitigation_hours = c.num(n["mitigation_hours"], f + ".mitigation_hours", 0, 1000);
  if (Ctx::has(n, "road_kmh")) s.reach.road_kmh = c.num(n["road_kmh"], f + ".road_kmh", 0.1, 1000);
  if (Ctx::has(n, "detour")) s.reach.detour = c.num(n["detour"], f + ".detour", 1, 10);
  if (Ctx::has(n, "air_kmh")) s.reach.air_kmh = c.num(n["air_kmh"], f + ".air_kmh", 1, 2000);
  if (Ctx::has(n, "air_prep_hours")) s.reach.air_prep_hours = c.num(n["air_prep_hours"], f + ".air_prep_hours", 0, 100);
  if (Ctx::has(n, "air_max_km")) s.reach.air_max_km = c.num(n["air_max_km"], f + ".air_max_km", 0, 5000);
  if (Ctx::has(n, "default_population")) {
    s.default_population = c.num(n["default_population"], f + ".default_population", 0, 1e9);
  }
}

}  // namespace

std::string to_string(Policy p) {
  switch (p) {
    case Policy::kEndState:
      return "end-state";
    case Policy::kEndDate:
      return "end-date";
    case Policy::kHybrid:
      return "hybrid";
  }
  return "end-state";
}

std::string to_string(TriggerAction a) { return a == TriggerAction::kReopen ? "reopen" : "pause"; }

std::string Phase::label() const { return from.str() + ".." + to.str(); }

std::string budget_year(Month m) {
  const int first = m.month() >= 7 ? m.year() : m.year() - 1;
  const int second = (first + 1) % 100;
  return std::to_string(first) + "/" + (second < 10 ? "0" : "") + std::to_string(second);
}

PlanSpec parse_plan(const std::string& yaml_text, const std::string& file_name) {
  const Ctx c(file_name);
  const YAML::Node doc = c.load_document(yaml_text, "plan", "a plan file");
  c.only_keys(doc, "", {"plan"});
  const YAML::Node root = doc["plan"];
  const std::string f = "plan";
  c.only_keys(root, f,
              {"id", "name", "description", "start", "horizon_months", "phase_months", "align", "phases", "level",
               "ceilings", "policy", "sites", "coverage", "threat", "triggers", "substitution", "costs"});
  PlanSpec s;
  s.file = file_name;
  s.dir = std::filesystem::path(file_name).parent_path().string();
  if (!Ctx::has(root, "id")) c.fail(root, f + ".id", "missing required field 'id'");
  s.id = c.text(root["id"], f + ".id");
  s.name = Ctx::has(root, "name") ? c.text(root["name"], f + ".name") : s.id;
  if (Ctx::has(root, "start")) {
    s.start = c.month(root["start"], f + ".start");
    s.start_where = {f + ".start", Ctx::line(root["start"])};
  }
  if (Ctx::has(root, "horizon_months")) {
    if (Ctx::has(root, "phases"))
      c.fail(root["horizon_months"], f + ".horizon_months", "give phases or horizon_months, not both");
    s.horizon_months = static_cast<int>(c.integer(root["horizon_months"], f + ".horizon_months", 1, 240));
  }
  if (Ctx::has(root, "phase_months")) {
    if (Ctx::has(root, "phases"))
      c.fail(root["phase_months"], f + ".phase_months", "give phases or phase_months, not both");
    s.phase_months = static_cast<int>(c.integer(root["phase_months"], f + ".phase_months", 1, 60));
  }
  if (Ctx::has(root, "align")) {
    const std::string a = c.text(root["align"], f + ".align");
    if (a == "budget_year") {
      s.align = Alignment::kBudgetYear;
    } else if (a == "start") {
      s.align = Alignment::kStart;
    } else {
      c.fail(root["align"], f + ".align", "bad alignment '" + a + "' (allowed: budget_year, start)");
    }
  }
  if (s.align == Alignment::kBudgetYear && 12 % s.phase_months != 0) {
    c.fail(Ctx::has(root, "phase_months") ? root["phase_months"] : root, f + ".phase_months",
           "phases aligned to the budget year (July-June) need phase_months dividing 12 (1, 2, 3, 4, 6, 12); "
           "use align: start otherwise");
  }
  if (Ctx::has(root, "phases")) {
    const YAML::Node ps = root["phases"];
    s.phases_where = {f + ".phases", Ctx::line(ps)};
    if (!ps.IsSequence() || ps.size() == 0) c.fail(ps, f + ".phases", "expected a non-empty list of {from, to}");
    for (std::size_t i = 0; i < ps.size(); ++i) {
      const std::string pf = Ctx::idx(f + ".phases", i);
      c.only_keys(ps[i], pf, {"from", "to"});
      if (!Ctx::has(ps[i], "from") || !Ctx::has(ps[i], "to"))
        c.fail(ps[i], pf, "a phase needs 'from' and 'to' (YYYY-MM)");
      PhaseRange r{c.month(ps[i]["from"], pf + ".from"), c.month(ps[i]["to"], pf + ".to")};
      if (r.to < r.from) c.fail(ps[i]["to"], pf + ".to", "ends before it starts");
      if (i > 0 && r.from != s.phases.back().to.plus(1)) {
        c.fail(ps[i]["from"], pf + ".from",
               "phases must follow each other without gap or overlap: expected " + s.phases.back().to.plus(1).str());
      }
      s.phases.push_back(r);
    }
    if (s.start && *s.start != s.phases.front().from) {
      c.fail(root["start"], f + ".start",
             "differs from the first phase's 'from' (" + s.phases.front().from.str() + ")");
    }
  }
  if (Ctx::has(root, "level")) s.level = c.text(root["level"], f + ".level");

  // ceilings
  if (!Ctx::has(root, "ceilings")) c.fail(root, f + ".ceilings", "missing required field 'ceilings' (at least troops)");
  {
    const YAML::Node n = root["ceilings"];
    c.only_keys(n, f + ".ceilings", {"troops", "police", "civilians"});
    if (!Ctx::has(n, "troops"))
      c.fail(n, f + ".ceilings.troops", "missing required field 'troops' (one number or one per phase)");
    s.troops = c.per_phase(n["troops"], f + ".ceilings.troops", 10000000);
    if (Ctx::has(n, "police")) s.police = c.per_phase(n["police"], f + ".ceilings.police", 10000000);
    if (Ctx::has(n, "civilians")) s.civilians = c.per_phase(n["civilians"], f + ".ceilings.civilians", 10000000);
  }
  if (!Ctx::has(root, "policy")) c.fail(root, f + ".policy", "missing required field 'policy'");
  parse_policy(c, root["policy"], s);
  if (Ctx::has(root, "sites")) parse_sites(c, root["sites"], s);
  if (Ctx::has(root, "coverage")) {
    parse_coverage(c, root["coverage"], s);
  } else {
    c.fail(root, f + ".coverage", "missing required field 'coverage' (demand points and response time)");
  }
  if (Ctx::has(root, "threat")) {
    const YAML::Node n = root["threat"];
    c.only_keys(n, f + ".threat", {"samples", "seed"});
    if (Ctx::has(n, "samples"))
      s.threat_samples = static_cast<int>(c.integer(n["samples"], f + ".threat.samples", 10, 100000));
    if (Ctx::has(n, "seed"))
      s.seed = static_cast<std::uint64_t>(c.integer(n["seed"], f + ".threat.seed", 0, 1LL << 53));
  }
  if (Ctx::has(root, "triggers")) {
    const YAML::Node n = root["triggers"];
    const std::string tf = f + ".triggers";
    c.only_keys(n, tf, {"red_alert", "threat_index_above", "action"});
    if (Ctx::has(n, "red_alert")) s.red_alert = c.boolean(n["red_alert"], tf + ".red_alert");
    if (Ctx::has(n, "threat_index_above"))
      s.threat_index_above = c.num(n["threat_index_above"], tf + ".threat_index_above", -1e12, 1e12);
    if (Ctx::has(n, "action")) {
      const std::string a = c.text(n["action"], tf + ".action");
      if (a == "pause") {
        s.trigger_action = TriggerAction::kPause;
      } else if (a == "reopen") {
        s.trigger_action = TriggerAction::kReopen;
      } else {
        c.fail(n["action"], tf + ".action", "bad action '" + a + "' (allowed: pause, reopen)");
      }
    }
  }
  if (Ctx::has(root, "substitution")) {
    const YAML::Node n = root["substitution"];
    const std::string sf = f + ".substitution";
    c.only_keys(n, sf, {"ipo_per_100k", "fpu_per_million", "fpu_size", "civilians_per_100k"});
    if (Ctx::has(n, "ipo_per_100k")) s.ipo_per_100k = c.num(n["ipo_per_100k"], sf + ".ipo_per_100k", 0, 100000);
    if (Ctx::has(n, "fpu_per_million"))
      s.fpu_per_million = c.num(n["fpu_per_million"], sf + ".fpu_per_million", 0, 1000);
    if (Ctx::has(n, "fpu_size")) s.fpu_size = c.integer(n["fpu_size"], sf + ".fpu_size", 1, 10000);
    if (Ctx::has(n, "civilians_per_100k")) {
      s.civilians_per_100k = c.num(n["civilians_per_100k"], sf + ".civilians_per_100k", 0, 100000);
    }
  }
  if (Ctx::has(root, "costs")) {
    const YAML::Node n = root["costs"];
    const std::string cf = f + ".costs";
    c.only_keys(n, cf,
                {"currency", "troop_month", "police_month", "civilian_month", "base_month", "closure", "opening"});
    if (Ctx::has(n, "currency")) s.currency = c.text(n["currency"], cf + ".currency");
    constexpr double kMax = 1e12;
    if (Ctx::has(n, "troop_month")) s.troop_month = c.num(n["troop_month"], cf + ".troop_month", 0, kMax);
    if (Ctx::has(n, "police_month")) s.police_month = c.num(n["police_month"], cf + ".police_month", 0, kMax);
    if (Ctx::has(n, "civilian_month")) s.civilian_month = c.num(n["civilian_month"], cf + ".civilian_month", 0, kMax);
    if (Ctx::has(n, "base_month")) s.base_month = c.num(n["base_month"], cf + ".base_month", 0, kMax);
    if (Ctx::has(n, "closure")) s.closure_cost = c.num(n["closure"], cf + ".closure", 0, kMax);
    if (Ctx::has(n, "opening")) s.opening_cost = c.num(n["opening"], cf + ".opening", 0, kMax);
  }
  return s;
}

std::vector<Phase> make_phases(const PlanSpec& s, Month start) {
  std::vector<Phase> out;
  if (!s.phases.empty()) {
    for (const auto& r : s.phases) out.push_back({r.from, r.to});
    return out;
  }
  const Month end = start.plus(s.horizon_months - 1);
  Month from = start;
  while (from <= end) {
    Month to;
    if (s.align == Alignment::kBudgetYear) {
      // next boundary after `from`: months counted from July
      const int since_july = ((from.month() - 7) % 12 + 12) % 12;
      const int into = since_july % s.phase_months;
      to = from.plus(s.phase_months - into - 1);
    } else {
      to = from.plus(s.phase_months - 1);
    }
    if (to > end) to = end;
    out.push_back({from, to});
    from = to.plus(1);
  }
  if (out.size() > 120) {
    throw bad_input("the plan has " + std::to_string(out.size()) + " phases; at most 120",
                    {s.file, 0, "plan.phase_months"});
  }
  return out;
}

std::vector<std::int64_t> per_phase(const PlanSpec& s, const PerPhase& v, std::size_t phases) {
  if (!v.given()) return {};
  if (v.values.size() == 1) return std::vector<std::int64_t>(phases, v.values[0]);
  if (v.values.size() != phases) {
    throw bad_input("gives " + std::to_string(v.values.size()) + " values for " + std::to_string(phases) +
                        " phases (give one number, or one per phase)",
                    {s.file, v.where.line, v.where.field});
  }
  return v.values;
}

}  // namespace endstate::plan
