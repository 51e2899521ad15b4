// endstate demo: the product's main job, end to end, on Carana.
// Generates the fictional country, builds a fresh database from the generated
// files through the real importers (zero rejects expected), and prints a
// briefing: what was loaded, the most violent provinces, the mission
// footprint, then every analysis run through the real commands (threat picture,
// hotspots, next month's alerts, benchmark readiness, recommended footprint and
// closure gaps), each also written to DIR as GeoJSON or CSV for QGIS, Excel,
// R and pandas.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "common.hpp"
#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/ingest/importer.hpp"
#include "endstate/scenario/carana.hpp"
#include "endstate/store/database.hpp"
#include "benchmarks_run.hpp"

namespace endstate::cli {
namespace {

namespace fs = std::filesystem;

/// Two-sided p-value of an exact conditional test of equal Poisson rates:
/// given n = a + b events, a ~ Binomial(n, 1/2) under the null.
double poisson_rate_test(std::int64_t a, std::int64_t b) {
  const std::int64_t n = a + b;
  if (n == 0) return 1.0;
  const std::int64_t k = std::min(a, b);
  double tail = 0;
  for (std::int64_t i = 0; i <= k; ++i) {
    tail += std::exp(std::lgamma(n + 1.0) - std::lgamma(i + 1.0) - std::lgamma(n - i + 1.0) - n * std::log(2.0));
  }
  return std::min(1.0, 2 * tail);
}

void expect_clean(const ImportSummary& s) {
  if (s.rejected > 0 || s.outside_areas > 0) {
    std::string first = s.rejects.empty() ? "" : " (first: line " + std::to_string(s.rejects[0].line) + " " +
                                                     s.rejects[0].field + ": " + s.rejects[0].reason + ")";
    throw internal_error("generated file " + s.file + " did not import cleanly: " + std::to_string(s.rejected) +
                         " rejected, " + std::to_string(s.outside_areas) + " outside areas" + first);
  }
}


/// Runs one endstate command in-process (the same code path as the shell) and
/// returns its standard output; a failure is a bug in the demo: internal error
/// with the command and its message.
std::string run_command(const fs::path& db, std::vector<std::string> args) {
  args.insert(args.begin(), {"endstate", "--db", db.string()});
  std::vector<char*> argv;
  for (auto& x : args) argv.push_back(x.data());
  std::ostringstream out, err;
  const int code = run(static_cast<int>(argv.size()), argv.data(), out, err);
  if (code != 0) {
    std::string cmd;
    for (std::size_t i = 3; i < args.size(); ++i) cmd += (i > 3 ? " " : "") + args[i];
    throw internal_error("demo step 'endstate " + cmd + "' failed (exit " + std::to_string(code) + "): " + err.str());
  }
  return out.str();
}

void write_text(const fs::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f << text;
  if (!f) throw internal_error("cannot write " + p.string());
}

/// Runs a command with `--format FMT`, writes its output to DIR/FILE and returns it parsed (JSON formats).
nlohmann::json run_to_file(const fs::path& db, std::vector<std::string> args, const std::string& format,
                           const fs::path& file) {
  args.push_back("--format");
  args.push_back(format);
  const std::string text = run_command(db, args);
  write_text(file, text);
  return format == "csv" ? nlohmann::json() : nlohmann::json::parse(text);
}

std::string str_of(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }
double num_of(const nlohmann::json& v) { return v.is_number() ? v.get<double>() : 0.0; }


/// Sections 5-9: the analyses, each through its real command, with its files in `dir`.
void analyses(store::Database& db, const fs::path& db_path, const fs::path& dir, Month last, std::int64_t troops_today,
              const scenario::GeneratedDataset& ds, std::ostream& out) {
  using nlohmann::json;
  const Month next = last.plus(1);

  // --- 5. threat picture ---------------------------------------------------------
  const json ti = run_to_file(db_path, {"threat", "index", "--level", "province", "--month", last.str()}, "geojson",
                              dir / "threat_index.geojson");
  std::vector<json> tix(ti["features"].begin(), ti["features"].end());
  std::sort(tix.begin(), tix.end(), [](const json& x, const json& y) {
    return num_of(x["properties"]["ewma"]) > num_of(y["properties"]["ewma"]);
  });
  out << "\n5. Threat picture, " << last.str()
      << ": composite threat index per province (docs/threat.md), its EWMA level and the 12-month trend "
         "(Mann-Kendall, p < 0.05)\n\n";
  Table tt{{"province", "index", "ewma", "trend", "p_value", "sen_slope_per_month"}, {}};
  for (const auto& f : tix) {
    const auto& pr = f["properties"];
    tt.rows.push_back({str_of(pr["area_name"]), fmt_double(num_of(pr["index"]), 2), fmt_double(num_of(pr["ewma"]), 2),
                       str_of(pr["trend"]), fmt_double(num_of(pr["mk_p"]), 3), fmt_double(num_of(pr["sen_slope"]), 3)});
  }
  tt.print(out, Format::kTable);

  // --- 6. hotspots -------------------------------------------------------------------
  const json hs = run_to_file(db_path,
                              {"threat", "hotspots", "--level", "territory", "--mode", "prospective", "--max-clusters", "5"},
                              "geojson", dir / "hotspots.geojson");
  out << "\n6. Hotspots of violence against civilians still active in " << last.str()
      << " (prospective space-time scan over territories, Poisson model, 999 Monte Carlo replications, seed 1)\n\n";
  Table ht{{"rank", "centre", "territories", "radius_km", "months", "observed", "expected", "relative_risk", "p_value"}, {}};
  for (const auto& f : hs["features"]) {
    const auto& pr = f["properties"];
    ht.rows.push_back({str_of(pr["rank"]), str_of(pr["centre_name"]), str_of(pr["n_areas"]),
                       fmt_double(num_of(pr["radius_km"]), 0), str_of(pr["start"]) + ".." + str_of(pr["end"]),
                       fmt_double(num_of(pr["observed"]), 0), fmt_double(num_of(pr["expected"]), 1),
                       fmt_double(num_of(pr["relative_risk"]), 2), fmt_double(num_of(pr["p_value"]), 3)});
  }
  ht.print(out, Format::kTable);

  // --- 7. alerts -----------------------------------------------------------------------
  const std::string hours = "2";
  const json al = run_to_file(db_path, {"alerts", "--month", next.str(), "--level", "territory", "--response-hours", hours},
                              "geojson", dir / "alerts.geojson");
  std::vector<json> warn;
  std::map<std::string, int> count;
  for (const auto& f : al["features"]) {
    const auto& pr = f["properties"];
    ++count[str_of(pr["alert"])];
    if (pr["alert"] != "green") warn.push_back(pr);
  }
  std::sort(warn.begin(), warn.end(), [](const json& x, const json& y) {
    if (x["alert"] != y["alert"]) return x["alert"] == "red";
    return num_of(x["expected"]) > num_of(y["expected"]);
  });
  out << "\n7. Alerts for " << next.str() << " per territory (forecast from data to " << last.str() << "): "
      << count["red"] << " red, " << count["amber"] << " amber, " << count["green"]
      << " green; responders = sites within " << hours << " h by road or helicopter\n\n";
  Table at{{"territory", "alert", "expected_fatalities", "p_ge_10", "p_ge_25", "responders", "nearest_site", "hours"}, {}};
  std::vector<std::string> no_responder;
  for (const auto& pr : warn) {
    at.rows.push_back({str_of(pr["area_name"]), str_of(pr["alert"]), fmt_double(num_of(pr["expected"]), 1),
                       fmt_double(num_of(pr["p_ge_10"]), 2), fmt_double(num_of(pr["p_ge_25"]), 2),
                       str_of(pr["responders_in_reach"]), str_of(pr["nearest_site"]),
                       fmt_double(num_of(pr["nearest_hours"]), 1)});
    if (pr["response_gap"] == true) no_responder.push_back(str_of(pr["area_name"]) + " (" + str_of(pr["alert"]) + ")");
  }
  at.print(out, Format::kTable);
  out << "\nWhy:\n";
  for (const auto& pr : warn) out << "  " << str_of(pr["area_name"]) << ": " << str_of(pr["reasons"]) << "\n";
  out << (no_responder.empty() ? "Every amber or red territory has a responder within " + hours + " h.\n"
                               : "No responder within " + hours + " h: " + join(no_responder, ", ") + "\n");

  // --- 8. benchmarks ---------------------------------------------------------------------
  out << "\n8. Transition benchmarks (" << fs::path(ds.framework_yaml).filename().string() << ")\n\n";
  benchmarks_demo(db, ds.framework_yaml, dir.string(), out);
  run_to_file(db_path, {"benchmarks", "assess", "--month", last.str(), "--no-save"}, "geojson", dir / "readiness.geojson");

  // --- 9. footprint -----------------------------------------------------------------------
  const std::int64_t ceiling = std::max<std::int64_t>(300, troops_today * 4 / 10 / 100 * 100);
  const std::vector<std::string> model{"--demand", "localities", "--localities", ds.localities_csv, "--threat",
                                       "forecast", "--threat-months", "12", "--response-hours", "1.5"};
  auto with = [&](std::vector<std::string> v) {
    v.insert(v.end(), model.begin(), model.end());
    return v;
  };
  const auto opt_args = with({"footprint", "optimize", "--ceiling", std::to_string(ceiling), "--min-troops", "300"});
  const json op = json::parse(run_command(db_path, [&] {
    auto v = opt_args;
    v.insert(v.end(), {"--format", "json"});
    return v;
  }()));
  run_to_file(db_path, opt_args, "geojson", dir / "footprint.geojson");
  const auto& rec = op["recommended"];
  const auto& tod = op["today"];
  out << "\n9. Footprint under a ceiling of " << ceiling << " troops (40% of today's " << troops_today
      << "; at least 300 per open site): sites and troops that keep the most threatened people within 1.5 h "
         "(weight = population x expected violence against civilians over the next 12 months)\n\n"
      << "  recommended: " << str_of(rec["sites"]) << " sites, " << str_of(rec["troops"]) << " troops, "
      << fmt_double(100 * num_of(rec["share"]), 1) << "% of the threat-weighted population covered\n"
      << "  today:       " << str_of(tod["sites"]) << " sites, " << str_of(tod["troops"]) << " troops, "
      << fmt_double(100 * num_of(tod["share"]), 1) << "%\n"
      << "  solver " << str_of(op["solver"]) << ": gap " << fmt_double(100 * num_of(op["gap"]), 2) << "%, "
      << fmt_double(num_of(op["seconds"]), 2) << " s\n\n";
  std::map<std::string, std::string> province_name;
  for (const auto& p : db.areas("province", false)) province_name[p.id] = p.name;
  Table ft{{"site", "province", "status", "troops", "troops_today", "helicopters", "covered_weight"}, {}};
  for (const auto& st : op["sites"]) {
    if (st["open"] != true) continue;
    const std::string area = str_of(st["area_id"]);
    ft.rows.push_back({str_of(st["name"]), province_name.count(area) ? province_name[area] : area, st["existing"] == true ? "keep" : "new",
                       str_of(st["troops"]), str_of(st["troops_today"]), st["has_air"] == true ? "yes" : "no",
                       fmt_double(num_of(st["covered_weight"]), 1)});
  }
  ft.print(out, Format::kTable);

  const auto gap_args = with({"footprint", "gaps"});
  run_to_file(db_path, gap_args, "csv", dir / "footprint_gaps.csv");
  const json gp = json::parse(run_command(db_path, [&] {
    auto v = gap_args;
    v.insert(v.end(), {"--format", "json"});
    return v;
  }()));
  std::vector<json> sites(gp["sites"].begin(), gp["sites"].end());  // largest gap first
  auto gap_row = [](const json& st) {
    std::vector<std::string> areas;
    for (const auto& x : st["areas"]) areas.push_back(str_of(x));
    return std::vector<std::string>{str_of(st["name"]), fmt_double(100 * num_of(st["share_lost"]), 1),
                                    str_of(st["points_lost"]), join(areas, ", ")};
  };
  out << "\nProtection gap of closing one of today's sites (share of today's covered weight lost; localities "
         "that would lose coverage)\n\nLargest:\n";
  Table lg{{"site", "gap_pct", "localities", "provinces"}, {}};
  for (std::size_t i = 0; i < sites.size() && i < 5; ++i) lg.rows.push_back(gap_row(sites[i]));
  lg.print(out, Format::kTable);
  std::vector<std::string> free;  // sites whose closure loses no covered weight
  std::vector<json> positive;
  for (const auto& st : sites) {
    if (num_of(st["weight_lost"]) > 0) positive.push_back(st);
    else free.push_back(str_of(st["name"]));
  }
  out << "\nSmallest (above zero):\n";
  Table sm{{"site", "gap_pct", "localities", "provinces"}, {}};
  for (std::size_t i = positive.size() > 5 ? positive.size() - 5 : 0; i < positive.size(); ++i)
    sm.rows.push_back(gap_row(positive[i]));
  sm.print(out, Format::kTable);
  if (!free.empty()) {
    out << "\n" << free.size() << " site(s) cover no threatened locality no other site covers; closing them opens no gap: "
        << join(free, ", ") << "\n";
  }
}

int demo(const Args& a, std::ostream& out) {
  const auto t0 = std::chrono::steady_clock::now();
  const fs::path dir = a.get("out");
  auto seed = parse_int64(a.get("seed"));
  if (!seed || *seed < 0) throw usage_error("--seed must be a non-negative integer");
  const fs::path db_path = dir / "endstate.db";

  out << "endstate demo: Carana, seed " << *seed << "\n\n1. Generating the country into " << dir.string() << "/\n";
  const auto ds = scenario::generate_carana(scenario::default_config(), static_cast<std::uint64_t>(*seed), dir.string());

  out << "2. Building " << db_path.string() << " through the importers\n";
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db_path.string() + suffix);
  auto db = store::Database::open(db_path.string());
  std::vector<ImportSummary> summaries;
  {
    ingest::AreaImportOptions country;
    country.read.level = "country";
    country.read.id_field = "id";
    country.read.name_field = "name";
    country.read.population_field = "population";
    summaries.push_back(ingest::import_areas(db, ds.country_geojson, country));
    ingest::AreaImportOptions terr;
    terr.read.level = "territory";
    terr.read.id_field = "id";
    terr.read.name_field = "name";
    terr.read.population_field = "population";
    terr.dissolve_csv = ds.crosswalk_csv;
    terr.dissolve_key = "territory_id";
    terr.dissolve_into = "province";
    terr.group_level = "province";
    terr.group_parent = "carana";
    summaries.push_back(ingest::import_areas(db, ds.territories_geojson, terr));
  }
  const ingest::ImportOptions opts;
  summaries.push_back(ingest::import_events(db, ds.events_csv, ingest::EventSource::kUcdp, {}, opts));
  summaries.push_back(ingest::import_sites(db, ds.sites_csv, ingest::SiteSource::kGeoPko, opts));
  summaries.push_back(ingest::import_observations(db, ds.observations_csv, opts));
  Table loaded{{"file", "read", "imported", "duplicates", "rejected", "outside_areas"}, {}};
  for (const auto& s : summaries) {
    expect_clean(s);
    loaded.rows.push_back({fs::path(s.file).filename().string(), std::to_string(s.read), std::to_string(s.imported),
                           std::to_string(s.duplicates), std::to_string(s.rejected), std::to_string(s.outside_areas)});
  }
  out << "\n";
  loaded.print(out, Format::kTable);

