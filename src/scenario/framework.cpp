// The transition benchmark framework and the mandate tasks of Carana, written
// as YAML: the framework in the format of docs/benchmarks.md, the tasks in the
// draft format of docs/carana.md. Structure follows the
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
  const char* source;   // "events" or "observed"
  const char* body;     // the derivation / observed block, already indented
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
  if (!o) throw internal_error("cannot write " + path);
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
  if (!o) throw internal_error("failed writing " + path);
}

void write_tasks(const std::string& path, const CaranaConfig& config, const Geography& geo) {
  std::ofstream o(path, std::ios::binary);
  if (!o) throw internal_error("cannot write " + path);
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
  const auto all = names([](const Province&) { return true; });
  const auto violent = names([](const Province& p) { return p.trajectory != Trajectory::kQuiet; });
  const auto recovering = names([](const Province& p) {
    return p.trajectory == Trajectory::kStabilising || p.trajectory == Trajectory::kSteady ||
           p.trajectory == Trajectory::kQuiet;
  });
  const std::string capital_province = [&] {
    for (const auto& p : geo.provinces)
      if (p.trajectory == Trajectory::kQuiet) return names([&](const Province& q) { return &q == &p; });
    return names([&](const Province& q) { return &q == &geo.provinces.front(); });
  }();
  struct Task {
    const char* id;
    const char* name;
    int tier;
    std::string provinces;
    int troops, police, civilians;
    const char* depends;
    std::string handover;
    const char* conditions;
  };
  const std::string country = config.country_name;
  const Task tasks[] = {
      {"poc-protection", "Protection of civilians: patrols, presence and rapid response", 1, violent, 600, 20, 4, "[]",
       country + " Armed Forces and National Police", "[poc-civilian-deaths, poc-one-sided-events, poc-armed-clashes]"},
      {"poc-early-warning", "Community alert networks and early warning", 1, violent, 0, 0, 6, "[]",
       "Provincial governments and community protection committees", "[poc-one-sided-events]"},
      {"ddr-support", "Disarmament, demobilisation and reintegration of combatants", 2, recovering, 150, 0, 8,
       "[poc-protection]", "National DDR commission", "[ctx-ddr, poc-armed-clashes]"},
      {"ssr-police", "Training and co-location with the national police", 2, all, 0, 60, 4, "[poc-protection]",
       country + " National Police", "[ctx-police]"},
      {"justice-support", "Mobile courts and prison support", 2, all, 0, 10, 6, "[state-authority]",
       "Ministry of Justice", "[ctx-justice]"},
      {"state-authority", "Extension of state authority and local governance", 2, all, 0, 0, 8, "[poc-protection]",
       "Ministry of the Interior and provincial governments", "[ctx-state-authority]"},
      {"returns-support", "Support to the voluntary return of displaced people", 3, recovering, 0, 0, 3,
       "[poc-protection]", "UN country team and humanitarian partners", "[ctx-returns]"},
      {"human-rights", "Human rights monitoring and reporting", 3, all, 0, 0, 5, "[]",
       "National human rights commission and OHCHR country office", "[]"},
      {"mission-support-hq", "Mission headquarters and liaison with the government", 3, capital_province, 300, 20, 60,
       "[]", "UN country team (integrated office)", "[]"},
  };
  o << "# Mandate tasks of UNMIC (" << config.country_name << ").\n"
    << "# Draft format, documented in docs/carana.md (\"tasks.yaml\"); the final format\n"
    << "# comes with the sequencing work. Capacities are per province.\n"
    << "tasks:\n";
  for (const auto& t : tasks) {
    o << "  - id: " << t.id << "\n"
      << "    name: " << yaml_quoted(t.name) << "\n"
      << "    tier: " << t.tier << "\n"
      << "    provinces: " << t.provinces << "\n"
      << "    capacity_per_province: {troops: " << t.troops << ", police: " << t.police
      << ", civilians: " << t.civilians << "}\n"
      << "    depends_on: " << t.depends << "\n"
      << "    handover_to: " << yaml_quoted(t.handover) << "\n"
      << "    handover_conditions: " << t.conditions << "\n";
  }
  if (!o) throw internal_error("failed writing " + path);
}

}  // namespace endstate::scenario::detail
