// Writes simulated events as UCDP GED CSV (version 23.1 column set, 49
// columns), following the codebook (UCDP GED codebook v22.1; Sundberg &
// Melander 2013) and the real files' formatting: strings quoted with doubled
// inner quotes, numbers and dates bare, missing values as bare NA.
//
// Identifiers: the government side is "Government of Carana" (actor 9000);
// group g is actor 9001+g. Conflicts: state-based events belong to one
// conflict "Carana: Government" (90000); non-state conflicts and dyads are
// per pair of groups (91000 + a*100 + b); one-sided "conflicts" per group
// (92000+g). Dyads: government-group 93000+g, group-civilians 95000+g.
// active_year is 1 when the dyad's year reaches 25 deaths (the UCDP
// threshold). relid is "CRN-year-type-dyad-n". priogrid_gid follows PRIO-GRID
// v2 (Tollefsen, Strand & Buhaug 2012): row*720 + col + 1 with
// row = floor((lat+90)/0.5), col = floor((lon+180)/0.5).

#include <cmath>
#include <cstdint>
#include <fstream>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "detail/format.hpp"
#include "detail/model.hpp"
#include "detail/random.hpp"
#include "endstate/core/error.hpp"

namespace endstate::scenario::detail {
namespace {

constexpr int kGovernmentActor = 9000;
constexpr int kCountryCode = 999;  // unused Gleditsch–Ward code

const char* const kHeader =
    "\"id\",\"relid\",\"year\",\"active_year\",\"code_status\",\"type_of_violence\",\"conflict_dset_id\","
    "\"conflict_new_id\",\"conflict_name\",\"dyad_dset_id\",\"dyad_new_id\",\"dyad_name\",\"side_a_dset_id\","
    "\"side_a_new_id\",\"side_a\",\"side_b_dset_id\",\"side_b_new_id\",\"side_b\",\"number_of_sources\","
    "\"source_article\",\"source_office\",\"source_date\",\"source_headline\",\"source_original\",\"where_prec\","
    "\"where_coordinates\",\"where_description\",\"adm_1\",\"adm_2\",\"latitude\",\"longitude\",\"geom_wkt\","
    "\"priogrid_gid\",\"country\",\"country_id\",\"region\",\"event_clarity\",\"date_prec\",\"date_start\","
    "\"date_end\",\"deaths_a\",\"deaths_b\",\"deaths_civilians\",\"deaths_unknown\",\"best\",\"high\",\"low\","
    "\"gwnoa\",\"gwnob\"";

const char* const kOutlets[] = {"Radio Carana",    "Carana Press Agency", "Reuters", "Agence France Presse",
                                "BBC Monitoring",  "Xinhua News Agency",  "UN News", "The New Humanitarian",
                                "Voice of America"};
const char* const kOriginals[] = {"local civil society",
                                  "military spokesperson",
                                  "UNMIC",
                                  "local administrator",
                                  "hospital source",
                                  "witnesses",
                                  "NGO",
                                  "provincial governor",
                                  "church source",
                                  "survivors"};
const char* const kDirections[] = {"north", "north-east", "east", "south-east",
                                   "south", "south-west", "west", "north-west"};

struct Dyad {
  int conflict_id;
  std::string conflict_name;
  int dyad_id;
  std::string dyad_name;
  int side_a_id;
  std::string side_a;
  int side_b_id;
  std::string side_b;
};

Dyad dyad_of(const SimEvent& e, const CaranaConfig& config) {
  const auto& gs = config.groups;
  const std::string gov = "Government of " + config.country_name;
  Dyad d{};
  if (e.type == 1) {
    d = {90000,
         config.country_name + ": Government",
         93000 + e.group,
         gov + " - " + gs[e.group].name,
         kGovernmentActor,
         gov,
         9001 + e.group,
         gs[e.group].name};
  } else if (e.type == 2) {
    const int a = std::min(e.group, e.opponent), b = std::max(e.group, e.opponent);
    const std::string name = gs[a].name + " - " + gs[b].name;
    d = {91000 + a * 100 + b, name, 91000 + a * 100 + b, name, 9001 + a, gs[a].name, 9001 + b, gs[b].name};
  } else {
    d = {92000 + e.group,
         gs[e.group].name,
         95000 + e.group,
         gs[e.group].name + " - Civilians",
         9001 + e.group,
         gs[e.group].name,
         1,
         "Civilians"};
  }
  return d;
}

std::string headline(Rng& rng, const SimEvent& e, const CaranaConfig& config, const std::string& place,
                     const std::string& territory) {
  const auto& gs = config.groups;
  const std::string& g = gs[e.group].name;
  const int v = static_cast<int>(rng.below(3));
  if (e.type == 1) {
    if (v == 0) return "Clashes between army and " + g + " near " + place;
    if (v == 1) return g + " attack army positions in " + territory + " territory";
    return "Army offensive against " + g + " around " + place;
  }
  if (e.type == 2) {
    const std::string& o = gs[e.opponent].name;
    if (v == 0) return "Fighting between " + g + " and " + o + " in " + place;
    if (v == 1) return "Rival armed groups clash near " + place;
    return g + " and " + o + " fight over control of " + territory + " territory";
  }
  if (e.best >= 20) return "Massacre in " + place + " blamed on " + g;
  if (v == 0) return g + " fighters kill civilians in " + place;
  if (v == 1) return "Villagers killed in attack on " + place;
  return "Civilians attacked near " + place + " by suspected " + g;
}

}  // namespace

std::int64_t write_ged(const std::string& path, const CaranaConfig& config, std::uint64_t seed, const Geography& geo,
                       const std::vector<Locality>& localities, const std::vector<SimEvent>& events) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw detail::write_error(path);
  out << kHeader << '\n';
  const Date start = *Date::from_ymd(config.first_year, 1, 1);
  Rng rng(seed, kStreamGedText);

