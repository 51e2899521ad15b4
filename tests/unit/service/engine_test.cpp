// The engine in-process, without the CLI (issue 11): every analysis through
// typed requests and results, validation before the store is touched, hooks
// instead of stdout, the store opened read-only for reads, one meaning of an
// active site, infeasible footprints reported as such, and a demo that solves
// each footprint problem once.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "endstate/core/error.hpp"
#include "endstate/report/demo.hpp"
#include "endstate/service/engine.hpp"
#include "endstate/store/database.hpp"
#include "postgres/test_store.hpp"

namespace endstate::service {
namespace {

namespace fs = std::filesystem;

fs::path temp_dir(const std::string& tag) {
  static std::atomic<int> n{0};
  const fs::path p = fs::temp_directory_path() /
                     ("endstate_service_" + tag + "_" + std::to_string(::getpid()) + "_" + std::to_string(n++));
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

/// Carana generated and imported through the engine once for the whole suite
/// (into a database of the PostgreSQL test cluster under the label `postgres`).
class EngineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = temp_dir("carana");
    if (endstate::testing::postgres_backend())
      scratch_ = std::make_unique<endstate::testing::ScratchDatabase>("engine");
    data_ = Engine::scenario_generate({"carana", (dir_ / "inputs").string(), 1, "", false}).dataset;
    Engine e(db());
    AreaImportRequest country;
    country.file = data_.country_geojson;
    country.options.read.level = "country";
    country.options.read.population_field = "population";
    e.import_areas(country);
    AreaImportRequest terr;
    terr.file = data_.territories_geojson;
    auto& o = terr.options;
    o.read.level = "territory";
    o.read.population_field = "population";
    o.dissolve_csv = data_.crosswalk_csv;
    o.dissolve_key = "territory_id";
    o.dissolve_into = "province";
    o.group_parent = "carana";
    e.import_areas(terr);
    e.import_events({data_.events_csv, ingest::EventSource::kUcdp, {}, {}});
    e.import_sites({data_.sites_csv, ingest::SiteSource::kGeoPko, {}});
    e.import_observations({data_.observations_csv, {}});
    e.benchmarks_import(data_.framework_yaml);
  }
  static void TearDownTestSuite() {
    fs::remove_all(dir_);
    scratch_.reset();
  }
  static std::string db() { return scratch_ ? scratch_->location() : (dir_ / "endstate.db").string(); }

