// What the public role sees: the published maps, each the same document an
// analyst gets with the defaults (the threat index of the last month, the
// readiness of the latest framework version in the last month with data).
// Later: public notices and the Council report (issue 16) join this list.
#include "endstate/core/error.hpp"
#include "endstate/io/writers.hpp"
#include "server/detail/route.hpp"

namespace endstate::server::detail {

std::vector<Route> published_routes() {
  std::vector<Route> out;
  {
    Route r{"GET", "/api/published/threat", "published_threat_map",
            "Published map: the threat index of the last month on the default level's polygons."};
    r.kind = "threat_index";
    r.needs = Capability::kPublished;
    r.formats = {"geojson"};
    r.prepare = [](const Call& c) -> Run {
      service::ThreatIndexRequest q;
      q.with_geometry = true;
      return [q, o = c.write](service::Engine& e) { return render(e.threat_index(q), o); };
    };
    out.push_back(std::move(r));
  }
  {
    Route r{"GET", "/api/published/readiness", "published_readiness_map",
            "Published map: readiness per area and stakeholder (latest framework version, last month with data)."};
    r.kind = "assessment";
    r.needs = Capability::kPublished;
    r.formats = {"geojson"};
    r.prepare = [](const Call& c) -> Run {
      service::AssessRequest q;
      q.save = false;
      q.with_geometry = true;
      return [q, o = c.write](service::Engine& e) { return render(e.benchmarks_assess(q), o); };
    };
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace endstate::server::detail
