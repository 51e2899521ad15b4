// threat: Kulldorff space-time scan on PRIO-GRID-sized data.
//
// 1. Prospective, Poisson (BM_Scan*, the first benchmark of this program): a
//    square of 0.5-degree cells (default 100 x 100 = 10,000 cells) x 120 months,
//    populations 1k-200k, events Poisson with mean 0.05 per cell-month plus a
//    few hot spots; circles up to 150 km and 50% of the population, windows up
//    to 12 months, 999 replications; against the straightforward
//    implementation on fewer replications (per-replication ratio).
// 2. Retrospective, space-time permutation, the defaults of `threat hotspots`
//    (BM_Retro*): circles up to 50% of the events, windows up to 12 months,
//    999 replications, on a synthetic sparse country of 532 PRIO-GRID cells x
//    168 months built to resemble a real one (most cells never see an event;
//    activity in a few hot regions and episodes; about 1,700 events), and on
//    10,000 cells x 168 months (radius 150 km: without it the circles exceed
//    the 40-million limit). Each is run with the pruned scan (space_time_scan),
//    today's algorithm before it (space_time_scan_reference: every window of
//    every circle) and the straightforward enumeration (space_time_scan_naive),
//    in the same run; the reference and naive runs use fewer replications
//    (their maxima must equal the first ones of the pruned run bit for bit:
//    counter maxima_identical) and the ratio is per replication, single
//    thread against single thread.
// 3. Real data (BM_RetroSyria*): UCDP GED Syria 2016-2019
//    (../shared/data/ucdp/ged_syria_2016_2019.csv, or $ENDSTATE_SHARED_DATA),
//    violence against civilians (type 3, 482 events) by the source's
//    priogrid_gid on the 154 PRIO-GRID cells of Syria's bbox, 48 months, the
//    same defaults.
//
// Sizes: ENDSTATE_THREAT_BENCH_CELLS, _MONTHS, _REPLICATIONS,
// _NAIVE_REPLICATIONS, _RETRO_REPLICATIONS, _REF_REPLICATIONS,
// _GROUP (1: group equidistant cells, the new default; 0: today's one at a
// time, the default here so that "today" is today's exact answer).
// ENDSTATE_THREAT_BENCH_SATSCAN_DIR: also write the SaTScan files of the
// retrospective inputs there (satscan_export), for the parity run.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include <benchmark/benchmark.h>

#include "endstate/core/rng.hpp"
#include "endstate/threat/scan.hpp"

namespace {

using endstate::Rng;
using namespace endstate::threat;

std::size_t env(const char* name, std::size_t def) {
  const char* v = std::getenv(name);
  return v ? static_cast<std::size_t>(std::strtoull(v, nullptr, 10)) : def;
}

std::int64_t poisson(Rng& rng, double mean) {
  const double limit = std::exp(-mean);
  std::int64_t k = 0;
  double prod = rng.uniform();
  while (prod > limit) {
    ++k;
    prod *= rng.uniform();
  }
  return k;
}

const ScanData& data() {
  static const ScanData data_set = [] {
    ScanData d;
    const std::size_t cells = env("ENDSTATE_THREAT_BENCH_CELLS", 10000);
    const std::size_t side = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(cells))));
    d.months = env("ENDSTATE_THREAT_BENCH_MONTHS", 120);
    Rng rng(42, 0);
    for (std::size_t k = 0; k < cells; ++k) {
      const double lat = -25.0 + 0.5 * static_cast<double>(k / side) + 0.25;
      const double lon = 0.0 + 0.5 * static_cast<double>(k % side) + 0.25;
      d.centroids.push_back({lat, lon});
      d.population.push_back(1000.0 + static_cast<double>(rng.below(199000)));
    }
    for (std::size_t k = 0; k < cells; ++k) {
      const bool hot = k % 997 == 0;  // a few hot cells
      for (std::size_t t = 0; t < d.months; ++t)
        d.counts.push_back(poisson(rng, hot && t + 6 >= d.months ? 2.0 : 0.05));
    }
    return d;
  }();
  return data_set;
}

