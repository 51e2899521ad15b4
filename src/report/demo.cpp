// endstate demo: the product's main job, end to end, on Carana, through the
// engine: every analysis computed once, its result written in every form the
// briefing and the files need.
#include "endstate/report/demo.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/io/plan.hpp"
#include "endstate/io/simulate.hpp"
#include "endstate/io/tasks.hpp"
#include "endstate/io/writers.hpp"
#include "endstate/report/council.hpp"
#include "endstate/report/notices.hpp"
#include "endstate/report/pdf.hpp"
#include "endstate/scenario/carana.hpp"
#include "endstate/service/folders.hpp"
#include "endstate/store/database.hpp"
#include "endstate/threat/rates.hpp"

namespace endstate::report {
namespace {

namespace fs = std::filesystem;
namespace bm = endstate::benchmarks;
using io::Cell;
using io::Table;

/// Writes everything to two streams (the terminal and briefing.md).
class TeeBuf : public std::streambuf {
 public:
  TeeBuf(std::streambuf* a, std::streambuf* b) : a_(a), b_(b) {}

 protected:
  int overflow(int c) override {
    if (c == EOF) return !EOF;
    const int r1 = a_->sputc(static_cast<char>(c)), r2 = b_->sputc(static_cast<char>(c));
    return r1 == EOF || r2 == EOF ? EOF : c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    a_->sputn(s, n);
    return b_->sputn(s, n);
  }
  int sync() override { return a_->pubsync() == 0 && b_->pubsync() == 0 ? 0 : -1; }

 private:
  std::streambuf* a_;
  std::streambuf* b_;
};

const io::WriteOptions kTable{io::Format::kTable, false, ""};

/// An alert reason without its "(backtest ...: precision ..., recall ...)"
/// note (forecast::compute_alerts), which the briefing gives once per rule.
std::string without_backtest(const std::string& reason) {
  const auto at = reason.find(" (backtest ");
  if (at == std::string::npos) return reason;
  const auto end = reason.find(')', at);
  return reason.substr(0, at) + (end == std::string::npos ? "" : reason.substr(end + 1));
}

/// A table for the briefing: indented four spaces (a Markdown code block).
void print(std::ostream& out, const Table& t) {
  std::ostringstream s;
  io::write_table(s, t, kTable, "", "");
  std::istringstream lines(s.str());
  for (std::string line; std::getline(lines, line);) out << "    " << line << "\n";
}

class Results {
 public:
  explicit Results(fs::path dir) : dir_(std::move(dir)) {}
  /// Opens DIR/name for writing; the writer fills it; failures are the environment's.
  template <typename Fn>
  void file(const std::string& name, Fn fill) {
    const fs::path p = dir_ / name;
    std::ofstream f(p, std::ios::binary | std::ios::trunc);
    if (!f) throw environment_error("cannot write " + p.string());
    fill(f);
    f.flush();
    if (!f) throw environment_error("writing " + p.string() + " failed (disk full?)");
    names_.push_back(name);
  }
  [[nodiscard]] const std::vector<std::string>& names() const { return names_; }

