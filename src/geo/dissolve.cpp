// Dissolve: each group's geometry is the GEOS unary union (OverlayNG, with its
// snapping fallbacks) of its members, repaired and reduced to polygons.
#include "endstate/geo/dissolve.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

#include "endstate/core/csv.hpp"
#include "endstate/core/error.hpp"
#include "endstate/core/io.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/core/utf8.hpp"
#include "endstate/geo/areas_io.hpp"
#include "geo/detail/geos_util.hpp"

namespace endstate::geo {
namespace {

/// Union of the members' geometries as a valid (Multi)Polygon in ISO WKB.
std::vector<std::uint8_t> union_members(const std::vector<Area>& units, const std::vector<std::size_t>& members,
                                        const std::string& group) {
  GEOSContextHandle_t h = detail::geos();
  std::vector<GEOSGeometry*> parts;
  parts.reserve(members.size());
  for (std::size_t m : members) {
    detail::GeomPtr g = detail::read_wkb(units[m].wkb);
    if (!g) {
      for (GEOSGeometry* p : parts) GEOSGeom_destroy_r(h, p);
      throw bad_input("unit '" + units[m].id + "' has no readable geometry; cannot dissolve it into '" + group + "'");
    }
    detail::GeomPtr clean = detail::clean_polygonal(g.get());
    if (clean) parts.push_back(clean.release());
  }
  if (parts.empty()) throw bad_input("group '" + group + "' has no polygon to dissolve");
  detail::GeomPtr collection(
      GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts.data(), static_cast<unsigned>(parts.size())));
  if (!collection) {
    for (GEOSGeometry* p : parts) GEOSGeom_destroy_r(h, p);
    throw internal_error("GEOS could not collect the members of '" + group + "': " + detail::geos_last_error());
  }
  detail::GeomPtr u(GEOSUnaryUnion_r(h, collection.get()));
  if (!u) {
    // Last resort for inputs OverlayNG cannot node exactly: snap to 1e-9 degrees (0.1 mm).
    u.reset(GEOSUnaryUnionPrec_r(h, collection.get(), 1e-9));
  }
  if (!u) throw bad_input("GEOS could not union the members of '" + group + "': " + detail::geos_last_error());
  detail::GeomPtr clean = detail::clean_polygonal(u.get());
  if (!clean) throw bad_input("the union of group '" + group + "' has no area");
  return detail::write_wkb(clean.get());
}

/// Names become area ids and names: UTF-8 without NUL bytes, checked where they are read.
void check_name(std::string_view v, const std::string& file, std::int64_t line, const std::string& field) {
  if (const auto nul = v.find('\0'); nul != std::string_view::npos) {
    throw bad_input("NUL byte (\\0) at byte " + std::to_string(nul), {file, line, field});
  }
  if (const auto bad = first_invalid_utf8(v); bad != std::string_view::npos) {
    throw bad_input("not valid UTF-8 at byte " + std::to_string(bad) + "; save the crosswalk as CSV UTF-8",
                    {file, line, field});
  }
}

}  // namespace

std::map<std::string, std::string> read_crosswalk(const std::string& csv_path, const std::string& key_column,
                                                  const std::string& into_column) {
  const std::string text = read_text_file(csv_path);  // bounded; refuses folders and binary data
  return read_crosswalk(InputStream::from_memory(text, csv_path), key_column, into_column);
}