ScanOptions options(std::size_t replications, std::size_t threads) {
  ScanOptions o;
  o.model = ScanModel::kPoisson;
  o.mode = ScanMode::kProspective;
  o.max_radius_km = 150;
  o.max_population_share = 0.5;
  o.max_months = 12;
  o.replications = replications;
  o.threads = threads;
  o.seed = 7;
  return o;
}

double g_naive_seconds_per_rep = 0;
double g_fast1_seconds_per_rep = 0;

void BM_ScanNaive(benchmark::State& state) {
  const auto reps = env("ENDSTATE_THREAT_BENCH_NAIVE_REPLICATIONS", 4);
  const auto& d = data();
  ScanResult r;
  double secs = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    r = space_time_scan_naive(d, options(reps, 1));
    secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  g_naive_seconds_per_rep = secs / static_cast<double>(reps + 1);  // + the observed scan
  state.counters["replications"] = static_cast<double>(reps);
  state.counters["seconds_per_replication"] = g_naive_seconds_per_rep;
  state.counters["windows"] = static_cast<double>(r.windows);
  state.counters["primary_llr"] = r.clusters.empty() ? 0.0 : r.clusters[0].llr;
}

void BM_Scan(benchmark::State& state) {
  const auto threads = static_cast<std::size_t>(state.range(0));
  const auto reps = env("ENDSTATE_THREAT_BENCH_REPLICATIONS", 999);
  const auto& d = data();
  ScanResult r;
  double secs = 0, cpu = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::clock_t c0 = std::clock();
    r = space_time_scan(d, options(reps, threads));
    cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  state.counters["process_cpu_seconds"] = cpu;
  state.counters["wall_seconds"] = secs;
  state.counters["cpu_seconds_per_replication"] = cpu / static_cast<double>(reps + 1);
  const double per_rep = secs / static_cast<double>(reps + 1);
  if (threads == 1) g_fast1_seconds_per_rep = per_rep;
  state.counters["threads"] = static_cast<double>(threads);
  state.counters["cells"] = static_cast<double>(d.centroids.size() * d.months);
  state.counters["circles"] = static_cast<double>(r.circles);
  state.counters["windows"] = static_cast<double>(r.windows);
  state.counters["replications"] = static_cast<double>(reps);
  state.counters["seconds_per_replication"] = per_rep;
  state.counters["primary_llr"] = r.clusters.empty() ? 0.0 : r.clusters[0].llr;
  state.counters["primary_p"] = r.clusters.empty() ? 1.0 : r.clusters[0].p_value;
  if (g_naive_seconds_per_rep > 0) state.counters["naive_over_this_per_rep"] = g_naive_seconds_per_rep / per_rep;
  if (g_fast1_seconds_per_rep > 0) state.counters["speedup_vs_1_thread"] = g_fast1_seconds_per_rep / per_rep;
}

// Today's algorithm before the pruned replications, same circles and data, one
// thread, fewer replications: the per-replication ratio against BM_Scan/1.
void BM_ScanReference(benchmark::State& state) {
  const auto reps = env("ENDSTATE_THREAT_BENCH_REF_REPLICATIONS", 99);
  const auto& d = data();
  ScanResult r;
  double cpu = 0;
  for (auto _ : state) {
    const std::clock_t c0 = std::clock();
    r = space_time_scan_reference(d, options(reps, 1));
    cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  }
  state.counters["process_cpu_seconds"] = cpu;
  state.counters["cpu_seconds_per_replication"] = cpu / static_cast<double>(reps + 1);
  state.counters["replications"] = static_cast<double>(reps);
  state.counters["circles"] = static_cast<double>(r.circles);
  state.counters["primary_llr"] = r.clusters.empty() ? 0.0 : r.clusters[0].llr;
}

// ---------------------------------------------------------------------------
// Retrospective, space-time permutation, the defaults of `threat hotspots`.

