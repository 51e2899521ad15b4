// endstate report council
#include <filesystem>

#include "build_info.hpp"
#include "commands.hpp"
#include "common.hpp"
#include "endstate/report/council.hpp"
#include "endstate/report/pdf.hpp"

namespace endstate::cli {
namespace {

int report_council(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, false);
  report::CouncilOptions o;
  o.month = month_flag(a, "month");
  o.mission = a.get("mission");
  o.title = a.get("title");
  o.plan_file = a.get("plan");
  o.tasks_file = a.get("tasks");
  o.comparison_plans = list_flag(a, "comparison");
  o.comparison_paths = static_cast<int>(int_flag(a, "comparison-paths", 10, 1000000));
  o.comparison_level = a.get("comparison-level");
  o.localities_file = a.get("localities");
  o.seed = static_cast<std::uint64_t>(int_flag(a, "seed", 0));
  o.replications = static_cast<std::size_t>(int_flag(a, "replications", 1, 99999));
  o.projection_samples = static_cast<std::size_t>(int_flag(a, "samples", 10, 100000));
  o.response_hours = number_flag(a, "response-hours", 0.01, 1000);
  o.generator = std::string("endstate ") + ENDSTATE_VERSION + " (" + ENDSTATE_COMMIT + ")";
  const std::string html = a.get("out");
  auto e = engine(a);
  const auto r = report::council_report(e, o);
  write_text_file(html, r.html);
  io::Table t({{"file"}, {"kind"}});
  t.add({html, std::string("html")});
  if (a.has("pdf")) {
    const std::string pdf = std::filesystem::path(html).replace_extension(".pdf").string();
    report::print_pdf(html, pdf);
    t.add({pdf, std::string("pdf")});
  }
  for (const auto& s : r.sections) t.add({s, std::string("section")});
  for (const auto& u : r.unavailable) t.add({u, std::string("unavailable")});
  io::write_table(out, t, wo, "report_council", "files");
  return 0;
}

}  // namespace

std::vector<CommandSpec> report_commands() {
  return {
      {"report",
       "council",
       "A briefing for the Security Council as one self-contained HTML file (maps and charts as inline SVG; "
       "every figure's provenance in an annex) and, with --pdf, a PDF printed by headless Chromium.",
       {},
       {{"out", "FILE", "the HTML file to write (the PDF goes beside it, .pdf)", "report.html"},
        {"month", "YYYY-MM", "the month reported (default: the last month with events)", ""},
        {"plan", "FILE", "a transition plan file: the plan by phase, its exits, closures and cost (section 4)", ""},
        {"tasks", "FILE",
         "a task register: handovers at risk, shortfall per budget year, continuity of protection (section 5; "
         "against the exits of --plan when given)",
         ""},
        {"comparison", "PLANS",
         "plan files of the policies to compare on the same sample paths, comma-separated, the first the reference "
         "(section 6)",
         ""},
        {"comparison-paths", "N", "sample paths of the policy comparison (seed: --seed)", "200"},
        {"comparison-level", "L", "simulation level of the comparison (default: the framework's area level)", ""},
        {"localities", "CSV", "localities as demand points of the protection gaps (default: territory centroids)", ""},
        {"mission", "NAME", "the mission's name, on the cover", "the mission"},
        {"title", "TEXT", "the report's title (default: Transition briefing for the Security Council, MONTH)", ""},
        {"seed", "N", "seed of the hotspot replications, the projections and the comparison's paths", "1"},
        {"replications", "N", "Monte Carlo replications of the hotspot scan", "999"},
        {"samples", "N", "sample paths of the benchmark projections", "500", false, "projection_samples"},
        {"response-hours", "H", "protection gaps: a base covers what it reaches within H hours", "2"},
        {"pdf", "", "also print the PDF with headless Chromium (exit 5 when no browser is found)", ""},
        format_flag(false)},
       report_council}};
}

}  // namespace endstate::cli
