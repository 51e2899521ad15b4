#include "endstate/geo/areas_io.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <system_error>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include "endstate/core/error.hpp"
#include "endstate/core/io.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/core/utf8.hpp"
#include "geo/detail/geos_util.hpp"

namespace endstate::geo {
namespace {

namespace fs = std::filesystem;

/// Silences GDAL's stderr output for the current thread while alive; the
/// last message stays readable through CPLGetLastErrorMsg().
class QuietGdalErrors {
 public:
  QuietGdalErrors() {
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
  }
  ~QuietGdalErrors() { CPLPopErrorHandler(); }
  QuietGdalErrors(const QuietGdalErrors&) = delete;
  QuietGdalErrors& operator=(const QuietGdalErrors&) = delete;
};

std::string gdal_message() {
  const char* m = CPLGetLastErrorMsg();
  return (m && *m) ? std::string(m) : std::string("no details from GDAL");
}

/// Registers GDAL's drivers once per process.
void ensure_gdal() {
  static const bool registered = [] {
    GDALAllRegister();
    return true;
  }();
  (void)registered;
}

std::string lower_extension(const fs::path& p) { return to_lower(p.extension().string()); }

// --- GeoJSON top level --------------------------------------------------------

/// The value of the top-level "type" member of a JSON text, found by a small
/// scanner that tracks nesting and strings, reading the file in chunks (GDAL
/// would also accept a bare Feature or Geometry, which is not what we ask
/// users for). Returns "" when the top level is an object without "type";
/// throws for a non-object.
std::string geojson_top_level_type(const std::string& path) {
  InputStream in = InputStream::open(path);
  std::vector<char> buf(1 << 16);
  std::size_t pos = 0, len = 0;
  bool eof = false;
  std::int64_t line = 1;
  // The next character, or -1 at the end.
  auto peek = [&]() -> int {
    if (pos == len && !eof) {
      len = in.read(buf.data(), buf.size());
      pos = 0;
      eof = len == 0;
    }
    return pos < len ? static_cast<unsigned char>(buf[pos]) : -1;
  };
  auto get = [&]() -> int {
    const int c = peek();
    if (c >= 0) ++pos;
    if (c == '\n') ++line;
    return c;
  };
  auto skip_ws = [&] {
    for (int c = peek(); c == ' ' || c == '\t' || c == '\n' || c == '\r'; c = peek()) get();
  };
  // Reads a JSON string whose opening quote was just read; keeps at most 64 bytes of it.
  auto read_string = [&]() -> std::string {
    std::string s;
    for (int c = get(); c >= 0 && c != '"'; c = get()) {
      if (c == '\\') c = get();
      if (c >= 0 && s.size() < 64) s += static_cast<char>(c);
    }
    return s;
  };
  if (peek() == 0xEF) {
    get();
    get();
    get();
  }
  skip_ws();
  if (get() != '{') {
    throw bad_input("not a GeoJSON FeatureCollection: the top level is not a JSON object", {path, line, ""});
  }
  int depth = 1;
  for (int c = get(); c >= 0 && depth > 0; c = get()) {
    if (c == '"') {
      const std::string s = read_string();
      if (depth == 1) {
        skip_ws();
        if (peek() == ':' && s == "type") {
          get();
          skip_ws();
          if (get() == '"') return read_string();
          throw bad_input("not a GeoJSON FeatureCollection: the top-level \"type\" is not a string",
                          {path, line, "type"});
        }
      }
      continue;
    }
    if (c == '{' || c == '[') ++depth;
    if (c == '}' || c == ']') --depth;
  }
  return "";
}

void check_geojson(const std::string& path) {
  const std::string type = geojson_top_level_type(path);
  if (type == "FeatureCollection") return;
  if (type.empty()) {
    throw bad_input("not a GeoJSON FeatureCollection: the top-level object has no \"type\"", {path, 1, "type"});
  }
  throw bad_input("not a GeoJSON FeatureCollection: the top level is a " + type +
                      "; wrap it as {\"type\": \"FeatureCollection\", \"features\": [...]}",
                  {path, 1, "type"});
}

void check_shapefile_siblings(const std::string& path) {
  const fs::path p(path);
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  const std::string stem = p.stem().string();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const fs::path& q = entry.path();
    if (q.stem().string() == stem && iequals(q.extension().string(), ".dbf")) return;
  }
  throw bad_input("shapefile without its attribute table: " + (dir / (stem + ".dbf")).string() +
                      " is missing; copy the .dbf (and .shx, .prj) that came with the .shp",
                  {path, 0, ""});
}

/// GDAL reads regular files (and File Geodatabase folders); pipes, devices and
/// other folders are refused before it sees them (it would wait on a FIFO,
/// read /dev/zero without end, or open any folder as a Shapefile set).
void check_vector_source(const std::string& path) {
  const FileKind kind = file_kind(path);
  if (kind == FileKind::kMissing) throw bad_input("no such file", {path, 0, ""});
  if (kind == FileKind::kRegular) return;
  if (kind == FileKind::kDirectory) {
    if (iequals(fs::path(path).extension().string(), ".gdb")) return;
    throw bad_input(
        "is a directory; name the vector file inside it (.geojson, .shp, .gpkg), or a File Geodatabase folder "
        "ending in .gdb",
        {path, 0, ""});
  }
  throw bad_input("is a " + std::string(file_kind_name(kind)) +
                      ", not a regular file: areas are read with GDAL, which needs a file it can seek in; save the "
                      "data to a .geojson or .gpkg file first",
                  {path, 0, ""});
}

// --- fields ---------------------------------------------------------------------

std::string available_fields(OGRFeatureDefn* defn) {
  std::string out;
  for (int i = 0; i < defn->GetFieldCount(); ++i) {
    if (i) out += ", ";
    out += defn->GetFieldDefn(i)->GetNameRef();
  }
  return out.empty() ? "(none)" : printable_utf8(out);
}

int find_field(OGRFeatureDefn* defn, std::string_view name) {
  for (int i = 0; i < defn->GetFieldCount(); ++i) {
    if (iequals(defn->GetFieldDefn(i)->GetNameRef(), name)) return i;
  }
  return -1;
}

/// The field named `wanted`, or -1 when `wanted` is empty; throws when named but absent.
int named_field(OGRFeatureDefn* defn, const std::string& wanted, const std::string& what, const std::string& path) {
  if (wanted.empty()) return -1;
  const int i = find_field(defn, wanted);
  if (i < 0) {
    throw bad_input("no " + what + " field '" + wanted + "'; available fields: " + available_fields(defn),
                    {path, 0, wanted});
  }
  return i;
}

/// First of `names` present, else the "PREFIX<digits>" field with the largest
/// number (GADM's GID_2 / NAME_2 for a level-2 file), else -1.
int guess_field(OGRFeatureDefn* defn, std::initializer_list<std::string_view> names, std::string_view prefix) {
  for (std::string_view n : names) {
    const int i = find_field(defn, n);
    if (i >= 0) return i;
  }
  int best = -1;
  long best_level = -1;
  for (int i = 0; i < defn->GetFieldCount(); ++i) {
    const std::string_view name = defn->GetFieldDefn(i)->GetNameRef();
    if (name.size() <= prefix.size() || !iequals(name.substr(0, prefix.size()), prefix)) continue;
    const std::string_view digits = name.substr(prefix.size());
    long level = 0;
    const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), level);
    if (ec != std::errc() || ptr != digits.data() + digits.size()) continue;
    if (level > best_level) {
      best_level = level;
      best = i;
    }
  }
  return best;
}

