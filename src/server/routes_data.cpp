// Routes of the data verbs: status and the listings of areas, events, sites
// and observations (imports stay on the CLI of the machine holding the files).
#include <optional>

#include "endstate/core/error.hpp"
#include "endstate/io/writers.hpp"
#include "server/detail/route.hpp"

namespace endstate::server::detail {

std::vector<Route> data_routes() {
  std::vector<Route> out;
  {
    Route r{"GET", "/api/status", "status", "What the store holds: tables, levels, event range, last imports."};
    r.kind = "status";
    r.needs = Capability::kRead;
    r.formats = {"json"};
    r.prepare = [](const Call& c) -> Run {
      return [o = c.write](service::Engine& e) { return render(e.status(), o); };
    };
    out.push_back(std::move(r));
  }
  {
    Route r{"GET", "/api/areas", "areas_list", "Areas of one level (or every level), with their polygons as GeoJSON."};
    r.kind = "areas";
    r.needs = Capability::kRead;
    r.params = {str_param("level", "only this level")};
    r.formats = {"json", "geojson", "csv"};
    r.prepare = [](const Call& c) -> Run {
      service::AreaQuery q;
      q.level = c.params.text("level");
      q.with_geometry = c.write.format == io::Format::kGeoJson;
      return [q, o = c.write](service::Engine& e) { return render(e.list_areas(q), o); };
    };
    out.push_back(std::move(r));
  }
  {
    Route r{"GET", "/api/events", "events_list",
            "Conflict events, oldest first, filtered by area, months, type and source."};
    r.kind = "events";
    r.needs = Capability::kRead;
    r.params = {str_param("area", "area id or name (with everything inside it)"),
                str_param("level", "report each event's area at this level"),
                month_param("from", "first month"),
                month_param("to", "last month"),
                choice_param("type", "violence type",
                             {"state_based", "non_state", "one_sided", "riots", "protests", "remote_violence",
                              "strategic", "other"},
                             ""),
                str_param("source", "only this source (ucdp, acled, ...)"),
                int_param("limit", "at most this many events (0 = all)", "0", 0, 1e12)};
    r.formats = {"json", "geojson", "csv"};
    r.prepare = [](const Call& c) -> Run {
      service::EventQuery q;
      q.area = c.params.text("area");
      q.level = c.params.text("level");
      q.from = c.params.month("from");
      q.to = c.params.month("to");
      if (c.params.has("type")) q.type = parse_violence_type(c.params.text("type"));
      q.source = c.params.text("source");
      q.limit = c.params.integer("limit");
      return [q, o = c.write](service::Engine& e) {
        std::ostringstream s;
        std::optional<io::EventWriter> w;
        e.list_events(q, [&](const service::EventRecord& rec) {
          if (!w) w.emplace(s, o, !q.level.empty());
          w->row(rec);
        });
        if (!w) w.emplace(s, o, !q.level.empty());
        w->finish();
        return Output{content_type(o.format), s.str()};
      };
    };
    out.push_back(std::move(r));
  }
  {
    Route r{"GET", "/api/sites", "sites_list", "Mission sites with their latest (or the month's) deployment."};
    r.kind = "sites";
    r.needs = Capability::kRead;
    r.params = {str_param("area", "area id or name"), month_param("month", "only sites deployed in this month")};
    r.formats = {"json", "geojson", "csv"};
    r.prepare = [](const Call& c) -> Run {
      service::SiteQuery q{c.params.text("area"), c.params.month("month")};
      return [q, o = c.write](service::Engine& e) { return render(e.list_sites(q), o); };
    };
    out.push_back(std::move(r));
  }
  {
    Route r{"GET", "/api/observations", "observations_list", "Indicator observations per area and month."};
    r.kind = "observations";
    r.needs = Capability::kRead;
    r.params = {str_param("indicator", "only this indicator"), str_param("area", "only this area (id or name)")};
    r.formats = {"json", "csv"};
    r.prepare = [](const Call& c) -> Run {
      service::ObservationQuery q{c.params.text("indicator"), c.params.text("area")};
      return [q, o = c.write](service::Engine& e) { return render(e.list_observations(q), o); };
    };
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace endstate::server::detail