  static fs::path dir_;
  static scenario::GeneratedDataset data_;
  static std::unique_ptr<endstate::testing::ScratchDatabase> scratch_;
};

fs::path EngineTest::dir_;
scenario::GeneratedDataset EngineTest::data_;
std::unique_ptr<endstate::testing::ScratchDatabase> EngineTest::scratch_;

TEST(Engine, ValidatesRequestsBeforeTouchingTheStore) {
  const fs::path d = temp_dir("nostore");
  const std::string where = (d / "nothing.db").string();
  Engine e(where);
  ThreatIndexRequest r;
  r.options.lambda = 2;
  try {
    e.threat_index(r);
    FAIL() << "lambda 2 accepted";
  } catch (const Error& x) {
    EXPECT_EQ(x.category(), ErrorCategory::kUsage);
    EXPECT_EQ(x.where().field, "lambda");  // the CLI names it --lambda
  }
  FootprintOptimizeRequest f;  // neither a ceiling nor a number of sites
  EXPECT_THROW(e.footprint_optimize(f), Error);
  EXPECT_FALSE(fs::exists(where)) << "validation opened or created the store";
  EXPECT_EQ(e.stats().store_opens, 0);
  // A read on a store that is not there is "not found", and creates nothing.
  try {
    e.status();
    FAIL();
  } catch (const Error& x) {
    EXPECT_EQ(x.category(), ErrorCategory::kNotFound);
  }
  EXPECT_FALSE(fs::exists(where));
  fs::remove_all(d);
}

// Issue 18.4: count-like options are bounded in the engine too (not only by
// the CLI's flags), before the store is opened, anything allocated or any
// thread started.
TEST(Engine, CountsAreBoundedBeforeAnythingIsAllocated) {
  const fs::path d = temp_dir("bounds");
  const std::string where = (d / "nothing.db").string();
  Engine e(where);
  auto field_of = [](auto&& call) -> std::string {
    try {
      call();
    } catch (const Error& x) {
      EXPECT_EQ(x.category(), ErrorCategory::kUsage) << x.what();
      return x.where().field;
    }
    return "(accepted)";
  };
  HotspotsRequest h;
  h.options.replications = 1000000000;
  EXPECT_EQ(field_of([&] { e.threat_hotspots(h); }), "replications");
  h = {};
  h.options.threads = 100000;
  EXPECT_EQ(field_of([&] { e.threat_hotspots(h); }), "threads");
  h = {};
  h.options.max_clusters = 1u << 30;
  EXPECT_EQ(field_of([&] { e.threat_hotspots(h); }), "max_clusters");
  h = {};
  h.options.sequential_exceedances = 1u << 30;
  EXPECT_EQ(field_of([&] { e.threat_hotspots(h); }), "sequential_exceedances");
  ThreatIndexRequest t;
  t.options.trend_months = 1u << 30;
  EXPECT_EQ(field_of([&] { e.threat_index(t); }), "trend_months");
  ForecastRequest f;
  f.options.samples = 1000000000;
  EXPECT_EQ(field_of([&] { e.forecast(f); }), "samples");
  f = {};
  f.options.threads = 100000;
  EXPECT_EQ(field_of([&] { e.forecast(f); }), "threads");
  EXPECT_FALSE(fs::exists(where));
  fs::remove_all(d);
}

TEST_F(EngineTest, ReadsOpenReadOnlyAndWritesReopenReadWrite) {
  Engine e(db());
  e.status();
  EXPECT_EQ(e.reader().access(), store::Access::kReadOnly);
  EXPECT_EQ(e.stats().store_opens, 1);
  e.list_areas({"province", false});
  EXPECT_EQ(e.stats().store_opens, 1);
  e.benchmarks_assess({{}, false, false});  // no save: still a read
  EXPECT_EQ(e.reader().access(), store::Access::kReadOnly);
  Engine read_only(db(), {}, true);
  EXPECT_THROW(read_only.benchmarks_signoff({"un", "A. Signer", std::nullopt, ""}), Error);
}

TEST_F(EngineTest, EveryAnalysisRunsInProcessWithHooksAndNothingOnStdout) {
  std::vector<std::string> warnings, stages;
  Hooks h;
  h.warning = [&](const std::string& m) { warnings.push_back(m); };
  h.progress = [&](const std::string& stage, std::int64_t, std::int64_t) {
    if (stages.empty() || stages.back() != stage) stages.push_back(stage);
  };
  Engine e(db(), h);
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();

  const auto status = e.status();
  const Month last = Month::of(*status.status.last_event);
  const auto panel = e.threat_panel({{"province", last.plus(-11), last}});
  EXPECT_EQ(panel.panel.area_count(), 8u);
  EXPECT_EQ(panel.rows.size(), 8u * 12u);

  ThreatIndexRequest ti;
  ti.month = last;
  ti.with_geometry = true;
  const auto index = e.threat_index(ti);
  EXPECT_EQ(index.rows.size(), 8u);
  EXPECT_EQ(index.shapes.size(), 8u);

  HotspotsRequest hs;
  hs.range.level = "territory";
  hs.options.replications = 49;
  hs.options.mode = threat::ScanMode::kProspective;
  const auto hot = e.threat_hotspots(hs);
  EXPECT_EQ(hot.options.model, threat::ScanModel::kPoisson);  // every territory has a population
  ASSERT_FALSE(hot.scan.clusters.empty());

  ForecastRequest fr;
  fr.options.horizon = 2;
  fr.options.samples = 100;
  const auto fc = e.forecast(fr);
  EXPECT_EQ(fc.forecast.horizon, 2u);
  EXPECT_EQ(fc.areas.size(), 8u);

  BacktestRequest br;
  br.from = last.plus(-2);
  br.options.horizon = 1;
  br.options.samples = 50;
  br.options.models = {"zero", "nb"};
  const auto bt = e.backtest(br);
  EXPECT_EQ(bt.result.origins, 3u);
  EXPECT_EQ(bt.result.overall.size(), 2u);

  AlertsRequest ar;
  ar.month = last.plus(1);
  ar.level = "territory";
  const auto al = e.alerts(ar);
  EXPECT_EQ(al.alerts.size(), 40u);
  EXPECT_EQ(al.green + al.amber + al.red, 40u);
  for (const auto& r : al.responders) EXPECT_TRUE(r.troops > 0 || r.police > 0) << r.name;

  const auto as = e.benchmarks_assess({{}, false, false});
  EXPECT_EQ(as.t, as.run.panel.month_count() - 1);
  EXPECT_EQ(as.stakeholders.size(), 4u);
  const auto dis = e.benchmarks_disagreements({});
  EXPECT_FALSE(dis.items.empty());
  ProjectRequest pr;
  pr.area = "kalemba";
  pr.options.samples = 50;
  pr.options.horizon_months = 12;
  const auto pj = e.benchmarks_project(pr);
  EXPECT_EQ(pj.areas.size(), 1u);
  const auto hi = e.benchmarks_history({{}, "Kalemba", last.plus(-5), last});
  EXPECT_EQ(hi.t1 - hi.t0, 5u);

  FootprintOptimizeRequest fo;
  fo.max_sites = 4;
  const auto opt = e.footprint_optimize(fo);
  const auto open = std::count(opt.recommended.open.begin(), opt.recommended.open.end(), true);
  EXPECT_GE(open, 1);
  EXPECT_LE(open, 4);
  EXPECT_EQ(opt.recommended.status, footprint::SolveStatus::kOptimal);
  FootprintGapsRequest gr;
  const auto gaps = e.footprint_gaps(gr);
  EXPECT_FALSE(gaps.ranked.empty());
  EXPECT_TRUE(e.audit_verify().intact());

  EXPECT_EQ(::testing::internal::GetCapturedStdout(), "") << "the engine never writes to stdout";
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "") << "nor to stderr: hooks carry warnings and progress";
  EXPECT_NE(std::find(stages.begin(), stages.end(), "backtest province"), stages.end());
  EXPECT_NE(std::find(stages.begin(), stages.end(), "projecting benchmarks"), stages.end());
}

