// endstate sites import | list
#include "commands.hpp"
#include "common.hpp"
#include "endstate/core/error.hpp"
#include "endstate/io/writers.hpp"

namespace endstate::cli {
namespace {

int sites_import(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, false);
  service::SiteImportRequest r;
  const auto source = ingest::parse_site_source(a.get("source"));
  if (!source) throw usage_error("--source must be geopko or csv (got '" + a.get("source") + "')");
  r.source = *source;
  r.options = import_options(a);
  r.file = input_path(a.positional(0));
  io::write(out, engine(a).import_sites(r), wo);
  return 0;
}

int sites_list(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, true);
  service::SiteQuery q;
  q.area = a.get("area");
  q.month = month_flag(a, "month");
  io::write(out, engine(a).list_sites(q), wo);
  return 0;
}

}  // namespace

std::vector<CommandSpec> sites_commands() {
  auto import = import_flags();
  import.insert(import.begin(), {"source", "geopko|csv", "input format", "", true});
  return {
      {"sites",
       "import",
       "Import mission sites and their deployments: Geo-PKO v2.0 map-level (monthly) or v2.3 location-year, or a "
       "generic sites CSV. Double-encoded UTF-8 names are repaired; each site is assigned to its areas.",
       {{"FILE", "the sites file (- = standard input)"}},
       import,
       sites_import},
      {"sites",
       "list",
       "List sites with their latest deployment (or the one covering --month); a site is active when troops or "
       "police are deployed.",
       {},
       {{"area", "AREA", "only sites in this area (id or name)", ""},
        {"month", "YYYY-MM", "only sites deployed in this month, with that month's deployment", ""},
        format_flag(true),
        bom_flag()},
       sites_list},
  };
}

}  // namespace endstate::cli
