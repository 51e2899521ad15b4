// Protection gaps of closures (see gaps.hpp).
#include "endstate/footprint/gaps.hpp"

#include <algorithm>

#include "endstate/core/error.hpp"

namespace endstate::footprint {

std::vector<SiteGap> site_gaps(const std::vector<double>& weights, const Coverage& cov, const std::vector<bool>& open) {
  if (open.size() != cov.points.size()) throw usage_error("site_gaps: one open flag per site");
  if (weights.size() != cov.demand_count) throw usage_error("site_gaps: one weight per demand point");
  std::vector<int> c(weights.size(), 0);
  for (std::size_t j = 0; j < open.size(); ++j) {
    if (open[j]) {
      for (auto i : cov.points[j]) ++c[i];
    }
  }
  std::vector<SiteGap> out;
  for (std::size_t j = 0; j < open.size(); ++j) {
    if (!open[j]) continue;
    SiteGap g;
    g.site = j;
    for (auto i : cov.points[j]) {
      if (c[i] == 1) {
        g.weight_lost += weights[i];
        g.points_lost.push_back(i);
      }
    }
    out.push_back(std::move(g));
  }
  std::stable_sort(out.begin(), out.end(), [](const SiteGap& a, const SiteGap& b) {
    return a.weight_lost != b.weight_lost ? a.weight_lost > b.weight_lost : a.site < b.site;
  });
  return out;
}

ClosureGap closure_gap(const std::vector<DemandPoint>& demand, const std::vector<Site>& sites, const Coverage& cov,
                       const std::vector<bool>& open, const std::vector<std::size_t>& close,
                       const CoverageParams& params, double mitigation_hours) {
  if (open.size() != sites.size() || cov.points.size() != sites.size())
    throw usage_error("closure_gap: one open flag per site");
  std::vector<bool> after = open;
  for (auto j : close) {
    if (j >= sites.size()) throw usage_error("closure_gap: site index out of range");
    if (!open[j]) throw usage_error("closure_gap: site '" + sites[j].id + "' is not open");
    after[j] = false;
  }
  std::vector<int> cb(demand.size(), 0), ca(demand.size(), 0);
  for (std::size_t j = 0; j < sites.size(); ++j) {
    for (auto i : cov.points[j]) {
      if (open[j]) ++cb[i];
      if (after[j]) ++ca[i];
    }
  }
  ClosureGap g;
  for (std::size_t i = 0; i < demand.size(); ++i) {
    if (cb[i] > 0) g.weight_before += demand[i].weight;
    if (ca[i] > 0) g.weight_after += demand[i].weight;
    if (cb[i] > 0 && ca[i] == 0) {
      LostPoint lp;
      lp.point = i;
      lp.weight = demand[i].weight;
      double best = mitigation_hours;
      for (std::size_t j = 0; j < sites.size(); ++j) {
        if (!after[j] || !sites[j].has_air) continue;  // air mitigation needs helicopters at the site
        const auto h = geo::air_hours(sites[j].where, demand[i].where, params.reach);
        if (h && *h <= best && (!lp.air_site || *h < lp.air_hours)) {
          lp.air_site = j;
          lp.air_hours = *h;
        }
      }
      lp.mitigation = lp.air_site ? "air" : "police_or_civilian_presence";
      g.lost.push_back(lp);
    }
  }
  g.weight_lost = g.weight_before - g.weight_after;
  std::stable_sort(g.lost.begin(), g.lost.end(), [](const LostPoint& a, const LostPoint& b) {
    return a.weight != b.weight ? a.weight > b.weight : a.point < b.point;
  });
  return g;
}

}  // namespace endstate::footprint