 private:
  fs::path dir_;
  std::vector<std::string> names_;
};

void expect_clean(const ImportSummary& s) {
  if (s.rejected > 0 || s.outside_areas > 0) {
    std::string first = s.rejects.empty() ? ""
                                          : " (first: line " + std::to_string(s.rejects[0].line) + " " +
                                                s.rejects[0].field + ": " + s.rejects[0].reason + ")";
    throw internal_error("generated file " + s.file + " did not import cleanly: " + std::to_string(s.rejected) +
                         " rejected, " + std::to_string(s.outside_areas) + " outside areas" + first);
  }
}

/// The middle longitude of a set of areas (east/west split of the demo's languages).
double ds_centre_lon(const std::vector<Area>& areas) {
  double lo = 180, hi = -180;
  for (const auto& a : areas) lo = std::min(lo, a.centroid.lon), hi = std::max(hi, a.centroid.lon);
  return (lo + hi) / 2;
}

std::string pct(double share, int decimals = 1) { return io::format_number(100 * share, decimals); }

}  // namespace

DemoResult run_demo(const DemoOptions& options, std::ostream& terminal, service::Hooks hooks) {
  const auto t0 = std::chrono::steady_clock::now();
  const fs::path dir = options.out;
  service::prepare_output_folder(dir.string(), options.force, "out");
  const fs::path inputs = dir / "inputs", results_dir = dir / "results";
  fs::create_directories(results_dir);
  DemoResult result;
  result.database = (dir / "endstate.db").string();
  result.briefing = (results_dir / "briefing.md").string();
  std::ofstream md(result.briefing, std::ios::binary | std::ios::trunc);
  if (!md) throw environment_error("cannot write " + result.briefing);
  TeeBuf tee(terminal.rdbuf(), md.rdbuf());
  std::ostream out(&tee);
  Results files(results_dir);

  out << "# endstate demo: Carana, seed " << options.seed << "\n\n## 1. Generating the country into " << inputs.string()
      << "/\n";
  const auto ds = service::Engine::scenario_generate({"carana", inputs.string(), options.seed, "", true}).dataset;

  out << "\n## 2. Building " << result.database << " through the importers\n\n";
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(result.database + suffix);
  service::Engine engine(result.database, std::move(hooks));
  engine.set_reuse_results(true);  // one state of the store per section: each plan is solved once
  std::vector<ImportSummary> summaries;
  {
    service::AreaImportRequest country;
    country.file = ds.country_geojson;
    country.options.read.level = "country";
    country.options.read.id_field = "id";
    country.options.read.name_field = "name";
    country.options.read.population_field = "population";
    summaries.push_back(engine.import_areas(country));
    service::AreaImportRequest terr;
    terr.file = ds.territories_geojson;
    auto& o = terr.options;
    o.read.level = "territory";
    o.read.id_field = "id";
    o.read.name_field = "name";
    o.read.population_field = "population";
    o.dissolve_csv = ds.crosswalk_csv;
    o.dissolve_key = "territory_id";
    o.dissolve_into = "province";
    o.group_level = "province";
    o.group_parent = "carana";
    summaries.push_back(engine.import_areas(terr));
  }
  summaries.push_back(engine.import_events({ds.events_csv, ingest::EventSource::kUcdp, {}, {}}));
  summaries.push_back(engine.import_sites({ds.sites_csv, ingest::SiteSource::kGeoPko, {}}));
  summaries.push_back(engine.import_observations({ds.observations_csv, {}}));
  Table loaded({{"file"}, {"read"}, {"imported"}, {"duplicates"}, {"rejected"}, {"outside_areas"}});
  for (const auto& s : summaries) {
    expect_clean(s);
    loaded.add({fs::path(s.file).filename().string(), s.read, s.imported, s.duplicates, s.rejected, s.outside_areas});
  }
  print(out, loaded);

  // --- 3. the five most violent provinces in the last 12 months ------------------
  const auto status = engine.status().status;
  const Month last = Month::of(*status.last_event);
  const Month from12 = last.plus(-11), from24 = last.plus(-23);
  std::map<std::string, std::string> province_name;
  for (const auto& p : engine.list_areas({"province", false}).areas) province_name[p.id] = p.name;
  {
    const auto panel = engine.threat_panel({{"province", from24, last}}).panel;
    struct Tally {
      std::string id;
      std::int64_t events_recent = 0, events_before = 0, deaths_recent = 0, civilian_recent = 0;
    };
    std::vector<Tally> tally;
    const auto vac = index_of(ViolenceType::kOneSided);
    for (std::size_t a = 0; a < panel.area_count(); ++a) {
      Tally t{panel.areas()[a].id};
      for (std::size_t m = 0; m < panel.month_count(); ++m) {
        const auto& c = panel.at(a, m);
        if (panel.month(m) >= from12) {
          t.events_recent += c.total_events();
          t.deaths_recent += c.total_fatalities();
          t.civilian_recent += c.fatalities[vac];
        } else {
          t.events_before += c.total_events();
        }
      }
      if (t.events_recent + t.events_before > 0) tally.push_back(t);
    }
    std::sort(tally.begin(), tally.end(), [](const Tally& x, const Tally& y) {
      return x.deaths_recent != y.deaths_recent ? x.deaths_recent > y.deaths_recent : x.id < y.id;
    });
    out << "\n## 3. Most violent provinces, " << from12.str() << " to " << last.str()
        << "\n\nTrend: events in these 12 months against the 12 before; exact conditional Poisson test, p < 0.05.\n\n";
    Table top({{"province"},
               {"events"},
               {"deaths"},
               {"civilian_deaths_vac"},
               {"events_prev_12m"},
               {"trend"},
               {"p_value", 4}});
    for (std::size_t i = 0; i < tally.size() && i < 5; ++i) {
      const auto& t = tally[i];
      const double p = threat::poisson_rate_test(t.events_recent, t.events_before);
      const std::string trend = p >= 0.05 ? "stable" : (t.events_recent > t.events_before ? "rising" : "falling");
      top.add({province_name[t.id], t.events_recent, t.deaths_recent, t.civilian_recent, t.events_before, trend, p});
    }
    print(out, top);
  }

  // --- 4. sites and troops: first year against last year -------------------------
  const Month first_site_month = Month::from_ym(ds.first_year, 6).value();
  const Month last_site_month = Month::from_ym(last.year(), 6).value();
  auto totals = [&](Month m) {
    std::int64_t sites = 0, troops = 0, police = 0;
    for (const auto& s : engine.list_sites({"", m}).sites) {
      ++sites;
      troops += s.latest ? s.latest->troops : 0;
      police += s.latest ? s.latest->police : 0;
    }
    return std::array<std::int64_t, 3>{sites, troops, police};
  };
  const auto before = totals(first_site_month);
  const auto now = totals(last_site_month);
  out << "\n## 4. Mission footprint (Geo-PKO site-years)\n\n";
  Table fpt({{"year"}, {"sites"}, {"troops"}, {"police_units"}});
  fpt.add({std::int64_t{first_site_month.year()}, before[0], before[1], before[2]});
  fpt.add({std::int64_t{last_site_month.year()}, now[0], now[1], now[2]});
  print(out, fpt);

  // --- 5. threat picture ------------------------------------------------------------
  {
    service::ThreatIndexRequest r;
    r.range = {"province", std::nullopt, std::nullopt};
    r.month = last;
    r.with_geometry = true;
    const auto ti = engine.threat_index(r);
    files.file("threat_index.geojson", [&](std::ostream& f) { io::write(f, ti, {io::Format::kGeoJson}); });
    auto rows = ti.rows;
    std::sort(rows.begin(), rows.end(), [](const auto& x, const auto& y) { return x.ewma > y.ewma; });
    out << "\n## 5. Threat picture, " << last.str()
        << "\n\nComposite threat index per province (docs/threat.md), its EWMA level and the 12-month trend "
           "(Mann-Kendall, p < 0.05).\n\n";
    Table tt({{"province"}, {"index", 2}, {"ewma", 2}, {"trend"}, {"p_value", 3}, {"sen_slope_per_month", 3}});
    for (const auto& x : rows) {
      tt.add({ti.panel.areas()[x.area].name, x.index, x.ewma, std::string(threat::trend_name(x.trend.trend)),
              x.trend.p_value, x.trend.sen_slope});
    }
    print(out, tt);
  }

  // --- 6. hotspots ----------------------------------------------------------------------
  {
    service::HotspotsRequest r;
    r.range = {"territory", std::nullopt, std::nullopt};
    r.options.mode = threat::ScanMode::kProspective;
    r.options.max_clusters = 5;
    const auto hs = engine.threat_hotspots(r);
    files.file("hotspots.geojson", [&](std::ostream& f) { io::write(f, hs, {io::Format::kGeoJson}); });
    out << "\n## 6. Hotspots of violence against civilians still active in " << last.str()
        << "\n\nProspective space-time scan over territories, " << threat::model_name(hs.options.model) << " model, "
        << hs.options.replications << " Monte Carlo replications, seed " << hs.options.seed << ".\n\n";
    Table ht({{"rank"},
              {"centre"},
              {"territories"},
              {"radius_km", 0},
              {"months"},
              {"observed", 0},
              {"expected", 1},
              {"relative_risk", 2},
              {"p_value", 3}});
    for (std::size_t k = 0; k < hs.scan.clusters.size(); ++k) {
      const auto& c = hs.scan.clusters[k];
      ht.add({static_cast<std::int64_t>(k + 1), hs.panel.areas()[c.centre].name,
              static_cast<std::int64_t>(c.areas.size()), c.radius_km,
              hs.panel.month(c.start).str() + ".." + hs.panel.month(c.end).str(), c.observed, c.expected,
              io::number(c.relative_risk), c.p_value});
    }
    print(out, ht);
  }

  // --- 7. alerts -------------------------------------------------------------------------
  {
    service::AlertsRequest r;
    r.month = last.plus(1);
    r.level = "territory";
    r.response_hours = 2;
    r.with_geometry = true;
    const auto al = engine.alerts(r);
    files.file("alerts.geojson", [&](std::ostream& f) { io::write(f, al, {io::Format::kGeoJson}); });
    std::vector<std::size_t> warn;
    for (std::size_t i = 0; i < al.alerts.size(); ++i) {
      if (al.alerts[i].level != forecast::AlertLevel::kGreen) warn.push_back(i);
    }
    std::sort(warn.begin(), warn.end(), [&](std::size_t x, std::size_t y) {
      if (al.alerts[x].level != al.alerts[y].level) return al.alerts[x].level == forecast::AlertLevel::kRed;
      return al.alerts[x].expected > al.alerts[y].expected;
    });
    out << "\n## 7. Alerts for " << r.month.str() << " per territory\n\nForecast (" << al.model << ") from data to "
        << last.str() << ": " << al.red << " red, " << al.amber << " amber, " << al.green
        << " green; responders = active sites within 2 h by road or helicopter.\n\n";
    if (al.calibration) {
      const auto& c = *al.calibration;
      const auto pct = [](double v) { return io::format_number(100 * v, 0) + "%"; };
      out << "Thresholds from a backtest of the rules over " << c.from.str() << ".." << c.to.str()
          << " (each month forecast from the months before it; the thresholds with the best F1): red when "
             "P(>=25 deaths) >= "
          << io::format_number(al.rules.red_p25, 2)
          << ", amber when P(>=10) >= " << io::format_number(al.rules.amber_p10, 2)
          << " or on escalation. In that backtest " << pct(c.alert_level.precision)
          << " of amber/red alerts were followed by 10 or more deaths, and they "
          << "caught " << pct(c.alert_level.recall) << " of such territory-months; " << pct(c.red_level.precision)
          << " of red alerts were followed by 25 or more (" << pct(c.red_level.recall) << " caught); "
          << c.alerts_by_forecast << " of " << c.alerts_by_forecast + c.alerts_by_escalation_only
          << " alerts came from the forecast, " << c.alerts_by_escalation_only << " from escalation alone.\n\n";
      Table rt({{"rule"}, {"outcome"}, {"alerts"}, {"hits"}, {"precision", 2}, {"recall", 2}});
      for (const auto* k : {&c.red_p25, &c.amber_p10, &c.escalation_red, &c.escalation_amber}) {
        rt.add({k->rule, k->outcome, static_cast<std::int64_t>(k->alerts), static_cast<std::int64_t>(k->hits),
                k->alerts > 0 ? Cell(k->precision) : Cell(), k->events > 0 ? Cell(k->recall) : Cell()});
      }
      print(out, rt);
      out << "\n";
    }
    Table at({{"territory"},
              {"alert"},
              {"expected_fatalities", 1},
              {"p_ge_10", 2},
              {"p_ge_25", 2},
              {"responders"},
              {"nearest_site"},
              {"hours", 1}});
    std::vector<std::string> no_responder;
    for (std::size_t i : warn) {
      const auto& a = al.alerts[i];
      const auto& c = al.cover[i];
      at.add({al.areas[i].name, forecast::level_name(a.level), a.expected, a.p_ge_10, a.p_ge_25,
              static_cast<std::int64_t>(c.in_reach.size()), c.nearest ? Cell(al.responders[*c.nearest].name) : Cell(),
              c.nearest ? Cell(c.nearest_hours) : Cell()});
      if (c.gap) no_responder.push_back(al.areas[i].name + " (" + forecast::level_name(a.level) + ")");
    }
    print(out, at);
    out << "\nWhy:\n\n";
    for (std::size_t i : warn) {
      std::vector<std::string> why;  // the rules' backtested skill is in the table above
      for (const auto& reason : al.alerts[i].reasons) why.push_back(without_backtest(reason));
      out << "- " << al.areas[i].name << ": " << join(why, "; ") << "\n";
    }
    out << "\n"
        << (no_responder.empty() ? std::string("Every amber or red territory has a responder within 2 h.\n")
                                 : "No responder within 2 h: " + join(no_responder, ", ") + "\n");
  }

  // --- 8. benchmarks -----------------------------------------------------------------------
  {
    out << "\n## 8. Transition benchmarks (" << fs::path(ds.framework_yaml).filename().string() << ")\n\n";
    const auto imported = engine.benchmarks_import(ds.framework_yaml);
    service::AssessRequest ar;
    ar.select.version = imported.row.version;
    ar.with_geometry = true;
    const auto as = engine.benchmarks_assess(ar);
    const auto& r = as.run;
    const std::size_t t = as.t;
    files.file("readiness.geojson", [&](std::ostream& f) { io::write(f, as, {io::Format::kGeoJson}); });
    const auto& shs = r.fw.stakeholders;
    out << "Readiness per " << r.level << " and stakeholder, " << r.panel.month(t).str() << " (framework version "
        << r.row.version << "; ready = every core benchmark and the weighted share of contextual ones).\n\n";
    std::vector<io::Column> cols{{r.level}};
    for (const auto& sh : shs) cols.push_back({sh.id});
    Table ready(cols);
    for (std::size_t a = 0; a < r.panel.area_count(); ++a) {
      const auto& tr = r.trajectories[a];
      std::vector<Cell> row{r.panel.areas()[a].name};
      for (std::size_t s = 0; s < shs.size(); ++s) {
        const auto [met, total] = r.core_count(a, s, t);
        const auto rd = tr.ready(t, s);
        row.emplace_back(rd == bm::Readiness::kReady ? std::string("READY")
                         : rd == bm::Readiness::kNoData
                             ? std::string("no data")
                             : "not ready (core " + std::to_string(met) + " of " + std::to_string(total) + ")");
      }
      ready.add(std::move(row));
    }
    print(out, ready);

    std::map<std::string, std::string> name_of;
    for (const auto& a : r.panel.areas()) name_of[a.id] = a.name;
    const auto ds_items = bm::disagreements(r.fw, r.trajectories, r.values, t);
    out << "\nWhere stakeholders disagree (" << ds_items.size()
        << " area x benchmark indicator judgements differ).\n\n";
    Table dt({{r.level}, {"benchmark"}, {"indicator"}, {"value", 3}, {"met for"}, {"not met for"}, {"closest gap"}});
    for (const auto& d : ds_items) {
      std::string closest;
      if (!d.gaps.empty()) {
        const auto g = std::min_element(d.gaps.begin(), d.gaps.end(), [](const auto& x, const auto& y) {
          return std::abs(x.move) != std::abs(y.move) ? std::abs(x.move) < std::abs(y.move)
                                                      : x.stakeholder < y.stakeholder;
        });
        closest = g->stakeholder + ": " +
                  (g->move == 0 ? "sustain " + std::to_string(g->months_to_sustain) + " more months"
                                : "move " + io::format_number(g->move, 3));
      }
      dt.add({name_of[d.area_id], d.benchmark_id, d.indicator_id, d.value, join(d.met_by, " "), join(d.not_met_by, " "),
              closest});
    }
    print(out, dt);

    service::ProjectRequest pr;
    pr.select.version = imported.row.version;
    pr.options.samples = 500;
    const auto pj = engine.benchmarks_project(pr);
    const Month plast = pj.run.panel.last();
    out << "\nWhen the unmet core benchmarks are expected to be met: median month [80% interval] per stakeholder, "
           "from "
        << plast.str() << ", " << pr.options.horizon_months << " months ahead, " << pr.options.samples
        << " sample paths (-- = met now).\n\n";
    std::vector<io::Column> pcols{{r.level}, {"benchmark"}};
    for (const auto& sh : shs) pcols.push_back({sh.id});
    Table pt(pcols);
    std::map<std::pair<std::string, std::string>, std::map<std::string, std::string>> cells;
    std::vector<std::pair<std::string, std::string>> order;
    std::map<std::string, bool> is_core;
    for (const auto& b : r.fw.benchmarks) is_core[b.id] = b.kind == bm::BenchmarkKind::kCore;
    for (const auto& p : pj.projections) {
      if (!is_core[p.benchmark_id]) continue;
      const auto key = std::make_pair(p.area_id, p.benchmark_id);
      if (!cells.count(key)) order.push_back(key);
      auto m = [&](const std::optional<int>& h) { return h ? plast.plus(*h).str() : std::string("later"); };
      cells[key][p.stakeholder] = !p.projectable ? "no data"
                                  : !p.median    ? "not within " + std::to_string(pr.options.horizon_months) + "m"
                                              : m(p.median) + " [" + (p.low ? m(p.low) : "?") + ", " + m(p.high) + "]";
    }
    for (const auto& key : order) {
      std::vector<Cell> row{name_of[key.first], key.second};
      for (const auto& sh : shs) {
        const auto it = cells[key].find(sh.id);
        row.emplace_back(it == cells[key].end() ? std::string("--") : it->second);
      }
      pt.add(std::move(row));
    }
    print(out, pt);
    const io::WriteOptions csv{io::Format::kCsv};
    std::vector<std::size_t> all(shs.size());
    for (std::size_t s = 0; s < all.size(); ++s) all[s] = s;
    files.file("benchmarks_readiness.csv",
               [&](std::ostream& f) { io::write_table(f, io::readiness_table(r, t, all), csv, "", ""); });
    files.file("benchmarks_disagreements.csv",
               [&](std::ostream& f) { io::write_table(f, io::disagreements_table(ds_items), csv, "", ""); });
    files.file("benchmarks_projections.csv", [&](std::ostream& f) {
      io::write_table(f, io::projections_table(pj.run, pj.projections), csv, "", "");
    });
  }

  // --- 9. footprint: one optimisation, one gap analysis ------------------------------------
  {
    const std::int64_t troops_today = now[1];
    const std::int64_t ceiling = std::max<std::int64_t>(300, troops_today * 4 / 10 / 100 * 100);
    service::FootprintModelRequest model;
    model.demand = service::Demand::kLocalities;
    model.localities_file = ds.localities_csv;
    model.threat = service::ThreatWeight::kForecast;
    model.threat_months = 12;
    model.coverage.response_hours = 1.5;
    service::FootprintOptimizeRequest opt;
    opt.model = model;
    opt.ceiling = ceiling;
    opt.min_troops = 300;
    const auto op = engine.footprint_optimize(opt);
    files.file("footprint_sites.geojson", [&](std::ostream& f) {
      io::write(f, op, {io::Format::kGeoJson, false, "sites"});
    });
    files.file("footprint_reach.geojson", [&](std::ostream& f) {
      io::write(f, op, {io::Format::kGeoJson, false, "reach"});
    });
    files.file("footprint_sites.csv", [&](std::ostream& f) { io::write(f, op, {io::Format::kCsv, false, "sites"}); });
    const auto& m = op.model;
    std::int64_t sites_rec = 0, troops_rec = 0, sites_today = 0;
    for (std::size_t j = 0; j < m.sites.size(); ++j) {
      sites_rec += op.recommended.open[j] ? 1 : 0;
      troops_rec += op.troops[j];
      sites_today += m.sites[j].existing ? 1 : 0;
    }
    const double tw = op.total_weight > 0 ? op.total_weight : 1;
    out << "\n## 9. Footprint under a ceiling of " << ceiling << " troops\n\n40% of today's " << troops_today
        << "; at least 300 per open site: the sites and troops that keep the most threatened people within 1.5 h "
           "(weight = population x expected violence against civilians over the next 12 months).\n\n"
        << "- recommended: " << sites_rec << " sites, " << troops_rec << " troops, " << pct(op.recommended.covered / tw)
        << "% of the threat-weighted population covered\n"
        << "- today: " << sites_today << " sites, " << troops_today << " troops, " << pct(op.today.covered / tw)
        << "%\n"
        << "- solver " << op.recommended.solver << " (" << footprint::to_string(op.recommended.status) << "): gap "
        << pct(op.recommended.gap, 2) << "%, " << io::format_number(op.recommended.seconds, 2) << " s\n\n";
    Table ft(
        {{"site"}, {"province"}, {"status"}, {"troops"}, {"troops_today"}, {"helicopters"}, {"covered_weight", 1}});
    for (std::size_t j = 0; j < m.sites.size(); ++j) {
      if (!op.recommended.open[j]) continue;
      const auto& s = m.sites[j];
      const auto pn = province_name.find(s.area_id);
      ft.add({s.name, pn != province_name.end() ? pn->second : s.area_id, std::string(s.existing ? "keep" : "new"),
              op.troops[j], s.troops, std::string(s.has_air ? "yes" : "no"), op.site_weight[j]});
    }
    print(out, ft);

    service::FootprintGapsRequest gr;
    gr.model = model;
    const auto gp = engine.footprint_gaps(gr);
    files.file("footprint_gaps.csv", [&](std::ostream& f) { io::write(f, gp, {io::Format::kCsv}); });
    auto gap_row = [&](const footprint::SiteGap& g) {
      std::map<std::string, double> w;
      for (auto i : g.points_lost) w[gp.model.demand[i].area_id] += gp.model.demand[i].weight;
      std::vector<std::pair<double, std::string>> v;
      v.reserve(w.size());
      for (const auto& [id, x] : w) v.emplace_back(-x, id);
      std::sort(v.begin(), v.end());
      std::vector<std::string> names;
      names.reserve(v.size());
      for (const auto& [x, id] : v) names.push_back(province_name.count(id) ? province_name[id] : id);
      const double sh = gp.covered_today > 0 ? g.weight_lost / gp.covered_today : 0.0;
      return std::vector<Cell>{gp.model.sites[g.site].name, 100 * sh, static_cast<std::int64_t>(g.points_lost.size()),
                               join(names, ", ")};
    };
    out << "\nProtection gap of closing one of today's sites (share of today's covered weight lost; localities "
           "that would lose coverage).\n\nLargest:\n\n";
    const std::vector<io::Column> gcols{{"site"}, {"gap_pct", 1}, {"localities"}, {"provinces"}};
    Table lg(gcols);
    for (std::size_t i = 0; i < gp.ranked.size() && i < 5; ++i) lg.add(gap_row(gp.ranked[i]));
    print(out, lg);
    std::vector<std::string> free;  // sites whose closure loses no covered weight
    std::vector<const footprint::SiteGap*> positive;
    for (const auto& g : gp.ranked) {
      if (g.weight_lost > 0) {
        positive.push_back(&g);
      } else {
        free.push_back(gp.model.sites[g.site].name);
      }
    }
    out << "\nSmallest (above zero):\n\n";
    Table sm(gcols);
    for (std::size_t i = positive.size() > 5 ? positive.size() - 5 : 0; i < positive.size(); ++i) {
      sm.add(gap_row(*positive[i]));
    }
    print(out, sm);
    if (!free.empty()) {
      out << "\n"
          << free.size() << " site(s) cover no threatened locality no other site covers; closing them opens no gap: "
          << join(free, ", ") << "\n";
    }
  }

  // --- 10. transition plan: the same drawdown on readiness or on a calendar -------------------
  service::PlanCompareRequest plan_req;
  plan_req.file_a = ds.plan_end_state_yaml;
  plan_req.file_b = ds.plan_end_date_yaml;
  plan_req.solve.time_limit_s = 60;
  // projection samples: the planner's default (500), as `plan run` and the report's plan section use, so that
  // sections 11 to 13 reuse these two plans (Engine::set_reuse_results) instead of solving them again
  const auto cmp = engine.plan_compare(plan_req);
  {
    for (const auto* x : {&cmp.a, &cmp.b}) {
      files.file(x->spec.id + ".csv", [&](std::ostream& f) { io::write(f, *x, {io::Format::kCsv, false, "sites"}); });
      files.file(x->spec.id + ".geojson", [&](std::ostream& f) {
        io::write(f, *x, {io::Format::kGeoJson, false, "sites"});
      });
    }
    files.file("plan_compare.csv", [&](std::ostream& f) { io::write(f, cmp, {io::Format::kCsv, false, "phases"}); });
    const auto& a = cmp.a;
    std::string ceilings;
    for (auto c : a.problem.troop_ceiling) ceilings += (ceilings.empty() ? "" : ", ") + std::to_string(c);
    out << "\n## 10. Transition plan, " << a.phases.front().from.str() << " to " << a.phases.back().to.str()
        << ": an end state or an end date\n\n"
        << "Two plan files (" << fs::path(ds.plan_end_state_yaml).filename().string() << ", "
        << fs::path(ds.plan_end_date_yaml).filename().string() << "), the same troop ceilings per half-year phase ("
        << ceilings << "), at least " << a.spec.min_troops
        << " troops per base, the mission HQ locked, sector HQs until their province exits, red alerts pausing "
           "closures. End-state exits a province once it is ready for "
        << join(a.stakeholders, " and ") << " for " << a.spec.sustain_months
        << " months in a row (assessments, then benchmark projections); end-date on a calendar fixed in advance. "
           "Each phase's bases keep the most threat-weighted population within "
        << io::format_number(a.spec.response_hours, 1)
        << " h (threat = expected violence against civilians in that phase).\n\n";
    for (const auto* x : {&cmp.a, &cmp.b}) {
      out << "- " << x->spec.id << ": solver " << x->solution.solver << " (" << footprint::to_string(x->solution.status)
          << "), gap " << pct(x->solution.gap, 2) << "%, " << io::format_number(x->solution.seconds, 2) << " s\n";
    }
    out << "\nExit month per province (A = end-state, B = end-date; ready = for " << join(a.stakeholders, " and ")
        << ", sustained, at the exit):\n\n";
    Table pt({{"province"}, {"A_exit"}, {"A_why"}, {"B_exit"}, {"B_ready_at_exit"}});
    for (const auto& x : cmp.a.exits) {
      Cell bm(std::string("--")), br;
      for (const auto& e : cmp.b.exits) {
        if (e.area_id != x.area_id) continue;
        if (e.month) bm = Cell(e.month->str());
        if (e.month && e.ready_at_exit) br = Cell(std::string(*e.ready_at_exit ? "yes" : "NO"));
      }
      pt.add({x.name, x.month ? Cell(x.month->str()) : Cell(std::string("--")), x.why, bm, br});
    }
    print(out, pt);
    out << "\nPer phase: threat-weighted coverage of the provinces still held (share), the gap there, and the "
           "expected violence in provinces already handed over:\n\n";
    print(out, io::plan_compare_phases_table(cmp));
    out << "\n";
    const auto totals = io::plan_compare_totals_table(cmp);
    Table tt({{"plan"},
              {"exits"},
              {"exited_before_ready"},
              {"gap", 1},
              {"handed_over", 1},
              {"troop_months", 0},
              {"cost_usd", 0}});
    for (const auto& row : totals.rows) tt.add({row[0], row[4], row[5], row[7], row[8], row[9], row[13]});
    print(out, tt);
  }

  // --- 11. mandate tasks: sequence, handovers before each exit, risks, shortfall ------------
  {
    service::TasksRequest tr;
    tr.file = ds.tasks_yaml;
    // The handovers follow the end-state plan of section 10 (its exits, phases and costs), computed once.
    tr.plan = service::plan_input(cmp.a.spec.id, cmp.a.phases, cmp.a.problem, cmp.a.report ? &*cmp.a.report : nullptr);
    const auto tk = engine.tasks_schedule(tr);
    const auto& a = tk.analysis;
    files.file("tasks_handovers.csv", [&](std::ostream& f) {
      io::write(f, tk, {io::Format::kCsv, false, "handovers"});
    });
    files.file("tasks_timeline.csv", [&](std::ostream& f) { io::write(f, tk, {io::Format::kCsv, false, "timeline"}); });
    files.file("tasks_risks.csv", [&](std::ostream& f) { io::write(f, tk, {io::Format::kCsv, false, "risks"}); });
    files.file("tasks_shortfall.csv", [&](std::ostream& f) {
      io::write(f, tk, {io::Format::kCsv, false, "shortfall"});
    });
    std::size_t handed = 0, at_risk = 0, continues = 0, ends = 0;
    for (const auto& it : a.items) {
      handed += it.status == tasks::ItemStatus::kHandedOver ? 1 : 0;
      at_risk += it.status == tasks::ItemStatus::kAtRisk ? 1 : 0;
      continues += it.status == tasks::ItemStatus::kContinues ? 1 : 0;
      ends += it.status == tasks::ItemStatus::kEnds ? 1 : 0;
    }
    std::vector<std::string> exits;
    for (const auto& p : tk.context.provinces)
      if (p.exit) exits.push_back(p.name + " " + p.exit->str());
    out << "\n## 11. Mandate tasks and handovers (" << fs::path(ds.tasks_yaml).filename().string() << ")\n\n"
        << tk.reg.tasks.size() << " tasks in " << a.items.size() << " task-places, " << tk.reg.partners.size()
        << " partners, budget years " << tk.reg.years.front().label() << " to " << tk.reg.years.back().label()
        << "; exits from the end-state plan: "
        << (exits.empty() ? std::string("none within its horizon") : join(exits, ", ")) << ".\n\n"
        << "- handed over before the exit: " << handed << "; not handed over in time: " << at_risk
        << "; kept by the mission (province not exited): " << continues << "; ending with the mission: " << ends << "\n"
        << "- scheduler: " << a.schedule.rule << ", " << footprint::to_string(a.schedule.status) << ", "
        << io::format_number(a.schedule.seconds, 2) << " s\n\n"
        << "Handover timeline (M mission, H handover in the period, P partner, E ended, F forced on the partner at the "
           "exit, U nobody to take over); tasks whose province is not exited are left out:\n\n";
    std::vector<io::Column> cols{{"task"}, {"place"}, {"partner"}};
    for (const auto& p : a.periods) cols.push_back({p.from.str()});
    Table tl(cols);
    const auto full = io::tasks_timeline_table(tk);
    const std::map<std::string, std::string> code{{"mission", "M"}, {"handover", "H"}, {"partner", "P"},
                                                  {"ended", "E"},   {"forced", "F"},   {"uncovered", "U"}};
    for (const auto& row : full.rows) {
      if (std::get<std::string>(row[3]) == "continues") continue;
      std::vector<Cell> r{row[0], row[1], row[2]};
      for (std::size_t q = 4; q < row.size(); ++q) r.emplace_back(code.at(std::get<std::string>(row[q])));
      tl.add(std::move(r));
    }
    print(out, tl);
    out << "\nTasks at risk (" << at_risk << " not handed over in time; handovers before their conditions are met "
        << "are listed too):\n\n";
    Table rk({{"task"}, {"tier"}, {"place"}, {"partner"}, {"exit"}, {"risk"}, {"detail"}});
    const auto risks = io::tasks_risks_table(tk);
    for (std::size_t i = 0; i < risks.rows.size() && i < 15; ++i) {
      const auto& row = risks.rows[i];
      rk.add({row[0], row[2], row[3], row[5], row[7], row[8], row[9]});
    }
    print(out, rk);
    if (risks.rows.size() > 15) out << "\n(" << risks.rows.size() - 15 << " more in tasks_risks.csv)\n";
    out << "\nShortfall per budget year (" << tk.reg.currency
        << "): what must continue outside the mission, less what partners have secured, each partner on its own; "
           "the mission's task costs against its budget:\n\n";
    Table sf({{"budget_year"},
              {"mission_tasks", 0},
              {"mission_budget", 0},
              {"partner_demand", 0},
              {"partner_funding", 0},
              {"partner_gap", 0},
              {"no_partner", 0},
              {"shortfall", 0}});
    for (const auto& y : a.shortfall) {
      sf.add({tk.reg.years[y.year].label(), y.mission_tasks, y.mission_budget ? Cell(*y.mission_budget) : Cell(),
              y.partner_demand, y.partner_funding, y.partner_gap, y.no_partner, y.shortfall});
    }
    print(out, sf);
    files.file("tasks_continuity.geojson", [&](std::ostream& f) {
      auto shaped = tk;  // the territories' shapes, read once for the map
      shaped.shapes = engine.list_areas({tk.territory_level, true}).areas;
      io::write(f, shaped, {io::Format::kGeoJson, false, "continuity"});
    });
    out << "\nContinuity of protection (alert networks, protection committees, human rights monitoring) in "
        << tk.context.territories.size() << " territories: left with none at the end of each period:\n\n";
    for (std::size_t ph = 0; ph < a.phases.size(); ++ph) {
      std::vector<std::string> names;
      for (auto t : a.without[ph]) names.push_back(tk.context.territories[t].name);
      out << "- " << a.phases[ph].label << ": " << names.size();
      if (!names.empty()) {
        std::vector<std::string> some(
            names.begin(), names.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(names.size(), 6)));
        out << " (" << join(some, ", ") << (names.size() > 6 ? ", ..." : "") << ")";
      }
      out << "\n";
    }
  }

