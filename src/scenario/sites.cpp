// Mission sites of Carana in Geo-PKO v2.3 location-year format (Cil et al.
// 2020, "Mapping blue helmets", Journal of Peace Research; columns as in the
// v2.3 front-map file: mission, year, country, location, latitude, longitude,
// Infantry, NoTroops, Reserve, hq, UNPOL, Med, Av, UNMO, ave.no.troops).
// hq codes as in Geo-PKO: 3 mission HQ, 2 sector HQ, 1 battalion HQ, 0 none;
// UNPOL, Med and UNMO are presence dummies, Av counts aviation units.
//
// Laydown: the mission HQ in the capital; a sector HQ in the main town of
// every other province (troops scaled by the province's violence); company
// bases (150 troops; the three busiest are battalion HQs with 650) in the
// territories with most events in the first three years; two more company
// bases in each deteriorating province at mid-period; a temporary operating
// base (35) in the escalation province's hottest territory in the last year;
// police posts (UNPOL only) in the two largest other towns of each province.
// Drawdown: over the last D = clamp(years/4, 1, 4) years the troop total falls
// linearly to (1 - drawdown_share) of its pre-drawdown level: company bases
// close first in quiet, then stabilising, steady, deteriorating and escalation
// provinces (fewest recent events first); what closures cannot reach is
// taken proportionally from the sector HQs (floor 300) and then the mission HQ.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "detail/format.hpp"
#include "detail/model.hpp"
#include "detail/random.hpp"
#include "endstate/core/error.hpp"