/// Text that becomes an area id, name or parent must be UTF-8 (GDAL hands
/// strings over as they are in the file; a C string cannot hold NUL).
void check_text_field(const std::string& v, const std::string& path, std::int64_t ordinal, const std::string& label,
                      const std::string& field) {
  if (const auto bad = first_invalid_utf8(v); bad != std::string::npos) {
    throw bad_input(label + ": the " + field + " is not valid UTF-8 (byte " + std::to_string(bad) +
                        "); save the file with UTF-8 attributes",
                    {path, ordinal, field});
  }
}

/// A field value as text: integers (and integral reals) without decimals.
std::string field_text(OGRFeature& f, int i) {
  if (i < 0 || !f.IsFieldSetAndNotNull(i)) return "";
  const OGRFieldType type = f.GetFieldDefnRef(i)->GetType();
  if (type == OFTInteger || type == OFTInteger64) return std::to_string(f.GetFieldAsInteger64(i));
  if (type == OFTReal) {
    const double d = f.GetFieldAsDouble(i);
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15) {
      return std::to_string(static_cast<std::int64_t>(d));
    }
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, d);
    return std::string(buf, res.ptr);
  }
  return std::string(trim(f.GetFieldAsString(i)));
}

// --- geometry -------------------------------------------------------------------

