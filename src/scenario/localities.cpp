// Localities of Carana: names, places and heavy-tailed populations.
//
// Method: populations follow a rank-size (Zipf) law, size(k) ~ k^-1 times a
// log-normal factor (sigma 0.3) for the non-cities, then rescaled so that
// they sum exactly to the configured population (Zipf 1949; Gabaix 1999 for
// Zipf's law in city sizes). The largest `cities` localities are placed near
// the middle of distinct provinces, the capital in the quiet province (or
// province 0); the others come from a clustered point process: 30% around
// the cities (Gaussian, sigma 25 km), 45% around three settlement centres per
// territory (sigma 10 km), 25% uniform (a Neyman–Scott-like cluster process;
// Neyman & Scott 1958). Every territory gets at least one locality.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "detail/format.hpp"
#include "detail/model.hpp"
#include "detail/random.hpp"
#include "endstate/core/error.hpp"

namespace endstate::scenario::detail {
namespace {

const char* const kOnsets[] = {"b",  "k",  "m",  "n",  "t", "l", "r",  "s", "g", "mb",
                               "nd", "ng", "ny", "sh", "w", "z", "kw", "d", "f", "y"};
const char* const kVowels[] = {"a", "a", "e", "i", "o", "u", "a", "o"};

LatLon random_in(Rng& rng, const Geography& geo, int territory) {
  const Territory& t = geo.territories[territory];
  for (int tries = 0; tries < 100000; ++tries) {
    const LatLon p{round6(uniform(rng, t.min_lat, t.max_lat)), round6(uniform(rng, t.min_lon, t.max_lon))};
    if (geo.locator->territory_of(p) == territory) return p;
  }
  return t.anchor;
}

}  // namespace

NameMaker::NameMaker(std::uint64_t seed, std::uint64_t stream) : rng_(seed, stream) {}

void NameMaker::reserve(const std::string& name) {
  const auto it = std::lower_bound(used_.begin(), used_.end(), name);
  if (it == used_.end() || *it != name) used_.insert(it, name);
}

std::string NameMaker::make(int min_syllables, int max_syllables) {
  for (int attempt = 0;; ++attempt) {
    const int extra = attempt > 200 ? 1 : 0;  // widen the space if it gets crowded
    const int k = min_syllables +
                  static_cast<int>(rng_.below(static_cast<std::uint64_t>(max_syllables) - min_syllables + 1)) + extra;
    std::string s;
    if (bernoulli(rng_, 0.15)) s += kVowels[rng_.below(std::size(kVowels))];
    for (int i = 0; i < k; ++i) {
      s += kOnsets[rng_.below(std::size(kOnsets))];
      s += kVowels[rng_.below(std::size(kVowels))];
    }
    s[0] = static_cast<char>(s[0] - 'a' + 'A');
    if (s.size() < 4) continue;
    const auto it = std::lower_bound(used_.begin(), used_.end(), s);
    if (it != used_.end() && *it == s) continue;
    used_.insert(it, s);
    return s;
  }
}

Nearest nearest_locality(const std::vector<Locality>& localities, LatLon p) {
  Nearest best;
  const double kx = kKmPerDegLonEquator * std::cos(p.lat * 3.14159265358979323846 / 180);
  double best_d2 = 0;
  for (std::size_t i = 0; i < localities.size(); ++i) {
    const double dx = (localities[i].where.lon - p.lon) * kx;
    const double dy = (localities[i].where.lat - p.lat) * kKmPerDegLat;
    const double d2 = dx * dx + dy * dy;
    if (best.index < 0 || d2 < best_d2) {
      best.index = static_cast<int>(i);
      best_d2 = d2;
    }
  }
  best.km = std::sqrt(best_d2);
  return best;
}

std::vector<Locality> build_localities(const CaranaConfig& config, std::uint64_t seed, Geography& geo) {
  Rng rng(seed, kStreamLocalities);
  const int n = config.localities;
  const int cities = config.cities;

  // Rank-size populations, summing exactly to the configured total.
  std::vector<double> size(static_cast<std::size_t>(n));
  for (int k = 0; k < n; ++k) {
    const double noise = k < cities ? std::exp(0.1 * normal(rng)) : std::exp(0.3 * normal(rng));
    size[k] = noise / (k + 1.0);
  }
  std::sort(size.begin(), size.end(), [](double a, double b) { return a > b; });
  double sum = 0;
  for (double s : size) sum += s;
  const auto total = static_cast<std::int64_t>(std::llround(config.population));
  std::vector<std::int64_t> pop(static_cast<std::size_t>(n));
  std::vector<std::pair<double, int>> frac;
  std::int64_t assigned = 0;
  for (int k = 0; k < n; ++k) {
    const double exact = size[k] / sum * static_cast<double>(total);
    pop[k] = static_cast<std::int64_t>(std::floor(exact));
    assigned += pop[k];
    frac.emplace_back(exact - std::floor(exact), k);
  }
  std::sort(frac.begin(), frac.end(),
            [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  for (std::int64_t r = 0; r < total - assigned; ++r) ++pop[frac[static_cast<std::size_t>(r)].second];

  std::vector<Locality> loc(static_cast<std::size_t>(n));
  const int width = std::max<int>(4, static_cast<int>(std::to_string(n).size()));
  NameMaker names(seed, kStreamNames + 1000);
  for (const auto& p : geo.provinces) names.reserve(p.name);
  for (const auto& t : geo.territories) names.reserve(t.name);
  for (int k = 0; k < n; ++k) {
    std::string num = std::to_string(k + 1);
    loc[k].id.assign(1, 'L');
    loc[k].id.append(static_cast<std::size_t>(width) - num.size(), '0');
    loc[k].id += num;
    loc[k].name = names.make(2, 3);
    loc[k].population = pop[k];
  }

  // Cities: capital in the quiet province (else province 0), then one per province.
  const int P = static_cast<int>(geo.provinces.size());
  int capital_province = 0;
  for (int p = 0; p < P; ++p)
    if (geo.provinces[p].trajectory == Trajectory::kQuiet) {
      capital_province = p;
      break;
    }
  std::vector<int> city_provinces{capital_province};
  const Trajectory preference[] = {Trajectory::kSteady, Trajectory::kDeteriorating, Trajectory::kStabilising,
                                   Trajectory::kEscalation, Trajectory::kQuiet};
  for (Trajectory want : preference)
    for (int p = 0; p < P; ++p)
      if (p != capital_province && geo.provinces[p].trajectory == want) city_provinces.push_back(p);
  std::vector<int> used_territory;
  for (int c = 0; c < cities; ++c) {
    const int p = city_provinces[static_cast<std::size_t>(c) % city_provinces.size()];
    const Province& prov = geo.provinces[p];
    // The territory nearest the middle of the province not yet holding a city.
    LatLon mid{0, 0};
    for (int t : prov.territories) {
      mid.lat += geo.territories[t].anchor.lat / static_cast<double>(prov.territories.size());
      mid.lon += geo.territories[t].anchor.lon / static_cast<double>(prov.territories.size());
    }
    int best = -1;
    double best_d = 0;
    for (int t : prov.territories) {
      if (std::find(used_territory.begin(), used_territory.end(), t) != used_territory.end()) continue;
      const double d = great_circle_km(mid, geo.territories[t].anchor);
      if (best < 0 || d < best_d) {
        best = t;
        best_d = d;
      }
    }
    if (best < 0) best = prov.territories[rng.below(prov.territories.size())];
    used_territory.push_back(best);
    LatLon where = geo.territories[best].anchor;
    for (int tries = 0; tries < 50; ++tries) {
      const LatLon q = offset_km(geo.territories[best].anchor, 8 * normal(rng), 8 * normal(rng));
      const LatLon r{round6(q.lat), round6(q.lon)};
      if (geo.locator->territory_of(r) == best) {
        where = r;
        break;
      }
    }
    loc[c].where = where;
    loc[c].territory = best;
  }

  // Settlement centres, three per territory.
  std::vector<LatLon> centres;
  centres.reserve(geo.territories.size() * 3);
  for (int t = 0; t < static_cast<int>(geo.territories.size()); ++t)
    for (int j = 0; j < 3; ++j) centres.push_back(random_in(rng, geo, t));
  std::vector<double> city_w;
  city_w.reserve(static_cast<std::size_t>(std::max(cities, 0)));
  for (int c = 0; c < cities; ++c) city_w.push_back(static_cast<double>(loc[c].population));
  const std::vector<double> city_cum = cumulative(city_w);
  for (int k = cities; k < n; ++k) {
    for (int tries = 0;; ++tries) {
      const double u = rng.uniform();
      LatLon q;
      if (u < 0.30 && cities > 0) {
        q = offset_km(loc[pick_cumulative(rng, city_cum)].where, 25 * normal(rng), 25 * normal(rng));
      } else if (u < 0.75) {
        q = offset_km(centres[rng.below(centres.size())], 10 * normal(rng), 10 * normal(rng));
      } else {
        q = {uniform(rng, geo.min_lat, geo.max_lat), uniform(rng, geo.min_lon, geo.max_lon)};
      }
      q = {round6(q.lat), round6(q.lon)};
      const int t = geo.locator->territory_of(q);
      if (t >= 0) {
        loc[k].where = q;
        loc[k].territory = t;
        break;
      }
      if (tries > 100000) throw internal_error("could not place locality " + loc[k].id);
    }
  }

  // Every territory holds at least one locality: move the smallest ones of the fullest territories.
  std::vector<int> count(geo.territories.size(), 0);
  for (const auto& l : loc) ++count[l.territory];
  for (int t = 0; t < static_cast<int>(geo.territories.size()); ++t) {
    if (count[t] > 0) continue;
    const int donor = static_cast<int>(std::max_element(count.begin(), count.end()) - count.begin());
    for (int k = n - 1; k >= cities; --k)
      if (loc[k].territory == donor) {
        loc[k].where = random_in(rng, geo, t);
        loc[k].territory = t;
        --count[donor];
        ++count[t];
        break;
      }
  }

  for (auto& t : geo.territories) t.population = 0;
  for (auto& p : geo.provinces) {
    p.population = 0;
    p.main_town = -1;
  }
  for (int k = 0; k < n; ++k) {
    Territory& t = geo.territories[loc[k].territory];
    t.population += loc[k].population;
    Province& p = geo.provinces[t.province];
    p.population += loc[k].population;
    if (p.main_town < 0) p.main_town = k;  // localities are in decreasing population order
  }
  return loc;
}

}  // namespace endstate::scenario::detail