  // --- 12. end state or end date: the policies on the same sample paths ------------------
  {
    service::SimulateRequest sr;
    sr.setup.level = "territory";
    sr.setup.paths = 1000;
    sr.setup.seed = options.seed;
    sr.plans = {ds.plan_end_state_yaml, ds.plan_end_date_yaml};
    const auto with = engine.simulate(sr);
    sr.setup.presence = "none";
    const auto without = engine.simulate(sr);
    const io::WriteOptions csv{io::Format::kCsv};
    files.file("simulation_summary.csv",
               [&](std::ostream& f) { io::write_table(f, io::simulation_summary_table(with), csv, "", ""); });
    files.file("simulation_exits.csv",
               [&](std::ostream& f) { io::write_table(f, io::simulation_exits_table(with), csv, "", ""); });
    files.file("simulation_differences.csv",
               [&](std::ostream& f) { io::write_table(f, io::simulation_differences_table(with), csv, "", ""); });
    files.file("simulation_fan.csv",
               [&](std::ostream& f) { io::write_table(f, io::simulation_fan_table(with), csv, "", ""); });
    files.file("simulation.json", [&](std::ostream& f) { io::write(f, with, {io::Format::kJson}); });
    const auto iv = [](const simulate::Interval& v, int d) {
      const auto n = [&](const std::optional<double>& x) { return x ? io::format_number(*x, d) : std::string("-"); };
      return n(v.median) + " (90%: " + n(v.lo90) + ".." + n(v.hi90) + ")";
    };
    const auto month = [&](const std::optional<double>& x) {
      return x ? with.origin.plus(static_cast<std::int32_t>(*x)).str()
               : "after " + with.origin.plus(with.horizon - 1).str();
    };
    out << "\n## 12. End state or end date (" << fs::path(ds.plan_end_state_yaml).filename().string() << ", "
        << fs::path(ds.plan_end_date_yaml).filename().string() << ")\n\n"
        << with.paths << " joint sample paths of monthly fatalities per territory from " << with.origin.str() << " to "
        << with.origin.plus(with.horizon - 1).str() << " (" << with.model
        << ", each path feeding its own months back into the model); the framework's benchmarks recomputed along "
           "each path; each policy exits provinces on each path and the bases there close. Presence effect: the "
           "cited priors (docs/simulate.md) - an assumption; the same comparison without it is below. Medians with "
           "90% intervals over paths; differences are paired (same paths, common random numbers).\n\n";
    Table pt({{"policy"},
              {"mission_end"},
              {"ended_within"},
              {"fatalities"},
              {"civilian_deaths"},
              {"hotspot_months_unreached"},
              {"troop_months"},
              {"cost_musd"}});
    for (const auto& p : with.comparison.policies) {
      simulate::Interval cost = p.cost;
      for (auto* x : {&cost.median, &cost.lo90, &cost.hi90})
        if (*x) **x /= 1e6;
      pt.add({p.policy, month(p.mission_end.median), pct(p.mission_end_within, 0) + "%", iv(p.fatalities, 0),
              iv(p.civilian, 0), iv(p.gap_months, 0), iv(p.troop_months, 0), iv(cost, 1)});
    }
    print(out, pt);
    out << "\nExit month per province (median, 90% interval; '-' = beyond the horizon):\n\n";
    Table et({{"province"}, {"end-date"}, {"end-state median"}, {"end-state 90%"}, {"end-state exits within"}});
    const auto& es = with.comparison.policies[0];
    for (std::size_t v = 0; v < with.province_ids.size(); ++v) {
      const auto& d = with.policies[1].exit_dates[v];
      const auto& e = es.exit[v];
      et.add({with.province_names[v], d ? d->str() : std::string("-"), e.median ? month(e.median) : std::string("-"),
              (e.lo90 ? month(e.lo90) : std::string("-")) + ".." + (e.hi90 ? month(e.hi90) : std::string("-")),
              pct(es.exit_within[v], 0) + "%"});
    }
    print(out, et);
    const auto diff_line = [&](const service::SimulateResult& r, const std::string& label) {
      const auto& d = r.comparison.differences[0];
      out << "- " << label << ": fatalities " << d.policy << " minus " << d.reference << " " << iv(d.fatalities, 0)
          << " (more on " << pct(d.share_more_fatalities, 0) << "% of paths); troop-months " << iv(d.troop_months, 0)
          << "; cost (USD million) "
          << iv(
                 [&] {
                   simulate::Interval c = d.cost;
                   for (auto* x : {&c.median, &c.lo90, &c.hi90})
                     if (*x) **x /= 1e6;
                   return c;
                 }(),
                 1)
          << "\n";
    };
    out << "\nPaired differences:\n\n";
    diff_line(with, "presence effect " + with.presence_id);
    diff_line(without, "presence effect none (violence the same on both policies by construction)");
  }

