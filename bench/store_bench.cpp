// The two store backends side by side (issue 17), in one run:
//
// - import: a GED-shaped CSV (200k rows by default; ENDSTATE_BENCH_ROWS) with
//   area assignment against 10,000 PRIO-GRID cells, through the real
//   ingest::import_events, into a fresh SQLite file and into a fresh
//   PostgreSQL + PostGIS database (COPY into a staging table, one set-based
//   insert); and the reference tool, ogr2ogr loading the same file into a
//   PostGIS table with COPY and a GiST index (points only: no validation, no
//   area assignment, no deduplication). Each import runs in a forked child:
//   wall rows/s and the child's CPU rows/s (the server's own CPU time is not
//   in the PostgreSQL CPU figure; wall time has it).
// - query: what analyses read, on the imported stores: every event of five
//   years (for_each_event by month range), and the events of 100 grid cells.
//
// PostgreSQL: a throwaway cluster started by tests/postgres/pg_test_cluster.sh
// in a temporary folder (Debian's postgresql-15 and postgresql-15-postgis-3,
// scripts/install-deps) and stopped at the end; fsync off, as in the tests.

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
#include "endstate/ingest/importer.hpp"
#include "endstate/store/database.hpp"
#include "endstate/store/tables.hpp"

namespace fs = std::filesystem;
using namespace endstate;

