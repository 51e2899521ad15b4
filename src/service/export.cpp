// Engine::export_store: the whole store as a GeoPackage (GDAL/OGR, one layer
// per table of store::tables()) or copied into an empty store.
#include <filesystem>
#include <memory>

#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include "endstate/core/error.hpp"
#include "endstate/service/engine.hpp"
#include "endstate/store/database.hpp"
#include "endstate/store/tables.hpp"
#include "service/detail/engine_impl.hpp"

namespace endstate::service {
namespace {

namespace fs = std::filesystem;

const char* geometry_name(store::GeometrySource g) {
  switch (g) {
    case store::GeometrySource::kLatLon:
      return "Point";
    case store::GeometrySource::kWkb:
      return "MultiPolygon";
    case store::GeometrySource::kNone:
      break;
  }
  return "";
}

/// GDAL's last error message, for our own.
std::string gdal_message() {
  const char* m = CPLGetLastErrorMsg();
  return m && *m ? std::string(m) : std::string("unknown GDAL error");
}

struct DatasetCloser {
  void operator()(GDALDataset* d) const { GDALClose(d); }
};

/// Silences GDAL's printing while an export runs (the engine never prints).
struct QuietGdal {
  QuietGdal() { CPLPushErrorHandler(CPLQuietErrorHandler); }
  ~QuietGdal() { CPLPopErrorHandler(); }
  QuietGdal(const QuietGdal&) = delete;
  QuietGdal& operator=(const QuietGdal&) = delete;
};

OGRFieldType field_type(store::ColumnType t) {
  switch (t) {
    case store::ColumnType::kInteger:
      return OFTInteger64;
    case store::ColumnType::kReal:
      return OFTReal;
    case store::ColumnType::kDate:
      return OFTDate;
    case store::ColumnType::kBlob:
      return OFTBinary;
    case store::ColumnType::kText:
      break;
  }
  return OFTString;
}

/// Writes every table of `db` into a new GeoPackage at `file`.
std::vector<ExportedTable> write_geopackage(store::Database& db, const std::string& file, Engine::Impl& impl) {
  GDALAllRegister();
  QuietGdal quiet;
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
  if (!driver) throw internal_error("this GDAL has no GeoPackage driver");
  std::unique_ptr<GDALDataset, DatasetCloser> ds(driver->Create(file.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  if (!ds) throw environment_error("cannot create the GeoPackage " + file + ": " + gdal_message());
  OGRSpatialReference wgs84;
  wgs84.importFromEPSG(4326);
  wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  std::vector<ExportedTable> out;
  const auto& all = store::tables();
  for (std::size_t k = 0; k < all.size(); ++k) {
    const auto& t = all[k];
    impl.check_cancelled();
    const OGRwkbGeometryType gtype = t.geometry == store::GeometrySource::kLatLon ? wkbPoint
                                     : t.geometry == store::GeometrySource::kWkb  ? wkbMultiPolygon
                                                                                  : wkbNone;
    const std::string fid = t.integer_id.empty() ? std::string("fid") : t.integer_id;
    const std::string fid_option = "FID=" + fid;
    const std::string description = "DESCRIPTION=" + t.description;
    const char* options[] = {fid_option.c_str(), "GEOMETRY_NAME=geom", description.c_str(), nullptr};
    OGRLayer* layer =
        ds->CreateLayer(t.name.c_str(), gtype == wkbNone ? nullptr : &wgs84, gtype, const_cast<char**>(options));
    if (!layer) throw environment_error("cannot create the layer " + t.name + " in " + file + ": " + gdal_message());
    // Attribute columns: all but the integer key (the FID) and the WKB (the geometry).
    std::vector<int> field_of(t.columns.size(), -1);
    int lat = -1, lon = -1, wkb = -1, id = -1;
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      const auto& col = t.columns[c];
      if (col.name == t.integer_id) {
        id = static_cast<int>(c);
        continue;
      }
      if (t.geometry == store::GeometrySource::kWkb && col.name == "geometry_wkb") {
        wkb = static_cast<int>(c);
        continue;
      }
      if (col.name == "lat") lat = static_cast<int>(c);
      if (col.name == "lon") lon = static_cast<int>(c);
      OGRFieldDefn def(col.name.c_str(), field_type(col.type));
      if (layer->CreateField(&def) != OGRERR_NONE) {
        throw environment_error("cannot add the field " + t.name + "." + col.name + " to " + file + ": " +
                                gdal_message());
      }
      field_of[c] = layer->GetLayerDefn()->GetFieldIndex(col.name.c_str());
    }
    if (ds->StartTransaction() != OGRERR_NONE) throw environment_error("cannot write " + file + ": " + gdal_message());
    std::int64_t rows = 0;
    db.read_table(t, [&](const store::Row& row) {
      OGRFeature f(layer->GetLayerDefn());
      for (std::size_t c = 0; c < row.size(); ++c) {
        const auto& v = row[c];
        if (static_cast<int>(c) == id) {
          f.SetFID(std::get<std::int64_t>(v));
          continue;
        }
        const int i = field_of[c];
        if (i < 0) continue;
        if (std::holds_alternative<std::monostate>(v)) {
          f.SetFieldNull(i);
        } else if (const auto* n = std::get_if<std::int64_t>(&v)) {
          f.SetField(i, static_cast<GIntBig>(*n));
        } else if (const auto* d = std::get_if<double>(&v)) {
          f.SetField(i, *d);
        } else if (const auto* s = std::get_if<std::string>(&v)) {
          f.SetField(i, s->c_str());
        } else {
          const auto& b = std::get<store::Blob>(v).bytes;
          f.SetField(i, static_cast<int>(b.size()), b.data());
        }
      }
      if (lat >= 0 && lon >= 0) {
        OGRPoint p(std::get<double>(row[static_cast<std::size_t>(lon)]),
                   std::get<double>(row[static_cast<std::size_t>(lat)]));
        f.SetGeometry(&p);
      } else if (wkb >= 0) {
        const auto& bytes = std::get<store::Blob>(row[static_cast<std::size_t>(wkb)]).bytes;
        OGRGeometry* g = nullptr;
        if (OGRGeometryFactory::createFromWkb(bytes.data(), nullptr, &g, bytes.size()) != OGRERR_NONE || !g) {
          throw internal_error("the stored geometry of a row of " + t.name + " is not valid WKB");
        }
        std::unique_ptr<OGRGeometry> owned(OGRGeometryFactory::forceToMultiPolygon(g));
        f.SetGeometry(owned.get());
      }
      if (layer->CreateFeature(&f) != OGRERR_NONE) {
        throw environment_error("cannot write a row of " + t.name + " to " + file + ": " + gdal_message());
      }
      ++rows;
    });
    if (ds->CommitTransaction() != OGRERR_NONE) throw environment_error("cannot write " + file + ": " + gdal_message());
    out.push_back({t.name, rows, geometry_name(t.geometry)});
    impl.progress("exporting tables", static_cast<std::int64_t>(k + 1), static_cast<std::int64_t>(all.size()));
  }
  ds.reset();  // closes and flushes
  if (CPLGetLastErrorType() >= CE_Failure) throw environment_error("cannot finish " + file + ": " + gdal_message());
  return out;
}

}  // namespace

ExportResult Engine::export_store(const ExportRequest& r) {
  if (r.gpkg.empty() == r.to.empty()) {
    throw invalid_field(r.gpkg.empty() ? "gpkg" : "to",
                        r.gpkg.empty() ? "or --to is required: the GeoPackage to write or the store to copy into"
                                       : "cannot be combined with gpkg: export to one place at a time");
  }
  ExportResult out;
  if (!r.gpkg.empty()) {
    const fs::path file(r.gpkg);
    if (file.extension() != ".gpkg") throw invalid_field("gpkg", "must name a .gpkg file (got '" + r.gpkg + "')");
    std::error_code ec;
    if (fs::exists(file, ec) && !r.force) {
      throw invalid_field("gpkg", r.gpkg + " exists; choose a new file or pass force to replace it");
    }
    if (fs::is_directory(file, ec)) throw invalid_field("gpkg", r.gpkg + " is a directory");
    auto& db = reader();
    // Written beside the target and renamed at the end: never half a file.
    const fs::path partial = file.string() + ".partial";
    fs::remove(partial, ec);
    try {
      out.tables = write_geopackage(db, partial.string(), *impl_);
      fs::rename(partial, file);
    } catch (...) {
      fs::remove(partial, ec);
      throw;
    }
    db.end_snapshot();
    out.target = r.gpkg;
    out.format = "gpkg";
    return out;
  }
  if (r.to == location()) throw invalid_field("to", "is the store being exported; name another one");
  auto& db = reader();
  const bool file_target = !store::is_server_location(r.to);
  std::error_code ec;
  const bool existed = file_target && fs::exists(r.to, ec);
  try {
    auto target = store::Database::open(r.to, store::Access::kReadWrite);
    const auto counts =
        store::copy_store(db, target, [&](const std::string&, std::int64_t) { impl_->check_cancelled(); });
    std::size_t k = 0;
    for (const auto& [name, rows] : counts)
      out.tables.push_back({name, rows, geometry_name(store::tables()[k++].geometry)});
    out.target = target.path();
  } catch (...) {
    // A file this call created holds nothing of value: leave no trace of it.
    if (file_target && !existed) {
      for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(r.to + suffix, ec);
    }
    throw;
  }
  out.format = "store";
  return out;
}

}  // namespace endstate::service