  // --- briefing: the five most violent provinces in the last 12 months --------
  const auto status = db.status();
  const Month last = Month::of(*status.last_event);
  const Month from12 = last.plus(-11);
  const Month from24 = last.plus(-23);
  std::map<std::string, std::string> province_name;
  for (const auto& p : db.areas("province", false)) province_name[p.id] = p.name;
  struct Tally {
    std::int64_t events_recent = 0, events_before = 0, deaths_recent = 0, civilian_recent = 0;
  };
  std::map<std::string, Tally> tally;
  store::EventFilter f;
  f.from = from24;
  f.to = last;
  db.for_each_event(f, [&](const store::EventRow& r) {
    for (const auto& id : r.area_ids) {
      if (!province_name.count(id)) continue;
      Tally& t = tally[id];
      const Month m = Month::of(r.event.date_start);
      if (m >= from12) {
        ++t.events_recent;
        t.deaths_recent += r.event.fatalities_best;
        if (r.event.violence == ViolenceType::kOneSided) t.civilian_recent += r.event.fatalities_best;
      } else {
        ++t.events_before;
      }
    }
  });
  std::vector<std::pair<std::string, Tally>> ranked(tally.begin(), tally.end());
  std::sort(ranked.begin(), ranked.end(), [](const auto& x, const auto& y) {
    return x.second.deaths_recent != y.second.deaths_recent ? x.second.deaths_recent > y.second.deaths_recent
                                                            : x.first < y.first;
  });
  out << "\n3. Most violent provinces, " << from12.str() << " to " << last.str()
      << " (trend: events in these 12 months against the 12 before; exact conditional Poisson test, p < 0.05)\n\n";
  Table top{{"province", "events", "deaths", "civilian_deaths_vac", "events_prev_12m", "trend", "p_value"}, {}};
  for (std::size_t i = 0; i < ranked.size() && i < 5; ++i) {
    const auto& [id, t] = ranked[i];
    const double p = poisson_rate_test(t.events_recent, t.events_before);
    const std::string trend = p >= 0.05 ? "stable" : (t.events_recent > t.events_before ? "rising" : "falling");
    top.rows.push_back({province_name[id], std::to_string(t.events_recent), std::to_string(t.deaths_recent),
                        std::to_string(t.civilian_recent), std::to_string(t.events_before), trend, fmt_double(p, 4)});
  }
  top.print(out, Format::kTable);

