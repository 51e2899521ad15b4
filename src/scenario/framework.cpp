// The transition benchmark framework and the mandate tasks of Carana, written
// as YAML in the draft formats of docs/carana.md. Structure follows the
// MONUSCO transition practice described in DESIGN.md: core benchmarks on
// protection of civilians (PoC), contextual ones on state authority,
// justice, DDR and returns; a threshold belongs to a stakeholder (government,
// UN, humanitarians, communities), not to the indicator; a benchmark is met
// when its indicator meets the threshold for `sustain_months` in a row; a
// province is ready when all core and a share of contextual benchmarks are met.

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

struct Benchmark {
  const char* id;
  const char* name;
  const char* kind;
  const char* category;
  const char* indicator;
  const char* direction;
  Threshold t;
  int sustain;
};

const Benchmark kBenchmarks[] = {
    {"poc-civilian-deaths",
     "Civilians are protected from physical violence",
     "core",
     "protection_of_civilians",
     "civilian_deaths_per_100k_12m",
     "below",
     {6.0, 3.0, 1.5, 2.0},
     6},
    {"poc-one-sided-events",
     "Attacks on civilians have become rare",
     "core",
     "protection_of_civilians",
     "one_sided_events_per_month_3m",
     "below",
     {4.0, 2.0, 1.0, 1.5},
     6},
    {"poc-armed-clashes",
     "Armed groups no longer contest the area",
     "core",
     "protection_of_civilians",
     "state_based_events_per_month_3m",
     "below",
     {5.0, 3.0, 2.0, 2.0},
     6},
    {"ctx-state-authority",
     "State authority is present across the province",
     "contextual",
     "state_authority",
     "state_authority_presence",
     "above",
     {60.0, 65.0, 65.0, 70.0},
     6},
    {"ctx-justice",
     "Courts function",
     "contextual",
     "justice",
     "courts_functioning",
     "above",
     {60.0, 70.0, 65.0, 70.0},
     6},
    {"ctx-ddr",
     "Former combatants are absorbed by DDR",
     "contextual",
     "ddr",
     "ddr_caseload_per_100k",
     "below",
     {80.0, 60.0, 60.0, 50.0},
     3},
    {"ctx-returns",
     "Displaced people return",
     "contextual",
     "returns",
     "idp_returns_per_100k",
     "above",
     {20.0, 25.0, 30.0, 25.0},
     3},
    {"ctx-police",
     "National police are deployed",
     "contextual",
     "security_institutions",
     "police_per_100k",
     "above",
     {50.0, 55.0, 55.0, 50.0},
     6},
};

std::string num(double v) { return shortest(v); }

}  // namespace

void write_framework(const std::string& path, const CaranaConfig& config, const Geography& geo) {
  std::ofstream o(path, std::ios::binary);
  if (!o) throw internal_error("cannot write " + path);
  const std::string gov = "Government of " + config.country_name;
  o << "# Transition benchmark framework of UNMIC (" << config.country_name << ").\n"
    << "# Draft format, documented in docs/carana.md (\"framework.yaml\"); the final format\n"
    << "# comes with the benchmarks work.\n"
    << "framework:\n"
    << "  id: unmic-transition\n"
    << "  name: UNMIC transition benchmarks\n"
    << "  version: 1\n"
    << "  status: draft\n"
    << "  mission: UNMIC\n"
    << "  country: " << yaml_quoted(config.country_name) << "\n"
    << "  area_level: province\n"
    << "  areas: [";
  for (std::size_t p = 0; p < geo.provinces.size(); ++p) o << (p ? ", " : "") << yaml_quoted(geo.provinces[p].name);
  o << "]\n"
    << "  stakeholders:\n"
    << "    - id: government\n      name: " << yaml_quoted(gov) << "\n"
    << "    - id: un\n      name: \"UNMIC and the UN country team\"\n"
    << "    - id: humanitarian\n      name: \"Humanitarian country team\"\n"
    << "    - id: communities\n      name: \"Community representatives and civil society\"\n"
    << "  readiness:\n"
    << "    core: all              # every core benchmark met\n"
    << "    contextual_share: 0.5  # and at least this share of the contextual ones\n"
    << "    stakeholder: un        # whose thresholds decide readiness (the others are reported)\n"
    << "  indicators:\n"
    << "    - id: civilian_deaths_per_100k_12m\n"
    << "      name: \"Civilian deaths per 100,000 people, trailing 12 months\"\n"
    << "      derived_from: events\n"
    << "      measure: deaths_civilians\n"
    << "      window_months: 12\n"
    << "      per_population: 100000\n"
    << "    - id: one_sided_events_per_month_3m\n"
    << "      name: \"Violence against civilians: events per month, 3-month mean\"\n"
    << "      derived_from: events\n"
    << "      measure: count\n"
    << "      violence_type: one_sided\n"
    << "      window_months: 3\n"
    << "    - id: state_based_events_per_month_3m\n"
    << "      name: \"State-based armed clashes: events per month, 3-month mean\"\n"
    << "      derived_from: events\n"
    << "      measure: count\n"
    << "      violence_type: state_based\n"
    << "      window_months: 3\n"
    << "    - id: state_authority_presence\n"
    << "      name: \"State authority presence index (0-100)\"\n"
    << "      observed: state_authority_presence\n"
    << "    - id: courts_functioning\n"
    << "      name: \"Share of courts functioning (%)\"\n"
    << "      observed: courts_functioning\n"
    << "    - id: ddr_caseload_per_100k\n"
    << "      name: \"Combatants awaiting DDR per 100,000 people\"\n"
    << "      observed: ddr_caseload\n"
    << "      per_population: 100000\n"
    << "    - id: idp_returns_per_100k\n"
    << "      name: \"IDP returns per month per 100,000 people\"\n"
    << "      observed: idp_returns\n"
    << "      per_population: 100000\n"
    << "    - id: police_per_100k\n"
    << "      name: \"National police officers per 100,000 people\"\n"
    << "      observed: police_per_100k\n"
    << "  benchmarks:\n";
  for (const auto& b : kBenchmarks) {
    o << "    - id: " << b.id << "\n"
      << "      name: " << yaml_quoted(b.name) << "\n"
      << "      kind: " << b.kind << "\n"
      << "      category: " << b.category << "\n"
      << "      indicator: " << b.indicator << "\n"
      << "      direction: " << b.direction << "\n"
      << "      sustain_months: " << b.sustain << "\n"
      << "      weight: 1.0\n"
      << "      thresholds: {government: " << num(b.t.government) << ", un: " << num(b.t.un)
      << ", humanitarian: " << num(b.t.humanitarian) << ", communities: " << num(b.t.communities) << "}\n";
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