  // Dyad-year deaths for active_year.
  std::map<std::pair<int, int>, std::int64_t> dyad_year_deaths;
  for (const auto& e : events) {
    const Date d = Date::from_days(start.days() + static_cast<std::int32_t>(std::floor(e.t_days)));
    dyad_year_deaths[{dyad_of(e, config).dyad_id, d.year()}] += e.best;
  }
  std::map<std::pair<int, int>, int> relid_seq;

  std::int64_t id = 900000;
  std::string line;
  for (const auto& e : events) {
    ++id;
    const Date day = Date::from_days(start.days() + static_cast<std::int32_t>(std::floor(e.t_days)));
    const int year = day.year();
    const Date jan1 = *Date::from_ymd(year, 1, 1);
    const Date dec31 = *Date::from_ymd(year, 12, 31);
    // Date precision (codebook: 1 exact day ... 5 more than a month).
    const double u = rng.uniform();
    int date_prec = 1;
    Date ds = day, de = day;
    if (u < 0.75) {
      date_prec = 1;
    } else if (u < 0.87) {
      date_prec = 2;
      ds = Date::from_days(day.days() - static_cast<std::int32_t>(rng.below(3)));
      de = Date::from_days(day.days() + static_cast<std::int32_t>(rng.below(4)));
    } else if (u < 0.94) {
      date_prec = 3;
      ds = Date::from_days(day.days() - static_cast<std::int32_t>(rng.below(4)));
      de = Date::from_days(ds.days() + 6);
    } else if (u < 0.98) {
      date_prec = 4;
      ds = *Date::from_ymd(year, day.month(), 1);
      de = Month::of(day).last_day();
    } else {
      date_prec = 5;
      ds = Date::from_days(day.days() - 15 - static_cast<std::int32_t>(rng.below(45)));
      de = Date::from_days(day.days() + static_cast<std::int32_t>(rng.below(30)));
    }
    if (ds < jan1) ds = jan1;
    if (de > dec31) de = dec31;
    if (de < day) de = day;

    const Dyad dy = dyad_of(e, config);
    const int seq = ++relid_seq[{dy.dyad_id, year}];
    const std::string relid = "CRN-" + std::to_string(year) + "-" + std::to_string(e.type) + "-" +
                              std::to_string(dy.dyad_id) + "-" + std::to_string(seq);
    const bool active = dyad_year_deaths[{dy.dyad_id, year}] >= 25;

    const Territory& terr = geo.territories[e.territory];
    const Province& prov = geo.provinces[terr.province];
    const Locality& near = localities[e.locality];
    std::string where_coord, where_desc;
    if (e.where_prec == 1) {
      where_coord = near.name + (near.population >= 20000 ? " town" : " village");
      where_desc = "in " + near.name;
    } else if (e.where_prec == 2) {
      const double dn = (e.where.lat - near.where.lat) * kKmPerDegLat;
      const double de_km =
          (e.where.lon - near.where.lon) * kKmPerDegLonEquator * std::cos(e.where.lat * 3.14159265358979323846 / 180);
      const double ang = std::atan2(de_km, dn);  // 0 = north, clockwise
      int oct = static_cast<int>(std::lround(ang / (3.14159265358979323846 / 4)));
      oct = ((oct % 8) + 8) % 8;
      where_coord = near.name;
      const long km = std::max(1L, std::lround(e.locality_km));
      where_desc = std::to_string(km) + " km " + kDirections[oct] + " of " + near.name;
    } else {
      where_coord = terr.name + " territory";
      where_desc = "in " + terr.name + " territory";
    }

    // Sources.
    const int nsrc = 1 + static_cast<int>(rng.below(3));
    std::string article, office, sdate, shead, original;
    const std::string hl = headline(rng, e, config, near.name, terr.name);
    for (int s = 0; s < nsrc; ++s) {
      const std::string outlet = kOutlets[rng.below(std::size(kOutlets))];
      const Date pub = Date::from_days(de.days() + static_cast<std::int32_t>(rng.below(3)));
      if (s > 0) {
        article += ";";
        office += ";";
        sdate += ";";
        shead += ";";
        original += "; ";
      }
      article += "\"" + outlet + "," + pub.iso() + "," + hl + "\"";
      office += outlet;
      sdate += pub.iso();
      shead += hl;
      original += kOriginals[rng.below(std::size(kOriginals))];
    }
    const int clarity = bernoulli(rng, 0.9) ? 1 : 2;

    const std::string lat = fixed(e.where.lat, 6), lon = fixed(e.where.lon, 6);
    const auto row = static_cast<std::int64_t>(std::floor((e.where.lat + 90) / 0.5));
    const auto col = static_cast<std::int64_t>(std::floor((e.where.lon + 180) / 0.5));
    const std::int64_t gid = row * 720 + col + 1;

    // Side a/b deaths: for non-state dyads side a is the lower group index.
    std::int64_t da = e.deaths_a, db = e.deaths_b;
    if (e.type == 2 && e.group > e.opponent) std::swap(da, db);

    line.clear();
    line += std::to_string(id) + ",";
    line += csv_quoted(relid) + ",";
    line += std::to_string(year) + ",";
    line += std::string(active ? "1" : "0") + ",";
    line += csv_quoted("Clear") + ",";
    line += std::to_string(e.type) + ",";
    line += std::to_string(dy.conflict_id) + "," + std::to_string(dy.conflict_id) + ",";
    line += csv_quoted(dy.conflict_name) + ",";
    line += std::to_string(dy.dyad_id) + "," + std::to_string(dy.dyad_id) + ",";
    line += csv_quoted(dy.dyad_name) + ",";
    line += std::to_string(dy.side_a_id) + "," + std::to_string(dy.side_a_id) + "," + csv_quoted(dy.side_a) + ",";
    line += std::to_string(dy.side_b_id) + "," + std::to_string(dy.side_b_id) + "," + csv_quoted(dy.side_b) + ",";
    line += std::to_string(nsrc) + ",";
    line += csv_quoted(article) + "," + csv_quoted(office) + "," + csv_quoted(sdate) + "," + csv_quoted(shead) + "," +
            csv_quoted(original) + ",";
    line += std::to_string(e.where_prec) + ",";
    line += csv_quoted(where_coord) + "," + csv_quoted(where_desc) + ",";
    line += csv_quoted(prov.name) + "," + csv_quoted(terr.name) + ",";
    line += lat + "," + lon + ",";
    line += csv_quoted("POINT (" + lon + " " + lat + ")") + ",";
    line += std::to_string(gid) + ",";
    line += csv_quoted(config.country_name) + "," + std::to_string(kCountryCode) + "," + csv_quoted("Africa") + ",";
    line += std::to_string(clarity) + "," + std::to_string(date_prec) + ",";
    line += ds.iso() + "," + de.iso() + ",";
    line += std::to_string(da) + "," + std::to_string(db) + "," + std::to_string(e.deaths_civilians) + "," +
            std::to_string(e.deaths_unknown) + ",";
    line += std::to_string(e.best) + "," + std::to_string(e.high) + "," + std::to_string(e.low) + ",";
    line += (e.type == 1 ? std::to_string(kCountryCode) : std::string("NA")) + ",NA";
    out << line << '\n';
  }
  if (!out) throw detail::write_error(path);
  return static_cast<std::int64_t>(events.size());
}

}  // namespace endstate::scenario::detail