  // --- 13. the Council report and public notices -------------------------------------------
  {
    CouncilOptions co;
    co.mission = "UNMIC, the UN mission in Carana";
    co.localities_file = ds.localities_csv;
    co.seed = options.seed;
    // The plan, tasks and comparison of sections 10 to 12, composed into the briefing (same files, same seed and
    // paths as section 12, so its comparison shows the same numbers).
    co.plan_file = ds.plan_end_state_yaml;
    co.tasks_file = ds.tasks_yaml;
    co.comparison_plans = {ds.plan_end_state_yaml, ds.plan_end_date_yaml};
    co.comparison_level = "territory";
    co.comparison_paths = 1000;
    co.generator = "endstate demo";
    const auto council = council_report(engine, co);
    files.file("report.html", [&](std::ostream& f) { f << council.html; });
    out << "\n## 13. Council report and public notices\n\nThe briefing for the Security Council: "
        << (results_dir / "report.html").string() << " (" << council.sections.size()
        << " sections with maps and charts, the plan, tasks and policy comparison of sections 10 to 12 among them, "
           "every figure's provenance in the annex; open it in a browser)";
    if (!find_chromium().empty()) {
      print_pdf((results_dir / "report.html").string(), (results_dir / "report.pdf").string());
      result.pdf = (results_dir / "report.pdf").string();
      out << " and its PDF " << result.pdf;
    } else {
      out << "; no PDF: Chromium is not installed (scripts/install-deps)";
    }
    out << ".\n";
    for (const auto& u : council.unavailable) out << "- not in this report: " << u << "\n";

    // The notice templates, with Carana's languages per territory.
    const fs::path tdir = inputs / "notices";
    write_default_templates(tdir.string());
    {
      std::ofstream lang(tdir / "languages.csv", std::ios::binary | std::ios::trunc);
      lang << "# Carana: French everywhere, with Swahili in the east and Lingala in the west (training data).\n"
              "territory,languages,feedback\n";
      const auto terr = engine.list_areas({"territory", false}).areas;
      for (std::size_t i = 0; i < terr.size(); ++i) {
        lang << terr[i].id << "," << (terr[i].centroid.lon >= ds_centre_lon(terr) ? "fr;sw" : "fr;ln")
             << ",\"UNMIC public information, free line 1520, or the suggestion box at the territory office\"\n";
      }
      lang << "*,fr;en,\"UNMIC public information, free line 1520\"\n";
      if (!lang) throw environment_error("cannot write " + (tdir / "languages.csv").string());
    }
    // Notices for every locality the end-state plan's closures and exits affect, phase by phase.
    {
      service::NoticeTargetsRequest nr;
      nr.plan.emplace();
      nr.plan->file = ds.plan_end_state_yaml;
      nr.localities_file = ds.localities_csv;
      nr.response_hours = 1;
      const auto targets = engine.notice_targets(nr);
      NoticeOptions no;
      no.mission = "UNMIC";
      service::TasksRequest tr;
      tr.file = ds.tasks_yaml;
      no.contacts = alert_contacts(engine.tasks_validate(tr).reg);
      no.contacts_from_register = true;
      const auto set = compose_notices(targets, load_notice_templates(tdir.string()), no);
      files.file("notices.html", [&](std::ostream& f) { f << notices_html(set, no.mission); });
      files.file("notices.csv", [&](std::ostream& f) {
        io::write_table(f, notices_table(set), {io::Format::kCsv, false, ""}, "notices", "notices");
      });
      std::size_t parts = 0, missing_contacts = 0;
      for (const auto& n : set.notices) {
        parts += n.sms.parts.size();
        missing_contacts += std::count(n.missing.begin(), n.missing.end(), "contacts") > 0 ? 1 : 0;
      }
      std::vector<std::string> closures;
      for (const auto& c : targets.closures)
        closures.push_back(c.site + " " + c.when.str() + (c.exit ? " (exit)" : ""));
      out << "\nPublic notices for closing the bases of " << targets.plan_id << " ("
          << (closures.empty() ? std::string("none") : join(closures, ", ")) << "): " << set.notices.size()
          << " notices for " << targets.localities.size() << " locality changes (templates in " << tdir.string()
          << "/), " << parts << " SMS parts; " << set.problems.size() << " problem(s) to fix before posting"
          << (missing_contacts
                  ? " (" + std::to_string(missing_contacts) + " without an alert contact in the task register)"
                  : std::string())
          << ": " << (results_dir / "notices.html").string() << "\n";
    }
  }

  result.results = files.names();
  if (!result.pdf.empty()) result.results.push_back("report.pdf");
  result.results.push_back("briefing.md");
  result.stats = engine.stats();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  out << "\n## Outputs\n\nIn " << results_dir.string() << "/ (inputs in " << inputs.string()
      << "/; database: try endstate --db " << result.database << " status)\n\n";
  std::map<std::string, std::vector<std::string>> kinds;
  for (const auto& n : result.results) {
    const std::string ext = fs::path(n).extension().string();
    kinds[ext == ".geojson" ? "maps (QGIS)"
          : ext == ".csv"   ? "tables (Excel, R, pandas)"
          : ext == ".md"    ? "briefing"
                            : "reports (browser, print)"]
        .push_back(n);
  }
  for (auto& [kind, names] : kinds) {
    std::sort(names.begin(), names.end());
    out << "- " << kind << ": " << join(names, ", ") << "\n";
  }
  out << "\nDone in " << io::format_number(result.seconds, 1) << " s.\n";
  out.flush();
  md.flush();
  if (!md) throw environment_error("writing " + result.briefing + " failed (disk full?)");
  return result;
}

}  // namespace endstate::report
