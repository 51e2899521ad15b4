// The transition planner through the engine (docs/plan.md): the plan file
// resolved against the store, the threat of each phase (observed violence
// against civilians for months with data, the forecast module's expected
// events after), readiness per province from the benchmark framework
// (assessments for months with data, projections after), reversal triggers
// (alerts and the threat index), exits per the policy, the multi-period
// coverage model solved, and what the plan implies.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/forecast/alerts.hpp"
#include "endstate/forecast/forecast.hpp"
#include "endstate/plan/report.hpp"
#include "endstate/service/engine.hpp"
#include "endstate/threat/picture.hpp"
#include "service/detail/engine_impl.hpp"

namespace endstate::service {

namespace bm = endstate::benchmarks;
namespace fp = endstate::footprint;
namespace pl = endstate::plan;

namespace {

void check_request(const fp::SolveOptions& s, std::size_t samples) {
  detail::check_range("time_limit", s.time_limit_s, 0.1, 1e6);
  if (samples < 10 || samples > 100000) throw invalid_field("projection_samples", "must be an integer in 10..100000");
}

/// The plan file parsed (Error(kNotFound) when unreadable, kBadInput with file:line:field when wrong); the files
/// it names are read from base_dir when relative.
pl::PlanSpec load_spec(const std::string& file, const std::string& base_dir = "") {
  if (file.empty()) throw invalid_field("file", "is required (a plan YAML file)");
  auto s = pl::parse_plan(detail::read_text(in_folder(base_dir, file), "plan"), file);
  s.candidates_file = in_folder(base_dir, s.candidates_file);
  s.localities_file = in_folder(base_dir, s.localities_file);
  return s;
}

[[noreturn]] void fail_at(const pl::PlanSpec& s, const pl::FieldLine& w, const std::string& msg) {
  throw bad_input(msg, {s.file, w.line, w.field});
}

/// Everything a plan needs from the store, resolved (shared by run and validate).
struct Resolved {
  pl::PlanSpec spec;
  std::vector<pl::Phase> phases;
  Month data_last, today;
  std::string level;
  std::optional<ProjectResult> bench;     ///< the framework run and its projections (when a framework is stored)
  std::vector<std::size_t> stakeholders;  ///< indexes into bench->run.fw.stakeholders
  FootprintModel model;                   ///< with the plan's bases only
  std::vector<int> site_hq;
  std::size_t police_posts = 0;
  std::vector<std::int64_t> troops, police, civilians, max_closures;
  std::vector<int> date_phase;             ///< [province] phase of the exit date, -1 none, -2 after the plan
  std::vector<std::optional<Month>> date;  ///< [province]
};

std::size_t province_of(const pl::PlanSpec& s, const FootprintModel& m, const std::string& key,
                        const pl::FieldLine& w) {
  for (std::size_t a = 0; a < m.area_ids.size(); ++a) {
    if (m.area_ids[a] == key || m.area_names[a] == key) return a;
  }
  for (std::size_t a = 0; a < m.area_ids.size(); ++a) {
    if (iequals(m.area_names[a], key)) return a;
  }
  std::string have;
  for (std::size_t a = 0; a < m.area_names.size() && a < 12; ++a) have += (a ? ", " : "") + m.area_names[a];
  fail_at(s, w, "no province '" + key + "' at level '" + m.level + "' (there are: " + have + ")");
}

std::size_t site_of(const pl::PlanSpec& s, const FootprintModel& m, const std::string& key) {
  const auto it = s.site_where.find(key);
  const pl::FieldLine w = it == s.site_where.end() ? pl::FieldLine{"plan.sites", 0} : it->second;
  try {
    return m.find_site(key);
  } catch (const Error& e) {
    fail_at(s, w, e.message() + " (the plan's bases are today's troop bases and the candidates)");
  }
}

Resolved resolve(Engine& engine, store::Database& db, const std::string& file, const std::string& base_dir,
                 std::size_t projection_samples, bool with_projections) {
  Resolved r;
  r.spec = load_spec(file, base_dir);
  const auto& s = r.spec;
  const auto st = db.status();
  if (!st.last_event) throw not_found("no events in the database; run 'endstate events import' first");
  r.data_last = Month::of(*st.last_event);
  const Month start = s.start.value_or(r.data_last.plus(1));
  r.phases = pl::make_phases(s, start);
  const Month end = r.phases.back().to;
  if (end.index() - r.data_last.index() > 120) {
    fail_at(s, s.start_where.line ? s.start_where : pl::FieldLine{"plan.horizon_months", 0},
            "the plan ends " + std::to_string(end.index() - r.data_last.index()) +
                " months after the last data month (" + r.data_last.str() + "); forecasts reach 120 months at most");
  }
  r.today = std::min(start.plus(-1), r.data_last);
  const std::size_t P = r.phases.size();
  r.troops = pl::per_phase(s, s.troops, P);
  r.police = pl::per_phase(s, s.police, P);
  r.civilians = pl::per_phase(s, s.civilians, P);
  r.max_closures = pl::per_phase(s, s.max_closures, P);

  // the framework: required by end-state and hybrid; used for reporting otherwise
  const bool needs_framework = s.policy != pl::Policy::kEndDate;
  const bool have_framework = db.schema_version() >= 2 && db.framework(s.framework_version).has_value();
  if (!have_framework && (needs_framework || s.framework_version)) {
    throw not_found(s.framework_version ? "no framework version " + std::to_string(*s.framework_version)
                                        : "the " + pl::to_string(s.policy) +
                                              " policy reads readiness from a benchmark framework; none is stored "
                                              "(endstate benchmarks import FILE)");
  }
  if (have_framework) {
    const auto row = db.framework(s.framework_version);
    r.level = s.level.empty() ? bm::parse_framework(row->yaml, row->file).area_level : s.level;
  } else {
    r.level = detail::level_or_default(db, s.level);
  }
  if (have_framework) {
    ProjectRequest pr;
    pr.select.version = s.framework_version;
    pr.select.level = r.level;
    pr.options.samples = projection_samples;
    pr.options.seed = s.seed;
    pr.options.horizon_months = static_cast<std::size_t>(std::clamp(end.index() - r.data_last.index(), 1, 240));
    if (with_projections) {
      r.bench = engine.benchmarks_project(pr);
    } else {
      ProjectResult pj;
      pj.run = engine.benchmark_run(pr.select);
      pj.options = pr.options;
      r.bench = std::move(pj);
    }
    const auto& fw = r.bench->run.fw;
    if (s.stakeholders.empty()) {
      for (std::size_t k = 0; k < fw.stakeholders.size(); ++k) r.stakeholders.push_back(k);
    } else {
      for (std::size_t k = 0; k < s.stakeholders.size(); ++k) {
        const auto idx = fw.stakeholder_index(s.stakeholders[k]);
        if (!idx) {
          std::string have;
          for (const auto& x : fw.stakeholders) have += (have.empty() ? "" : ", ") + x.id;
          fail_at(s, {s.stakeholders_where.field + "[" + std::to_string(k) + "]", s.stakeholders_where.line},
                  "no stakeholder '" + s.stakeholders[k] + "' in framework version " +
                      std::to_string(r.bench->run.row.version) + " (stakeholders: " + have + ")");
        }
        r.stakeholders.push_back(*idx);
      }
    }
  }

  // demand points and bases: the footprint model on today's deployments
  FootprintModelRequest mr;
  mr.level = r.level;
  mr.demand = s.demand == pl::PlanDemand::kLocalities ? Demand::kLocalities : Demand::kAreas;
  mr.localities_file = s.localities_file;
  mr.threat = ThreatWeight::kNone;
  mr.month = r.today;
  switch (s.candidates) {
    case pl::PlanCandidates::kNone:
      mr.candidates = Candidates::kNone;
      break;
    case pl::PlanCandidates::kDemand:
      mr.candidates = Candidates::kDemand;
      break;
    case pl::PlanCandidates::kFile:
      mr.candidates = Candidates::kFile;
      mr.candidates_file = s.candidates_file;
      break;
  }
  mr.candidate_limit = static_cast<std::size_t>(s.candidate_limit);
  mr.default_population = s.default_population;
  mr.coverage.reach = s.reach;
  mr.coverage.response_hours = s.response_hours;
  try {
    r.model = engine.footprint_model(mr);
  } catch (const Error& e) {
    if (e.category() == ErrorCategory::kNotFound && s.demand == pl::PlanDemand::kLocalities &&
        e.message().find(s.localities_file) != std::string::npos) {
      fail_at(s, s.localities_where, e.message());
    }
    throw;
  }
  // the plan's bases: today's sites with troops (police posts are not troop bases) and the candidates
  std::unordered_map<std::string, int> hq_of;
  for (const auto& row : engine.active_sites(r.today)) hq_of[row.site.key] = row.latest ? row.latest->hq : 0;
  {
    auto& m = r.model;
    std::vector<fp::Site> sites;
    fp::Coverage cov;
    cov.demand_count = m.coverage.demand_count;
    for (std::size_t j = 0; j < m.sites.size(); ++j) {
      if (m.sites[j].existing && m.sites[j].troops <= 0) {
        ++r.police_posts;
        continue;
      }
      sites.push_back(m.sites[j]);
      cov.points.push_back(m.coverage.points[j]);
      cov.hours.push_back(m.coverage.hours[j]);
      const auto it = hq_of.find(m.sites[j].id);
      r.site_hq.push_back(m.sites[j].existing && it != hq_of.end() ? it->second : 0);
    }
    m.sites = std::move(sites);
    m.coverage = std::move(cov);
  }
  // names the file uses must exist
  for (const auto& [key, w] : s.site_where) site_of(s, r.model, key);
  const std::size_t A = r.model.area_ids.size();
  r.date_phase.assign(A, -1);
  r.date.assign(A, std::nullopt);
  for (std::size_t k = 0; k < s.exit_dates.size(); ++k) {
    const auto& [prov, month] = s.exit_dates[k];
    const std::size_t a = province_of(s, r.model, prov, s.exit_dates_where[k]);
    if (r.date[a]) fail_at(s, s.exit_dates_where[k], "province '" + r.model.area_names[a] + "' has two dates");
    r.date[a] = month;
    if (month > end) {
      r.date_phase[a] = -2;
      continue;
    }
    int found = -1;
    for (std::size_t t = 0; t < P; ++t) {
      if (r.phases[t].from == month) found = static_cast<int>(t);
    }
    if (found < 0) {
      std::string starts;
      for (std::size_t t = 0; t < P && t < 8; ++t) starts += (t ? ", " : "") + r.phases[t].from.str();
      fail_at(s, s.exit_dates_where[k],
              "exit month " + month.str() + " is not the first month of a phase (phases start " + starts +
                  (P > 8 ? ", ..." : "") + ")");
    }
    r.date_phase[a] = found;
  }
  return r;
}

/// Readiness of every province for the named stakeholders, month by month:
/// assessments for months with data, benchmark projections after.
class Readiness {
 public:
  Readiness(const Resolved& r, pl::ProjectionRule rule) : r_(r) {
    if (!r.bench) return;
    const auto& run = r.bench->run;
    const auto& fw = run.fw;
    const std::size_t A = r.model.area_ids.size();
    area_.assign(A, -1);
    projected_from_.assign(A, std::nullopt);
    for (std::size_t a = 0; a < A; ++a) {
      const auto k = run.panel.area_index(r.model.area_ids[a]);
      if (k) area_[a] = static_cast<int>(*k);
    }
    const std::size_t T = run.panel.month_count();
    if (T == 0) return;
    const Month last = run.panel.last();
    double ctx_total = 0;
    for (const auto& b : fw.benchmarks) ctx_total += b.kind == bm::BenchmarkKind::kContextual ? b.weight : 0;
    for (std::size_t a = 0; a < A; ++a) {
      if (area_[a] < 0) continue;
      const auto k = static_cast<std::size_t>(area_[a]);
      const auto& tr = run.trajectories[k];
      int worst = 0;
      bool never = false;
      for (std::size_t s : r.stakeholders) {
        if (tr.ready(T - 1, s) == bm::Readiness::kReady) continue;  // ready now: stays ready (projection rule)
        const std::string& sid = fw.stakeholders[s].id;
        auto months_to = [&](std::size_t b) -> std::optional<int> {
          if (tr.benchmark(T - 1, s, b) == bm::Status::kMet) return 0;
          for (const auto& pj : r.bench->projections) {
            if (pj.area_id != run.panel.areas()[k].id || pj.stakeholder != sid ||
                pj.benchmark_id != fw.benchmarks[b].id)
              continue;
            if (!pj.projectable) return std::nullopt;
            return rule == pl::ProjectionRule::kHigh ? pj.high : pj.median;
          }
          return std::nullopt;
        };
        int core = 0;
        std::vector<std::pair<int, double>> ctx;
        for (std::size_t b = 0; b < fw.benchmarks.size(); ++b) {
          const auto h = months_to(b);
          if (fw.benchmarks[b].kind == bm::BenchmarkKind::kCore) {
            if (!h)
              never = true;
            else
              core = std::max(core, *h);
          } else if (h) {
            ctx.push_back({*h, fw.benchmarks[b].weight});
          }
        }
        int when = -1;
        if (ctx_total <= 0) {
          when = 0;
        } else {
          std::sort(ctx.begin(), ctx.end());
          double w = 0;
          for (const auto& [h, wt] : ctx) {
            w += wt;
            if (w / ctx_total + 1e-12 >= fw.contextual_share) {
              when = h;
              break;
            }
          }
          if (fw.contextual_share <= 0) when = 0;
        }
        if (when < 0) never = true;
        worst = std::max({worst, core, std::max(when, 0)});
      }
      if (!never) projected_from_[a] = last.plus(worst);
    }
    last_ = last;
    first_ = run.panel.first();
  }