namespace endstate::scenario::detail {
namespace {

enum class Kind { kMissionHq, kSectorHq, kBattalion, kCompany, kTemporary, kPolice };

struct Site {
  Kind kind = Kind::kCompany;
  int locality = -1;
  int province = -1;
  int hq = 0;
  std::int64_t base_troops = 0;
  std::int64_t reserve = 0;
  double infantry_share = 1.0;
  int unpol = 0, med = 0, av = 0, unmo = 0;
  int open = 0;   // first year index
  int close = 0;  // first year index when closed (exclusive end)
  std::int64_t current = 0;
  std::vector<std::int64_t> troops;  // per year index
};

int closure_priority(Trajectory t) {
  switch (t) {
    case Trajectory::kQuiet:
      return 0;
    case Trajectory::kStabilising:
      return 1;
    case Trajectory::kSteady:
      return 2;
    case Trajectory::kDeteriorating:
      return 3;
    case Trajectory::kEscalation:
      return 4;
  }
  return 2;
}

}  // namespace

SitesSummary write_sites(const std::string& path, const CaranaConfig& config, std::uint64_t seed, const Geography& geo,
                         const std::vector<Locality>& localities, const std::vector<SimEvent>& events) {
  Rng rng(seed, kStreamSites);
  const int Y = config.years;
  const int T = static_cast<int>(geo.territories.size());
  const int P = static_cast<int>(geo.provinces.size());

  // Events per territory and year index.
  std::vector<std::vector<std::int64_t>> tev(static_cast<std::size_t>(T),
                                             std::vector<std::int64_t>(static_cast<std::size_t>(Y), 0));
  const Date start = *Date::from_ymd(config.first_year, 1, 1);
  for (const auto& e : events) {
    const int y =
        Date::from_days(start.days() + static_cast<std::int32_t>(std::floor(e.t_days))).year() - config.first_year;
    ++tev[e.territory][y];
  }
  auto territory_events = [&](int t, int y0, int y1) {
    std::int64_t s = 0;
    for (int y = std::max(0, y0); y < std::min(Y, y1); ++y) s += tev[t][y];
    return s;
  };
  auto province_events = [&](int p, int y0, int y1) {
    std::int64_t s = 0;
    for (int t : geo.provinces[p].territories) s += territory_events(t, y0, y1);
    return s;
  };

  std::vector<Site> sites;
  std::vector<char> used(localities.size(), 0);
  std::vector<char> has_base(static_cast<std::size_t>(T), 0);
  auto add = [&](Kind kind, int loc, int hq, std::int64_t troops, double inf, int open) {
    Site s;
    s.kind = kind;
    s.locality = loc;
    s.province = geo.territories[localities[loc].territory].province;
    s.hq = hq;
    s.base_troops = troops;
    s.infantry_share = inf;
    s.open = open;
    s.close = Y;
    s.troops.assign(static_cast<std::size_t>(Y), 0);
    used[loc] = 1;
    has_base[localities[loc].territory] = 1;
    sites.push_back(s);
    return static_cast<int>(sites.size()) - 1;
  };
  // Largest unused locality of a territory (localities are in decreasing population order).
  auto town_in = [&](int t) {
    for (int k = 0; k < static_cast<int>(localities.size()); ++k)
      if (!used[k] && localities[k].territory == t) return k;
    return -1;
  };

  // Mission HQ in the capital (locality 0, placed in the capital province).
  {
    const int i = add(Kind::kMissionHq, 0, 3, config.mission_hq_troops, 0.45, 0);
    auto& s = sites[i];
    s.reserve = config.mission_hq_troops >= 300 ? 150 : 0;
    s.unpol = s.med = s.unmo = 1;
    s.av = 2;
  }
  const int capital_province = sites[0].province;

  // Sector HQs.
  std::int64_t max_pe = 1;
  for (int p = 0; p < P; ++p) max_pe = std::max(max_pe, province_events(p, 0, Y));
  for (int p = 0; p < P; ++p) {
    if (p == capital_province) continue;
    const int town = geo.provinces[p].main_town;
    if (town < 0 || used[town]) continue;
    const double share = static_cast<double>(province_events(p, 0, Y)) / static_cast<double>(max_pe);
    const std::int64_t troops = 600 + 50 * std::llround(10 * share);
    const int i = add(Kind::kSectorHq, town, 2, troops, 0.65, 0);
    sites[i].unpol = sites[i].med = sites[i].unmo = 1;
    sites[i].av = 1;
  }

  // Company bases where the first three years were most violent.
  std::vector<int> order(static_cast<std::size_t>(T));
  for (int t = 0; t < T; ++t) order[t] = t;
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return territory_events(a, 0, 3) > territory_events(b, 0, 3); });
  const int n_bases = std::max(P, T / 3);
  int placed = 0;
  for (int t : order) {
    if (placed >= n_bases || territory_events(t, 0, 3) == 0) break;
    const int town = town_in(t);
    if (town < 0) continue;
    const bool battalion = placed < 3;
    const int i = add(battalion ? Kind::kBattalion : Kind::kCompany, town, battalion ? 1 : 0, battalion ? 650 : 150,
                      battalion ? 0.8 : 1.0, 0);
    if (battalion) sites[i].med = 1;
    sites[i].unmo = bernoulli(rng, 0.3) ? 1 : 0;
    ++placed;
  }

  // Mid-period reinforcement of deteriorating provinces.
  const int mid = Y / 2;
  if (mid > 0) {
    for (int p = 0; p < P; ++p) {
      if (geo.provinces[p].trajectory != Trajectory::kDeteriorating) continue;
      std::vector<int> ts = geo.provinces[p].territories;
      std::stable_sort(ts.begin(), ts.end(), [&](int a, int b) {
        return territory_events(a, mid - 2, mid) > territory_events(b, mid - 2, mid);
      });
      int added = 0;
      for (int t : ts) {
        if (added >= 2) break;
        if (has_base[t] || territory_events(t, mid - 2, mid) == 0) continue;
        const int town = town_in(t);
        if (town < 0) continue;
        add(Kind::kCompany, town, 0, 150, 1.0, mid);
        ++added;
      }
    }
  }

  // Temporary operating base in the escalation province's hottest territory of the last year.
  for (int p = 0; p < P; ++p) {
    if (geo.provinces[p].trajectory != Trajectory::kEscalation) continue;
    int best = -1;
    for (int t : geo.provinces[p].territories)
      if (!has_base[t] && (best < 0 || territory_events(t, Y - 1, Y) > territory_events(best, Y - 1, Y))) best = t;
    if (best >= 0 && territory_events(best, Y - 1, Y) > 0) {
      const int town = town_in(best);
      if (town >= 0) add(Kind::kTemporary, town, 0, 35, 1.0, Y - 1);
    }
  }

  // Police posts in towns.
  for (int p = 0; p < P; ++p) {
    int added = 0;
    for (int k = 0; k < static_cast<int>(localities.size()) && added < 2; ++k) {
      if (used[k] || geo.territories[localities[k].territory].province != p) continue;
      if (localities[k].population < 10000) break;
      const int i = add(Kind::kPolice, k, 0, 0, 0.0, 0);
      sites[i].unpol = 1;
      ++added;
    }
  }

  // Year by year, with the drawdown over the last D years.
  const int D = std::clamp(Y / 4, 1, 4);
  const int pre = Y - D - 1;  // last year before the drawdown (may be -1 for very short runs)
  std::int64_t base_total = 0;
  for (auto& s : sites) s.current = s.base_troops;
  for (int y = 0; y < Y; ++y) {
    auto open_in = [&](const Site& s) { return s.open <= y && y < s.close; };
    std::int64_t total = 0;
    for (const auto& s : sites)
      if (open_in(s)) total += s.current;
    if (y == std::max(0, pre)) base_total = total;
    if (y > pre && Y > 1) {
      const double frac = config.drawdown_share * static_cast<double>(y - pre) / D;
      const auto target = static_cast<std::int64_t>(std::llround(static_cast<double>(base_total) * (1 - frac)));
      // Close company bases, lowest priority first.
      std::vector<int> cand;
      for (int i = 0; i < static_cast<int>(sites.size()); ++i)
        if (open_in(sites[i]) && (sites[i].kind == Kind::kCompany || sites[i].kind == Kind::kBattalion) &&
            sites[i].open < y)
          cand.push_back(i);
      std::vector<std::int64_t> recent(sites.size(), 0);
      for (int i : cand) recent[i] = territory_events(localities[sites[i].locality].territory, y - 2, y);
      std::stable_sort(cand.begin(), cand.end(), [&](int a, int b) {
        const int pa = closure_priority(geo.provinces[sites[a].province].trajectory);
        const int pb = closure_priority(geo.provinces[sites[b].province].trajectory);
        if (pa != pb) return pa < pb;
        return recent[a] < recent[b];
      });
      for (int i : cand) {
        if (total - sites[i].current < target) continue;
        total -= sites[i].current;
        sites[i].close = y;
      }
      // The rest from sector HQs (proportionally, floor 300), then the mission HQ.
      std::int64_t excess = total - target;
      if (excess > 0) {
        std::int64_t room = 0;
        for (const auto& s : sites)
          if (open_in(s) && s.kind == Kind::kSectorHq) room += std::max<std::int64_t>(0, s.current - 300);
        if (room > 0) {
          const std::int64_t take_total = std::min(excess, room);
          std::int64_t taken = 0;
          for (auto& s : sites) {
            if (!open_in(s) || s.kind != Kind::kSectorHq) continue;
            const std::int64_t r = std::max<std::int64_t>(0, s.current - 300);
            const auto take = static_cast<std::int64_t>(static_cast<double>(take_total) * static_cast<double>(r) /
                                                        static_cast<double>(room));
            s.current -= take;
            taken += take;
          }
          excess -= taken;
        }
        if (excess > 0) sites[0].current = std::max<std::int64_t>(0, sites[0].current - excess);
      }
    }
    for (auto& s : sites)
      if (open_in(s)) s.troops[y] = s.current;
  }

  // Rows: by year, then location name.
  std::ofstream out(path, std::ios::binary);
  if (!out) throw detail::write_error(path);
  out << "mission,year,country,location,latitude,longitude,Infantry,NoTroops,Reserve,hq,UNPOL,Med,Av,UNMO,"
         "ave.no.troops\n";
  SitesSummary summary;
  summary.capital = localities[0].name;
  summary.troops_by_year.assign(static_cast<std::size_t>(Y), 0);
  std::vector<int> by_name(sites.size());
  for (std::size_t i = 0; i < sites.size(); ++i) by_name[i] = static_cast<int>(i);
  std::sort(by_name.begin(), by_name.end(),
            [&](int a, int b) { return localities[sites[a].locality].name < localities[sites[b].locality].name; });
  std::vector<char> appeared(sites.size(), 0);
  for (int y = 0; y < Y; ++y) {
    for (int i : by_name) {
      const Site& s = sites[i];
      if (!(s.open <= y && y < s.close)) continue;
      const Locality& l = localities[s.locality];
      const std::int64_t troops = s.troops[y];
      const auto infantry = static_cast<std::int64_t>(std::llround(static_cast<double>(troops) * s.infantry_share));
      out << "UNMIC," << (config.first_year + y) << "," << csv_field(config.country_name) << "," << csv_field(l.name)
          << "," << fixed(l.where.lat, 6) << "," << fixed(l.where.lon, 6) << "," << infantry << "," << troops << ","
          << (troops > 0 ? s.reserve : 0) << "," << s.hq << "," << s.unpol << "," << s.med << "," << s.av << ","
          << s.unmo << "," << troops << "\n";
      summary.troops_by_year[y] += troops;
      ++summary.rows;
      appeared[i] = 1;
    }
  }
  for (char a : appeared) summary.sites += a;
  if (!out) throw detail::write_error(path);
  return summary;
}

}  // namespace endstate::scenario::detail
