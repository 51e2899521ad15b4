// The policy simulation through the engine (docs/simulate.md).
#include <algorithm>
#include <cctype>
#include <map>

#include "endstate/core/error.hpp"
#include "endstate/service/engine.hpp"
#include "service/detail/engine_impl.hpp"

namespace endstate::service {

namespace sim = endstate::simulate;

namespace {

void check_setup(const SimulationSetup& s, bool horizon_from_month) {
  (void)forecast::resolve_model(s.model.model);
  if (!horizon_from_month && (s.horizon < 1 || s.horizon > 240))
    throw invalid_field("horizon", "must be an integer in 1..240");
  if (s.paths < 1 || s.paths > 1000000) throw invalid_field("paths", "must be an integer in 1..1000000");
  if (s.threads < 0 || s.threads > 1024) throw invalid_field("threads", "must be an integer in 0..1024");
  if (s.model.nb.neighbours < 0 || s.model.nb.neighbours > 64)
    throw invalid_field("neighbours", "must be an integer in 0..64");
  detail::check_range("hotspot_threshold", s.hotspot_threshold, 0, 1e9);
  if (s.presence.empty()) throw invalid_field("presence", "must be priors, none or a file");
}

sim::PresenceEffect presence_effect(const std::string& p) {
  if (p == "none") return sim::PresenceEffect::off();
  if (p == "priors") return sim::parse_presence_effect(sim::default_presence_yaml(), "priors");
  return sim::parse_presence_effect(detail::read_text(p, "presence"), p);
}

}  // namespace

namespace {

/// What the three calls build from the store: the world and the fitted model.
struct SimulationInputs {
  BenchmarkRun run;
  Panel panel;  // at the simulation level
  sim::World world;
  std::unique_ptr<sim::StepModel> model;
  std::string level;
  std::size_t bases = 0;
};

SimulationInputs build(Engine& e, Engine::Impl& impl, const SimulationSetup& s, int horizon) {
  SimulationInputs in;
  in.run = e.benchmark_run(s.select);
  auto& db = e.reader();
  in.level = s.level.empty() ? in.run.level : s.level;
  const Panel& exits = in.run.panel;
  sim::WorldSpec ws;
  if (in.level == in.run.level) {
    in.panel = exits;
    for (std::size_t a = 0; a < exits.area_count(); ++a) ws.area_province.push_back(static_cast<int>(a));
  } else {
    in.panel = detail::load_panel(db, in.level, exits.first(), exits.last());
    std::map<std::string, std::string> parent;
    for (const auto& a : db.areas("", false)) parent[a.id] = a.parent_id;
    for (const auto& a : in.panel.areas()) {
      std::string id = a.id;
      int p = -1;
      for (int guard = 0; guard < 16 && !id.empty(); ++guard) {
        if (const auto k = exits.area_index(id)) {
          p = static_cast<int>(*k);
          break;
        }
        const auto it = parent.find(id);
        id = it == parent.end() ? "" : it->second;
      }
      ws.area_province.push_back(p);
    }
    if (std::all_of(ws.area_province.begin(), ws.area_province.end(), [](int p) { return p < 0; }))
      throw invalid_field("level",
                          "'" + in.level + "' has no areas inside the framework's level '" + in.run.level + "'");
  }
  for (const auto& a : exits.areas()) {
    ws.province_ids.push_back(a.id);
    ws.province_names.push_back(a.name);
    ws.province_population.push_back(a.population);
  }
  ws.panel = &in.panel;
  ws.target = s.target;
  ws.framework = &in.run.fw;
  ws.observed = in.run.observed;
  ws.effect = presence_effect(s.presence);
  ws.hotspot_threshold = s.hotspot_threshold;
  for (const auto& row : e.active_sites(in.panel.last())) {
    sim::Base b;
    b.id = row.site.key;
    b.name = row.site.name;
    b.where = row.site.where;
    b.troops = row.latest->troops;
    b.police = row.latest->police;
    b.has_air = row.latest->aviation > 0;
    b.hq = row.latest->hq;
    for (const auto& id : row.area_ids)
      if (const auto k = exits.area_index(id)) b.province = static_cast<int>(*k);
    ws.bases.push_back(std::move(b));
  }
  in.bases = ws.bases.size();
  impl.progress("simulate: fitting " + forecast::resolve_model(s.model.model), 0, 1);
  in.model = sim::fit_step_model(in.panel, s.target, s.model);
  in.world = sim::make_world(ws, s.paths, horizon, s.seed);
  return in;
}

sim::SimOptions sim_options(const SimulationSetup& s, int horizon) {
  sim::SimOptions o;
  o.horizon = horizon;
  o.paths = s.paths;
  o.seed = s.seed;
  o.threads = s.threads;
  return o;
}

}  // namespace

SimulateResult Engine::simulate(const SimulateRequest& r) {
  check_setup(r.setup, false);
  if (r.plans.empty()) throw invalid_field("plans", "must name at least one plan file");
  (void)presence_effect(r.setup.presence);  // a bad file fails before the store is opened
  std::vector<plan::PlanSpec> specs;
  for (const auto& f : r.plans) {
    specs.push_back(plan::parse_plan(detail::read_text(in_folder(r.base_dir, f), "plans"), f));
  }
  auto in = build(*this, *impl_, r.setup, r.setup.horizon);
  const auto& first = specs.front();
  in.world.reach = first.reach;
  in.world.response_hours = first.response_hours;
  in.world.troop_month = first.troop_month;
  in.world.police_month = first.police_month;
  in.world.base_month = first.base_month;
  in.world.closure_cost = first.closure_cost;
  std::vector<sim::PolicyRule> rules;
  SimulateResult out;
  std::map<std::string, int> seen;
  for (std::size_t k = 0; k < specs.size(); ++k) {
    auto rule = sim::policy_from_plan(specs[k], in.world);
    if (seen[rule.name]++ > 0) rule.name += "#" + std::to_string(k + 1);
    PolicyInfo info;
    info.name = rule.name;
    info.policy = plan::to_string(specs[k].policy);
    info.file = r.plans[k];
    for (std::size_t s : rule.stakeholders) info.stakeholders.push_back(in.run.fw.stakeholders[s].id);
    info.sustain_months = rule.sustain_months;
    info.max_delay_months = rule.max_delay_months;
    info.held = rule.held;
    for (int off : rule.exit_offset)
      info.exit_dates.push_back(off < 0 ? std::nullopt : std::optional<Month>(in.world.origin.plus(off)));
    out.policies.push_back(std::move(info));
    rules.push_back(std::move(rule));
  }
  const std::string stage = "simulate " + std::to_string(r.setup.paths) + " paths";
  const auto res = sim::simulate(in.world, *in.model, rules, sim_options(r.setup, r.setup.horizon),
                                 [&](std::int64_t done, std::int64_t total) {
                                   impl_->progress(stage, done, total);
                                   impl_->check_cancelled();
                                 });
  out.comparison = sim::compare(res);
  out.level = in.level;
  out.exit_level = in.run.level;
  out.model = in.model->name();
  out.presence = in.world.effect;
  out.presence_id = in.world.effect.id;
  out.target = r.setup.target;
  out.history_from = in.panel.first();
  out.history_to = in.panel.last();
  out.origin = in.world.origin;
  out.horizon = r.setup.horizon;
  out.paths = r.setup.paths;
  out.seed = r.setup.seed;
  out.areas = in.panel.area_count();
  out.bases = in.bases;
  out.currency = first.currency;
  for (const auto& p : in.world.provinces) {
    out.province_ids.push_back(p.id);
    out.province_names.push_back(p.name);
  }
  return out;
}

ReadyByResult Engine::benchmarks_ready_by(const ReadyByRequest& r) {
  check_setup(r.setup, true);
  (void)presence_effect(r.setup.presence);
  auto& db = reader();
  (void)db;
  BenchmarkRun probe = benchmark_run(r.setup.select);
  const Month origin = probe.panel.last().plus(1);
  if (r.month < origin)
    throw invalid_field("month", "must be after the last data month " + probe.panel.last().str() +
                                     " (for past months use benchmarks assess or history)");
  const int horizon = r.month.index() - origin.index() + 1;
  if (horizon > 240) throw invalid_field("month", "must be at most 240 months after the last data month");
  auto in = build(*this, *impl_, r.setup, horizon);
  const auto res = sim::simulate(in.world, *in.model, {sim::PolicyRule::status_quo(in.world.provinces.size())},
                                 sim_options(r.setup, horizon), [&](std::int64_t done, std::int64_t total) {
                                   impl_->progress("ready-by", done, total);
                                   impl_->check_cancelled();
                                 });
  ReadyByResult out;
  out.level = in.level;
  out.exit_level = in.run.level;
  out.model = in.model->name();
  out.history_to = in.panel.last();
  out.month = r.month;
  out.paths = r.setup.paths;
  out.seed = r.setup.seed;
  out.probability = sim::ready_by(res, 0, horizon);
  const auto sel = in.run.stakeholders(r.setup.select.stakeholder);
  for (const auto& p : in.world.provinces) {
    out.province_ids.push_back(p.id);
    out.province_names.push_back(p.name);
  }
  for (std::size_t s : sel) out.stakeholders.push_back(in.run.fw.stakeholders[s].id);
  const std::size_t T = in.run.panel.month_count();
  for (std::size_t p = 0; p < out.probability.size(); ++p) {
    std::vector<double> probs;
    std::vector<char> now;
    for (std::size_t s : sel) {
      probs.push_back(out.probability[p][s]);
      now.push_back(in.run.trajectories[p].ready(T - 1, s) == benchmarks::Readiness::kReady ? 1 : 0);
    }
    out.probability[p] = std::move(probs);
    out.ready_now.push_back(std::move(now));
  }
  return out;
}

SimulateBacktestResult Engine::simulate_backtest(const SimulateBacktestRequest& r) {
  (void)forecast::resolve_model(r.model.model);
  if (r.horizon < 1 || r.horizon > 120) throw invalid_field("horizon", "must be an integer in 1..120");
  if (r.paths < 2 || r.paths > 100000) throw invalid_field("paths", "must be an integer in 2..100000");
  if (r.step_months < 1 || r.step_months > 120) throw invalid_field("step_months", "must be an integer in 1..120");
  if (r.threads < 0 || r.threads > 1024) throw invalid_field("threads", "must be an integer in 0..1024");
  auto& db = reader();
  SimulateBacktestResult out;
  out.level = detail::level_or_default(db, r.level);
  const Panel panel = detail::load_panel(db, out.level, std::nullopt, std::nullopt);
  const Month to = r.to.value_or(panel.last().plus(-r.horizon + 1));
  const Month from = r.from.value_or(to.plus(-36));
  if (to < from) throw invalid_field("to", "is before from");
  sim::CalibrationOptions o;
  for (Month m = from; m <= to; m = m.plus(r.step_months)) {
    const auto t = panel.month_index(m);
    if (!t || *t == 0)
      throw invalid_field("from", "origin " + m.str() + " is outside the data (" + panel.first().str() + ".." +
                                      panel.last().str() + ")");
    o.origins.push_back(*t);
    out.origins.push_back(m);
  }
  o.horizon = r.horizon;
  o.paths = r.paths;
  o.seed = r.seed;
  o.threads = r.threads;
  out.result = sim::calibrate(panel, r.target, r.model, o, [&](std::int64_t done, std::int64_t total) {
    impl_->progress("simulate backtest", done, total);
    impl_->check_cancelled();
  });
  out.model = forecast::resolve_model(r.model.model);
  out.target = r.target;
  out.horizon = r.horizon;
  out.paths = r.paths;
  out.seed = r.seed;
  out.areas = panel.area_count();
  return out;
}

}  // namespace endstate::service