  [[nodiscard]] bool available() const { return r_.bench.has_value(); }

  /// Ready for every named stakeholder in month m.
  [[nodiscard]] bool ready(std::size_t a, Month m) const {
    if (!available() || area_[a] < 0 || m < first_) return false;
    if (m <= last_) {
      const auto& run = r_.bench->run;
      const auto t = *run.panel.month_index(m);
      const auto& tr = run.trajectories[static_cast<std::size_t>(area_[a])];
      for (std::size_t s : r_.stakeholders) {
        if (tr.ready(t, s) != bm::Readiness::kReady) return false;
      }
      return true;
    }
    return projected_from_[a] && m >= *projected_from_[a];
  }
  /// Ready in each of the `n` months before `m`.
  [[nodiscard]] bool sustained(std::size_t a, Month m, int n) const {
    for (int k = 1; k <= n; ++k) {
      if (!ready(a, m.plus(-k))) return false;
    }
    return true;
  }
  /// First month of the readiness run that contains `m` (walking back), or nullopt when not ready in `m`.
  [[nodiscard]] std::optional<Month> run_start(std::size_t a, Month m) const {
    if (!ready(a, m)) return std::nullopt;
    Month s = m;
    while (ready(a, s.plus(-1))) s = s.plus(-1);
    return s;
  }
  [[nodiscard]] Month last() const { return last_; }