std::map<std::string, std::string> read_crosswalk(InputStream in, const std::string& key_column,
                                                  const std::string& into_column) {
  CsvReader csv(std::move(in));
  const std::string csv_path = csv.path();
  if (!csv.next()) throw bad_input("the crosswalk is empty; expected a header row", {csv_path, 1, ""});
  std::vector<std::string> header;
  for (std::string_view f : csv.fields()) header.emplace_back(trim(f));
  const std::string available = printable_utf8(join(header, ", "));
  const int key = find_column(header, key_column);
  if (key < 0) {
    throw bad_input("no key column '" + key_column + "' in the crosswalk; columns: " + available,
                    {csv_path, csv.line(), key_column});
  }
  const int into = find_column(header, into_column);
  if (into < 0) {
    throw bad_input("no group column '" + into_column + "' in the crosswalk; columns: " + available,
                    {csv_path, csv.line(), into_column});
  }
  const auto need = static_cast<std::size_t>(std::max(key, into)) + 1;
  std::map<std::string, std::string> out;
  std::map<std::string, std::int64_t> line_of;
  while (csv.next()) {
    bool blank = true;
    for (std::string_view f : csv.fields()) blank = blank && trim(f).empty();
    if (blank) continue;
    if (csv.size() < need) {
      throw bad_input("row has " + std::to_string(csv.size()) + " fields, the header " + std::to_string(header.size()),
                      {csv_path, csv.line(), csv.size() <= static_cast<std::size_t>(key) ? key_column : into_column});
    }
    const std::string k(trim(csv[static_cast<std::size_t>(key)]));
    const std::string g(trim(csv[static_cast<std::size_t>(into)]));
    check_name(k, csv_path, csv.line(), key_column);
    check_name(g, csv_path, csv.line(), into_column);
    if (k.empty()) throw bad_input("empty key", {csv_path, csv.line(), key_column});
    if (g.empty()) throw bad_input("empty group for key '" + k + "'", {csv_path, csv.line(), into_column});
    const auto [it, inserted] = out.emplace(k, g);
    if (!inserted && it->second != g) {
      throw bad_input("key '" + k + "' is listed twice with different groups ('" + it->second + "' on line " +
                          std::to_string(line_of[k]) + ", '" + g + "' here)",
                      {csv_path, csv.line(), into_column});
    }
    line_of.emplace(k, csv.line());
  }
  if (out.empty()) throw bad_input("the crosswalk has a header but no rows", {csv_path, 1, ""});
  return out;
}

std::vector<Area> dissolve(std::vector<Area>& units, const std::map<std::string, std::string>& crosswalk,
                           const std::string& group_level) {
  std::map<std::string, std::vector<std::size_t>> members;  // group name -> unit indices
  for (std::size_t i = 0; i < units.size(); ++i) {
    const auto it = crosswalk.find(units[i].id);
    if (it == crosswalk.end()) {
      throw bad_input("unit '" + units[i].id + "' (" + units[i].name +
                      ") is not in the crosswalk; add a row for it with its group");
    }
    members[it->second].push_back(i);
  }
  std::map<std::string, std::string> name_of_id;  // slug -> group name (slugs must not collide)
  std::vector<Area> groups;
  groups.reserve(members.size());
  for (const auto& [name, idx] : members) {
    Area g;
    g.id = slugify(name);
    if (g.id.empty()) throw bad_input("group name '" + name + "' gives an empty id; use letters or digits in it");
    if (const auto [it, inserted] = name_of_id.emplace(g.id, name); !inserted) {
      throw bad_input("groups '" + it->second + "' and '" + name + "' both give the id '" + g.id +
                      "'; spell them the same or make them distinct");
    }
    g.name = name;
    g.level = group_level;
    bool all_population = true;
    double population = 0.0;
    for (std::size_t m : idx) {
      if (units[m].population) {
        population += *units[m].population;
      } else {
        all_population = false;
      }
    }
    if (all_population) g.population = population;
    g.wkb = union_members(units, idx, name);
    compute_metrics(g);
    groups.push_back(std::move(g));
  }
  // Units learn their parent only once every group is built (an error above leaves them untouched).
  for (const auto& [name, idx] : members) {
    const std::string id = slugify(name);
    for (std::size_t m : idx) units[m].parent_id = id;
  }
  std::sort(groups.begin(), groups.end(), [](const Area& a, const Area& b) { return a.id < b.id; });
  return groups;
}

}  // namespace endstate::geo
