// endstate scenario generate carana
#include <filesystem>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/scenario/carana.hpp"

namespace endstate::cli {
namespace {

std::uint64_t seed_flag(const Args& a) {
  auto s = parse_int64(a.get("seed"));
  if (!s || *s < 0) throw usage_error("--seed must be a non-negative integer (got '" + a.get("seed") + "')");
  return static_cast<std::uint64_t>(*s);
}

int scenario_generate(const Args& a, std::ostream& out) {
  if (a.positional(0) != "carana") {
    throw usage_error("the only built-in scenario is 'carana' (got '" + a.positional(0) + "')");
  }
  if (!a.has("out")) throw usage_error("--out DIR is required");
  const auto config = a.has("config") ? scenario::load_config(a.get("config")) : scenario::default_config();
  const auto ds = scenario::generate_carana(config, seed_flag(a), a.get("out"));
  const Format format = parse_format(a.get("format"), false);
  if (format == Format::kJson) {
    // Counts as numbers, so a script can check an import against them.
    nlohmann::ordered_json j;
    j["scenario"] = "carana";
    j["seed"] = ds.seed;
    j["out"] = a.get("out");
    j["first_year"] = ds.first_year;
    j["last_year"] = ds.last_year;
    j["counts"] = {{"provinces", ds.provinces},     {"territories", ds.territories}, {"localities", ds.localities},
                   {"groups", ds.groups},           {"events", ds.events},           {"fatalities", ds.fatalities},
                   {"sites", ds.sites},             {"deployments", ds.deployments}, {"observations", ds.observations},
                   {"population", ds.population}};
    j["files"] = {{"country", ds.country_geojson},     {"territories", ds.territories_geojson},
                  {"crosswalk", ds.crosswalk_csv},     {"localities", ds.localities_csv},
                  {"events", ds.events_csv},           {"sites", ds.sites_csv},
                  {"observations", ds.observations_csv}, {"framework", ds.framework_yaml},
                  {"tasks", ds.tasks_yaml},            {"config", ds.config_yaml}};
    out << j.dump(2) << "\n";
    return 0;
  }
  Table t{{"file", "what", "count"},
          {{ds.country_geojson, "country polygon", "1"},
           {ds.territories_geojson, "territories (GeoJSON)", std::to_string(ds.territories)},
           {ds.crosswalk_csv, "territory -> province crosswalk", std::to_string(ds.provinces) + " provinces"},
           {ds.localities_csv, "localities with population", std::to_string(ds.localities)},
           {ds.events_csv, "conflict events (UCDP GED CSV)", std::to_string(ds.events)},
           {ds.sites_csv, "mission sites (Geo-PKO v2.3)", std::to_string(ds.deployments) + " site-years"},
           {ds.observations_csv, "indicator observations", std::to_string(ds.observations)},
           {ds.framework_yaml, "benchmark framework (draft)", ""},
           {ds.tasks_yaml, "mandate tasks (draft)", ""},
           {ds.config_yaml, "effective configuration", ""}}};
  t.print(out, format);
  return 0;
}

}  // namespace

std::vector<CommandSpec> scenario_commands() {
  return {{"scenario",
           "generate",
           "Write a complete fictional mission dataset (Carana) in the real import formats: deterministic for a "
           "seed and configuration.",
           {{"NAME", "scenario name: carana"}},
           {{"out", "DIR", "output folder (created if needed)", ""},
            {"seed", "N", "random seed", "1"},
            {"config", "YAML", "configuration overriding the defaults (docs/carana.md)", ""},
            {"format", "FMT", "listing of written files as table, csv or json", "table"}},
           scenario_generate}};
}

}  // namespace endstate::cli