 private:
  const Resolved& r_;
  std::vector<int> area_;
  std::vector<std::optional<Month>> projected_from_;
  Month first_, last_;
};

std::string io_number(double v) {
  char b[64];
  std::snprintf(b, sizeof b, "%.2f", v);
  return b;
}

std::string join_names(const std::vector<std::string>& v, const std::string& sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

}  // namespace

std::string in_folder(const std::string& base_dir, const std::string& path) {
  if (base_dir.empty() || path.empty() || path == "-" || std::filesystem::path(path).is_absolute()) return path;
  return (std::filesystem::path(base_dir) / path).string();
}

PlanResult Engine::plan_run(const PlanRequest& req) {
  if (!impl_->reuse_results) return plan_solve(req);
  // Everything the result depends on besides the store: the plan file (its name, folder and bytes) and the options.
  const auto& o = req.solve;
  std::ostringstream key;
  key << impl_->writes << '|' << req.projection_samples << '|' << req.with_geometry << '|' << static_cast<int>(o.solver)
      << '|' << o.time_limit_s << '|' << o.auto_exact_pairs << '|' << o.swap_passes << '|' << o.lagrange_iterations
      << '|' << o.vns_shakes << '|' << o.heuristic_start << '|'
      << (o.stop_at_objective ? std::to_string(*o.stop_at_objective) : "-") << '|' << o.pmedian_tree << '|' << req.file
      << '|' << req.base_dir << '|' << detail::read_text(in_folder(req.base_dir, req.file), "file");
  for (const auto& [k, result] : impl_->plans) {
    if (k == key.str()) return result;
  }
  PlanResult out = plan_solve(req);
  if (impl_->plans.size() >= 4) impl_->plans.erase(impl_->plans.begin());
  impl_->plans.emplace_back(key.str(), out);
  return out;
}

PlanResult Engine::plan_solve(const PlanRequest& req) {
  check_request(req.solve, req.projection_samples);
  const auto t0 = std::chrono::steady_clock::now();
  auto& db = reader();
  Resolved r = resolve(*this, db, req.file, req.base_dir, req.projection_samples, true);
  impl_->check_cancelled();
  const auto& s = r.spec;
  const auto& m = r.model;
  const std::size_t P = r.phases.size(), A = m.area_ids.size(), N = m.demand.size(), S = m.sites.size();
  PlanResult out;
  out.spec = s;
  out.phases = r.phases;
  out.level = r.level;
  out.data_last = r.data_last;
  out.today = r.today;
  out.police_posts = r.police_posts;
  out.site_hq = r.site_hq;
  if (r.bench) {
    out.framework_version = r.bench->run.row.version;
    for (auto k : r.stakeholders) out.stakeholders.push_back(r.bench->run.fw.stakeholders[k].id);
  }

  // --- the threat of each phase: expected violence against civilians per province
  const Panel history = detail::load_panel(db, r.level, std::nullopt, r.data_last);
  const Month end = r.phases.back().to;
  const int ahead = std::max(0, end.index() - r.data_last.index());
  std::optional<forecast::Forecast> vac, fatalities;
  if (ahead > 0) {
    forecast::ForecastOptions fo;
    fo.horizon = ahead;
    fo.samples = s.threat_samples;
    fo.seed = s.seed;
    impl_->progress("plan: forecasting violence against civilians", 0, 1);
    vac = forecast::run_forecast(history, forecast::Target::kVacEvents, fo);
    if (s.red_alert) fatalities = forecast::run_forecast(history, forecast::Target::kFatalities, fo);
    impl_->progress("plan: forecasting violence against civilians", 1, 1);
  }
  std::vector<int> panel_area(A, -1);
  for (std::size_t a = 0; a < A; ++a) {
    if (const auto k = history.area_index(m.area_ids[a])) panel_area[a] = static_cast<int>(*k);
  }
  out.threat.assign(P, std::vector<double>(A, 0.0));
  out.threat_source.assign(P, "");
  for (std::size_t t = 0; t < P; ++t) {
    bool observed = false, forecasted = false;
    for (Month mo = r.phases[t].from; mo <= r.phases[t].to; mo = mo.plus(1)) {
      for (std::size_t a = 0; a < A; ++a) {
        if (panel_area[a] < 0) continue;
        const auto k = static_cast<std::size_t>(panel_area[a]);
        if (mo <= r.data_last) {
          if (const auto ti = history.month_index(mo)) {
            out.threat[t][a] += history.at(k, *ti).events[index_of(ViolenceType::kOneSided)];
          }
        } else {
          out.threat[t][a] += vac->mean(k, static_cast<std::size_t>(mo.index() - r.data_last.index() - 1));
        }
      }
      (mo <= r.data_last ? observed : forecasted) = true;
    }
    std::vector<std::string> src;
    if (observed) src.push_back("observed");
    if (forecasted) src.push_back("forecast:" + vac->model);
    out.threat_source[t] = join_names(src, "+");
  }
  std::vector<double> area_pop(A, 0.0);
  for (std::size_t i = 0; i < N; ++i) area_pop[static_cast<std::size_t>(m.demand_area[i])] += m.population[i];

  // --- reversal triggers
  const auto& phases = r.phases;
  const int start_index = phases.front().from.index();
  std::vector<std::vector<char>> fired(A, std::vector<char>(P, 0));
  std::vector<std::vector<std::string>> fired_why(A, std::vector<std::string>(P));
  if (s.red_alert) {
    const forecast::AlertRules rules;
    for (std::size_t t = 0; t < P; ++t) {
      impl_->check_cancelled();
      const Month from = phases[t].from;
      if (from <= r.data_last.plus(1)) {
        // the alert for the phase's first month from the data before it (as forecast alerts does)
        const Panel h =
            from.plus(-1) == r.data_last ? history : detail::load_panel(db, r.level, std::nullopt, from.plus(-1));
        forecast::ForecastOptions fo;
        fo.horizon = 1;
        fo.samples = s.threat_samples;
        fo.seed = s.seed;
        const auto fc = forecast::run_forecast(h, forecast::Target::kFatalities, fo);
        const auto alerts = forecast::compute_alerts(h, fc, rules);
        for (std::size_t a = 0; a < A; ++a) {
          const auto k = h.area_index(m.area_ids[a]);
          if (!k) continue;
          for (const auto& al : alerts) {
            if (al.area == *k && al.level == forecast::AlertLevel::kRed) {
              fired[a][t] = 1;
              fired_why[a][t] = "red alert for " + from.str() + ": " + join_names(al.reasons, "; ");
            }
          }
        }
      } else {
        // later phases: the forecast issued at the last data month, P(>= 25 fatalities) in the phase's first month
        const auto hh = static_cast<std::size_t>(from.index() - r.data_last.index() - 1);
        for (std::size_t a = 0; a < A; ++a) {
          if (panel_area[a] < 0) continue;
          const auto k = static_cast<std::size_t>(panel_area[a]);
          std::size_t hits = 0;
          for (std::size_t d = 0; d < fatalities->samples; ++d) hits += fatalities->draw(k, hh, d) >= 25 ? 1 : 0;
          const double pr = static_cast<double>(hits) / static_cast<double>(fatalities->samples);
          if (pr >= rules.red_p25) {
            fired[a][t] = 1;
            fired_why[a][t] = "red alert forecast for " + from.str() +
                              ": P(>= 25 fatalities) = " + std::to_string(static_cast<int>(std::lround(100 * pr))) +
                              "%";
          }
        }
      }
    }
  }
  if (s.threat_index_above) {
    const auto rows = threat::threat_index(history, threat::IndexOptions{});
    std::map<std::pair<std::size_t, std::size_t>, double> ewma;
    for (const auto& row : rows) ewma[{row.area, row.month}] = row.ewma;
    for (std::size_t t = 0; t < P; ++t) {
      // the index in the month before the phase (the last data month for later phases: the latest known)
      const Month at = std::min(phases[t].from.plus(-1), r.data_last);
      const auto ti = history.month_index(at);
      if (!ti) continue;
      for (std::size_t a = 0; a < A; ++a) {
        if (panel_area[a] < 0) continue;
        const double v = ewma[{static_cast<std::size_t>(panel_area[a]), *ti}];
        if (v > *s.threat_index_above) {
          fired[a][t] = 1;
          std::string why =
              "threat index " + io_number(v) + " > " + io_number(*s.threat_index_above) + " in " + at.str();
          fired_why[a][t] = fired_why[a][t].empty() ? why : fired_why[a][t] + "; " + why;
        }
      }
    }
  }

  // --- the plan's bases: minimum troops, locks (Geo-PKO HQ codes, the file's lists), forbidden
  std::vector<pl::PlanSite> sites;
  std::unordered_map<std::string, std::size_t> area_index;
  for (std::size_t a = 0; a < A; ++a) area_index[m.area_ids[a]] = a;
  for (std::size_t j = 0; j < S; ++j) {
    const auto& site = m.sites[j];
    pl::PlanSite ps;
    ps.id = site.id;
    ps.name = site.name;
    const auto it = area_index.find(site.area_id);
    ps.province = it == area_index.end() ? -1 : static_cast<int>(it->second);
    ps.existing = site.existing;
    ps.troops = s.min_troops;
    const int hq = out.site_hq[j];
    if (site.existing && std::count(s.lock_hq_codes.begin(), s.lock_hq_codes.end(), hq) && hq > 0)
      ps.lock = pl::Lock::kPlan;
    if (site.existing && std::count(s.until_exit_hq_codes.begin(), s.until_exit_hq_codes.end(), hq) && hq > 0) {
      ps.lock = pl::Lock::kUntilExit;
    }
    sites.push_back(ps);
  }
  for (const auto& [key, troops] : s.site_min_troops) sites[site_of(s, m, key)].troops = troops;
  for (const auto& key : s.lock_sites) sites[site_of(s, m, key)].lock = pl::Lock::kPlan;
  for (const auto& key : s.until_exit_sites) sites[site_of(s, m, key)].lock = pl::Lock::kUntilExit;
  for (const auto& key : s.unlock_sites) sites[site_of(s, m, key)].lock = pl::Lock::kNone;
  for (const auto& key : s.forbid_sites) sites[site_of(s, m, key)].forbidden = true;
  // --- exits per the policy
  const Readiness ready(r, s.projection);
  std::vector<int> exit_phase(A, -1);
  out.exits.resize(A);
  auto closures_ok = [&](std::size_t t) { return phases[t].from.index() - start_index >= s.close_lead_months; };
  for (std::size_t a = 0; a < A; ++a) {
    auto& ex = out.exits[a];
    ex.area_id = m.area_ids[a];
    ex.name = m.area_names[a];
    ex.date = r.date[a];
    for (std::size_t t = 0; t < P; ++t) {
      if (fired[a][t]) ex.paused.push_back(phases[t].label());
    }
    auto first_ready = [&](std::size_t from_phase) -> int {
      for (std::size_t t = from_phase; t < P; ++t) {
        if (fired[a][t] || !closures_ok(t)) continue;
        if (ready.sustained(a, phases[t].from, s.sustain_months)) return static_cast<int>(t);
      }
      return -1;
    };
    // under end-state and hybrid a province holding a base locked for the
    // whole plan stays (the lock wins; an end-date is explicit and its
    // conflict with the lock is reported as infeasible)
    std::string locked_here;
    for (const auto& ps : sites) {
      if (ps.province == static_cast<int>(a) && ps.lock == pl::Lock::kPlan) locked_here = ps.name;
    }
    if (s.policy != pl::Policy::kEndDate && !locked_here.empty()) {
      ex.reason = "locked";
      ex.why = "holds " + locked_here + ", locked for the whole plan (unlock it to let the province exit)";
      continue;
    }
    switch (s.policy) {
      case pl::Policy::kEndState: {
        const int e = first_ready(0);
        exit_phase[a] = e;
        ex.reason = e >= 0 ? "ready" : "not_ready";
        break;
      }
      case pl::Policy::kEndDate: {
        if (r.date_phase[a] >= 0) {
          exit_phase[a] = r.date_phase[a];
          ex.reason = "date";
        } else {
          ex.reason = r.date_phase[a] == -2 ? "after_plan" : "no_date";
        }
        break;
      }
      case pl::Policy::kHybrid: {
        if (r.date_phase[a] < 0) {
          ex.reason = r.date_phase[a] == -2 ? "after_plan" : "no_date";
          break;
        }
        const auto d = static_cast<std::size_t>(r.date_phase[a]);
        const Month latest = r.date[a]->plus(s.max_delay_months);
        const int e = first_ready(d);
        if (e >= 0 && phases[static_cast<std::size_t>(e)].from <= latest) {
          exit_phase[a] = e;
          ex.reason = e == static_cast<int>(d) ? "date" : "ready";
        } else {
          // not ready within the maximum delay: out at the last phase start it allows
          int f = -1;
          for (std::size_t t = d; t < P; ++t) {
            if (phases[t].from <= latest) f = static_cast<int>(t);
          }
          if (latest > end) {
            ex.reason = "not_ready";  // the delay runs past the plan
          } else {
            exit_phase[a] = f;
            ex.reason = "max_delay";
          }
        }
        break;
      }
    }
    if (exit_phase[a] >= 0) ex.month = phases[static_cast<std::size_t>(exit_phase[a])].from;
  }

  // --- the problem
  auto& p = out.problem;
  for (const auto& ph : phases) {
    p.phase_labels.push_back(ph.from.str());
    p.phase_offset.push_back(ph.from.index() - start_index);
  }
  p.weights.assign(P, std::vector<double>(N, 0.0));
  for (std::size_t t = 0; t < P; ++t) {
    for (std::size_t i = 0; i < N; ++i) {
      const auto a = static_cast<std::size_t>(m.demand_area[i]);
      p.weights[t][i] = area_pop[a] > 0 ? m.population[i] / area_pop[a] * out.threat[t][a] : 0.0;
    }
  }
  p.coverage = m.coverage;
  p.provinces = m.area_names;
  p.exit_phase = exit_phase;
  p.troop_ceiling = r.troops;
  p.max_closures = r.max_closures;
  p.sites = std::move(sites);
  p.min_sites_per_province = s.min_sites_per_province;
  p.close_lead_months = s.close_lead_months;
  p.open_lead_months = s.open_lead_months;
  // triggers: pause closures (not an end-date exit: the date rules), reopen after the opening lead time
  if (s.red_alert || s.threat_index_above) {
    p.paused.assign(A, std::vector<char>(P, 0));
    if (s.trigger_action == pl::TriggerAction::kReopen) p.reopen.assign(A, std::vector<char>(P, 0));
    for (std::size_t a = 0; a < A; ++a) {
      for (std::size_t t = 0; t < P; ++t) {
        if (!fired[a][t]) continue;
        out.triggers.push_back({m.area_ids[a], m.area_names[a], t, fired_why[a][t]});
        if (!(s.policy == pl::Policy::kEndDate && exit_phase[a] == static_cast<int>(t))) p.paused[a][t] = 1;
        if (!p.reopen.empty()) {
          for (std::size_t q = t; q < P; ++q) {
            if (phases[q].from.index() - phases[t].from.index() >= s.open_lead_months) {
              p.reopen[a][q] = 1;
              break;
            }
          }
        }
      }
    }
  }

  // --- solve and report
  impl_->check_cancelled();
  impl_->progress("plan: solving", 0, 1);
  out.solution = pl::solve_plan(p, req.solve);
  impl_->progress("plan: solving", 1, 1);
  ++impl_->stats.solver_calls;
  const bool found =
      out.solution.status != fp::SolveStatus::kInfeasible && out.solution.status != fp::SolveStatus::kNoSolution;
  if (found) {
    pl::ReportInput in;
    in.phases = phases;
    in.population = m.population;
    in.point_province = m.demand_area;
    for (const auto& d : m.demand) in.point_where.push_back(d.where);
    for (const auto& site : m.sites) {
      in.site_where.push_back(site.where);
      in.site_has_air.push_back(site.has_air ? 1 : 0);
    }
    in.reach = s.reach;
    in.mitigation_hours = s.mitigation_hours.value_or(2 * s.response_hours);
    in.police_ceiling = r.police;
    in.civilian_ceiling = r.civilians;
    in.spec = &out.spec;
    out.report = pl::report(p, out.solution.open, in);
  }
  // --- why each province exits (or not)
  const std::string who = out.stakeholders.empty() ? "" : join_names(out.stakeholders, ", ");
  for (std::size_t a = 0; a < A; ++a) {
    auto& ex = out.exits[a];
    ex.phase = exit_phase[a];
    const Month probe = ex.month ? ex.month->plus(-1) : end;
    if (ready.available()) {
      ex.ready_from = ready.run_start(a, probe);
      ex.ready_projected = ex.ready_from && *ex.ready_from > ready.last();
      if (!ex.ready_from && !ex.month) {
        // not ready at the plan's end: when it is projected to be
        for (Month mo = phases.front().from; mo <= end; mo = mo.plus(1)) {
          if (ready.ready(a, mo)) {
            ex.ready_from = mo;
            ex.ready_projected = mo > ready.last();
            break;
          }
        }
      }
      if (ex.month) ex.ready_at_exit = ready.sustained(a, *ex.month, s.sustain_months);
    }
    const std::string sustain = std::to_string(s.sustain_months) + " month" + (s.sustain_months == 1 ? "" : "s");
    const std::string since =
        ex.ready_from
            ? std::string(ex.ready_projected ? "projected ready from " : "ready since ") + ex.ready_from->str()
            : std::string("not ready");
    if (ex.reason == "ready") {
      ex.why = "ready for " + who + " since " + ex.ready_from->str() + (ex.ready_projected ? " (projected)" : "") +
               ", sustained " + sustain;
    } else if (ex.reason == "date") {
      ex.why =
          "forced by the date " + ex.date->str() +
          (ex.ready_at_exit ? (*ex.ready_at_exit ? "; " + since + " for " + who : "; not ready for " + who + " then")
                            : std::string());
    } else if (ex.reason == "max_delay") {
      ex.why = "forced by the date " + ex.date->str() + " plus the maximum delay of " +
               std::to_string(s.max_delay_months) + " months; not ready for " + who;
    } else if (ex.reason == "not_ready") {
      ex.why = "not ready for " + who + ", sustained " + sustain + ", within the plan" +
               (ex.ready_from ? " (" + since + ")" : "") + (ex.paused.empty() ? "" : "; triggers fired");
    } else if (ex.reason == "no_date") {
      ex.why = "no exit date in the plan";
    } else if (ex.reason == "after_plan") {
      ex.why = "exit date " + ex.date->str() + " is after the plan's end";
    }
  }
  if (req.with_geometry) out.shapes = detail::shapes(db, r.level);
  out.model = std::move(r.model);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

PlanCompareResult Engine::plan_compare(const PlanCompareRequest& req) {
  check_request(req.solve, req.projection_samples);
  if (req.file_a.empty() || req.file_b.empty()) throw invalid_field("file", "two plan files are needed");
  PlanCompareResult out;
  PlanRequest a;
  a.file = req.file_a;
  a.base_dir = req.base_dir;
  a.solve = req.solve;
  a.projection_samples = req.projection_samples;
  PlanRequest b = a;
  b.file = req.file_b;
  // both parse before anything is solved, so a bad second file fails fast
  load_spec(req.file_a, req.base_dir);
  load_spec(req.file_b, req.base_dir);
  out.a = plan_run(a);
  out.b = plan_run(b);
  return out;
}

PlanValidateResult Engine::plan_validate(const PlanValidateRequest& req) {
  auto& db = reader();
  Resolved r = resolve(*this, db, req.file, req.base_dir, 10, false);
  PlanValidateResult out;
  out.spec = r.spec;
  out.phases = r.phases;
  out.level = r.level;
  out.data_last = r.data_last;
  out.today = r.today;
  out.troops = r.troops;
  out.police = r.police;
  out.civilians = r.civilians;
  out.max_closures = r.max_closures;
  out.provinces = r.model.area_names;
  out.police_posts = r.police_posts;
  out.demand_points = r.model.demand.size();
  for (std::size_t a = 0; a < r.date_phase.size(); ++a) {
    if (r.date[a]) {
      out.exit_dates.emplace_back(r.model.area_names[a],
                                  r.date_phase[a] >= 0 ? r.phases[static_cast<std::size_t>(r.date_phase[a])].label()
                                                       : std::string("after the plan"));
    }
  }
  const auto& s = r.spec;
  std::vector<pl::Lock> lock(r.model.sites.size(), pl::Lock::kNone);
  std::vector<char> forbid(r.model.sites.size(), 0);
  for (std::size_t j = 0; j < r.model.sites.size(); ++j) {
    (r.model.sites[j].existing ? out.bases : out.candidates) += 1;
    const int hq = r.site_hq[j];
    if (hq > 0 && std::count(s.lock_hq_codes.begin(), s.lock_hq_codes.end(), hq)) lock[j] = pl::Lock::kPlan;
    if (hq > 0 && std::count(s.until_exit_hq_codes.begin(), s.until_exit_hq_codes.end(), hq))
      lock[j] = pl::Lock::kUntilExit;
  }
  for (const auto& k : s.lock_sites) lock[site_of(s, r.model, k)] = pl::Lock::kPlan;
  for (const auto& k : s.until_exit_sites) lock[site_of(s, r.model, k)] = pl::Lock::kUntilExit;
  for (const auto& k : s.unlock_sites) lock[site_of(s, r.model, k)] = pl::Lock::kNone;
  for (const auto& k : s.forbid_sites) forbid[site_of(s, r.model, k)] = 1;
  for (std::size_t j = 0; j < r.model.sites.size(); ++j) {
    if (lock[j] == pl::Lock::kPlan) out.locked.push_back(r.model.sites[j].name);
    if (lock[j] == pl::Lock::kUntilExit) out.until_exit.push_back(r.model.sites[j].name);
    if (forbid[j]) out.forbidden.push_back(r.model.sites[j].name);
  }
  if (r.bench) {
    out.framework_version = r.bench->run.row.version;
    for (auto k : r.stakeholders) out.stakeholders.push_back(r.bench->run.fw.stakeholders[k].id);
  }
  return out;
}

}  // namespace endstate::service