// Alerts set their thresholds from a backtest at their level unless told not
// to, with the forecast's model and learner settings; a history too short
// for one month of backtest keeps the given thresholds with a warning.
TEST_F(EngineTest, AlertsCalibrateThresholdsAndFallBackOnShortHistory) {
  std::vector<std::string> warnings;
  Hooks hooks;
  hooks.warning = [&](const std::string& w) { warnings.push_back(w); };
  Engine e(db(), hooks);
  const Month first = Month::of(*e.status().status.first_event);
  AlertsRequest r;
  r.month = Month::from_ym(data_.last_year, 6).value();
  r.level = "territory";
  r.forecast.samples = 200;
  r.calibration.months = 12;
  r.calibration.samples = 100;
  const auto cal = e.alerts(r);
  ASSERT_TRUE(cal.calibration.has_value());
  EXPECT_EQ(cal.calibration->to, r.month.plus(-1));
  EXPECT_EQ(cal.calibration->from, r.month.plus(-12));
  EXPECT_EQ(cal.calibration->area_months, 12u * 40u);
  EXPECT_EQ(cal.calibration_samples, 100u);
  EXPECT_EQ(cal.rules.red_p25, cal.calibration->red_p25.threshold);
  EXPECT_EQ(cal.rules.amber_p10, cal.calibration->amber_p10.threshold);
  EXPECT_EQ(cal.model, "hurdle");
  // The learner settings reach the calibration backtest as well as the forecast.
  AlertsRequest other = r;
  other.forecast.hurdle.ridge = 1000;
  const auto cal2 = e.alerts(other);
  EXPECT_NE(cal2.calibration->amber_p10.threshold + cal2.calibration->red_p25.threshold,
            cal.calibration->amber_p10.threshold + cal.calibration->red_p25.threshold);
  r.calibration.calibrate = false;
  const auto fixed = e.alerts(r);
  EXPECT_FALSE(fixed.calibration.has_value());
  EXPECT_EQ(fixed.rules.red_p25, forecast::AlertRules{}.red_p25);
  for (const auto& a : fixed.alerts) EXPECT_EQ(a.precision, -1);
  EXPECT_TRUE(warnings.empty());
  // hurdle at horizon 1 needs 14 months of history: a month with exactly 14
  // before it can be forecast, but not backtested.
  r.calibration.calibrate = true;
  r.month = first.plus(14);
  const auto short_history = e.alerts(r);
  EXPECT_FALSE(short_history.calibration.has_value());
  EXPECT_EQ(short_history.rules.red_p25, forecast::AlertRules{}.red_p25);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("the alert thresholds stay as given"), std::string::npos) << warnings[0];
}

TEST_F(EngineTest, InfeasibleFootprintIsInfeasibleWithItsConstraints) {
  Engine e(db());
  FootprintOptimizeRequest r;
  r.lock_today = true;  // every site of today's footprint ...
  r.ceiling = 300;      // ... cannot fit under 300 troops at 150 each
  for (auto solver : {footprint::SolverKind::kExact, footprint::SolverKind::kHeuristic}) {
    r.solve.solver = solver;
    const auto res = e.footprint_optimize(r);
    EXPECT_EQ(res.recommended.status, footprint::SolveStatus::kInfeasible);
    EXPECT_EQ(res.recommended.binding, (std::vector<std::string>{"locked", "troop_ceiling"}));
  }
}

