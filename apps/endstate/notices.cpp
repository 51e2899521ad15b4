// endstate notices, endstate notices templates
#include <filesystem>
#include <fstream>

#include "commands.hpp"
#include "common.hpp"
#include "endstate/core/error.hpp"
#include "endstate/report/notices.hpp"
#include "endstate/report/pdf.hpp"

namespace endstate::cli {
namespace {

namespace fs = std::filesystem;

int notices(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, false);
  service::NoticeTargetsRequest r;
  r.close = list_flag(a, "close");
  if (a.has("plan")) {  // --plan with --close is refused by the engine (field close)
    r.plan.emplace();
    r.plan->file = plan_path(a.get("plan"));
  } else if (r.close.empty()) {
    throw usage_error("give the bases that close: --close SITE[,SITE...] (or --plan FILE)");
  }
  r.month = month_flag(a, "month");
  r.localities_file = a.get("localities");
  r.level = a.get("level");
  r.response_hours = number_flag(a, "response-hours", 0.01, 1000);
  if (a.has("mitigation-hours")) r.mitigation_hours = number_flag(a, "mitigation-hours", 0.01, 1000);
  report::PublicNoticesRequest pr;
  pr.targets = std::move(r);
  pr.templates_dir = a.get("templates");
  if (a.has("tasks")) pr.register_file = input_path(a.get("tasks"));
  pr.options.mission = a.get("mission");
  pr.options.issued = a.get("issued");
  auto e = engine(a);
  service::NoticeTargetsResult targets;
  const auto set = report::public_notices(e, pr, targets);
  const auto& o = pr.options;
  const std::string dir = a.get("out");
  if (!dir.empty()) {
    fs::create_directories(dir);
    const std::string html = (fs::path(dir) / "notices.html").string();
    write_text_file(html, report::notices_html(set, o.mission));
    if (a.has("pdf")) report::print_pdf(html, (fs::path(dir) / "notices.pdf").string());
    std::ofstream sms(fs::path(dir) / "notices.csv", std::ios::binary | std::ios::trunc);
    io::write_table(sms, report::notices_table(set), {io::Format::kCsv, false, ""}, "notices", "notices");
    sms.flush();
    if (!sms) throw environment_error("cannot write " + (fs::path(dir) / "notices.csv").string());
  }
  io::write_table(out, report::notices_table(set), wo, "notices", "notices");
  return 0;
}

int notices_templates(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, false);  // a bad --format is refused before anything is written
  io::Table t({{"file"}});
  for (const auto& f : report::write_default_templates(a.get("out"))) t.add({f});
  io::write_table(out, t, wo, "notice_templates", "files");
  return 0;
}

}  // namespace

std::vector<CommandSpec> notices_commands() {
  return {
      {"notices",
       "templates",
       "Write the built-in notice templates (en, fr, sw, ln) and languages.csv into a folder, for the mission's "
       "public information staff to edit.",
       {},
       {{"out", "DIR", "the folder (created; existing files are never overwritten)", "", true}, format_flag(false)},
       notices_templates},
      {"notices",
       "",
       "Public notices for every locality a closure (a list of bases, or a transition plan's closures and exits) "
       "affects, in each language configured for its territory: "
       "print-ready HTML (and PDF) pages and SMS-length messages; missing contacts, feedback channels and "
       "translations are reported.",
       {},
       {{"close", "SITES", "bases that close (keys or names, comma-separated)", ""},
        {"plan", "FILE",
         "the closures and province exits of a transition plan, phase by phase, each at its phase's first month "
         "(not with --close)",
         ""},
        {"month", "YYYY-MM",
         "--close: when the bases close (default: the month after the last month with events); --plan: only the "
         "phase starting in this month (default: every phase)",
         ""},
        {"localities", "CSV", "the localities (name, latitude, longitude[, population])", "", true},
        {"level", "L", "level of each locality's area on the notice (default: territory when present)", ""},
        {"templates", "DIR", "templates and languages.csv (default: the built-in ones)", ""},
        {"tasks", "FILE", "a task register (issue 13) with the alert networks' and protection committees' contacts",
         ""},
        {"mission", "NAME", "the mission's name in the notices", "the mission"},
        {"issued", "DATE", "the date printed on the notices (default: first day of the month before the change)", ""},
        {"response-hours", "H", "a locality is within reach of a base within H hours", "2"},
        {"mitigation-hours", "H", "helicopter window after a closure (default 2 x --response-hours)", ""},
        {"out", "DIR", "write notices.html, notices.csv (and notices.pdf with --pdf) into DIR", ""},
        {"pdf", "", "also print notices.pdf with headless Chromium", ""},
        format_flag(false)},
       notices}};
}

}  // namespace endstate::cli
