#include "endstate/ingest/points.hpp"

#include "endstate/core/csv.hpp"
#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"

namespace endstate::ingest {

std::vector<PointRow> read_points_csv(const std::string& path, bool require_population) {
  return read_points_csv(InputStream::open(path), require_population);
}

std::vector<PointRow> read_points_csv(InputStream in, bool require_population) {
  const std::string path = in.name();
  CsvReader r(std::move(in));
  if (!r.next()) throw bad_input("empty file, expected a header", Position{path, 1, ""});
  std::vector<std::string> header;
  for (auto f : r.fields()) header.emplace_back(f);
  auto column = [&](std::initializer_list<const char*> names) {
    for (const char* n : names) {
      if (const int k = find_column(header, n); k >= 0) return k;
    }
    return -1;
  };
  const int ilat = column({"latitude", "lat"});
  const int ilon = column({"longitude", "lon"});
  const int iname = column({"name"});
  const int iid = column({"id", "wof_id"});
  const int ipop = column({"population"});
  const int iair = column({"has_air"});
  for (auto [k, name] : {std::pair{ilat, "latitude"}, {ilon, "longitude"}, {iname, "name"}}) {
    if (k < 0) throw bad_input(std::string("missing column '") + name + "'", Position{path, 1, name});
  }
  if (require_population && ipop < 0) throw bad_input("missing column 'population'", Position{path, 1, "population"});
  std::vector<PointRow> out;
  while (r.next()) {
    if (r.size() == 1 && r[0].empty()) continue;
    const auto line = r.line();
    auto field = [&](int k) -> std::string_view {
      return k >= 0 && static_cast<std::size_t>(k) < r.size() ? r[k] : std::string_view();
    };
    PointRow p;
    p.line = line;
    p.name = std::string(field(iname));
    p.id = iid >= 0 ? std::string(field(iid)) : p.name;
    if (p.id.empty()) p.id = "row" + std::to_string(line);
    const auto lat = parse_double(field(ilat)), lon = parse_double(field(ilon));
    if (!lat || *lat < -90 || *lat > 90) {
      throw bad_input("expected a number in -90..90, got '" + std::string(field(ilat)) + "'",
                      Position{path, line, "latitude"});
    }
    if (!lon || *lon < -180 || *lon > 180) {
      throw bad_input("expected a number in -180..180, got '" + std::string(field(ilon)) + "'",
                      Position{path, line, "longitude"});
    }
    p.where = {*lat, *lon};
    if (ipop >= 0 && !trim(field(ipop)).empty()) {
      const auto v = parse_double(field(ipop));
      if (!v || *v < 0) {
        throw bad_input("expected a number >= 0 or empty, got '" + std::string(field(ipop)) + "'",
                        Position{path, line, "population"});
      }
      if (*v > 0) p.population = *v;
    }
    if (iair >= 0) {
      const std::string a = to_lower(trim(field(iair)));
      p.has_air = a == "1" || a == "true" || a == "yes";
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace endstate::ingest
