// endstate events import | list
#include "commands.hpp"
#include "common.hpp"
#include "endstate/core/error.hpp"
#include "endstate/io/writers.hpp"

namespace endstate::cli {
namespace {

int events_import(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, false);
  service::EventImportRequest r;
  const auto source = ingest::parse_event_source(a.get("source"));
  if (!source) throw usage_error("--source must be ucdp, acled or csv (got '" + a.get("source") + "')");
  r.source = *source;
  r.map = ingest::parse_column_map(a.get("map"));
  r.options = import_options(a);
  r.file = input_path(a.positional(0));
  io::write(out, engine(a).import_events(r), wo);
  return 0;
}

int events_list(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, true);
  service::EventQuery q;
  q.from = month_flag(a, "from");
  q.to = month_flag(a, "to");
  if (a.has("type")) {
    q.type = parse_violence_type(a.get("type"));
    if (!q.type) {
      throw usage_error(
          "--type must be one of state_based, non_state, one_sided, riots, protests, remote_violence, "
          "strategic, other (got '" +
          a.get("type") + "')");
    }
  }
  q.source = a.get("source");
  q.area = a.get("area");
  q.level = a.get("level");
  if (a.has("limit")) q.limit = int_flag(a, "limit", 0);
  auto e = engine(a);
  std::optional<io::EventWriter> w;
  e.list_events(q, [&](const service::EventRecord& r) {
    if (!w) w.emplace(out, wo, !q.level.empty());
    w->row(r);
  });
  if (!w) w.emplace(out, wo, !q.level.empty());
  w->finish();
  return 0;
}

}  // namespace

std::vector<CommandSpec> events_commands() {
  auto import = import_flags();
  import.insert(import.begin(), {{"source", "ucdp|acled|csv", "input format", "", true},
                                 { "map",
                                   "COLUMN=FIELD,...",
                                   "generic CSV: which column holds which field",
                                   "" }});
  return {
      {"events",
       "import",
       "Import conflict events: UCDP GED (CSV or GeoJSON), ACLED export CSV, or a generic CSV with a column map. "
       "Each event is assigned to its area at every level; one file is one transaction.",
       {{"FILE", "the events file (- = standard input)"}},
       import,
       events_import},
      {"events",
       "list",
       "List stored events, oldest first.",
       {},
       {{"area", "AREA", "only events in this area (id or name)", ""},
        {"level", "L", "show each event's area at this level", ""},
        {"from", "YYYY-MM", "first month", ""},
        {"to", "YYYY-MM", "last month (inclusive)", ""},
        {"type", "TYPE", "state_based, non_state, one_sided, riots, protests, remote_violence, strategic, other", ""},
        {"source", "NAME", "only this source (ucdp, acled, csv, ...)", ""},
        {"limit", "N", "at most N events", ""},
        format_flag(true),
        bom_flag()},
       events_list},
  };
}

}  // namespace endstate::cli
