// Coverage sets through a spatial grid of buckets (see coverage.hpp).
#include "endstate/footprint/coverage.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <unordered_map>

#include "endstate/core/error.hpp"

namespace endstate::footprint {
namespace {

constexpr double kKmPerDegLat = kEarthRadiusKm * std::numbers::pi / 180.0;  // km per degree of latitude

void check(const CoverageParams& p) {
  if (!(p.response_hours > 0)) throw usage_error("response hours must be > 0");
  if (!(p.reach.road_kmh > 0) || !(p.reach.detour >= 1) || !(p.reach.air_kmh > 0) || p.reach.air_prep_hours < 0 ||
      p.reach.air_max_km < 0) {
    throw usage_error("reach parameters: road and air speeds must be > 0, detour >= 1, air prep and radius >= 0");
  }
}

void add_if_covered(Coverage& c, std::size_t s, std::uint32_t i, const Site& site, const DemandPoint& d,
                    const CoverageParams& p) {
  const double h = geo::response_hours(site.where, d.where, site.has_air, p.reach);
  if (h <= p.response_hours) {
    c.points[s].push_back(i);
    c.hours[s].push_back(static_cast<float>(h));
  }
}

}  // namespace

std::size_t Coverage::pairs() const {
  std::size_t n = 0;
  for (const auto& v : points) n += v.size();
  return n;
}

double reach_radius_km(bool has_air, const CoverageParams& p) {
  return geo::reach_km(p.response_hours, has_air, p.reach);
}

Coverage build_coverage_all_pairs(const std::vector<DemandPoint>& demand, const std::vector<Site>& sites,
                                  const CoverageParams& p) {
  check(p);
  Coverage c;
  c.demand_count = demand.size();
  c.points.resize(sites.size());
  c.hours.resize(sites.size());
  for (std::size_t s = 0; s < sites.size(); ++s) {
    for (std::size_t i = 0; i < demand.size(); ++i)
      add_if_covered(c, s, static_cast<std::uint32_t>(i), sites[s], demand[i], p);
  }
  return c;
}

Coverage build_coverage(const std::vector<DemandPoint>& demand, const std::vector<Site>& sites,
                        const CoverageParams& p) {
  check(p);
  Coverage c;
  c.demand_count = demand.size();
  c.points.resize(sites.size());
  c.hours.resize(sites.size());
  if (demand.empty() || sites.empty()) return c;
  double rmax = 0;
  for (const auto& s : sites) rmax = std::max(rmax, reach_radius_km(s.has_air, p));
  // Bucket side in degrees: the largest radius in latitude degrees (at least
  // a tenth of a degree so that tiny radii do not make huge grids).
  const double cell = std::max(0.1, rmax / kKmPerDegLat);
  auto row_of = [&](double lat) { return static_cast<std::int64_t>(std::floor((lat + 90.0) / cell)); };
  auto col_of = [&](double lon) { return static_cast<std::int64_t>(std::floor((lon + 180.0) / cell)); };
  const std::int64_t ncols = static_cast<std::int64_t>(std::ceil(360.0 / cell)) + 1;
  std::vector<std::pair<std::int64_t, std::uint32_t>> keyed(demand.size());
  for (std::size_t i = 0; i < demand.size(); ++i) {
    keyed[i] = {row_of(demand[i].where.lat) * ncols + col_of(demand[i].where.lon), static_cast<std::uint32_t>(i)};
  }
  std::sort(keyed.begin(), keyed.end());
  std::unordered_map<std::int64_t, std::pair<std::size_t, std::size_t>> buckets;
  for (std::size_t k = 0; k < keyed.size();) {
    std::size_t e = k;
    while (e < keyed.size() && keyed[e].first == keyed[k].first) ++e;
    buckets[keyed[k].first] = {k, e};
    k = e;
  }
  std::vector<std::uint32_t> cand;
  for (std::size_t s = 0; s < sites.size(); ++s) {
    const LatLon w = sites[s].where;
    const double r_km = reach_radius_km(sites[s].has_air, p) * 1.001 + 0.01;
    const double dlat = r_km / kKmPerDegLat;
    const double lat_hi = std::min(90.0, std::abs(w.lat) + dlat);
    const double cosl = std::max(0.01, std::cos(lat_hi * M_PI / 180.0));
    const double dlon = std::min(180.0, dlat / cosl);
    const std::int64_t r0 = row_of(std::max(-90.0, w.lat - dlat)), r1 = row_of(std::min(90.0, w.lat + dlat));
    std::int64_t c0 = col_of(w.lon - dlon), c1 = col_of(w.lon + dlon);
    cand.clear();
    for (std::int64_t r = r0; r <= r1; ++r) {
      for (std::int64_t cc = c0; cc <= c1; ++cc) {
        const std::int64_t col = ((cc % ncols) + ncols) % ncols;  // wrap at the antimeridian
        auto it = buckets.find(r * ncols + col);
        if (it == buckets.end()) continue;
        for (std::size_t k = it->second.first; k < it->second.second; ++k) cand.push_back(keyed[k].second);
      }
    }
    std::sort(cand.begin(), cand.end());
    cand.erase(std::unique(cand.begin(), cand.end()), cand.end());
    for (std::uint32_t i : cand) add_if_covered(c, s, i, sites[s], demand[i], p);
  }
  return c;
}

}  // namespace endstate::footprint
