// endstate benchmarks import | versions | signoff | assess | disagreements | project | history,
// and endstate audit log | verify
#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/io/writers.hpp"

namespace endstate::cli {
namespace {

std::optional<std::int64_t> version_flag(const Args& a) {
  if (!a.has("version")) return std::nullopt;
  return int_flag(a, "version", 1);
}

service::BenchmarkSelection selection(const Args& a) {
  service::BenchmarkSelection s;
  s.version = version_flag(a);
  s.level = a.get("level");
  s.month = month_flag(a, "month");
  s.stakeholder = a.get("stakeholder");
  return s;
}

io::WriteOptions with_view(io::WriteOptions o, const Args& a) {
  o.view = a.get("view");
  return o;
}

int cmd_import(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, false);
  io::write(out, engine(a).benchmarks_import(input_path(a.positional(0))), wo);
  return 0;
}

int cmd_versions(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, false);
  io::write(out, engine(a).benchmarks_versions(), wo);
  return 0;
}

int cmd_signoff(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, false);
  service::SignoffRequest r{a.get("stakeholder"), a.get("by"), version_flag(a), a.get("date")};
  io::write(out, engine(a).benchmarks_signoff(r), wo);
  return 0;
}

int cmd_assess(const Args& a, std::ostream& out) {
  const auto wo = with_view(write_options(a, true), a);
  service::AssessRequest r;
  r.select = selection(a);
  r.save = !a.has("no-save");
  r.with_geometry = wo.format == io::Format::kGeoJson;
  const auto res = engine(a).benchmarks_assess(r);
  io::write(out, res, wo);
  if (wo.format == io::Format::kTable) {
    const auto& run = res.run;
    std::cerr << "framework version " << run.row.version << " (" << run.row.label << "), month "
              << run.panel.month(res.t).str() << ", level " << run.level << ", data fingerprint "
              << run.fingerprint.substr(0, 16)
              << (res.saved_id ? ", saved as assessment " + std::to_string(*res.saved_id) : std::string(", not saved"))
              << "\n";
  }
  return 0;
}

int cmd_disagreements(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, true);
  service::DisagreementsRequest r;
  r.select = selection(a);
  r.with_geometry = wo.format == io::Format::kGeoJson;
  io::write(out, engine(a).benchmarks_disagreements(r), wo);
  return 0;
}

int cmd_project(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, true);
  service::ProjectRequest r;
  r.select = selection(a);
  r.area = a.get("area");
  r.options.horizon_months = static_cast<std::size_t>(int_flag(a, "horizon", 1, 240));
  r.options.samples = static_cast<std::size_t>(int_flag(a, "samples", 10, 100000));
  r.options.trend_months = static_cast<std::size_t>(int_flag(a, "trend-months", 3, 600));
  r.options.seed = static_cast<std::uint64_t>(int_flag(a, "seed", 0));
  r.with_geometry = wo.format == io::Format::kGeoJson;
  io::write(out, engine(a).benchmarks_project(r), wo);
  return 0;
}

int cmd_history(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, false);
  if (a.has("saved")) {
    io::write(out, engine(a).benchmarks_saved_history({a.get("area"), a.get("stakeholder")}), wo);
    return 0;
  }
  service::HistoryRequest r;
  r.select = selection(a);
  r.area = a.get("area");
  r.from = month_flag(a, "from");
  r.to = month_flag(a, "to");
  io::write(out, engine(a).benchmarks_history(r), wo);
  return 0;
}

int cmd_log(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, false);
  io::write(out, engine(a).audit_log(), wo);
  return 0;
}

int cmd_verify(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, false);
  service::AuditVerifyRequest req;
  if (a.has("expect")) {
    const std::string v = a.get("expect");
    const auto colon = v.find(':');
    const auto seq = colon == std::string::npos ? std::nullopt : parse_int64(v.substr(0, colon));
    if (!seq) throw usage_error("--expect must be SEQ:HASH (got '" + v + "')");
    req.anchor_seq = *seq;
    req.anchor_hash = v.substr(colon + 1);
  }
  const auto r = engine(a).audit_verify(req);
  io::write(out, r, wo);
  if (r.intact()) return 0;
  std::string seqs;
  for (const auto& p : r.problems) seqs += (seqs.empty() ? "" : ", ") + std::to_string(p.seq);
  throw Error(ErrorCategory::kBadInput, "audit log tampered with: entries " + seqs + " fail verification");
}