/// A synthetic sparse country: `cells` PRIO-GRID cells (the nearest to a
/// centre in an elongated, lumpy shape) x `months`; `hot` hot regions, each
/// with 2-4 episodes of 3-18 months; cells within 3 cells of a hot centre are
/// active with probability 0.7, others with probability 0.04; an active
/// cell has a background rate and the episodes of the regions near it.
ScanData sparse_country(std::size_t cells, std::size_t months, std::size_t hot, std::uint64_t seed) {
  Rng rng(seed, 0);
  const auto side = static_cast<std::int64_t>(std::ceil(std::sqrt(static_cast<double>(cells)) * 1.6));
  struct Cand {
    double key;
    std::int64_t r, c;
  };
  std::vector<Cand> cand;
  for (std::int64_t r = 0; r < side; ++r)
    for (std::int64_t c = 0; c < side; ++c) {
      const double y = (static_cast<double>(r) - static_cast<double>(side) / 2) / 0.8;
      const double x = (static_cast<double>(c) - static_cast<double>(side) / 2) / 1.2;
      const double lump = 1 + 0.25 * std::sin(0.7 * static_cast<double>(r)) * std::cos(0.5 * static_cast<double>(c));
      cand.push_back({std::sqrt(x * x + y * y) * lump, r, c});
    }
  std::stable_sort(cand.begin(), cand.end(), [](const Cand& a, const Cand& b) { return a.key < b.key; });
  cand.resize(cells);
  std::stable_sort(cand.begin(), cand.end(),
                   [](const Cand& a, const Cand& b) { return a.r < b.r || (a.r == b.r && a.c < b.c); });
  ScanData d;
  d.months = months;
  for (const auto& k : cand) {
    // PRIO-GRID cell centres: row 190 ~ 5 N, col 400 ~ 20 E
    d.centroids.push_back(
        {-90.0 + 0.5 * static_cast<double>(170 + k.r) + 0.25, -180.0 + 0.5 * static_cast<double>(400 + k.c) + 0.25});
  }
  struct Episode {
    std::size_t start, len;
    double rate;
  };
  struct Hot {
    std::size_t cell;
    std::vector<Episode> episodes;
  };
  std::vector<Hot> hots;
  for (std::size_t h = 0; h < hot; ++h) {
    Hot x;
    x.cell = static_cast<std::size_t>(rng.below(cells));
    const std::size_t ne = 2 + static_cast<std::size_t>(rng.below(3));
    for (std::size_t e = 0; e < ne; ++e) {
      const std::size_t len = 3 + static_cast<std::size_t>(rng.below(16));
      x.episodes.push_back({static_cast<std::size_t>(rng.below(months - len)), len, 0.4 + 1.4 * rng.uniform()});
    }
    hots.push_back(std::move(x));
  }
  d.counts.assign(cells * months, 0);
  for (std::size_t z = 0; z < cells; ++z) {
    double nearest = 1e9;
    for (const auto& h : hots) {
      const double dd = endstate::great_circle_km(d.centroids[z], d.centroids[h.cell]) / 55.0;
      nearest = std::min(nearest, dd);
    }
    const bool active = rng.uniform() < (nearest <= 3 ? 0.7 : 0.04);
    if (!active) continue;
    const double base = 0.005 + 0.02 * rng.uniform();
    for (std::size_t t = 0; t < months; ++t) {
      double rate = base;
      for (const auto& h : hots) {
        const double dd = endstate::great_circle_km(d.centroids[z], d.centroids[h.cell]) / 55.0;
        if (dd > 3) continue;
        for (const auto& e : h.episodes)
          if (t >= e.start && t < e.start + e.len) rate += e.rate * std::exp(-dd * dd / 2);
      }
      d.counts[z * months + t] = poisson(rng, rate);
    }
  }
  return d;
}

const ScanData& country532() {
  static const ScanData d = sparse_country(532, env("ENDSTATE_THREAT_BENCH_MONTHS_RETRO", 168), 6, 19);
  return d;
}
const ScanData& country10k() {
  static const ScanData d = sparse_country(10000, env("ENDSTATE_THREAT_BENCH_MONTHS_RETRO", 168), 60, 23);
  return d;
}

