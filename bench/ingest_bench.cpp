// Import throughput: a GED-shaped CSV (1M rows by default; ENDSTATE_BENCH_ROWS)
// into SQLite with area assignment against DR Congo's 26 provinces (dissolved
// from ../shared/data) and against 10,000 PRIO-GRID cells; rows/s and peak
// memory (each import runs in a forked child so its max RSS is its own).
// In the same run, the path an analyst would take instead: pandas.read_csv +
// geopandas.sjoin on the same file and polygons (bench/pandas_sjoin.py), as a ratio.

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <benchmark/benchmark.h>

#include "endstate/core/rng.hpp"
#include "endstate/geo/area_index.hpp"
#include "endstate/geo/areas_io.hpp"
#include "endstate/ingest/importer.hpp"
#include "endstate/ingest/readers.hpp"
#include "endstate/store/database.hpp"

namespace fs = std::filesystem;
using namespace endstate;

namespace {

fs::path work_dir() {
  static const fs::path dir = [] {
    const fs::path d = fs::temp_directory_path() / "endstate_bench_ingest";
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

long rows_wanted() {
  const char* e = std::getenv("ENDSTATE_BENCH_ROWS");
  return e ? std::atol(e) : 1'000'000;
}

fs::path shared_data() {
  const char* e = std::getenv("ENDSTATE_SHARED_DATA");
  return e ? fs::path(e) : fs::path(ENDSTATE_SOURCE_DIR) / ".." / "shared" / "data";
}

/// Writes the GED-shaped file once (49 columns, points in DR Congo's bounding box).
const fs::path& ged_file() {
  static const fs::path p = [] {
    const fs::path f = work_dir() / ("ged_" + std::to_string(rows_wanted()) + ".csv");
    if (fs::exists(f)) return f;
    std::FILE* out = std::fopen(f.c_str(), "wb");
    std::fputs(
        "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,conflict_name,"
        "dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,side_b_dset_id,side_b_new_id,"
        "side_b,number_of_sources,source_article,source_office,source_date,source_headline,source_original,"
        "where_prec,where_coordinates,where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,"
        "country,country_id,region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,"
        "deaths_civilians,deaths_unknown,best,high,low,gwnoa,gwnob\n",
        out);
    Rng rng(20260101);
    for (long i = 0; i < rows_wanted(); ++i) {
      const double lat = -13.4 + rng.uniform() * 18.7;
      const double lon = 12.3 + rng.uniform() * 18.9;
      const int type = 1 + static_cast<int>(rng.below(3));
      const int year = 1989 + static_cast<int>(rng.below(35));
      const int month = 1 + static_cast<int>(rng.below(12));
      const int day = 1 + static_cast<int>(rng.below(28));
      const int best = static_cast<int>(rng.below(20));
      std::fprintf(out,
                   "%ld,\"COD-%d-%d-%ld\",%d,1,\"Clear\",%d,%d,%d,\"DR Congo: Government\",%d,%d,\"Government of "
                   "DR Congo - CNDP\",%d,%d,\"Government of DR Congo (Zaire)\",%d,%d,\"CNDP\",2,\"Reuters %d-%02d-%02d "
                   "\"\"Fighting near the town\"\"\",\"Reuters\",\"%d-%02d-%02d\",\"Fighting\",NA,1,\"Village %ld\","
                   "\"near the village\",\"Nord-Kivu province\",\"Beni territory\",%.6f,%.6f,\"POINT (%.6f %.6f)\",%d,"
                   "\"DR Congo (Zaire)\",490,\"Africa\",1,1,%d-%02d-%02d,%d-%02d-%02d,%d,0,%d,0,%d,%d,%d,490,NA\n",
                   i + 1, year, type, i, year, type, 200 + type, 200 + type, 400 + type, 400 + type, 1, 1, 2, 2, year,
                   month, day, year, month, day, i, lat, lon, lon, lat, 100000 + static_cast<int>(i % 50000), year,
                   month, day, year, month, day, best / 2, best - best / 2, best, best + 3, best > 0 ? best - 1 : 0);
    }
    std::fclose(out);
    return f;
  }();
  return p;
}

/// A database holding only the areas; copied fresh for every import.
fs::path base_db(const std::string& which) {
  const fs::path db = work_dir() / ("base_" + which + ".db");
  const fs::path geojson = work_dir() / (which + ".geojson");
  if (fs::exists(db) && fs::exists(geojson)) return db;
  fs::remove(db);
  auto d = store::Database::open(db.string());
  if (which == "provinces") {
    ingest::AreaImportOptions o;
    o.read.level = "district";
    o.read.id_field = "wof:id";
    o.read.name_field = "wof:name";
    o.dissolve_csv = (shared_data() / "drc/boundaries/district_to_province_2015.csv").string();
    o.dissolve_key = "wof_id";
    o.dissolve_into = "province_2015";
    ingest::import_areas(d, (shared_data() / "drc/boundaries/districts_pre2015.geojson").string(), o);
  } else {
    // 100 x 100 half-degree cells over central Africa = 10,000 cells.
    ingest::import_grid_box(d, -20.0, -35.0, 30.0, 15.0);
  }
  // The same polygons as GeoJSON for the geopandas path (only the compared level).
  std::ofstream out(geojson);
  out << "{\"type\":\"FeatureCollection\",\"features\":[";
  bool first = true;
  for (const auto& a : d.areas(which == "provinces" ? "province" : "grid")) {
    out << (first ? "" : ",") << "{\"type\":\"Feature\",\"properties\":{\"id\":\"" << a.id
        << "\"},\"geometry\":" << geo::wkb_to_geojson(a.wkb, 7) << "}";
    first = false;
  }
  out << "]}";
  return db;
}

struct ChildRun {
  double seconds = 0;
  double cpu_seconds = 0;  ///< user + system time of the child (robust to other load on the machine)
  long max_rss_kb = 0;
  bool ok = false;
};

/// Runs `fn` in a forked child and returns its wall time and peak RSS.
template <typename Fn>
ChildRun in_child(Fn fn) {
  const auto t0 = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    int rc = 0;
    try {
      rc = fn() ? 0 : 1;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "bench child failed: %s\n", e.what());
      rc = 2;
    }
    _exit(rc);
  }
  int status = 0;
  rusage ru{};
  wait4(pid, &status, 0, &ru);
  ChildRun r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.max_rss_kb = ru.ru_maxrss;
  r.cpu_seconds = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                  1e-6 * static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
  r.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return r;
}

void import_bench(benchmark::State& state, const std::string& which) {
  if (which == "provinces" && !fs::exists(shared_data() / "PROVENANCE.md")) {
    state.SkipWithError("SKIPPED: ../shared/data not found (set ENDSTATE_SHARED_DATA)");
    return;
  }
  const fs::path file = ged_file();
  const fs::path base = base_db(which);
  long rss = 0;
  double cpu = 0;
  for (auto _ : state) {
    const fs::path db = work_dir() / ("run_" + which + ".db");
    fs::remove(db);
    fs::remove(db.string() + "-wal");
    fs::copy_file(base, db);
    const ChildRun r = in_child([&] {
      auto d = store::Database::open(db.string());
      const auto s = ingest::import_events(d, file.string(), ingest::EventSource::kUcdp, {}, {});
      return s.imported == rows_wanted();
    });
    if (!r.ok) state.SkipWithError("import failed");
    state.SetIterationTime(r.seconds);
    rss = std::max(rss, r.max_rss_kb);
    cpu += r.cpu_seconds;
  }
  state.counters["cpu_rows_per_s"] = static_cast<double>(rows_wanted()) * static_cast<double>(state.iterations()) / cpu;
  state.counters["rows_per_s"] =
      benchmark::Counter(static_cast<double>(rows_wanted()) * state.iterations(), benchmark::Counter::kIsRate);
  state.counters["peak_rss_MB"] = static_cast<double>(rss) / 1024.0;
}

void pandas_bench(benchmark::State& state, const std::string& which) {
  if (which == "provinces" && !fs::exists(shared_data() / "PROVENANCE.md")) {
    state.SkipWithError("SKIPPED: ../shared/data not found (set ENDSTATE_SHARED_DATA)");
    return;
  }
  const fs::path file = ged_file();
  base_db(which);
  const std::string cmd = "/usr/bin/python3 " + std::string(ENDSTATE_SOURCE_DIR) + "/bench/pandas_sjoin.py " +
                          file.string() + " " + (work_dir() / (which + ".geojson")).string() + " > /dev/null";
  long rss = 0;
  double cpu = 0;
  for (auto _ : state) {
    const ChildRun r = in_child([&] { return std::system(cmd.c_str()) == 0; });
    if (!r.ok) state.SkipWithError("python3 with pandas and geopandas is needed (scripts/install-deps)");
    state.SetIterationTime(r.seconds);
    rss = std::max(rss, r.max_rss_kb);
    cpu += r.cpu_seconds;
  }
  state.counters["cpu_rows_per_s"] = static_cast<double>(rows_wanted()) * static_cast<double>(state.iterations()) / cpu;
  state.counters["rows_per_s"] =
      benchmark::Counter(static_cast<double>(rows_wanted()) * state.iterations(), benchmark::Counter::kIsRate);
  state.counters["peak_rss_MB"] = static_cast<double>(rss) / 1024.0;
}

/// Where the time goes: the reader alone, then the reader with area lookups
/// (no SQLite), on the same file, in-process (one core).
class CountingSink final : public ingest::EventSink {
 public:
  explicit CountingSink(const geo::AreaIndex* index) : index_(index) {}
  void on_event(Event&& e, std::int64_t) override {
    ++events;
    if (index_) {
      index_->lookup(e.where, hits_);
      located += hits_.empty() || hits_[0] < 0 ? 0 : 1;
    }
  }
  void on_reject(Reject&&) override { ++rejects; }
  long events = 0, rejects = 0, located = 0;