namespace {

long rows_wanted() {
  const char* e = std::getenv("ENDSTATE_BENCH_ROWS");
  return e ? std::atol(e) : 200'000;
}

fs::path work_dir() {
  static const fs::path dir = [] {
    const fs::path d = fs::temp_directory_path() / "endstate_bench_store";
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

std::string quote(const std::string& s) {
  std::string o = "'";
  for (char c : s) o += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return o + "'";
}

int sh(const std::string& cmd) {
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// The throwaway cluster: started on first use, stopped at exit.
class Cluster {
 public:
  static Cluster& get() {
    static Cluster c;
    return c;
  }
  [[nodiscard]] bool ok() const { return ok_; }
  /// A fresh database (PostGIS enabled) named `name`; its --db location.
  std::string fresh(const std::string& name) const {
    sh(psql("postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
    if (sh(psql("postgres", "CREATE DATABASE " + name + " TEMPLATE endstate_template")) != 0) return {};
    return "postgresql:///" + name;
  }
  [[nodiscard]] std::string psql(const std::string& db, const std::string& sql) const {
    return "psql -X -q -v ON_ERROR_STOP=1 -d " + quote(db) + " -c " + quote(sql) + " >/dev/null 2>&1";
  }
  ~Cluster() {
    if (ok_) sh(script_ + " stop " + quote(dir_.string()) + " >/dev/null 2>&1");
  }

 private:
  Cluster() : dir_("/tmp/endstate-pgbench-" + std::to_string(::getpid())) {
    script_ = quote(std::string(ENDSTATE_SOURCE_DIR) + "/tests/postgres/pg_test_cluster.sh");
    ok_ = sh(script_ + " start " + quote(dir_.string()) + " >/dev/null") == 0;
    if (!ok_) return;
    ::setenv("PGHOST", (dir_ / "sock").c_str(), 1);
    ::setenv("PGPORT", "5432", 1);
    ::setenv("PGUSER", "postgres", 1);
  }
  fs::path dir_;
  std::string script_;
  bool ok_ = false;
};

/// The GED-shaped file, written once (49 columns, points in DR Congo's bounding box).
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

/// An SQLite store holding only the 10,000 grid cells; copied for each import.
const fs::path& base_db() {
  static const fs::path db = [] {
    const fs::path f = work_dir() / "base_grid.db";
    fs::remove(f);
    fs::remove(f.string() + "-wal");
    auto d = store::Database::open(f.string());
    ingest::import_grid_box(d, -20.0, -35.0, 30.0, 15.0);  // 100 x 100 half-degree cells
    return f;
  }();
  return db;
}

/// A store at `location` holding the base areas: an SQLite copy, or the
/// base copied into a fresh PostgreSQL database.
std::string fresh_store(bool postgres, const std::string& name) {
  if (!postgres) {
    const fs::path db = work_dir() / (name + ".db");
    fs::remove(db);
    fs::remove(db.string() + "-wal");
    fs::copy_file(base_db(), db);
    return db.string();
  }
  const std::string location = Cluster::get().fresh(name);
  if (location.empty()) return {};
  auto from = store::Database::open_read_only(base_db().string());
  auto to = store::Database::open(location);
  store::copy_store(from, to);
  return location;
}

struct ChildRun {
  double seconds = 0;
  double cpu_seconds = 0;
  bool ok = false;
};

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
  r.cpu_seconds = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                  1e-6 * static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
  r.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return r;
}

void rates(benchmark::State& state, double rows, double cpu) {
  state.counters["rows_per_s"] = benchmark::Counter(rows, benchmark::Counter::kIsRate);
  if (cpu > 0) state.counters["client_cpu_rows_per_s"] = rows / cpu;
}

void import_bench(benchmark::State& state, bool postgres) {
  if (postgres && !Cluster::get().ok()) {
    state.SkipWithError("no PostgreSQL test cluster (scripts/install-deps installs postgresql-15 and PostGIS)");
    return;
  }
  const fs::path file = ged_file();
  double cpu = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const std::string location = fresh_store(postgres, postgres ? "bench_import" : "run_import");
    state.ResumeTiming();
    const ChildRun r = in_child([&] {
      auto d = store::Database::open(location);
      const auto s = ingest::import_events(d, file.string(), ingest::EventSource::kUcdp, {}, {});
      return s.imported == rows_wanted();
    });
    if (!r.ok) state.SkipWithError("import failed");
    state.SetIterationTime(r.seconds);
    cpu += r.cpu_seconds;
  }
  rates(state, static_cast<double>(rows_wanted()) * static_cast<double>(state.iterations()), cpu);
}

void ogr2ogr_bench(benchmark::State& state) {
  if (!Cluster::get().ok()) {
    state.SkipWithError("no PostgreSQL test cluster (scripts/install-deps installs postgresql-15 and PostGIS)");
    return;
  }
  const fs::path file = ged_file();
  for (auto _ : state) {
    state.PauseTiming();
    const std::string location = Cluster::get().fresh("bench_ogr");
    state.ResumeTiming();
    const std::string cmd = "PG_USE_COPY=YES ogr2ogr -f PostgreSQL " + quote("PG:dbname=bench_ogr") + " " +
                            quote(file.string()) +
                            " -nln ged -a_srs EPSG:4326 -oo X_POSSIBLE_NAMES=longitude -oo Y_POSSIBLE_NAMES=latitude"
                            " -oo AUTODETECT_TYPE=YES -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=GIST"
                            " -gt 65536 >/dev/null 2>&1";
    const ChildRun r = in_child([&] { return !location.empty() && std::system(cmd.c_str()) == 0; });
    if (!r.ok) state.SkipWithError("ogr2ogr failed (gdal-bin)");
    state.SetIterationTime(r.seconds);
  }
  rates(state, static_cast<double>(rows_wanted()) * static_cast<double>(state.iterations()), 0);
}

/// The imported store of each backend, built once for the query benchmarks.
const std::string& imported_store(bool postgres) {
  static std::string locations[2];
  std::string& loc = locations[postgres ? 1 : 0];
  if (loc.empty()) {
    loc = fresh_store(postgres, postgres ? "bench_query" : "query");
    if (loc.empty()) return loc;
    auto d = store::Database::open(loc);
    ingest::import_events(d, ged_file().string(), ingest::EventSource::kUcdp, {}, {});
  }
  return loc;
}

void query_bench(benchmark::State& state, bool postgres, bool by_area) {
  if (postgres && !Cluster::get().ok()) {
    state.SkipWithError("no PostgreSQL test cluster");
    return;
  }
  const std::string& loc = imported_store(postgres);
  store::EventFilter f;
  if (by_area) {
    auto d = store::Database::open_read_only(loc);
    // 100 cells spread over the events' bounding box (every 5th cell inside it).
    std::size_t k = 0;
    for (const auto& a : d.areas("grid", false)) {
      if (a.min_lon < 12.3 || a.max_lon > 31.2 || a.min_lat < -13.4 || a.max_lat > 5.3) continue;
      if (k++ % 5 == 0 && f.area_ids.size() < 100) f.area_ids.push_back(a.id);
    }
  } else {
    f.from = Month::from_ym(2010, 1);
    f.to = Month::from_ym(2014, 12);
  }
  double rows = 0;
  for (auto _ : state) {
    auto d = store::Database::open_read_only(loc);
    long n = 0;
    d.for_each_event(f, [&](const store::EventRow& e) { n += e.event.fatalities_best >= 0 ? 1 : 0; });
    d.end_snapshot();
    if (n == 0) state.SkipWithError("no events read");
    rows += static_cast<double>(n);
    state.counters["events"] = static_cast<double>(n);
  }
  state.counters["rows_per_s"] = benchmark::Counter(rows, benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK_CAPTURE(import_bench, sqlite, false)->UseManualTime()->Unit(benchmark::kSecond)->Iterations(2);
BENCHMARK_CAPTURE(import_bench, postgresql, true)->UseManualTime()->Unit(benchmark::kSecond)->Iterations(2);
BENCHMARK(ogr2ogr_bench)->Name("ogr2ogr_postgis")->UseManualTime()->Unit(benchmark::kSecond)->Iterations(2);
// Wall time (UseRealTime): the PostgreSQL server's work is in another process.
BENCHMARK_CAPTURE(query_bench, months_sqlite, false, false)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5);
BENCHMARK_CAPTURE(query_bench, months_postgresql, true, false)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5);
BENCHMARK_CAPTURE(query_bench, areas100_sqlite, false, true)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5);
BENCHMARK_CAPTURE(query_bench, areas100_postgresql, true, true)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5);

BENCHMARK_MAIN();