/// UCDP GED Syria: VAC events on the PRIO-GRID cells with any event, by month 2016-01..2019-12.
struct RealData {
  ScanData data;
  std::vector<std::string> ids;
  bool found = false;
  std::size_t events = 0;
  std::size_t outside = 0;  ///< VAC events whose gid is not in the bbox (left out)
};

std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char ch = line[i];
    if (quoted) {
      if (ch == '"' && i + 1 < line.size() && line[i + 1] == '"')
        cur += '"', ++i;
      else if (ch == '"')
        quoted = false;
      else
        cur += ch;
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  out.push_back(cur);
  return out;
}

const RealData& syria() {
  static const RealData rd = [] {
    RealData r;
    const char* shared = std::getenv("ENDSTATE_SHARED_DATA");
    std::vector<std::filesystem::path> tries;
    if (shared) tries.emplace_back(std::filesystem::path(shared) / "ucdp/ged_syria_2016_2019.csv");
    tries.emplace_back("../shared/data/ucdp/ged_syria_2016_2019.csv");
    tries.emplace_back("/work/shared/data/ucdp/ged_syria_2016_2019.csv");
    std::ifstream in;
    for (const auto& p : tries) {
      in.open(p);
      if (in) break;
      in.clear();
    }
    if (!in) return r;
    std::string line;
    std::getline(in, line);
    const auto head = split_csv(line);
    auto col = [&](const char* name) {
      for (std::size_t i = 0; i < head.size(); ++i)
        if (head[i] == name) return i;
      return head.size();
    };
    const std::size_t c_type = col("type_of_violence"), c_gid = col("priogrid_gid"), c_date = col("date_start");
    std::map<long, std::map<int, std::int64_t>> counts;  // gid -> month index -> VAC events
    while (std::getline(in, line)) {
      // rows may span lines (quoted newlines): join until the quotes balance
      while (std::count(line.begin(), line.end(), '"') % 2 == 1) {
        std::string more;
        if (!std::getline(in, more)) break;
        line += "\n" + more;
      }
      const auto f = split_csv(line);
      if (f.size() < head.size()) continue;
      const long gid = std::strtol(f[c_gid].c_str(), nullptr, 10);
      const int year = std::atoi(f[c_date].substr(0, 4).c_str());
      const int month = std::atoi(f[c_date].substr(5, 2).c_str());
      const int t = (year - 2016) * 12 + (month - 1);
      if (gid <= 0 || t < 0 || t >= 48) continue;
      auto& row = counts[gid];
      if (f[c_type] == "3") {
        ++row[t];
        ++r.events;
      }
    }
    // the panel's cells: the 154 PRIO-GRID cells of the bbox 35.5,32,42.5,37.5 (PROVENANCE.md)
    r.data.months = 48;
    for (long row = 244; row < 255; ++row)
      for (long c = 431; c < 445; ++c) {
        const long gid = row * 720 + c + 1;
        r.data.centroids.push_back(
            {-90.0 + 0.5 * static_cast<double>(row) + 0.25, -180.0 + 0.5 * static_cast<double>(c) + 0.25});
        r.ids.push_back("pg-" + std::to_string(gid));
        const auto it = counts.find(gid);
        for (int t = 0; t < 48; ++t) {
          std::int64_t v = 0;
          if (it != counts.end()) {
            const auto jt = it->second.find(t);
            if (jt != it->second.end()) v = jt->second;
          }
          r.data.counts.push_back(v);
        }
        if (it != counts.end()) counts.erase(it);
      }
    for (const auto& [gid, months] : counts)
      for (const auto& [t, v] : months) r.outside += static_cast<std::size_t>(v);
    r.found = true;
    return r;
  }();
  return rd;
}

ScanOptions retro_options(std::size_t replications) {
  ScanOptions o;  // the defaults of `threat hotspots`
  o.model = ScanModel::kPermutation;
  o.mode = ScanMode::kRetrospective;
  o.max_population_share = 0.5;
  o.max_months = 12;
  o.replications = replications;
  o.threads = 1;
  o.seed = 1;
  o.group_equidistant = env("ENDSTATE_THREAT_BENCH_GROUP", 0) != 0;
  return o;
}

