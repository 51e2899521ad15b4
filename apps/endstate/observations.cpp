// endstate observations import | list
#include "commands.hpp"
#include "common.hpp"
#include "endstate/io/writers.hpp"

namespace endstate::cli {
namespace {

int observations_import(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, false);
  service::ObservationImportRequest r;
  r.options = import_options(a);
  r.file = input_path(a.positional(0));
  io::write(out, engine(a).import_observations(r), wo);
  return 0;
}

int observations_list(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, false);
  io::write(out, engine(a).list_observations({a.get("indicator"), a.get("area")}), wo);
  return 0;
}

}  // namespace

std::vector<CommandSpec> observations_commands() {
  return {
      {"observations",
       "import",
       "Import indicator observations: CSV with indicator, area (id or name), month (YYYY-MM), value, source.",
       {{"FILE", "the observations CSV (- = standard input)"}},
       import_flags(),
       observations_import},
      {"observations",
       "list",
       "List stored observations.",
       {},
       {{"indicator", "ID", "only this indicator", ""},
        {"area", "AREA", "only this area (id or name)", ""},
        format_flag(false),
        bom_flag()},
       observations_list},
  };
}

}  // namespace endstate::cli
