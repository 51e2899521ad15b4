// endstate scenario generate, and endstate demo
#include "commands.hpp"
#include "common.hpp"
#include "endstate/io/writers.hpp"
#include "endstate/report/demo.hpp"

namespace endstate::cli {
namespace {

int scenario_generate(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, false);
  service::ScenarioRequest r;
  r.name = a.positional(0);
  r.out = a.get("out");
  r.seed = static_cast<std::uint64_t>(int_flag(a, "seed", 0));
  r.config_file = a.has("config") ? input_path(a.get("config")) : "";
  r.force = a.has("force");
  io::write(out, service::Engine::scenario_generate(r), wo);
  return 0;
}

int demo(const Args& a, std::ostream& out) {
  report::DemoOptions o;
  o.out = a.get("out");
  o.seed = static_cast<std::uint64_t>(int_flag(a, "seed", 0));
  o.force = a.has("force");
  report::run_demo(o, out);
  return 0;
}

}  // namespace

std::vector<CommandSpec> scenario_commands() {
  return {{"scenario",
           "generate",
           "Write a complete fictional mission dataset (Carana) in the real import formats: deterministic for a "
           "seed and configuration.",
           {{"NAME", "scenario name: carana"}},
           {{"out", "DIR", "output folder (created if needed; must be empty unless --force)", "", true},
            {"seed", "N", "random seed", "1"},
            {"config", "YAML", "configuration overriding the defaults (docs/carana.md)", ""},
            {"force", "", "write into a folder that is not empty (never over a database with an audit history)", ""},
            format_flag(false)},
           scenario_generate},
          {"demo",
           "",
           "The main job end to end: generate Carana into DIR/inputs, build DIR/endstate.db through the importers, run "
           "every analysis once and write a briefing (stdout and DIR/results/briefing.md) with maps and tables in "
           "DIR/results.",
           {},
           {{"out", "DIR", "the folder for inputs, database and results (must be empty unless --force)", "demo-out"},
            {"seed", "N", "random seed of the generated country", "1"},
            {"force", "", "write into a folder that is not empty (never over a database with an audit history)", ""}},
           demo}};
}

}  // namespace endstate::cli