 private:
  const geo::AreaIndex* index_;
  std::vector<int> hits_;
};

void stage_bench(benchmark::State& state, const std::string& which, bool locate) {
  if (which == "provinces" && !fs::exists(shared_data() / "PROVENANCE.md")) {
    state.SkipWithError("SKIPPED: ../shared/data not found (set ENDSTATE_SHARED_DATA)");
    return;
  }
  const fs::path file = ged_file();
  auto d = store::Database::open(base_db(which).string());
  const geo::AreaIndex index(d.areas());
  for (auto _ : state) {
    CountingSink sink(locate ? &index : nullptr);
    ingest::read_events(file.string(), ingest::EventSource::kUcdp, {}, sink);
    if (sink.events != rows_wanted()) state.SkipWithError("reader lost rows");
    benchmark::DoNotOptimize(sink.located);
  }
  state.counters["rows_per_s"] =
      benchmark::Counter(static_cast<double>(rows_wanted()) * state.iterations(), benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK_CAPTURE(stage_bench, read_only, std::string("provinces"), false)->Unit(benchmark::kSecond)->Iterations(2);
BENCHMARK_CAPTURE(stage_bench, read_and_locate_provinces, std::string("provinces"), true)
    ->Unit(benchmark::kSecond)
    ->Iterations(2);
BENCHMARK_CAPTURE(stage_bench, read_and_locate_grid10k, std::string("grid"), true)
    ->Unit(benchmark::kSecond)
    ->Iterations(2);
BENCHMARK_CAPTURE(import_bench, provinces, std::string("provinces"))
    ->UseManualTime()
    ->Unit(benchmark::kSecond)
    ->Iterations(3);
BENCHMARK_CAPTURE(pandas_bench, provinces, std::string("provinces"))
    ->UseManualTime()
    ->Unit(benchmark::kSecond)
    ->Iterations(1);
BENCHMARK_CAPTURE(import_bench, grid10k, std::string("grid"))->UseManualTime()->Unit(benchmark::kSecond)->Iterations(3);
BENCHMARK_CAPTURE(pandas_bench, grid10k, std::string("grid"))->UseManualTime()->Unit(benchmark::kSecond)->Iterations(1);

BENCHMARK_MAIN();
