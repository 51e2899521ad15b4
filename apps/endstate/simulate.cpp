// endstate simulate run | backtest, and endstate benchmarks ready-by
#include "endstate/io/simulate.hpp"
#include "commands.hpp"
#include "common.hpp"
#include "endstate/core/error.hpp"

namespace endstate::cli {
namespace {

forecast::Target target_of(const Args& a) {
  const auto t = forecast::parse_target(a.get("target"));
  if (!t)
    throw usage_error("--target must be fatalities, vac-events or vac-fatalities (got '" + a.get("target") + "')");
  return *t;
}

service::SimulationSetup setup_of(const Args& a) {
  service::SimulationSetup s;
  if (a.has("version")) s.select.version = int_flag(a, "version", 1);
  s.select.stakeholder = a.has("stakeholder") ? a.get("stakeholder") : "";
  s.level = a.get("level");
  s.target = target_of(a);
  s.model.model = a.get("model");
  s.model.nb.neighbours = static_cast<int>(int_flag(a, "neighbours", 0, 64));
  s.model.nb.ridge = number_flag(a, "ridge", 0.0);
  s.presence = a.get("presence");
  if (s.presence != "priors" && s.presence != "none") s.presence = input_path(s.presence);
  if (a.has("horizon")) s.horizon = static_cast<int>(int_flag(a, "horizon", 1, 240));
  s.paths = static_cast<int>(int_flag(a, "paths", 1, 1000000));
  s.seed = static_cast<std::uint64_t>(int_flag(a, "seed", 0));
  s.threads = static_cast<int>(int_flag(a, "threads", 0, 1024));
  s.hotspot_threshold = number_flag(a, "hotspot", 0);
  return s;
}

std::vector<FlagSpec> setup_flags(bool horizon) {
  std::vector<FlagSpec> f{
      {"level", "L", "simulation level (default: the framework's area_level; a finer level maps up to it)", ""},
      {"target", "T", "fatalities | vac-events | vac-fatalities", "fatalities"},
      {"model", "M", "one-step model fed with each path's history: nb | bootstrap | last | zero", "nb"},
      {"presence", "P", "presence effect: priors (cited defaults) | none | a YAML file (docs/simulate.md)", "priors"},
      {"paths", "N", "sample paths", "1000"},
      {"seed", "N", "random seed (same seed, same paths, any --threads)", "1"},
      {"threads", "N", "worker threads (0 = all cores)", "0"},
      {"hotspot", "X", "a hotspot month: at least this much of the target in an area", "25"},
      {"neighbours", "K", "nb: k nearest area centroids in the spatial lag", "4"},
      {"ridge", "X", "nb: L2 penalty on the slopes", "100"},
      {"version", "V", "stored framework version (default: the latest)", ""}};
  if (horizon) f.insert(f.begin() + 1, FlagSpec{"horizon", "H", "months simulated", "36"});
  return f;
}

int cmd_run(const Args& a, std::ostream& out) {
  io::WriteOptions wo = write_options(a, false);
  wo.view = a.get("view");
  service::SimulateRequest r;
  r.setup = setup_of(a);
  for (const auto& p : list_flag(a, "plans")) r.plans.push_back(input_path(p));
  io::write(out, engine(a).simulate(r), wo);
  return 0;
}

int cmd_ready_by(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, false);
  service::ReadyByRequest r;
  r.setup = setup_of(a);
  r.month = *month_flag(a, "month");
  io::write(out, engine(a).benchmarks_ready_by(r), wo);
  return 0;
}

int cmd_backtest(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, false);
  service::SimulateBacktestRequest r;
  r.level = a.get("level");
  r.target = target_of(a);
  r.model.model = a.get("model");
  r.model.nb.neighbours = static_cast<int>(int_flag(a, "neighbours", 0, 64));
  r.model.nb.ridge = number_flag(a, "ridge", 0.0);
  r.from = month_flag(a, "from");
  r.to = month_flag(a, "to");
  r.step_months = static_cast<int>(int_flag(a, "step", 1, 120));
  r.horizon = static_cast<int>(int_flag(a, "horizon", 1, 120));
  r.paths = static_cast<int>(int_flag(a, "paths", 2, 100000));
  r.seed = static_cast<std::uint64_t>(int_flag(a, "seed", 0));
  r.threads = static_cast<int>(int_flag(a, "threads", 0, 1024));
  io::write(out, engine(a).simulate_backtest(r), wo);
  return 0;
}

}  // namespace

std::vector<CommandSpec> simulate_commands() {
  auto run_flags = setup_flags(true);
  run_flags.insert(run_flags.begin(),
                   FlagSpec{"plans", "LIST",
                            "comma-separated plan files, one policy each (end-state, end-date, hybrid); the first is "
                            "the reference of the paired differences",
                            "", true});
  run_flags.push_back({"stakeholder", "S", "only this stakeholder's readiness (default: as each plan says)", ""});
  run_flags.push_back({"view", "V", "table/csv: summary | exits | differences | fan (fan-chart rows)", "summary"});
  run_flags.push_back(format_flag(false));
  run_flags.push_back(bom_flag());
  auto ready_flags = setup_flags(false);
  ready_flags.insert(ready_flags.begin(),
                     FlagSpec{"month", "YYYY-MM", "ready by this month (after the last data month)", "", true});
  ready_flags.push_back({"stakeholder", "S", "only this stakeholder (default: all)", ""});
  ready_flags.push_back(format_flag(false));
  ready_flags.push_back(bom_flag());
  std::vector<FlagSpec> bt_flags{
      {"level", "L", "area level (default: province when present)", ""},
      {"target", "T", "fatalities | vac-events | vac-fatalities", "fatalities"},
      {"model", "M", "nb | bootstrap | last | zero", "nb"},
      {"from", "YYYY-MM", "first origin (default: 36 months before --to)", ""},
      {"to", "YYYY-MM", "last origin (default: the last month with a full horizon of data after it)", ""},
      {"step", "N", "months between origins", "6"},
      {"horizon", "H", "months simulated from each origin", "12"},
      {"paths", "N", "sample paths per origin", "500"},
      {"seed", "N", "random seed", "1"},
      {"threads", "N", "worker threads (0 = all cores)", "0"},
      {"neighbours", "K", "nb: k nearest area centroids in the spatial lag", "4"},
      {"ridge", "X", "nb: L2 penalty on the slopes", "100"},
      format_flag(false),
      bom_flag()};
  return {
      {"simulate",
       "run",
       "Compare transition policies (end-state, end-date, hybrid; one plan file each) on the same joint sample paths "
       "of violence: each path feeds its simulated months back into the model, benchmarks and readiness are "
       "recomputed along it, each policy exits provinces on it and the violence responds through the presence "
       "effect. Per policy the median and 80/90% intervals of each province's exit and the mission's end, "
       "fatalities, civilian deaths, hotspot months without a responder in reach, troop-months and cost; paired "
       "differences on common random numbers.",
       {},
       run_flags,
       cmd_run},
      {"simulate",
       "backtest",
       "Calibration of the sample paths: simulate from past origins and score what happened (coverage of 50/80/90% "
       "intervals, CRPS, PIT histogram) month by month and for each area's total over the horizon.",
       {},
       bt_flags,
       cmd_backtest},
      {"benchmarks",
       "ready-by",
       "Probability that each province is ready by a month for each stakeholder: the share of status-quo sample "
       "paths on which the framework's benchmarks, recomputed along the path, make it ready at least once by then.",
       {},
       ready_flags,
       cmd_ready_by},
  };
}

}  // namespace endstate::cli