void write_satscan(const ScanData& d, const ScanOptions& o, const std::vector<std::string>& ids, const char* name,
                   int year, int month) {
  const char* dir = std::getenv("ENDSTATE_THREAT_BENCH_SATSCAN_DIR");
  if (!dir) return;
  const std::filesystem::path p = std::filesystem::path(dir) / name;
  std::filesystem::create_directories(p);
  SatscanExportInput in;
  in.area_ids = ids;
  in.start_year = year;
  in.start_month = month;
  const auto f = satscan_export(d, o, in);
  std::ofstream(p / in.case_file) << f.cases;
  std::ofstream(p / in.coordinates_file) << f.coordinates;
  std::ofstream(p / "analysis.prm") << f.parameters;
  if (!f.population.empty()) std::ofstream(p / in.population_file) << f.population;
}

std::vector<std::string> grid_ids(const ScanData& d) {
  std::vector<std::string> ids;
  for (const auto& c : d.centroids) {
    const auto row = static_cast<long>(std::floor((c.lat + 90) * 2)),
               col = static_cast<long>(std::floor((c.lon + 180) * 2));
    ids.push_back("pg-" + std::to_string(row * 720 + col + 1));
  }
  return ids;
}

struct RetroRun {
  ScanResult result;
  double wall = 0, cpu = 0;
};
std::map<std::string, RetroRun> g_runs;  // by "<input>/<algorithm>"

enum class Alg { kPruned, kReference, kNaive };

void run_retro(benchmark::State& state, const std::string& input, const ScanData& d, const ScanOptions& o, Alg alg) {
  RetroRun run;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::clock_t c0 = std::clock();
    run.result = alg == Alg::kPruned      ? space_time_scan(d, o)
                 : alg == Alg::kReference ? space_time_scan_reference(d, o)
                                          : space_time_scan_naive(d, o);
    run.cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    run.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  const auto& r = run.result;
  const double per_rep = run.cpu / static_cast<double>(o.replications + 1);
  std::int64_t events = 0, active = 0;
  for (std::size_t z = 0; z < d.centroids.size(); ++z) {
    std::int64_t s = 0;
    for (std::size_t t = 0; t < d.months; ++t) s += d.counts[z * d.months + t];
    events += s;
    active += s > 0 ? 1 : 0;
  }
  state.counters["cells"] = static_cast<double>(d.centroids.size());
  state.counters["months"] = static_cast<double>(d.months);
  state.counters["events"] = static_cast<double>(events);
  state.counters["cells_with_events"] = static_cast<double>(active);
  state.counters["replications"] = static_cast<double>(o.replications);
  state.counters["circles"] = static_cast<double>(r.circles);
  state.counters["windows"] = static_cast<double>(r.windows);
  state.counters["process_cpu_seconds"] = run.cpu;
  state.counters["cpu_seconds_per_replication"] = per_rep;
  state.counters["cpu_seconds_for_999"] = per_rep * 1000;
  state.counters["primary_llr"] = r.clusters.empty() ? 0.0 : r.clusters[0].llr;
  state.counters["primary_p"] = r.clusters.empty() ? 1.0 : r.clusters[0].p_value;
  state.counters["primary_areas"] = r.clusters.empty() ? 0.0 : static_cast<double>(r.clusters[0].areas.size());
  state.counters["primary_centre"] = r.clusters.empty() ? -1.0 : static_cast<double>(r.clusters[0].centre);
  state.counters["primary_start"] = r.clusters.empty() ? -1.0 : static_cast<double>(r.clusters[0].start);
  state.counters["primary_end"] = r.clusters.empty() ? -1.0 : static_cast<double>(r.clusters[0].end);
  state.counters["null_q95"] = r.null_summary.q95;
  const auto pruned = g_runs.find(input + "/pruned");
  if (alg != Alg::kPruned && pruned != g_runs.end()) {
    const auto& p = pruned->second;
    const double pruned_per_rep = p.cpu / static_cast<double>(p.result.null_max_llr.size() + 1);
    state.counters["this_over_pruned_per_replication"] = per_rep / pruned_per_rep;
    bool same = r.null_max_llr.size() <= p.result.null_max_llr.size();
    for (std::size_t k = 0; same && k < r.null_max_llr.size(); ++k)
      same = r.null_max_llr[k] == p.result.null_max_llr[k];
    state.counters["maxima_identical"] = same ? 1 : 0;
    const bool same_cluster =
        !r.clusters.empty() && !p.result.clusters.empty() && r.clusters[0].areas == p.result.clusters[0].areas &&
        r.clusters[0].start == p.result.clusters[0].start && r.clusters[0].end == p.result.clusters[0].end &&
        r.clusters[0].llr == p.result.clusters[0].llr;
    state.counters["same_primary_cluster"] = same_cluster ? 1 : 0;
  }
  g_runs[input + (alg == Alg::kPruned ? "/pruned" : alg == Alg::kReference ? "/reference" : "/naive")] = run;
}

