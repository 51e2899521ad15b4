// endstate observations import | list
#include "commands.hpp"
#include "common.hpp"
#include "endstate/core/error.hpp"
#include "endstate/store/database.hpp"

namespace endstate::cli {
namespace {

int observations_import(const Args& a, std::ostream& out) {
  const Format format = parse_format(a.get("format"), false);
  const auto options = import_options(a);
  auto db = store::Database::open(a.db_path());
  const ImportSummary s = ingest::import_observations(db, a.positional(0), options);
  print_summary(out, s, format);
  return 0;
}

int observations_list(const Args& a, std::ostream& out) {
  const Format format = parse_format(a.get("format"), false);
  auto db = store::Database::open_read_only(a.db_path());
  std::string area_id;
  if (a.has("area")) {
    auto area = db.find_area(a.get("area"));
    if (!area) throw not_found("no area '" + a.get("area") + "' (id or name)");
    area_id = area->id;
  }
  Table t{{"indicator", "area_id", "month", "value", "source"}, {}};
  for (const auto& o : db.observations(a.get("indicator"), area_id)) {
    t.rows.push_back({o.indicator, o.area_id, o.month.str(), fmt_double(o.value, 6), o.source});
  }
  t.print(out, format);
  return 0;
}

}  // namespace

std::vector<CommandSpec> observations_commands() {
  return {
      {"observations",
       "import",
       "Import indicator observations: CSV with indicator, area (id or name), month (YYYY-MM), value, source.",
       {{"FILE", "the observations CSV"}},
       import_flags(),
       observations_import},
      {"observations",
       "list",
       "List stored observations.",
       {},
       {{"indicator", "ID", "only this indicator", ""}, {"area", "AREA", "only this area (id or name)", ""},
        format_flag(false)},
       observations_list},
  };
}

}  // namespace endstate::cli
