// endstate sites import | list
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "common.hpp"
#include "endstate/core/error.hpp"
#include "endstate/store/database.hpp"

namespace endstate::cli {
namespace {

int sites_import(const Args& a, std::ostream& out) {
  const Format format = parse_format(a.get("format"), false);
  auto source = ingest::parse_site_source(a.get("source"));
  if (!source) throw usage_error("--source must be geopko or csv (got '" + a.get("source") + "')");
  const auto options = import_options(a);
  auto db = store::Database::open(a.db_path());
  const ImportSummary s = ingest::import_sites(db, a.positional(0), *source, options);
  print_summary(out, s, format);
  return 0;
}

int sites_list(const Args& a, std::ostream& out) {
  const Format format = parse_format(a.get("format"), true);
  auto db = store::Database::open_read_only(a.db_path());
  std::vector<std::string> area_ids;
  if (a.has("area")) {
    auto area = db.find_area(a.get("area"));
    if (!area) throw not_found("no area '" + a.get("area") + "' (id or name); see endstate areas list");
    area_ids = {area->id};
  }
  const auto month = month_flag(a, "month");
  const auto rows = db.sites(area_ids, month);
  const std::vector<std::string> header = {"key", "mission", "name", "kind", "country", "admin1", "admin2",
                                           "latitude", "longitude", "period", "troops", "police", "observers",
                                           "hq", "aviation", "medical", "deployments", "areas"};
  std::vector<std::vector<std::string>> cells;
  for (const auto& r : rows) {
    std::string areas;
    for (const auto& id : r.area_ids) areas += (areas.empty() ? "" : ";") + id;
    const auto& d = r.latest;
    std::string period;
    if (d) period = d->period_start == d->period_end ? d->period_start.str() : d->period_start.str() + "/" + d->period_end.str();
    cells.push_back({r.site.key, r.site.mission, r.site.name, r.site.kind, r.site.country, r.site.admin1,
                     r.site.admin2, fmt_double(r.site.where.lat, 6), fmt_double(r.site.where.lon, 6), period,
                     d ? std::to_string(d->troops) : "", d ? std::to_string(d->police) : "",
                     d ? std::to_string(d->observers) : "", d ? std::to_string(d->hq) : "",
                     d ? std::to_string(d->aviation) : "", d ? std::to_string(d->medical) : "",
                     std::to_string(r.deployments), areas});
  }
  if (format == Format::kJson || format == Format::kGeoJson) {
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (std::size_t k = 0; k < rows.size(); ++k) {
      nlohmann::ordered_json o;
      for (std::size_t i = 0; i < header.size(); ++i) {
        const std::string& v = cells[k][i];
        const bool numeric = (i == 7 || i == 8 || (i >= 10 && i <= 16));
        if (numeric) {
          o[header[i]] = v.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(std::stod(v));
        } else {
          o[header[i]] = v;
        }
      }
      if (format == Format::kGeoJson) {
        arr.push_back({{"type", "Feature"},
                       {"properties", o},
                       {"geometry", {{"type", "Point"}, {"coordinates", {rows[k].site.where.lon, rows[k].site.where.lat}}}}});
      } else {
        arr.push_back(std::move(o));
      }
    }
    if (format == Format::kGeoJson) {
      nlohmann::ordered_json fc;
      fc["type"] = "FeatureCollection";
      fc["features"] = std::move(arr);
      out << fc.dump() << "\n";
    } else {
      out << arr.dump(2) << "\n";
    }
    return 0;
  }
  if (format == Format::kCsv) {
    Table{header, cells}.print(out, format);
    return 0;
  }
  Table t{{"mission", "name", "kind", "admin1", "period", "troops", "police", "areas"}, {}};
  for (const auto& c : cells) t.rows.push_back({c[1], c[2], c[3], c[5], c[9], c[10], c[11], c[17]});
  t.print(out, format);
  return 0;
}

}  // namespace

std::vector<CommandSpec> sites_commands() {
  auto import = import_flags();
  import.insert(import.begin(), {"source", "geopko|csv", "input format (required)", ""});
  return {
      {"sites",
       "import",
       "Import mission sites and their deployments: Geo-PKO v2.0 map-level (monthly) or v2.3 location-year, or a "
       "generic sites CSV. Double-encoded UTF-8 names are repaired; each site is assigned to its areas.",
       {{"FILE", "the sites file"}},
       import,
       sites_import},
      {"sites",
       "list",
       "List sites with their latest deployment (or the one covering --month).",
       {},
       {{"area", "AREA", "only sites in this area (id or name)", ""},
        {"month", "YYYY-MM", "only sites deployed in this month, with that month's deployment", ""},
        format_flag(true)},
       sites_list},
  };
}

}  // namespace endstate::cli
