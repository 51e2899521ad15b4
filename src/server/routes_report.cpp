// Routes of the briefings built on the engine (src/report): public notices for
// the localities a closure or a plan affects (the CLI's notices document, and
// the print-ready HTML its --out folder holds), the Council report's HTML (a
// job), and the consultation log they draw on.
#include <filesystem>
#include <optional>
#include <sstream>

#include "build_info.hpp"
#include "endstate/core/error.hpp"
#include "endstate/io/consultations.hpp"
#include "endstate/plan/spec.hpp"
#include "endstate/report/council.hpp"
#include "endstate/report/notices.hpp"
#include "endstate/tasks/register.hpp"
#include "server/detail/route.hpp"
#include "server/detail/upload.hpp"

namespace endstate::server::detail {

std::vector<Route> report_routes() {
  std::vector<Route> out;
  {
    Route r{"POST", "/api/notices", "notices",
            "Public notices for every locality a closure (a list of bases, or a plan's closures and exits, the plan "
            "as text) affects, in each language configured for its territory: one row per notice with its SMS parts "
            "and what it lacks, or the print-ready HTML (format html) (a job)."};
    r.kind = "notices";
    r.needs = Capability::kRun;
    r.job = true;
    r.body = Body::kJson;
    const service::NoticeTargetsRequest d;
    r.params = {
        doc_param("localities", "the localities CSV text (name, latitude, longitude[, population])"),
        list_param("close", "bases that close (keys or names; not with plan)"),
        doc_param("plan",
                  "a transition plan YAML: its closures and province exits, phase by phase, each at its "
                  "phase's first month (not with close)"),
        str_param("plan_file_name", "the plan's file name, as the documents name it", "plan.yaml"),
        doc_param("candidates", "the CSV text of the candidate sites file the plan names (plan.sites.candidates)"),
        month_param("month",
                    "close: when the bases close (default: the month after the last month with events); plan: only "
                    "the phase starting in this month (default: every phase)"),
        str_param("level", "level of each locality's area on the notice (default: territory when present)"),
        num_param("response_hours", "a locality is within reach of a base within this many hours",
                  std::to_string(static_cast<int>(d.response_hours)), 0.01, 1000),
        num_param("mitigation_hours", "helicopter window after a closure (default 2 x response_hours)", "", 0.01, 1000),
        doc_param("tasks", "a task register YAML with the alert networks' and protection committees' contacts"),
        str_param("tasks_file_name", "the register's file name, as messages name it", "tasks.yaml"),
        str_param("mission", "the mission's name in the notices", "the mission"),
        str_param("issued", "the date printed on the notices (default: first day of the month before the change)")};
    r.params.front().required = true;
    r.formats = {"json", "csv", "html"};
    r.prepare = [](const Call& c) -> Run {
      const Params& p = c.params;
      service::NoticeTargetsRequest q;
      q.close = p.list("close");
      Files files;
      std::string localities = "localities.csv";
      if (p.has("plan")) {
        files = plans_upload(p, {{"plan", "plan_file_name"}}, false);
        const auto named = plan::parse_plan(files.front().second, files.front().first).localities_file;
        if (!named.empty()) localities = named;  // the same text: the plan's localities are the notices'
        q.plan.emplace();
        q.plan->file = files.front().first;
      } else {
        for (const char* f : {"candidates", "plan_file_name"}) {
          if (p.has(f)) throw invalid_field(f, "goes with a plan");
        }
      }
      // The notices' localities: the file the plan names when it names one, else localities.csv.
      bool written = false;
      for (const auto& f : files) written = written || f.first == localities;
      if (!written) {
        if (!files.empty() && files.front().first == localities) {
          throw invalid_field("plan_file_name", "must differ from '" + localities + "' (the localities)");
        }
        files.emplace_back(localities, p.text("localities"));
      }
      q.month = p.month("month");
      q.level = p.text("level");
      q.response_hours = p.number("response_hours");
      q.mitigation_hours = p.maybe_number("mitigation_hours");
      q.localities_file = localities;  // in the upload folder when the job runs
      service::check_request(q);       // the engine's checks (close or a plan, not both), before the job is queued
      std::string reg;
      if (p.has("tasks")) {
        reg = p.text("tasks_file_name");
        check_file_name(reg, "tasks_file_name");
        for (const auto& f : files) {
          if (f.first == reg) throw invalid_field("tasks_file_name", "'" + reg + "' is the name of another file sent");
        }
        (void)tasks::parse_register(p.text("tasks"), reg);  // a wrong register fails now, naming its line and field
        files.emplace_back(reg, p.text("tasks"));
      } else if (p.has("tasks_file_name")) {
        throw invalid_field("tasks_file_name", "goes with tasks");
      }
      report::NoticeOptions no;
      no.mission = p.text("mission");
      no.issued = p.text("issued");
      return [q, files, localities, reg, no, html = is_html(p), o = c.write, user = c.user.name](service::Engine& e) {
        // `endstate notices` with the built-in templates, on the files sent
        Upload up(user, files);
        report::PublicNoticesRequest pr;
        pr.targets = q;
        pr.targets.localities_file = (std::filesystem::path(up.dir()) / localities).string();
        if (pr.targets.plan) pr.targets.plan->base_dir = up.dir();
        if (!reg.empty()) {
          pr.register_file = reg;
          pr.register_base_dir = up.dir();
        }
        pr.options = no;
        service::NoticeTargetsResult targets;
        const auto set = report::public_notices(e, pr, targets);
        if (html) return Output{kHtml, report::notices_html(set, pr.options.mission)};
        std::ostringstream s;
        io::write_table(s, report::notices_table(set), o, "notices", "notices");
        return Output{content_type(o.format), s.str()};
      };
    };
    out.push_back(std::move(r));
  }
  {
    Route r{"POST", "/api/report/council", "report_council",
            "The briefing for the Security Council as one self-contained HTML page (maps and charts as inline SVG, "
            "every figure's provenance in an annex), from the store's data (a job)."};
    r.kind = "council_report";
    r.needs = Capability::kRun;
    r.job = true;
    r.body = Body::kJson;
    const report::CouncilOptions d;
    r.params = {month_param("month", "the month reported (default: the last month with events)"),
                str_param("mission", "the mission's name, on the cover", d.mission),
                str_param("title", "the report's title (default: Transition briefing for the Security Council, MONTH)"),
                int_param("seed", "seed of the hotspot replications and the projections", "1", 0, 9e15),
                int_param("replications", "Monte Carlo replications of the hotspot scan",
                          std::to_string(d.replications), 1, 99999),
                int_param("projection_samples", "sample paths of the benchmark projections",
                          std::to_string(d.projection_samples), 10, 100000),
                num_param("response_hours", "protection gaps: a base covers what it reaches within this many hours",
                          "2", 0.01, 1000),
                doc_param("plan",
                          "a transition plan YAML (section 4: the plan; section 5 schedules the tasks on its "
                          "exits); the files it names by plain name are sent as localities and candidates"),
                str_param("plan_file_name", "the plan's file name, as the report names it", "plan.yaml"),
                doc_param("localities",
                          "localities CSV: the demand points of the protection gaps (and the file of "
                          "that name the plan names)"),
                doc_param("candidates", "candidate bases CSV the plan names"),
                doc_param("tasks", "a task register YAML (section 5)"),
                str_param("tasks_file_name", "the register's file name, as the report names it", "tasks.yaml"),
                doc_list_param("comparison",
                               "plan YAMLs of the policies compared (section 6), the first the "
                               "reference of the differences"),
                list_param("comparison_names", "their file names, in order (default: comparison-1.yaml, ...)"),
                int_param("comparison_paths", "sample paths of the comparison", std::to_string(d.comparison_paths), 10,
                          1000000),
                str_param("comparison_level", "simulation level (default: the framework's level)")};
    r.formats = {"html"};
    r.prepare = [](const Call& c) -> Run {
      const Params& p = c.params;
      report::CouncilOptions o;
      o.month = p.month("month");
      o.mission = p.text("mission");
      o.title = p.text("title");
      o.seed = static_cast<std::uint64_t>(p.integer("seed"));
      o.replications = static_cast<std::size_t>(p.integer("replications"));
      o.projection_samples = static_cast<std::size_t>(p.integer("projection_samples"));
      o.response_hours = p.number("response_hours");
      o.generator = std::string("endstate ") + ENDSTATE_VERSION + " (" + ENDSTATE_COMMIT + ")";
      o.comparison_paths = static_cast<int>(p.integer("comparison_paths"));
      o.comparison_level = p.text("comparison_level");
      // The files of sections 4-6 and the gaps' localities, sent as texts.
      Files files;
      auto add = [&files](const std::string& name, const std::string& text, const char* field) {
        check_file_name(name, field);
        for (const auto& f : files) {
          if (f.first == name) throw invalid_field(field, "'" + name + "' is the name of another file sent");
        }
        files.emplace_back(name, text);
      };
      std::string localities = "localities.csv";
      if (p.has("plan")) {
        files = plans_upload(p, {{"plan", "plan_file_name"}}, false);
        o.plan_file = files.front().first;
        const auto named = plan::parse_plan(files.front().second, o.plan_file).localities_file;
        if (!named.empty()) localities = named;
      } else {
        for (const char* f : {"plan_file_name", "candidates"}) {
          if (p.has(f)) throw invalid_field(f, "goes with a plan");
        }
      }
      if (p.has("localities")) {
        bool sent = false;
        for (const auto& f : files) sent = sent || f.first == localities;
        if (!sent) add(localities, p.text("localities"), "localities");
        o.localities_file = localities;
      }
      if (p.has("tasks")) {
        const std::string name = p.text("tasks_file_name");
        (void)tasks::parse_register(p.text("tasks"), name);  // a wrong register fails now, naming its line and field
        add(name, p.text("tasks"), "tasks_file_name");
        o.tasks_file = name;
      } else if (p.has("tasks_file_name")) {
        throw invalid_field("tasks_file_name", "goes with tasks");
      }
      const auto plans = p.list("comparison");
      auto names = p.list("comparison_names");
      if (plans.size() > 8) throw invalid_field("comparison", "at most 8 plans are compared at once");
      if (!names.empty() && names.size() != plans.size()) {
        throw invalid_field("comparison_names",
                            "must name every plan (" + std::to_string(plans.size()) + "), in order");
      }
      for (std::size_t k = names.size(); k < plans.size(); ++k) {
        names.push_back("comparison-" + std::to_string(k + 1) + ".yaml");
      }
      for (std::size_t k = 0; k < plans.size(); ++k) {
        if (plans[k].empty()) throw invalid_field("comparison", "plan " + std::to_string(k + 1) + " is empty");
        (void)plan::parse_plan(plans[k], names[k]);  // a wrong plan fails now, naming its line and field
        // the same plan twice (section 4's and a compared one) is one file
        bool same = false;
        for (const auto& f : files) same = same || (f.first == names[k] && f.second == plans[k]);
        if (!same) add(names[k], plans[k], "comparison_names");
        o.comparison_plans.push_back(names[k]);
      }
      if (p.has("comparison_names") && plans.empty()) throw invalid_field("comparison_names", "goes with comparison");
      return [o, files, user = c.user.name](service::Engine& e) {
        report::CouncilOptions in = o;
        std::optional<Upload> up;
        if (!files.empty()) {
          up.emplace(user, files);
          in.base_dir = up->dir();
        }
        return Output{kHtml, report::council_report(e, in).html};
      };
    };
    out.push_back(std::move(r));
  }
  {
    Route r{"GET", "/api/consultations", "consultations_list",
            "The consultation log (community feedback per locality), oldest first."};
    r.kind = "consultations";
    r.needs = Capability::kRead;
    r.params = {str_param("locality", "only this locality")};
    r.formats = {"json", "csv"};
    r.prepare = [](const Call& c) -> Run {
      service::ConsultationQuery q;
      q.locality = c.params.text("locality");
      return [q, o = c.write](service::Engine& e) { return render(e.consultations(q), o); };
    };
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace endstate::server::detail
