// Routes of the transition benchmarks (framework versions, sign-offs,
// readiness, disagreements, projections, history) and of the audit log.
#include "endstate/core/error.hpp"
#include "endstate/io/writers.hpp"
#include "server/detail/route.hpp"
#include "server/detail/upload.hpp"

namespace endstate::server::detail {

namespace {

ParamSpec version_param() {
  return int_param("version", "stored framework version (default: the latest)", "", 1, 9e15);
}
ParamSpec level_param() { return str_param("level", "area level (default: the framework's area_level)"); }
ParamSpec stakeholder_param() { return str_param("stakeholder", "only this stakeholder (default: all)"); }

service::BenchmarkSelection selection(const Params& p, bool with_stakeholder) {
  service::BenchmarkSelection s;
  s.version = p.maybe_integer("version");
  s.level = p.text("level");
  s.month = p.month("month");
  if (with_stakeholder) s.stakeholder = p.text("stakeholder");
  return s;
}

}  // namespace

std::vector<Route> benchmarks_routes() {
  std::vector<Route> out;
  {
    Route r{"GET", "/api/benchmarks/versions", "benchmarks_versions",
            "Stored framework versions with their SHA-256 and sign-offs."};
    r.kind = "framework_versions";
    r.needs = Capability::kReadBenchmarks;
    r.formats = {"json", "csv"};
    r.prepare = [](const Call& c) -> Run {
      return [o = c.write](service::Engine& e) { return render(e.benchmarks_versions(), o); };
    };
    out.push_back(std::move(r));
  }
  {
    Route r{"POST", "/api/benchmarks/frameworks", "benchmarks_import",
            "Import a framework (the YAML file as the request body) as a new version; audited with the user."};
    r.kind = "framework_import";
    r.needs = Capability::kPlan;
    r.writes = true;
    r.body = Body::kText;
    r.params = {str_param("file_name", "the file's name, recorded with the version", "framework.yaml")};
    r.formats = {"json"};
    r.prepare = [](const Call& c) -> Run {
      const std::string name = c.params.text("file_name");
      check_file_name(name);
      if (c.body.empty()) throw invalid_field("body", "must hold the framework YAML");
      return [name, text = c.body, user = c.user.name, o = c.write](service::Engine& e) {
        Upload up(user, {{name, text}});
        return render(e.benchmarks_import(up.path()), o);
      };
    };
    out.push_back(std::move(r));
  }
  {
    Route r{"POST", "/api/benchmarks/signoffs", "benchmarks_signoff",
            "Sign a framework version off for one's own stakeholder (signatory:<stakeholder>), as oneself; audited."};
    r.kind = "signoff";
    r.needs = Capability::kSign;
    r.writes = true;
    r.body = Body::kJson;
    r.params = {str_param("stakeholder", "the stakeholder signing (default and only choice: the signatory's own)"),
                version_param(), str_param("date", "date of the sign-off, YYYY-MM-DD (default: now, UTC)")};
    r.formats = {"json"};
    r.prepare = [](const Call& c) -> Run {
      const std::string own = c.user.role.stakeholder;
      const std::string asked = c.params.has("stakeholder") ? c.params.text("stakeholder") : own;
      if (asked != own) {
        throw Forbidden("stakeholder",
                        "user '" + c.user.name + "' signs for stakeholder '" + own + "' only, not '" + asked + "'");
      }
      service::SignoffRequest q{own, c.user.name, c.params.maybe_integer("version"), c.params.text("date")};
      return [q, o = c.write](service::Engine& e) { return render(e.benchmarks_signoff(q), o); };
    };
    out.push_back(std::move(r));
  }
  const std::vector<ParamSpec> assess_params = {
      month_param("month", "month to assess (default: the last month with data)"), level_param(), version_param(),
      stakeholder_param()};
  {
    Route r{"GET", "/api/benchmarks/assessment", "benchmarks_assess",
            "Readiness per area and stakeholder (views: readiness, benchmarks, indicators); not saved."};
    r.kind = "assessment";
    r.needs = Capability::kReadBenchmarks;
    r.params = assess_params;
    r.formats = {"json", "geojson", "csv"};
    r.views = {"readiness", "benchmarks", "indicators"};
    r.prepare = [](const Call& c) -> Run {
      service::AssessRequest q;
      q.select = selection(c.params, true);
      q.save = false;
      q.with_geometry = c.write.format == io::Format::kGeoJson;
      return [q, o = c.write](service::Engine& e) { return render(e.benchmarks_assess(q), o); };
    };
    out.push_back(std::move(r));
  }
  {
    Route r{"POST", "/api/benchmarks/assessments", "benchmarks_assess_save",
            "Assess and save the assessment with its data fingerprint; audited with the user."};
    r.kind = "assessment";
    r.needs = Capability::kRun;
    r.writes = true;
    r.body = Body::kJson;
    r.params = assess_params;
    r.formats = {"json"};
    r.prepare = [](const Call& c) -> Run {
      service::AssessRequest q;
      q.select = selection(c.params, true);
      q.save = true;
      return [q, o = c.write](service::Engine& e) { return render(e.benchmarks_assess(q), o); };
    };
    out.push_back(std::move(r));
  }
  {
    Route r{"GET", "/api/benchmarks/disagreements", "benchmarks_disagreements",
            "Where stakeholders judge the same indicator differently, and how far the value must move."};
    r.kind = "disagreements";
    r.needs = Capability::kReadBenchmarks;
    r.params = {month_param("month", "month (default: the last month with data)"), level_param(), version_param()};
    r.formats = {"json", "geojson", "csv"};
    r.prepare = [](const Call& c) -> Run {
      service::DisagreementsRequest q;
      q.select = selection(c.params, false);
      q.with_geometry = c.write.format == io::Format::kGeoJson;
      return [q, o = c.write](service::Engine& e) { return render(e.benchmarks_disagreements(q), o); };
    };
    out.push_back(std::move(r));
  }
  {
    Route r{"POST", "/api/benchmarks/projections", "benchmarks_project",
            "When each benchmark not met now is expected to be met (median, 80% interval) (a job)."};
    r.kind = "projections";
    r.needs = Capability::kRun;
    r.job = true;
    r.body = Body::kJson;
    r.params = {str_param("area", "area id or name (default: every area)"),
                int_param("horizon", "months ahead", "36", 1, 240),
                int_param("samples", "sample paths", "1000", 10, 100000),
                int_param("trend_months", "months the trend of observed indicators is fitted on", "24", 3, 600),
                int_param("seed", "random seed", "1", 0, 9e15),
                stakeholder_param(),
                level_param(),
                version_param()};
    r.formats = {"json", "geojson", "csv"};
    r.prepare = [](const Call& c) -> Run {
      const Params& p = c.params;
      service::ProjectRequest q;
      q.select.version = p.maybe_integer("version");
      q.select.level = p.text("level");
      q.select.stakeholder = p.text("stakeholder");
      q.area = p.text("area");
      q.options.horizon_months = static_cast<std::size_t>(p.integer("horizon"));
      q.options.samples = static_cast<std::size_t>(p.integer("samples"));
      q.options.trend_months = static_cast<std::size_t>(p.integer("trend_months"));
      q.options.seed = static_cast<std::uint64_t>(p.integer("seed"));
      q.with_geometry = c.write.format == io::Format::kGeoJson;
      return [q, o = c.write](service::Engine& e) { return render(e.benchmarks_project(q), o); };
    };
    out.push_back(std::move(r));
  }
  {
    Route r{"GET", "/api/benchmarks/history", "benchmarks_history",
            "An area's readiness and benchmark statuses month by month."};
    r.kind = "history";
    r.needs = Capability::kReadBenchmarks;
    r.params = {str_param("area", "area id or name"),
                month_param("from", "first month"),
                month_param("to", "last month"),
                stakeholder_param(),
                level_param(),
                version_param()};
    r.params.front().required = true;
    r.formats = {"json", "csv"};
    r.prepare = [](const Call& c) -> Run {
      service::HistoryRequest q;
      q.select.version = c.params.maybe_integer("version");
      q.select.level = c.params.text("level");
      q.select.stakeholder = c.params.text("stakeholder");
      q.area = c.params.text("area");
      q.from = c.params.month("from");
      q.to = c.params.month("to");
      return [q, o = c.write](service::Engine& e) { return render(e.benchmarks_history(q), o); };
    };
    out.push_back(std::move(r));
  }
  {
    Route r{"GET", "/api/benchmarks/saved", "benchmarks_saved_history",
            "The saved assessments of an area, as they were made."};
    r.kind = "saved_assessments";
    r.needs = Capability::kReadBenchmarks;
    r.params = {str_param("area", "area id or name"), stakeholder_param()};
    r.params.front().required = true;
    r.formats = {"json", "csv"};
    r.prepare = [](const Call& c) -> Run {
      service::SavedHistoryRequest q{c.params.text("area"), c.params.text("stakeholder")};
      return [q, o = c.write](service::Engine& e) { return render(e.benchmarks_saved_history(q), o); };
    };
    out.push_back(std::move(r));
  }
  {
    Route r{"GET", "/api/audit/log", "audit_log",
            "The audit log: framework imports, sign-offs, assessments and user changes, each hashed with the "
            "previous entry and naming the user."};
    r.kind = "audit_log";
    r.needs = Capability::kAudit;
    r.formats = {"json", "csv"};
    r.prepare = [](const Call& c) -> Run {
      return [o = c.write](service::Engine& e) { return render(e.audit_log(), o); };
    };
    out.push_back(std::move(r));
  }
  {
    Route r{"GET", "/api/audit/verify", "audit_verify",
            "Recompute the hash chain; the document lists the entries that fail."};
    r.kind = "audit_verify";
    r.needs = Capability::kAudit;
    r.formats = {"json"};
    r.prepare = [](const Call& c) -> Run {
      return [o = c.write](service::Engine& e) { return render(e.audit_verify(), o); };
    };
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace endstate::server::detail
