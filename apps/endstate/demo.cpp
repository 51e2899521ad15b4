// endstate demo: the product's main job, end to end, on Carana.
// Generates the fictional country, builds a fresh database from the generated
// files through the real importers (zero rejects expected), and prints a
// briefing. Later capabilities extend this file with their outputs.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include "commands.hpp"
#include "common.hpp"
#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/ingest/importer.hpp"
#include "endstate/scenario/carana.hpp"
#include "endstate/store/database.hpp"

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

  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  out << "\nOutputs: " << dir.string() << "/ (generated files) and " << db_path.string()
      << " (database; try: endstate --db " << db_path.string() << " status)\n"
      << "Done in " << fmt_double(secs, 1) << " s.\n";
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