void BM_Retro532(benchmark::State& state) {
  const auto alg = static_cast<Alg>(state.range(0));
  const std::size_t reps = alg == Alg::kPruned      ? env("ENDSTATE_THREAT_BENCH_RETRO_REPLICATIONS", 999)
                           : alg == Alg::kReference ? env("ENDSTATE_THREAT_BENCH_REF_REPLICATIONS", 19)
                                                    : env("ENDSTATE_THREAT_BENCH_NAIVE_REPLICATIONS", 1);
  const auto o = retro_options(reps);
  if (alg == Alg::kPruned)
    write_satscan(country532(), retro_options(999), grid_ids(country532()), "country532", 2010, 1);
  run_retro(state, "532", country532(), o, alg);
}

void BM_Retro10k(benchmark::State& state) {
  const auto alg = static_cast<Alg>(state.range(0));
  const std::size_t reps = alg == Alg::kPruned      ? env("ENDSTATE_THREAT_BENCH_RETRO10K_REPLICATIONS", 99)
                           : alg == Alg::kReference ? env("ENDSTATE_THREAT_BENCH_REF10K_REPLICATIONS", 2)
                                                    : env("ENDSTATE_THREAT_BENCH_NAIVE10K_REPLICATIONS", 0);
  auto o = retro_options(reps);
  o.max_radius_km = 150;
  run_retro(state, "10k", country10k(), o, alg);
}

void BM_RetroSyria(benchmark::State& state) {
  const auto& rd = syria();
  if (!rd.found) {
    state.SkipWithError("ged_syria_2016_2019.csv not found (ENDSTATE_SHARED_DATA)");
    return;
  }
  const auto alg = static_cast<Alg>(state.range(0));
  const std::size_t reps = alg == Alg::kNaive ? env("ENDSTATE_THREAT_BENCH_NAIVE_REPLICATIONS", 1) : 999;
  const auto o = retro_options(reps);
  if (alg == Alg::kPruned) write_satscan(rd.data, o, rd.ids, "syria", 2016, 1);
  run_retro(state, "syria", rd.data, o, alg);
  state.counters["vac_events"] = static_cast<double>(rd.events);
  state.counters["vac_events_outside_bbox"] = static_cast<double>(rd.outside);
}

BENCHMARK(BM_ScanNaive)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();
BENCHMARK(BM_Scan)
    ->Arg(1)
    ->Arg(static_cast<int>(std::max(2u, std::thread::hardware_concurrency())))
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();
BENCHMARK(BM_ScanReference)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();
// Arg: 0 pruned (space_time_scan), 1 reference (today's algorithm), 2 naive.
BENCHMARK(BM_Retro532)->Arg(0)->Arg(1)->Arg(2)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();
BENCHMARK(BM_RetroSyria)->Arg(0)->Arg(1)->Arg(2)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();
BENCHMARK(BM_Retro10k)->Arg(0)->Arg(1)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
