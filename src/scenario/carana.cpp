// generate_carana: runs the stages (geography, localities, events, sites,
// observations, framework) and writes the dataset. Every stage draws from its
// own deterministic stream Rng(seed, stream) and runs single-threaded in a
// fixed order, so the same configuration and seed give the same bytes.

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <string>
#include <vector>

#include "detail/format.hpp"
#include "detail/model.hpp"
#include "detail/random.hpp"
#include "endstate/core/error.hpp"
#include "endstate/scenario/carana.hpp"

namespace endstate::scenario {
namespace {

using detail::fixed;
using detail::json_quoted;

std::string country_id(const std::string& name) {
  const std::string id = detail::slug(name);
  return id.empty() ? "country" : id;
}

std::string geometry_json(const detail::MultiPolygon& mp) {
  auto ring = [](const detail::Ring& r) {
    std::string s = "[";
    for (std::size_t i = 0; i < r.size(); ++i) {
      if (i) s += ',';
      s += '[';
      s += fixed(r[i].lon, 6);
      s += ',';
      s += fixed(r[i].lat, 6);
      s += ']';
    }
    return s + "]";
  };
  auto polygon = [&](const detail::Polygon& p) {
    std::string s = "[";
    for (std::size_t i = 0; i < p.size(); ++i) {
      if (i) s += ',';
      s += ring(p[i]);
    }
    return s + "]";
  };
  if (mp.size() == 1) return "{\"type\":\"Polygon\",\"coordinates\":" + polygon(mp[0]) + "}";
  std::string s = "{\"type\":\"MultiPolygon\",\"coordinates\":[";
  for (std::size_t i = 0; i < mp.size(); ++i) {
    if (i) s += ',';
    s += polygon(mp[i]);
  }
  return s + "]}";
}

std::ofstream open_out(const std::string& path) {
  std::ofstream o(path, std::ios::binary);
  if (!o) throw detail::write_error(path);
  return o;
}

}  // namespace

GeneratedDataset generate_carana(const CaranaConfig& input, std::uint64_t seed, const std::string& out_dir) {
  validate_config(input);
  const CaranaConfig config = effective_config(input);
  validate_config(config);

  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec || !fs::is_directory(out_dir))
    throw bad_input("cannot create output directory " + out_dir + (ec ? ": " + ec.message() : ""));
  const fs::path dir(out_dir);
  GeneratedDataset ds;
  ds.dir = out_dir;
  ds.country_geojson = (dir / "country.geojson").string();
  ds.territories_geojson = (dir / "territories.geojson").string();
  ds.crosswalk_csv = (dir / "territory_to_province.csv").string();
  ds.localities_csv = (dir / "localities.csv").string();
  ds.events_csv = (dir / "events_ged.csv").string();
  ds.sites_csv = (dir / "sites_geopko.csv").string();
  ds.observations_csv = (dir / "observations.csv").string();
  ds.framework_yaml = (dir / "framework.yaml").string();
  ds.tasks_yaml = (dir / "tasks.yaml").string();
  ds.config_yaml = (dir / "config.yaml").string();
  ds.plan_end_state_yaml = (dir / "plan_end_state.yaml").string();
  ds.plan_end_date_yaml = (dir / "plan_end_date.yaml").string();
  ds.seed = seed;

  // Stages.
  detail::Geography geo = detail::build_geography(config, seed);
  const std::vector<detail::Locality> localities = detail::build_localities(config, seed, geo);
  std::vector<double> phases;
  {
    Rng rng(seed, detail::kStreamPhases);
    for (std::size_t p = 0; p < geo.provinces.size(); ++p)
      phases.push_back(detail::uniform(rng, 0, 2 * std::numbers::pi));
  }
  const std::vector<detail::SimEvent> events = detail::simulate_events(config, seed, geo, localities, phases);