TEST_F(EngineTest, ActiveSitesHaveTroopsOrPoliceAndAreTheFootprintsToday) {
  Engine e(db());
  const Month m = Month::from_ym(data_.last_year, 6).value();
  const auto active = e.active_sites(m);
  const auto listed = e.list_sites({"", m}).sites;
  ASSERT_FALSE(active.empty());
  std::size_t expected = 0;
  for (const auto& s : listed) expected += s.latest && (s.latest->troops > 0 || s.latest->police > 0) ? 1 : 0;
  EXPECT_EQ(active.size(), expected);
  FootprintModelRequest mr;
  mr.month = m;
  mr.candidates = Candidates::kNone;
  const auto model = e.footprint_model(mr);
  EXPECT_EQ(model.sites.size(), active.size());
}

TEST_F(EngineTest, ErrorsNameRequestFields) {
  Engine e(db());
  auto field_of = [](auto&& call) {
    try {
      call();
    } catch (const Error& x) {
      return x.where().field;
    }
    return std::string("(no error)");
  };
  EXPECT_EQ(field_of([&] { e.threat_panel({{"province", Month::from_ym(2020, 5), Month::from_ym(2020, 1)}}); }), "to");
  HotspotsRequest h;
  h.options.max_population_share = 0;
  EXPECT_EQ(field_of([&] { e.threat_hotspots(h); }), "max_share");
  ForecastRequest f;
  f.options.horizon = 0;
  EXPECT_EQ(field_of([&] { e.forecast(f); }), "horizon");
  f = {};
  f.options.hurdle.neighbours = 65;
  EXPECT_EQ(field_of([&] { e.forecast(f); }), "hurdle_neighbours");
  f = {};
  f.options.hurdle.ridge = -1;
  EXPECT_EQ(field_of([&] { e.forecast(f); }), "hurdle_ridge");
  BacktestRequest b;
  b.options.nb.dispersion_ridge = -1;
  EXPECT_EQ(field_of([&] { e.backtest(b); }), "dispersion_ridge");
  b = {};
  b.options.hurdle.outer_neighbours = 500;
  EXPECT_EQ(field_of([&] { e.backtest(b); }), "hurdle_outer_neighbours");
  AlertsRequest al;
  al.month = Month::from_ym(2024, 6).value();
  al.calibration.months = 0;
  EXPECT_EQ(field_of([&] { e.alerts(al); }), "calibration_months");
  al.calibration.months = 36;
  al.calibration.samples = 0;
  EXPECT_EQ(field_of([&] { e.alerts(al); }), "calibration_samples");
  al.calibration.samples = 500;
  al.forecast.hurdle.train_months = -1;
  EXPECT_EQ(field_of([&] { e.alerts(al); }), "hurdle_train_months");
  EXPECT_EQ(field_of([&] { e.benchmarks_signoff({"un", "", std::nullopt, ""}); }), "by");
  EXPECT_EQ(field_of([&] { e.benchmarks_signoff({"un", "A", std::nullopt, "2024-13-45"}); }), "date");
  EXPECT_EQ(field_of([&] { e.benchmarks_signoff({"un", "A", std::nullopt, "yesterday"}); }), "date");
}

TEST(Demo, SolvesEachFootprintProblemOnceAndWritesItsBriefing) {
  const fs::path d = temp_dir("demo");
  std::ostringstream out;
  report::DemoOptions o;
  o.out = (d / "demo").string();
  const auto r = report::run_demo(o, out);
  EXPECT_EQ(r.stats.solver_calls, 3) << "footprint optimize solved once, and each of the two transition plans once";
  EXPECT_EQ(r.stats.models_built, 6)
      << "section 9: the recommendation and the gaps; section 10: each of the two transition plans; section 13: "
         "the Council report's gaps of today's bases and the notices' localities (the plans of section 10 are "
         "reused by the report and the notices, which take their closures from the end-state plan)";
  std::ifstream md(r.briefing);
  std::stringstream text;
  text << md.rdbuf();
  EXPECT_EQ(text.str(), out.str());
  for (const char* f :
       {"threat_index.geojson", "hotspots.geojson", "alerts.geojson", "readiness.geojson", "footprint_sites.geojson",
        "footprint_reach.geojson", "footprint_gaps.csv", "benchmarks_readiness.csv", "briefing.md"}) {
    EXPECT_TRUE(fs::exists(d / "demo" / "results" / f)) << f;
  }
  EXPECT_TRUE(fs::exists(d / "demo" / "inputs" / "events_ged.csv"));
  fs::remove_all(d);
}

}  // namespace
}  // namespace endstate::service
