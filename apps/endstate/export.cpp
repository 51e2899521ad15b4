// endstate export --gpkg FILE | --to LOCATION
#include "commands.hpp"
#include "common.hpp"
#include "endstate/io/table.hpp"

namespace endstate::cli {
namespace {

int export_store(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, false);
  service::ExportRequest r;
  r.gpkg = a.get("gpkg");
  r.to = a.get("to");
  r.force = a.has("force");
  const auto result = engine(a).export_store(r);
  io::Table t({{"table"}, {"rows"}, {"geometry"}});
  for (const auto& x : result.tables) {
    t.add({x.name, x.rows, x.geometry.empty() ? io::Cell{} : io::text(x.geometry)});
  }
  io::write_table(out, t, wo, "export", "tables");
  return 0;
}

}  // namespace

std::vector<CommandSpec> export_commands() {
  return {{"export",
           "",
           "Write the whole store elsewhere: a GeoPackage with one layer per table (areas, events and sites with "
           "their geometry in EPSG:4326) for QGIS, R sf or GDAL; or a copy into an empty store (an SQLite file onto "
           "the shared PostgreSQL server, or the server into a file) with ids, sign-offs and the audit chain "
           "unchanged. Prints the rows written per table.",
           {},
           {{"gpkg", "FILE", "the GeoPackage to write (.gpkg; must not exist unless --force)", ""},
            {"to", "LOCATION", "or: an empty store to copy into (SQLite file, or postgresql://...)", ""},
            {"force", "", "replace an existing GeoPackage", ""},
            format_flag(false)},
           export_store}};
}

}  // namespace endstate::cli