/// The first vertex of a polygonal geometry that is not finite (any CRS), or
/// with `wgs84`, outside longitude [-180, 180] / latitude [-90, 90]; "" when
/// every vertex is fine.
std::string bad_vertex(const OGRGeometry& g, bool wgs84) {
  const OGRwkbGeometryType t = wkbFlatten(g.getGeometryType());
  if (t == wkbPolygon) {
    for (const OGRLinearRing* r : *g.toPolygon()) {
      for (int i = 0; i < r->getNumPoints(); ++i) {
        const double x = r->getX(i), y = r->getY(i);
        const bool bad =
            !std::isfinite(x) || !std::isfinite(y) || (wgs84 && (x < -180.0 || x > 180.0 || y < -90.0 || y > 90.0));
        if (bad) {
          char buf[96];
          std::snprintf(buf, sizeof buf, "(%.10g, %.10g)", x, y);
          return buf;
        }
      }
    }
  } else if (t == wkbMultiPolygon || t == wkbGeometryCollection) {
    for (const OGRGeometry* part : *g.toGeometryCollection()) {
      std::string b = bad_vertex(*part, wgs84);
      if (!b.empty()) return b;
    }
  }
  return "";
}

/// Geometry of one feature as a valid WGS84 Polygon/MultiPolygon in ISO WKB.
std::vector<std::uint8_t> feature_geometry(OGRFeature& f, OGRCoordinateTransformation* ct, const std::string& path,
                                           std::int64_t ordinal, const std::string& label) {
  OGRGeometry* g = f.GetGeometryRef();
  if (!g || g->IsEmpty()) throw bad_input(label + " has no geometry", {path, ordinal, "geometry"});
  std::unique_ptr<OGRGeometry> owned(g->clone());
  if (owned->hasCurveGeometry()) owned.reset(owned->getLinearGeometry());
  const OGRwkbGeometryType flat = wkbFlatten(owned->getGeometryType());
  if (flat != wkbPolygon && flat != wkbMultiPolygon) {
    throw bad_input(label + " has a " + std::string(OGRGeometryTypeToName(owned->getGeometryType())) +
                        " geometry; areas must be polygons or multipolygons",
                    {path, ordinal, "geometry"});
  }
  owned->flattenTo2D();
  if (const std::string v = bad_vertex(*owned, false); !v.empty()) {
    throw bad_input(label + " has a vertex that is not a finite number " + v, {path, ordinal, "geometry"});
  }
  if (ct && owned->transform(ct) != OGRERR_NONE) {
    throw bad_input(label + " could not be reprojected to WGS84: " + gdal_message(), {path, ordinal, "geometry"});
  }
  if (const std::string v = bad_vertex(*owned, true); !v.empty()) {
    throw bad_input(label + " has a vertex " + v + " outside longitude [-180, 180] / latitude [-90, 90]" +
                        (ct ? " after reprojection to WGS84" : "; a file without a CRS is read as WGS84 lon/lat"),
                    {path, ordinal, "geometry"});
  }
  std::vector<std::uint8_t> wkb(owned->WkbSize());
  owned->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
  detail::GeomPtr geom = detail::read_wkb(wkb);
  if (!geom) throw bad_input(label + " has an unreadable geometry", {path, ordinal, "geometry"});
  detail::GeomPtr clean = detail::clean_polygonal(geom.get());
  if (!clean) {
    throw bad_input(label + " has a geometry with no area left after repair (" + detail::geos_last_error() + ")",
                    {path, ordinal, "geometry"});
  }
  return detail::write_wkb(clean.get());
}