  // Areas.
  const std::int64_t population = [&] {
    std::int64_t s = 0;
    for (const auto& l : localities) s += l.population;
    return s;
  }();
  {
    auto o = open_out(ds.country_geojson);
    o << "{\"type\":\"FeatureCollection\",\"features\":[\n"
      << "{\"type\":\"Feature\",\"id\":" << json_quoted(country_id(config.country_name))
      << ",\"properties\":{\"id\":" << json_quoted(country_id(config.country_name))
      << ",\"name\":" << json_quoted(config.country_name) << ",\"population\":" << population
      << "},\"geometry\":" << geometry_json(geo.country) << "}\n]}\n";
    if (!o) throw detail::write_error(ds.country_geojson);
  }
  {
    auto o = open_out(ds.territories_geojson);
    o << "{\"type\":\"FeatureCollection\",\"features\":[\n";
    for (std::size_t i = 0; i < geo.territories.size(); ++i) {
      const auto& t = geo.territories[i];
      o << "{\"type\":\"Feature\",\"id\":" << json_quoted(t.id) << ",\"properties\":{\"id\":" << json_quoted(t.id)
        << ",\"name\":" << json_quoted(t.name) << ",\"province\":" << json_quoted(geo.provinces[t.province].name)
        << ",\"population\":" << t.population << "},\"geometry\":" << geometry_json(t.shape) << "}"
        << (i + 1 < geo.territories.size() ? "," : "") << "\n";
    }
    o << "]}\n";
    if (!o) throw detail::write_error(ds.territories_geojson);
  }
  {
    auto o = open_out(ds.crosswalk_csv);
    o << "territory_id,province\n";
    for (const auto& t : geo.territories) o << t.id << "," << detail::csv_field(geo.provinces[t.province].name) << "\n";
    if (!o) throw detail::write_error(ds.crosswalk_csv);
  }
  {
    auto o = open_out(ds.localities_csv);
    o << "id,name,latitude,longitude,population,territory_id\n";
    for (const auto& l : localities)
      o << l.id << "," << detail::csv_field(l.name) << "," << fixed(l.where.lat, 6) << "," << fixed(l.where.lon, 6)
        << "," << l.population << "," << geo.territories[l.territory].id << "\n";
    if (!o) throw detail::write_error(ds.localities_csv);
  }

  ds.events = detail::write_ged(ds.events_csv, config, seed, geo, localities, events);
  const detail::SitesSummary sites = detail::write_sites(ds.sites_csv, config, seed, geo, localities, events);
  ds.observations = detail::write_observations(ds.observations_csv, config, seed, geo, phases);
  detail::write_framework(ds.framework_yaml, config, geo);
  detail::write_tasks(ds.tasks_yaml, config, geo);
  detail::write_plans(ds.plan_end_state_yaml, ds.plan_end_date_yaml, config, geo,
                      geo.territories[static_cast<std::size_t>(localities[0].territory)].province,
                      sites.troops_by_year.empty() ? 0 : sites.troops_by_year.back());
  {
    auto o = open_out(ds.config_yaml);
    o << "# seed: " << seed << "\n" << config_to_yaml(config);
    if (!o) throw detail::write_error(ds.config_yaml);
  }

  ds.provinces = static_cast<std::int64_t>(geo.provinces.size());
  ds.territories = static_cast<std::int64_t>(geo.territories.size());
  ds.localities = static_cast<std::int64_t>(localities.size());
  ds.sites = sites.sites;
  ds.deployments = sites.rows;
  ds.troops_by_year = sites.troops_by_year;
  ds.capital = sites.capital;
  ds.groups = static_cast<std::int64_t>(config.groups.size());
  ds.population = population;
  ds.first_year = config.first_year;
  ds.last_year = config.first_year + config.years - 1;
  ds.events_by_year.assign(static_cast<std::size_t>(config.years), 0);
  const Date start = *Date::from_ymd(config.first_year, 1, 1);
  for (const auto& e : events) {
    ds.fatalities += e.best;
    const int y = Date::from_days(start.days() + static_cast<std::int32_t>(std::floor(e.t_days))).year();
    ++ds.events_by_year[static_cast<std::size_t>(y - config.first_year)];
  }
  for (const auto& p : geo.provinces) {
    ds.province_names.push_back(p.name);
    ds.province_trajectories.push_back(p.trajectory);
  }
  return ds;
}

}  // namespace endstate::scenario