FlagSpec version_spec() { return {"version", "V", "stored framework version (default: the latest)", ""}; }
FlagSpec level_spec() { return {"level", "L", "area level (default: the framework's area_level)", ""}; }
FlagSpec stakeholder_spec() { return {"stakeholder", "S", "only this stakeholder (default: all)", ""}; }

}  // namespace

std::vector<CommandSpec> benchmarks_commands() {
  return {
      {"benchmarks",
       "import",
       "Validate a benchmark framework (YAML, docs/benchmarks.md) and store it as a new version; earlier versions and "
       "assessments are kept. Errors name file, line and field. Importing an identical file again adds nothing.",
       {{"FILE", "framework YAML (- = standard input)"}},
       {format_flag(false)},
       cmd_import},
      {"benchmarks",
       "versions",
       "List the stored framework versions with their SHA-256 and sign-offs.",
       {},
       {format_flag(false)},
       cmd_versions},
      {"benchmarks",
       "signoff",
       "Record a stakeholder's sign-off of a framework version (its SHA-256), in the audit log.",
       {},
       {{"stakeholder", "S", "stakeholder id as in the framework", "", true},
        {"by", "NAME", "who signs", "", true},
        version_spec(),
        {"date", "DATE", "date of the sign-off, YYYY-MM-DD (default: now, UTC)", ""},
        format_flag(false)},
       cmd_signoff},
      {"benchmarks",
       "assess",
       "Per area: indicator values, each stakeholder's status per indicator and benchmark (met, not_met, no_data) "
       "and readiness; saved with the framework version and a fingerprint of the data (audited).",
       {},
       {{"month", "YYYY-MM", "month to assess (default: the last month with data)", ""},
        level_spec(),
        version_spec(),
        stakeholder_spec(),
        {"view", "V", "table/csv content: readiness, benchmarks or indicators", "readiness"},
        {"no-save", "", "do not save the assessment", ""},
        format_flag(true),
        bom_flag()},
       cmd_assess},
      {"benchmarks",
       "disagreements",
       "Where stakeholders judge the same indicator differently, and how far the value must move to meet each "
       "unconvinced stakeholder's threshold.",
       {},
       {{"month", "YYYY-MM", "month (default: the last month with data)", ""},
        level_spec(),
        version_spec(),
        format_flag(true),
        bom_flag()},
       cmd_disagreements},
      {"benchmarks",
       "project",
       "For each benchmark not met now: the month it is expected to be met (median, 80% interval), from a trend "
       "with uncertainty (observed indicators) or forecast samples (event-derived: the forecast "
       "module's best model); 'not within horizon' otherwise.",
       {},
       {{"area", "A", "area id or name (default: every area)", ""},
        {"horizon", "H", "months ahead", "36"},
        {"samples", "N", "sample paths", "1000"},
        {"trend-months", "N", "months the trend of observed indicators is fitted on", "24"},
        {"seed", "N", "random seed", "1"},
        stakeholder_spec(),
        level_spec(),
        version_spec(),
        format_flag(true),
        bom_flag()},
       cmd_project},
      {"benchmarks",
       "history",
       "The trajectory of an area's readiness and benchmark statuses month by month (with one framework version), "
       "or, with --saved, the saved assessments as they were made.",
       {},
       {{"area", "A", "area id or name", "", true},
        {"from", "YYYY-MM", "first month", ""},
        {"to", "YYYY-MM", "last month", ""},
        {"saved", "", "list saved assessments instead of recomputing", ""},
        stakeholder_spec(),
        level_spec(),
        version_spec(),
        format_flag(false),
        bom_flag()},
       cmd_history},
      {"audit",
       "log",
       "List the audit log: framework imports, sign-offs and assessments, each hashed with the previous entry.",
       {},
       {format_flag(false)},
       cmd_log},
      {"audit",
       "verify",
       "Recompute the hash chain and check what it seals (framework texts, sign-offs, assessments and their "
       "results) and its own length and head; exit 2 naming the entries when anything was edited or deleted "
       "(docs/benchmarks.md says what is and is not detected).",
       {},
       {{"expect", "SEQ:HASH",
         "an anchor kept outside the database (the head printed earlier): fail unless the chain still holds it", ""},
        format_flag(false)},
       cmd_verify},
  };
}

}  // namespace endstate::cli