  // --- sites and troops: first year against last year -------------------------
  const Month first_site_month = Month::from_ym(scenario::default_config().first_year, 6).value();
  const Month last_site_month = Month::from_ym(last.year(), 6).value();
  auto totals = [&](Month m) {
    std::int64_t sites = 0, troops = 0, police = 0;
    for (const auto& s : db.sites({}, m)) {
      ++sites;
      troops += s.latest ? s.latest->troops : 0;
      police += s.latest ? s.latest->police : 0;
    }
    return std::array<std::int64_t, 3>{sites, troops, police};
  };
  const auto before = totals(first_site_month);
  const auto now = totals(last_site_month);
  out << "\n4. Mission footprint (Geo-PKO site-years)\n\n";
  Table fp{{"year", "sites", "troops", "police_units"},
           {{std::to_string(first_site_month.year()), std::to_string(before[0]), std::to_string(before[1]),
             std::to_string(before[2])},
            {std::to_string(last_site_month.year()), std::to_string(now[0]), std::to_string(now[1]),
             std::to_string(now[2])}}};
  fp.print(out, Format::kTable);

  analyses(db, db_path, dir, last, now[1], ds, out);

  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  out << "\nOutputs in " << dir.string() << "/ (database: try endstate --db " << db_path.string() << " status)\n";
  std::map<std::string, std::vector<std::string>> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string ext = e.path().extension().string();
    if (e.path().filename().string().find("endstate.db-") == 0) continue;
    files[ext == ".geojson" ? "maps (QGIS)" : ext == ".csv" ? "tables (Excel, R, pandas)" : "other"].push_back(
        e.path().filename().string());
  }
  for (auto& [kind, names] : files) {
    std::sort(names.begin(), names.end());
    out << "  " << kind << ": " << join(names, ", ") << "\n";
  }
  out      << "Done in " << fmt_double(secs, 1) << " s.\n";
  return 0;
}

}  // namespace

std::vector<CommandSpec> demo_commands() {
  return {{"demo",
           "",
           "The main job end to end: generate Carana, build a database through the importers, print a briefing.",
           {},
           {{"out", "DIR", "where the generated files and the database go", "demo-out"},
            {"seed", "N", "random seed of the generated country", "1"}},
           demo}};
}

}  // namespace endstate::cli
