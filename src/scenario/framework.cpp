// The transition benchmark framework and the mandate tasks of Carana, written
// as YAML: the framework in the format of docs/benchmarks.md, the tasks as the
// task register of docs/tasks.md. Structure follows the
// MONUSCO transition practice described in docs/design.md: core benchmarks on
// protection of civilians (PoC), contextual ones on state authority,
// justice, DDR and returns; a threshold belongs to a stakeholder (government,
// UN, humanitarians, communities), not to the indicator; a benchmark is met
// when its indicator meets the threshold for `sustain_months` in a row; a
// province is ready when all core and a share of contextual benchmarks are met.

#include <cctype>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "detail/format.hpp"
#include "detail/model.hpp"
#include "endstate/core/error.hpp"

namespace endstate::scenario::detail {
namespace {

struct Threshold {
  double government, un, humanitarian, communities;
};

struct Indicator {
  const char* id;
  const char* name;
  const char* unit;
  const char* direction;
  const char* source;  // "events" or "observed"
  const char* body;    // the derivation / observed block, already indented
  Threshold t;
};

// Thresholds differ by stakeholder: humanitarians and communities tolerate
// less violence than the government; the UN sits in between.
const Indicator kIndicators[] = {
    {"civilian_deaths_per_100k_3m",
     "Deaths in violence against civilians per 100,000 people, last 3 months",
     "deaths per 100,000",
     "lower_is_better",
     "events",
     "      derivation:\n"
     "        measure: fatalities\n"
     "        violence_types: [one_sided]\n"
     "        window_months: 3\n"
     "        statistic: sum\n"
     "        per_population: 100000\n",
     {1.5, 1.0, 0.6, 0.8}},
    {"one_sided_events_per_month_3m",
     "Violence against civilians: events per month, 3-month mean",
     "events per month",
     "lower_is_better",
     "events",
     "      derivation:\n"
     "        measure: events\n"
     "        violence_types: [one_sided]\n"
     "        window_months: 3\n"
     "        statistic: mean\n",
     {4.0, 2.0, 1.0, 1.5}},
    {"months_with_clashes_6m",
     "Months with armed clashes (state-based or non-state) in the last 6",
     "months",
     "lower_is_better",
     "events",
     "      derivation:\n"
     "        measure: events\n"
     "        violence_types: [state_based, non_state]\n"
     "        window_months: 6\n"
     "        statistic: months_with_any\n",
     {5, 4, 3, 4}},
    {"state_authority_presence",
     "State authority presence index (0-100)",
     "index",
     "higher_is_better",
     "observed",
     "      observed:\n"
     "        indicator: state_authority_presence\n",
     {60.0, 65.0, 65.0, 70.0}},
    {"courts_functioning",
     "Share of courts functioning",
     "%",
     "higher_is_better",
     "observed",
     "      observed:\n"
     "        indicator: courts_functioning\n",
     {60.0, 70.0, 65.0, 70.0}},
    {"ddr_caseload_per_100k",
     "Combatants awaiting DDR per 100,000 people",
     "people per 100,000",
     "lower_is_better",
     "observed",
     "      observed:\n"
     "        indicator: ddr_caseload\n"
     "        per_population: 100000\n",
     {80.0, 60.0, 60.0, 50.0}},
    {"idp_returns_per_100k_3m",
     "IDP returns per month per 100,000 people, 3-month mean",
     "people per 100,000 per month",
     "higher_is_better",
     "observed",
     "      observed:\n"
     "        indicator: idp_returns\n"
     "        window_months: 3\n"
     "        statistic: mean\n"
     "        per_population: 100000\n",
     {15.0, 18.0, 25.0, 20.0}},
    {"police_per_100k",
     "National police officers per 100,000 people",
     "officers per 100,000",
     "higher_is_better",
     "observed",
     "      observed:\n"
     "        indicator: police_per_100k\n",
     {50.0, 55.0, 55.0, 50.0}},
};

struct Benchmark {
  const char* id;
  const char* name;
  const char* kind;
  const char* category;
  const char* indicators;
};

const Benchmark kBenchmarks[] = {
    {"poc-civilian-deaths", "Civilians are protected from physical violence", "core", "protection",
     "[civilian_deaths_per_100k_3m]"},
    {"poc-one-sided-events", "Attacks on civilians have become rare", "core", "protection",
     "[one_sided_events_per_month_3m]"},
    {"poc-armed-clashes", "Armed groups no longer contest the area", "core", "protection", "[months_with_clashes_6m]"},
    {"ctx-state-authority", "State authority is present across the province", "contextual", "state_authority",
     "[state_authority_presence]"},
    {"ctx-justice", "Courts function", "contextual", "justice_accountability", "[courts_functioning]"},
    {"ctx-ddr", "Former combatants are absorbed by DDR", "contextual", "ddr", "[ddr_caseload_per_100k]"},
    {"ctx-returns", "Displaced people return", "contextual", "idp_returns", "[idp_returns_per_100k_3m]"},
    {"ctx-police", "National police are deployed", "contextual", "other", "[police_per_100k]"},
};

std::string num(double v) { return shortest(v); }

}  // namespace

void write_framework(const std::string& path, const CaranaConfig& config, const Geography& geo) {
  std::ofstream o(path, std::ios::binary);
  if (!o) throw detail::write_error(path);
  const std::string gov = "Government of " + config.country_name;
  // The quiet (capital) province: the UN asks more of state authority there.
  std::string capital;
  for (const auto& p : geo.provinces)
    if (p.trajectory == Trajectory::kQuiet && capital.empty()) capital = detail::slug(p.name);
  o << "# Transition benchmark framework of UNMIC (" << config.country_name << ").\n"
    << "# Format: docs/benchmarks.md. Import with: endstate benchmarks import framework.yaml\n"
    << "framework:\n"
    << "  id: unmic-transition\n"
    << "  name: UNMIC transition benchmarks\n"
    << "  version: \"1\"\n"
    << "  mission: UNMIC\n"
    << "  country: " << yaml_quoted(config.country_name) << "\n"
    << "  area_level: province\n"
    << "  readiness:\n"
    << "    core: all              # every core benchmark met\n"
    << "    contextual_share: 0.6  # and at least this weighted share of the contextual ones\n"
    << "  indicators:\n";
  for (const auto& i : kIndicators) {
    o << "    - id: " << i.id << "\n"
      << "      name: " << yaml_quoted(i.name) << "\n"
      << "      unit: " << yaml_quoted(i.unit) << "\n"
      << "      direction: " << i.direction << "\n"
      << "      source: " << i.source << "\n"
      << i.body;
  }
  o << "  benchmarks:\n";
  for (const auto& b : kBenchmarks) {
    o << "    - id: " << b.id << "\n"
      << "      name: " << yaml_quoted(b.name) << "\n"
      << "      kind: " << b.kind << "\n"
      << "      category: " << b.category << "\n"
      << "      weight: 1\n"
      << "      indicators: " << b.indicators << "\n";
  }
  struct Who {
    const char* id;
    std::string name;
    int sustain;
    double Threshold::*field;
  };
  const Who who[] = {
      {"government", gov, 3, &Threshold::government},
      {"un", "UNMIC and the UN country team", 6, &Threshold::un},
      {"humanitarian", "Humanitarian country team", 6, &Threshold::humanitarian},
      {"communities", "Community representatives and civil society", 6, &Threshold::communities},
  };
  o << "  stakeholders:\n";
  for (const auto& w : who) {
    o << "    - id: " << w.id << "\n"
      << "      name: " << yaml_quoted(w.name) << "\n"
      << "      sustain_months: " << w.sustain << "\n"
      << "      thresholds:\n";
    for (const auto& i : kIndicators) {
      const double v = i.t.*(w.field);
      if (std::string(w.id) == "un" && std::string(i.id) == "state_authority_presence" && !capital.empty()) {
        o << "        " << i.id << ": {value: " << num(v) << ", areas: {" << capital << ": 75}}\n";
      } else if (std::string(w.id) == "government" && std::string(i.id) == "ddr_caseload_per_100k") {
        o << "        " << i.id << ": {value: " << num(v) << ", sustain_months: 1}\n";
      } else {
        o << "        " << i.id << ": " << num(v) << "\n";
      }
    }
  }
  if (!o) throw detail::write_error(path);
}

void write_tasks(const std::string& path, const CaranaConfig& config, const Geography& geo) {
  std::ofstream o(path, std::ios::binary);
  if (!o) throw detail::write_error(path);
  // The register starts with the budget year after the data (data end in
  // December of the last year; budget years run July-June).
  const int y0 = config.first_year + config.years;
  auto by = [](int y) {
    const std::string a = std::to_string(y), b = std::to_string((y + 1) % 100);
    return a + "/" + (b.size() < 2 ? "0" + b : b);
  };
  const std::string years[3] = {by(y0), by(y0 + 1), by(y0 + 2)};
  auto per_year = [&](double a, double b, double c) {
    return "{" + years[0] + ": " + num(a) + ", " + years[1] + ": " + num(b) + ", " + years[2] + ": " + num(c) + "}";
  };
  auto flat = [&](double v) { return per_year(v, v * 1.03, v * 1.06); };
  auto names = [&](auto pred) {
    std::string s = "[";
    bool first = true;
    for (const auto& p : geo.provinces)
      if (pred(p)) {
        s += (first ? "" : ", ") + yaml_quoted(p.name);
        first = false;
      }
    return s + "]";
  };
  auto violent_p = [](const Province& p) { return p.trajectory != Trajectory::kQuiet; };
  auto recovering_p = [](const Province& p) {
    return p.trajectory == Trajectory::kStabilising || p.trajectory == Trajectory::kSteady ||
           p.trajectory == Trajectory::kQuiet;
  };
  const auto all = names([](const Province&) { return true; });
  const auto violent = names(violent_p);
  const auto recovering = names(recovering_p);
  const Province* capital = &geo.provinces.front();
  for (const auto& p : geo.provinces)
    if (p.trajectory == Trajectory::kQuiet) {
      capital = &p;
      break;
    }
  const auto capital_province = names([&](const Province& q) { return &q == capital; });
  const std::string country = config.country_name;

  o << "# Mandate tasks of UNMIC (" << country << "): the task register of docs/tasks.md.\n"
    << "# Costs are per place (province or territory) and budget year (July-June), in US dollars;\n"
    << "# partner capacity counts the task-places it can take over in a budget year.\n"
    << "register:\n"
    << "  id: unmic-tasks\n"
    << "  name: " << yaml_quoted("UNMIC mandate tasks and handovers, " + years[0] + " to " + years[2]) << "\n"
    << "  currency: USD\n"
    << "  budget_years: [" << years[0] << ", " << years[1] << ", " << years[2] << "]\n"
    << "  period_months: 6\n"
    << "  mission_budget: " << per_year(150e6, 100e6, 50e6) << "\n"
    << "  # exit months (first month without the mission) used when no plan is given\n"
    << "  exits:\n";
  for (const auto& p : geo.provinces) {
    std::string when;
    if (p.trajectory == Trajectory::kQuiet) when = std::to_string(y0 + 1) + "-01";
    if (p.trajectory == Trajectory::kStabilising) when = std::to_string(y0 + 1) + "-07";
    if (p.trajectory == Trajectory::kSteady) when = std::to_string(y0 + 2) + "-07";
    if (!when.empty()) o << "    " << yaml_quoted(p.name) << ": " << when << "\n";
  }
  struct PartnerRow {
    const char* id;
    std::string name;
    const char* kind;
    double cap0, cap1, cap2;
    double fund0, fund1, fund2;
    const char* contact;
    const char* phone;
  };
  const PartnerRow partners[] = {
      {"police", country + " National Police", "ministry", 3, 4, 4, 4e6, 7e6, 9e6, "Directorate of operations",
       "+000 21 10 00 01"},
      {"interior", "Ministry of the Interior and Decentralisation", "ministry", 3, 3, 3, 3e6, 5e6, 6e6,
       "Stabilisation coordinator", "+000 21 10 00 02"},
      {"justice", "Ministry of Justice", "ministry", 2, 3, 3, 1.5e6, 3e6, 4e6, "Secretary-general", "+000 21 10 00 03"},
      {"ddr-commission", "National DDR commission", "ministry", 2, 2, 2, 2e6, 3e6, 3e6, "Executive secretary",
       "+000 21 10 00 04"},
      {"provinces", "Provincial governments", "local_government", 3, 4, 4, 1.5e6, 3e6, 4e6, "Governors' forum",
       "+000 21 10 00 05"},
      {"ohchr", "OHCHR country office", "un_agency", 3, 3, 3, 2e6, 3e6, 3.5e6, "Head of office", "+000 21 20 00 01"},
      {"undp", "UNDP", "un_agency", 3, 3, 3, 3e6, 5e6, 5e6, "Resident representative", "+000 21 20 00 02"},
      {"unwomen", "UN Women", "un_agency", 2, 3, 3, 1e6, 2e6, 2.5e6, "Country representative", "+000 21 20 00 03"},
      {"unhabitat", "UN-Habitat", "un_agency", 2, 2, 2, 0.5e6, 1e6, 1.2e6, "Land programme", "+000 21 20 00 04"},
      {"civil-society", country + " network of community protection groups", "civil_society", 4, 4, 4, 0.6e6, 1e6,
       1.2e6, "Network coordinator", "+000 77 30 00 01"},
  };
  o << "  # partners: capacity = task-places a partner can take over per budget year; funding = secured, per year\n"
    << "  partners:\n";
  for (const auto& p : partners) {
    o << "    - id: " << p.id << "\n"
      << "      name: " << yaml_quoted(p.name) << "\n"
      << "      kind: " << p.kind << "\n"
      << "      capacity: " << per_year(p.cap0, p.cap1, p.cap2) << "\n"
      << "      funding: " << per_year(p.fund0, p.fund1, p.fund2) << "\n"
      << "      contact: {name: " << yaml_quoted(p.contact) << ", phone: " << yaml_quoted(p.phone) << "}\n";
  }
  struct TaskRow {
    const char* id;
    const char* name;
    const char* area;
    int tier;
    std::string places;
    const char* depends;
    const char* benchmarks;
    int troops, police, civilians;
    double cost;
    const char* to;  // "" = ends with the mission, "-" = no partner named
    const char* conditions;
    double partner_cost;
  };
  const TaskRow tasks[] = {
      {"poc-protection", "Protection of civilians: patrols, presence and rapid response", "protection_of_civilians", 1,
       violent, "[]", "[poc-civilian-deaths, poc-one-sided-events, poc-armed-clashes]", 600, 20, 4, 9e6, "police",
       "[poc-civilian-deaths, poc-one-sided-events]", 3e6},
      {"community-alerts", "Community alert networks and local protection committees", "community_protection", 1,
       violent, "[]", "[poc-one-sided-events]", 0, 0, 6, 0.6e6, "civil-society", "[]", 0.3e6},
      {"stabilisation", "Stabilisation and extension of state authority", "stabilisation", 1, all, "[poc-protection]",
       "[ctx-state-authority]", 0, 0, 8, 2.5e6, "interior", "[ctx-state-authority]", 1.5e6},
      {"human-rights", "Human rights monitoring and reporting", "human_rights", 1, all, "[]", "[]", 0, 0, 5, 0.9e6,
       "ohchr", "[]", 0.7e6},
      {"ddr", "Disarmament, demobilisation and reintegration", "ddr", 2, recovering, "[poc-protection]",
       "[ctx-ddr, poc-armed-clashes]", 150, 0, 8, 2e6, "ddr-commission", "[ctx-ddr]", 1.2e6},
      {"police-support", "Training and co-location with the national police", "ssr", 2, all, "[poc-protection]",
       "[ctx-police]", 0, 60, 4, 1.5e6, "police", "[ctx-police]", 1e6},
      {"justice", "Mobile courts, prisons and accountability", "justice", 2, all, "[stabilisation]", "[ctx-justice]", 0,
       10, 6, 1.1e6, "justice", "[ctx-justice]", 0.8e6},
      {"gender-gbv", "Gender, and prevention of and response to gender-based violence", "gender", 2, violent, "[]",
       "[]", 0, 5, 3, 0.7e6, "unwomen", "[]", 0.5e6},
      {"local-governance", "Support to provincial and local governance", "local_governance", 2, all, "[stabilisation]",
       "[ctx-state-authority]", 0, 0, 4, 0.8e6, "provinces", "[ctx-state-authority]", 0.6e6},
      {"good-offices", "Good offices and political dialogue", "good_offices", 2, capital_province, "[]", "[]", 0, 0, 10,
       1.2e6, "", "[]", 0},
      {"dispute-resolution", "Local dispute resolution and intercommunal dialogue", "dispute_resolution", 3, violent,
       "[community-alerts]", "[]", 0, 0, 2, 0.4e6, "civil-society", "[]", 0.25e6},
      {"land-rights", "Land rights and housing, land and property disputes", "land", 3, recovering, "[stabilisation]",
       "[ctx-returns]", 0, 0, 2, 0.6e6, "unhabitat", "[]", 0.45e6},
      {"natural-resources", "Natural resource management and the illicit exploitation of minerals", "natural_resources",
       3, violent, "[stabilisation]", "[]", 0, 0, 2, 0.5e6, "-", "[]", 0},
      {"returns", "Support to the voluntary return of displaced people", "stabilisation", 3, recovering,
       "[poc-protection]", "[ctx-returns]", 0, 0, 3, 0.9e6, "undp", "[ctx-returns]", 0.7e6},
      {"elections", "Electoral assistance", "elections", 3, capital_province, "[]", "[]", 0, 10, 15, 3e6, "undp", "[]",
       2.5e6},
      {"public-information", "Public information and the mission's radio", "public_information", 3, capital_province,
       "[]", "[]", 0, 0, 12, 2e6, "", "[]", 0},
      {"mission-support", "Mission headquarters, logistics and liaison with the government", "mission_support", 3,
       capital_province, "[]", "[]", 300, 20, 60, 25e6, "", "[]", 0},
  };
  o << "  tasks:\n";
  for (const auto& t : tasks) {
    o << "    - id: " << t.id << "\n"
      << "      name: " << yaml_quoted(t.name) << "\n"
      << "      area: " << t.area << "\n"
      << "      tier: " << t.tier << "\n"
      << "      places: " << t.places << "\n"
      << "      depends_on: " << t.depends << "\n"
      << "      benchmarks: " << t.benchmarks << "\n"
      << "      resources: {troops: " << t.troops << ", police: " << t.police << ", civilians: " << t.civilians << "}\n"
      << "      cost: " << flat(t.cost) << "\n";
    const std::string to = t.to;
    if (to.empty()) {
      o << "      ends_with_mission: true\n";
    } else if (to == "-") {
      o << "      handover: {to: null}   # no partner found yet\n";
    } else {
      o << "      handover:\n"
        << "        to: " << to << "\n"
        << "        conditions: " << t.conditions << "\n"
        << "        cost: " << flat(t.partner_cost) << "\n";
    }
  }
  // Continuity of protection per territory: alert networks where there is
  // violence (run by the mission, most taken over by the civil society
  // network), protection committees run by civil society on short funding,
  // human rights monitoring by the mission in a quarter of the territories.
  o << "  # continuity of protection per territory: who runs each mechanism, until when, who takes over,\n"
    << "  # and whom communities and notices reach\n"
    << "  continuity:\n";
  for (std::size_t k = 0; k < geo.territories.size(); ++k) {
    const auto& t = geo.territories[k];
    const auto& p = geo.provinces[static_cast<std::size_t>(t.province)];
    const std::string phone = "+000 77 4" + std::to_string(k / 10 % 10) + " " + std::to_string(k % 10) + "0 00";
    if (violent_p(p)) {
      o << "    - territory: " << yaml_quoted(t.name) << "\n"
        << "      kind: alert_network\n"
        << "      name: " << yaml_quoted("Community alert network of " + t.name) << "\n"
        << "      run_by: mission\n";
      if (k % 3 != 0) o << "      taken_over_by: civil-society\n";
      o << "      contact: {name: " << yaml_quoted("Alert network focal point, " + t.name)
        << ", phone: " << yaml_quoted(phone) << ", radio: \"HF 7.185\"}\n";
    }
    if (k % 2 == 0) {
      o << "    - territory: " << yaml_quoted(t.name) << "\n"
        << "      kind: protection_committee\n"
        << "      name: " << yaml_quoted("Local protection committee of " + t.name) << "\n"
        << "      run_by: civil-society\n";
      if (violent_p(p)) o << "      until: " << y0 + 1 << "-12\n";
      o << "      contact: {name: " << yaml_quoted("Committee chair, " + t.name) << ", phone: " << yaml_quoted(phone)
        << "}\n";
    }
    if (k % 4 == 1) {
      o << "    - territory: " << yaml_quoted(t.name) << "\n"
        << "      kind: human_rights_monitoring\n"
        << "      name: " << yaml_quoted("Human rights team, " + t.name) << "\n"
        << "      run_by: mission\n";
      if (p.trajectory == Trajectory::kStabilising) o << "      taken_over_by: ohchr\n";
      o << "      contact: {name: \"Human rights officer\", email: \"hr@unmic.example\"}\n";
    }
  }
  if (!o) throw detail::write_error(path);
}

}  // namespace endstate::scenario::detail