struct DatasetCloser {
  void operator()(GDALDataset* d) const { GDALClose(d); }
};

OGRLayer* pick_layer(GDALDataset& ds, const std::string& wanted, const std::string& path) {
  std::string names;
  for (int i = 0; i < ds.GetLayerCount(); ++i) {
    if (i) names += ", ";
    names += printable_utf8(ds.GetLayer(i)->GetName());
  }
  if (!wanted.empty()) {
    OGRLayer* layer = ds.GetLayerByName(wanted.c_str());
    if (!layer) throw bad_input("no layer '" + wanted + "'; layers: " + names, {path, 0, "layer"});
    return layer;
  }
  if (ds.GetLayerCount() == 0) throw bad_input("the dataset has no vector layer", {path, 0, ""});
  if (ds.GetLayerCount() > 1) {
    throw bad_input("the dataset has " + std::to_string(ds.GetLayerCount()) + " layers (" + names +
                        "); name the one to read (--layer)",
                    {path, 0, "layer"});
  }
  return ds.GetLayer(0);
}

}  // namespace

std::vector<Area> read_areas(const std::string& path, const AreaReadOptions& options) {
  ensure_gdal();
  std::error_code ec;
  check_vector_source(path);
  const std::string ext = lower_extension(path);
  bool geojson_checked = false;
  if (ext == ".geojson" || ext == ".json") {
    check_geojson(path);
    geojson_checked = true;
  }
  if (ext == ".shp") check_shapefile_siblings(path);

  QuietGdalErrors quiet;
  std::unique_ptr<GDALDataset, DatasetCloser> ds(
      GDALDataset::FromHandle(GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
  if (!ds) {
    throw bad_input("not a readable vector dataset (GeoJSON, Shapefile, GeoPackage ...): " + gdal_message(),
                    {path, 0, ""});
  }
  if (!geojson_checked && ds->GetDriver() && iequals(ds->GetDriver()->GetDescription(), "GeoJSON") &&
      fs::is_regular_file(path, ec)) {
    check_geojson(path);
  }
  OGRLayer* layer = pick_layer(*ds, options.layer, path);
  OGRFeatureDefn* defn = layer->GetLayerDefn();

  const int id_field = options.id_field.empty() ? guess_field(defn, {"id", "wof:id"}, "GID_")
                                                : named_field(defn, options.id_field, "id", path);
  const int name_field = options.name_field.empty() ? guess_field(defn, {"name", "wof:name"}, "NAME_")
                                                    : named_field(defn, options.name_field, "name", path);
  const int parent_field = named_field(defn, options.parent_field, "parent", path);
  const int population_field = named_field(defn, options.population_field, "population", path);
  const std::string id_field_name = id_field >= 0 ? printable_utf8(defn->GetFieldDefn(id_field)->GetNameRef()) : "";

  // Reprojection to WGS84 lon/lat when the layer says it is in another CRS
  // (no CRS at all is taken as WGS84, as GeoJSON's RFC 7946 prescribes).
  std::unique_ptr<OGRCoordinateTransformation> ct;
  if (const OGRSpatialReference* src = layer->GetSpatialRef()) {
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    const char* const same_opts[] = {"IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES", nullptr};
    if (!src->IsSame(&wgs84, same_opts)) {
      OGRSpatialReference from(*src);
      from.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
      ct.reset(OGRCreateCoordinateTransformation(&from, &wgs84));
      if (!ct) {
        throw bad_input("cannot reproject from the layer's CRS to WGS84: " + gdal_message(), {path, 0, "crs"});
      }
    }
  }

  std::vector<Area> areas;
  std::map<std::string, std::int64_t> seen;  // id -> feature ordinal
  layer->ResetReading();
  std::int64_t ordinal = 0;
  while (true) {
    std::unique_ptr<OGRFeature> f(layer->GetNextFeature());
    if (!f) break;
    ++ordinal;
    const std::string label = "feature " + std::to_string(ordinal) + " (FID " + std::to_string(f->GetFID()) + ")";
    Area a;
    a.level = options.level;
    if (id_field >= 0) {
      a.id = field_text(*f, id_field);
      if (a.id.empty()) throw bad_input(label + " has an empty id", {path, ordinal, id_field_name});
    } else {
      if (f->GetFID() == OGRNullFID) throw bad_input(label + " has no id and no feature id", {path, ordinal, ""});
      a.id = std::to_string(f->GetFID());
    }
    check_text_field(a.id, path, ordinal, label, id_field >= 0 ? id_field_name : "id");
    if (const auto [it, inserted] = seen.emplace(a.id, ordinal); !inserted) {
      throw bad_input("id '" + a.id + "' repeats (features " + std::to_string(it->second) + " and " +
                          std::to_string(ordinal) + "); ids must be unique, pick another field with --id-field " +
                          "(available: " + available_fields(defn) + ")",
                      {path, ordinal, id_field_name});
    }
    a.name = field_text(*f, name_field);
    if (a.name.empty()) a.name = a.id;
    a.parent_id = field_text(*f, parent_field);
    check_text_field(a.name, path, ordinal, label,
                     name_field >= 0 ? printable_utf8(defn->GetFieldDefn(name_field)->GetNameRef()) : "name");
    check_text_field(a.parent_id, path, ordinal, label, options.parent_field);
    if (population_field >= 0) {
      const std::string pop = field_text(*f, population_field);
      if (!pop.empty() && !is_missing(pop)) {
        const auto v = parse_double(pop);
        if (!v || *v < 0) {
          throw bad_input(label + ": population '" + printable_utf8(pop) + "' is not a non-negative number",
                          {path, ordinal, options.population_field});
        }
        a.population = *v;
      }
    }
    a.wkb = feature_geometry(*f, ct.get(), path, ordinal, label);
    compute_metrics(a);
    areas.push_back(std::move(a));
  }
  if (areas.empty())
    throw bad_input("the layer '" + printable_utf8(layer->GetName()) + "' has no features", {path, 0, ""});
  return areas;
}

void compute_metrics(Area& area) {
  detail::GeomPtr g = detail::read_wkb(area.wkb);
  if (!g) throw bad_input("area '" + area.id + "' has no readable geometry (WKB)");
  GEOSContextHandle_t h = detail::geos();
  if (GEOSisEmpty_r(h, g.get()) == 1) {
    area.min_lon = area.min_lat = area.max_lon = area.max_lat = 0;
    area.area_km2 = 0;
    area.centroid = {};
    return;
  }
  double xmin = 0, ymin = 0, xmax = 0, ymax = 0;
  GEOSGeom_getXMin_r(h, g.get(), &xmin);
  GEOSGeom_getYMin_r(h, g.get(), &ymin);
  GEOSGeom_getXMax_r(h, g.get(), &xmax);
  GEOSGeom_getYMax_r(h, g.get(), &ymax);
  area.min_lon = xmin;
  area.min_lat = ymin;
  area.max_lon = xmax;
  area.max_lat = ymax;
  area.area_km2 = detail::polygonal_area_km2(g.get());
  detail::GeomPtr c(GEOSGetCentroid_r(h, g.get()));
  double cx = 0, cy = 0;
  if (c && GEOSisEmpty_r(h, c.get()) == 0 && GEOSGeomGetX_r(h, c.get(), &cx) == 1 &&
      GEOSGeomGetY_r(h, c.get(), &cy) == 1) {
    area.centroid = LatLon{cy, cx};
  } else {
    area.centroid = LatLon{(ymin + ymax) / 2, (xmin + xmax) / 2};
  }
}

namespace {

/// RFC 7946 section 3.1.6: exterior rings counter-clockwise, holes clockwise.
void orient_polygon(OGRPolygon* p) {
  for (int r = 0; r < p->getNumInteriorRings() + 1; ++r) {
    OGRLinearRing* ring = r == 0 ? p->getExteriorRing() : p->getInteriorRing(r - 1);
    if (!ring || ring->getNumPoints() < 4) continue;
    const bool clockwise = ring->isClockwise() != 0;
    if (clockwise == (r == 0)) ring->reverseWindingOrder();
  }
}

void orient_rfc7946(OGRGeometry* g) {
  switch (wkbFlatten(g->getGeometryType())) {
    case wkbPolygon:
      orient_polygon(g->toPolygon());
      break;
    case wkbMultiPolygon:
      for (auto* p : *g->toMultiPolygon()) orient_polygon(p);
      break;
    case wkbGeometryCollection:
      for (auto* part : *g->toGeometryCollection()) orient_rfc7946(part);
      break;
    default:
      break;
  }
}

}  // namespace

std::string wkb_to_geojson(const std::vector<std::uint8_t>& wkb, int precision) {
  ensure_gdal();
  OGRGeometry* g = nullptr;
  std::size_t consumed = 0;
  if (wkb.empty() ||
      OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &g, wkb.size(), wkbVariantIso, consumed) != OGRERR_NONE ||
      !g) {
    throw bad_input("geometry is not valid WKB");
  }
  std::unique_ptr<OGRGeometry> owned(g);
  orient_rfc7946(owned.get());
  const std::string prec = "COORDINATE_PRECISION=" + std::to_string(std::clamp(precision, 0, 17));
  char* opts[] = {const_cast<char*>(prec.c_str()), nullptr};
  char* json = OGR_G_ExportToJsonEx(OGRGeometry::ToHandle(owned.get()), opts);
  if (!json) throw internal_error("GDAL could not write the geometry as GeoJSON");
  std::string out(json);
  CPLFree(json);
  return out;
}

std::string slugify(const std::string& text) {
  // Latin-1 letters U+00C0..U+00FF folded to ASCII (index = code point - 0xC0);
  // "" for the two symbols in that range (× and ÷), which act as separators.
  static constexpr const char* kLatin1[64] = {
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",   // C0-CF
      "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",  // D0-DF
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",   // E0-EF
      "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y",   // F0-FF
  };
  std::string out;
  bool pending_dash = false;
  auto emit = [&](std::string_view s) {
    if (s.empty()) {
      pending_dash = true;
      return;
    }
    if (pending_dash && !out.empty()) out += '-';
    pending_dash = false;
    out += s;
  };
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = bytes[i];
    if (c < 0x80) {
      if (std::isalnum(c)) {
        const char lc = static_cast<char>(std::tolower(c));
        emit(std::string_view(&lc, 1));
      } else {
        pending_dash = true;
      }
      ++i;
      continue;
    }
    // Decode one UTF-8 sequence (invalid bytes count as one separator each).
    std::uint32_t cp = 0;
    std::size_t len = 0;
    if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1Fu;
      len = 2;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0Fu;
      len = 3;
    } else if ((c & 0xF8) == 0xF0) {
      cp = c & 0x07u;
      len = 4;
    }
    bool ok = len > 0 && i + len <= n;
    for (std::size_t k = 1; ok && k < len; ++k) {
      if ((bytes[i + k] & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (bytes[i + k] & 0x3Fu);
    }
    if (!ok) {
      pending_dash = true;
      ++i;
      continue;
    }
    i += len;
    if (cp >= 0xC0 && cp <= 0xFF) {
      emit(kLatin1[cp - 0xC0]);
    } else if (cp == 0x152 || cp == 0x153) {
      emit("oe");  // Œ œ
    } else {
      pending_dash = true;
    }
  }
  return out;
}

}  // namespace endstate::geo
