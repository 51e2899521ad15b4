#include "fuzz_targets.hpp"

#include <string>
#include <string_view>
#include <utility>

#include "endstate/benchmarks/framework.hpp"
#include "endstate/core/csv.hpp"
#include "endstate/core/error.hpp"
#include "endstate/core/io.hpp"
#include "endstate/footprint/pmedian.hpp"
#include "endstate/geo/dissolve.hpp"
#include "endstate/ingest/points.hpp"
#include "endstate/ingest/readers.hpp"
#include "endstate/plan/spec.hpp"
#include "endstate/scenario/carana.hpp"
#include "endstate/tasks/register.hpp"
#include "endstate/threat/picture.hpp"

namespace endstate::fuzz {
namespace {

std::string_view bytes(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

InputStream memory(const std::uint8_t* data, std::size_t size) {
  return InputStream::from_memory(bytes(data, size), "fuzz-input");
}

/// Sinks that touch what they are given (so nothing is optimised away).
struct EventCounter final : ingest::EventSink {
  std::size_t n = 0;
  void on_event(Event&& e, std::int64_t line) override { n += e.source_id.size() + static_cast<std::size_t>(line); }
  void on_reject(Reject&& r) override { n += r.reason.size(); }
};
struct SiteCounter final : ingest::SiteSink {
  std::size_t n = 0;
  void on_site(Site&& s, Deployment&& d, std::int64_t) override { n += s.key.size() + d.source.size(); }
  void on_reject(Reject&& r) override { n += r.reason.size(); }
};
struct ObservationCounter final : ingest::ObservationSink {
  std::size_t n = 0;
  void on_observation(Observation&& o, std::int64_t) override { n += o.indicator.size(); }
  void on_reject(Reject&& r) override { n += r.reason.size(); }
};

/// Runs `fn`; an endstate::Error is an expected outcome.
template <typename Fn>
int guarded(Fn&& fn) {
  try {
    fn();
  } catch (const Error&) {
  }
  return 0;
}

}  // namespace

int csv_target(const std::uint8_t* data, std::size_t size) {
  return guarded([&] {
    CsvReader r(memory(data, size));
    std::size_t total = 0;
    while (r.next()) {
      for (std::size_t i = 0; i < r.size(); ++i) total += r[i].size();
    }
    (void)total;
  });
}

int events_target(const std::uint8_t* data, std::size_t size) {
  for (auto source : {ingest::EventSource::kUcdp, ingest::EventSource::kAcled, ingest::EventSource::kCsv}) {
    guarded([&] {
      EventCounter sink;
      ingest::read_events(memory(data, size), source, {}, sink);
    });
  }
  return 0;
}

int ucdp_target(const std::uint8_t* data, std::size_t size) {
  return guarded([&] {
    EventCounter sink;
    ingest::read_events(memory(data, size), ingest::EventSource::kUcdp, {}, sink);
  });
}

int acled_target(const std::uint8_t* data, std::size_t size) {
  return guarded([&] {
    EventCounter sink;
    ingest::read_events(memory(data, size), ingest::EventSource::kAcled, {}, sink);
  });
}

int events_csv_target(const std::uint8_t* data, std::size_t size) {
  const std::string_view all = bytes(data, size);
  const std::size_t nl = all.find('\n');
  const std::string spec(all.substr(0, nl == std::string_view::npos ? all.size() : nl));
  const std::string_view file = nl == std::string_view::npos ? std::string_view() : all.substr(nl + 1);
  return guarded([&] {
    const ingest::ColumnMap map = ingest::parse_column_map(spec);
    EventCounter sink;
    ingest::read_events(InputStream::from_memory(file, "fuzz-input"), ingest::EventSource::kCsv, map, sink);
  });
}

int geopko_target(const std::uint8_t* data, std::size_t size) {
  return guarded([&] {
    SiteCounter sink;
    ingest::read_sites(memory(data, size), ingest::SiteSource::kGeoPko, sink);
  });
}

int sites_csv_target(const std::uint8_t* data, std::size_t size) {
  return guarded([&] {
    SiteCounter sink;
    ingest::read_sites(memory(data, size), ingest::SiteSource::kCsv, sink);
  });
}

int observations_target(const std::uint8_t* data, std::size_t size) {
  return guarded([&] {
    ObservationCounter sink;
    ingest::read_observations(memory(data, size), sink);
  });
}

int framework_target(const std::uint8_t* data, std::size_t size) {
  return guarded([&] { (void)benchmarks::parse_framework(std::string(bytes(data, size)), "fuzz.yaml"); });
}

int weights_target(const std::uint8_t* data, std::size_t size) {
  return guarded([&] { (void)threat::parse_weights_yaml(std::string(bytes(data, size)), "fuzz.yaml"); });
}

int orlib_target(const std::uint8_t* data, std::size_t size) {
  return guarded([&] { (void)footprint::parse_orlib_pmed(std::string(bytes(data, size)), "fuzz.txt"); });
}

int crosswalk_target(const std::uint8_t* data, std::size_t size) {
  return guarded([&] { (void)geo::read_crosswalk(memory(data, size), "id", "group"); });
}

int points_target(const std::uint8_t* data, std::size_t size) {
  // Localities (population required) and candidate sites (population optional).
  guarded([&] { (void)ingest::read_points_csv(memory(data, size), true); });
  return guarded([&] { (void)ingest::read_points_csv(memory(data, size), false); });
}

int plan_target(const std::uint8_t* data, std::size_t size) {
  return guarded([&] { (void)plan::parse_plan(std::string(bytes(data, size)), "fuzz.yaml"); });
}

int tasks_target(const std::uint8_t* data, std::size_t size) {
  return guarded([&] { (void)tasks::parse_register(std::string(bytes(data, size)), "fuzz.yaml"); });
}

int scenario_config_target(const std::uint8_t* data, std::size_t size) {
  return guarded([&] { (void)scenario::parse_config(std::string(bytes(data, size)), "fuzz.yaml"); });
}

namespace {
const std::pair<std::string_view, Target> kTargets[] = {
    {"csv", &csv_target},
    {"events", &events_target},
    {"ucdp_csv", &ucdp_target},
    {"ucdp_geojson", &ucdp_target},
    {"acled", &acled_target},
    {"events_csv", &events_csv_target},
    {"geopko", &geopko_target},
    {"sites_csv", &sites_csv_target},
    {"observations", &observations_target},
    {"framework", &framework_target},
    {"weights", &weights_target},
    {"orlib", &orlib_target},
    {"crosswalk", &crosswalk_target},
    {"points", &points_target},
    {"plan", &plan_target},
    {"tasks", &tasks_target},
    {"scenario_config", &scenario_config_target},
};
}  // namespace

Target target_named(std::string_view name) {
  for (const auto& [n, t] : kTargets) {
    if (n == name) return t;
  }
  return nullptr;
}

const std::vector<std::string_view>& target_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v;
    for (const auto& [n, t] : kTargets) v.push_back(n);
    return v;
  }();
  return names;
}

}  // namespace endstate::fuzz
