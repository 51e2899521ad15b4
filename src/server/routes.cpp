#include "endstate/core/error.hpp"
#include "server/detail/route.hpp"

namespace endstate::server::detail {

std::string content_type(io::Format f) {
  switch (f) {
    case io::Format::kGeoJson:
      return "application/geo+json";
    case io::Format::kCsv:
      return "text/csv; charset=utf-8";
    case io::Format::kTable:
      return "text/plain; charset=utf-8";
    case io::Format::kJson:
      break;
  }
  return "application/json";
}

bool is_html(const Params& p) { return p.text("format") == "html"; }

std::vector<Route> engine_routes() {
  std::vector<Route> all;
  for (auto list : {data_routes(), threat_routes(), forecast_routes(), benchmarks_routes(), footprint_routes(),
                    plan_routes(), report_routes(), published_routes()}) {
    for (auto& r : list) all.push_back(std::move(r));
  }
  return all;
}

std::vector<ParamSpec> all_params(const Route& r) {
  std::vector<ParamSpec> out = r.params;
  if (!r.formats.empty()) {
    out.push_back(choice_param("format", "document format", r.formats, r.formats.front()));
    for (const auto& f : r.formats) {
      if (f == "csv") out.push_back(bool_param("bom", "CSV: start with a UTF-8 byte-order mark (Excel on Windows)"));
    }
  }
  if (!r.views.empty()) out.push_back(choice_param("view", "which table or layer", r.views, r.views.front()));
  return out;
}

io::WriteOptions write_options(const Route& r, const Params& p) {
  io::WriteOptions o;
  o.format = io::Format::kJson;
  if (!r.formats.empty()) {
    if (p.text("format") == "html") return o;  // a page the route renders itself (is_html)
    const auto f = io::parse_format(p.text("format"));
    if (!f) throw invalid_field("format", "is not a format");
    o.format = *f;
    for (const auto& name : r.formats) {
      if (name == "csv") o.bom = p.flag("bom");
    }
  }
  if (!r.views.empty()) o.view = p.text("view");
  return o;
}

}  // namespace endstate::server::detail
