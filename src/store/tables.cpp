// The tables of the store as data (store/tables.hpp) and the copy between
// stores built on them. tests/unit/store checks this list against the schema
// each backend actually creates, so it cannot drift from sql/.
#include "endstate/store/tables.hpp"

#include "endstate/core/error.hpp"
#include "endstate/store/database.hpp"

namespace endstate::store {

namespace {
constexpr ColumnType I = ColumnType::kInteger;
constexpr ColumnType R = ColumnType::kReal;
constexpr ColumnType T = ColumnType::kText;
constexpr ColumnType D = ColumnType::kDate;
constexpr ColumnType B = ColumnType::kBlob;
}  // namespace

const std::vector<TableInfo>& tables() {
  static const std::vector<TableInfo> kTables = {
      {"import_log",
       {{"id", I},
        {"kind", T},
        {"file", T},
        {"sha256", T},
        {"source", T},
        {"imported_at", T},
        {"read", I},
        {"imported", I},
        {"duplicates", I},
        {"rejected", I},
        {"outside_areas", I}},
       "id",
       "id",
       GeometrySource::kNone,
       "one row per imported file"},
      {"areas",
       {{"id", T},
        {"name", T},
        {"level", T},
        {"parent_id", T},
        {"population", R},
        {"area_km2", R},
        {"centroid_lat", R},
        {"centroid_lon", R},
        {"min_lon", R},
        {"min_lat", R},
        {"max_lon", R},
        {"max_lat", R},
        {"priogrid_gid", I},
        {"share_inside", R},
        {"geometry_wkb", B},
        {"import_id", I}},
       "id",
       "",
       GeometrySource::kWkb,
       "areas of every level (polygons, EPSG:4326)"},
      {"events",
       {{"id", I},
        {"source", T},
        {"source_id", T},
        {"date_start", D},
        {"date_end", D},
        {"day_start", I},
        {"month", I},
        {"date_precision", I},
        {"lat", R},
        {"lon", R},
        {"location_precision", I},
        {"violence_type", T},
        {"violence_original", T},
        {"actor1", T},
        {"actor2", T},
        {"fatalities_best", I},
        {"fatalities_low", I},
        {"fatalities_high", I},
        {"civilian_deaths", I},
        {"country", T},
        {"admin1", T},
        {"location", T},
        {"priogrid_gid", I},
        {"import_id", I}},
       "id",
       "id",
       GeometrySource::kLatLon,
       "conflict events (points, EPSG:4326)"},
      {"event_areas",
       {{"event_id", I}, {"area_id", T}},
       "event_id, area_id",
       "",
       GeometrySource::kNone,
       "the owning area of each event at every level"},
      {"sites",
       {{"id", I},
        {"key", T},
        {"mission", T},
        {"name", T},
        {"country", T},
        {"admin1", T},
        {"admin2", T},
        {"lat", R},
        {"lon", R},
        {"kind", T},
        {"import_id", I}},
       "id",
       "id",
       GeometrySource::kLatLon,
       "mission sites (points, EPSG:4326)"},
      {"site_areas",
       {{"site_id", I}, {"area_id", T}},
       "site_id, area_id",
       "",
       GeometrySource::kNone,
       "the owning area of each site at every level"},
      {"deployments",
       {{"site_id", I},
        {"period_start", I},
        {"period_end", I},
        {"source", T},
        {"troops", I},
        {"police", I},
        {"observers", I},
        {"civilians", I},
        {"hq", I},
        {"aviation", I},
        {"medical", I},
        {"notes", T},
        {"import_id", I}},
       "site_id, period_start, source",
       "",
       GeometrySource::kNone,
       "what was deployed at each site and when"},
      {"indicators",
       {{"id", T}, {"name", T}, {"unit", T}, {"description", T}},
       "id",
       "",
       GeometrySource::kNone,
       "indicators with observations"},
      {"observations",
       {{"indicator_id", T}, {"area_id", T}, {"month", I}, {"value", R}, {"source", T}, {"import_id", I}},
       "indicator_id, area_id, month, source",
       "",
       GeometrySource::kNone,
       "indicator values per area and month"},
      {"audit_log",
       {{"seq", I}, {"at", T}, {"kind", T}, {"subject", T}, {"payload", T}, {"prev_hash", T}, {"hash", T}},
       "seq",
       "",
       GeometrySource::kNone,
       "the append-only, hash-chained audit log"},
      {"audit_head",
       {{"id", I}, {"entries", I}, {"head_hash", T}},
       "id",
       "",
       GeometrySource::kNone,
       "the audit chain's length and last hash (kept with every append)"},
      {"benchmark_frameworks",
       {{"version", I},
        {"framework_id", T},
        {"label", T},
        {"name", T},
        {"area_level", T},
        {"file", T},
        {"sha256", T},
        {"yaml", T},
        {"imported_at", T},
        {"audit_seq", I}},
       "version",
       "version",
       GeometrySource::kNone,
       "every imported benchmark framework version"},
      {"benchmark_signoffs",
       {{"id", I},
        {"framework_version", I},
        {"stakeholder", T},
        {"signed_by", T},
        {"signed_at", T},
        {"version_sha256", T},
        {"audit_seq", I}},
       "id",
       "id",
       GeometrySource::kNone,
       "stakeholder sign-offs of framework versions"},
      {"benchmark_assessments",
       {{"id", I},
        {"framework_version", I},
        {"month", I},
        {"level", T},
        {"data_fingerprint", T},
        {"created_at", T},
        {"audit_seq", I}},
       "id",
       "id",
       GeometrySource::kNone,
       "saved assessments"},
      {"benchmark_results",
       {{"assessment_id", I},
        {"area_id", T},
        {"stakeholder", T},
        {"item_kind", T},
        {"item_id", T},
        {"value", R},
        {"status", T}},
       "assessment_id, area_id, stakeholder, item_kind, item_id",
       "",
       GeometrySource::kNone,
       "the result lines of saved assessments"},
      {"consultations",
       {{"id", T},
        {"locality", T},
        {"territory", T},
        {"held_on", T},
        {"channel", T},
        {"who", T},
        {"summary", T},
        {"concerns", T},
        {"personal", I},
        {"import_id", I}},
       "id",
       "",
       GeometrySource::kNone,
       "the consultation log: community feedback per locality (no personal data unless asked)"},
      {"users",
       {{"id", I},
        {"name", T},
        {"role", T},
        {"password_hash", T},
        {"created_at", T},
        {"created_by", T},
        {"revoked_at", T}},
       "id",
       "id",
       GeometrySource::kNone,
       "the HTTP server's users (Argon2id password hashes only)"},
      {"user_tokens",
       {{"token_hash", T}, {"user_id", I}, {"created_at", T}, {"expires_at", T}, {"revoked_at", T}},
       "token_hash",
       "",
       GeometrySource::kNone,
       "the server's login tokens (SHA-256 hashes only)"},
      {"jobs",
       {{"id", I},
        {"kind", T},
        {"user_name", T},
        {"params", T},
        {"state", T},
        {"created_at", T},
        {"started_at", T},
        {"finished_at", T},
        {"stage", T},
        {"done", I},
        {"total", I},
        {"warnings", T},
        {"content_type", T},
        {"result", B},
        {"problem", T}},
       "id",
       "id",
       GeometrySource::kNone,
       "the server's jobs: parameters, progress, result document or problem"},
  };
  return kTables;
}

TableCounts copy_store(Database& from, Database& to,
                       const std::function<void(const std::string&, std::int64_t)>& progress) {
  if (from.schema_version() != to.schema_version()) {
    throw internal_error("copy_store: schema versions differ (" + std::to_string(from.schema_version()) + " and " +
                         std::to_string(to.schema_version()) + ")");
  }
  Database::Transaction tx(to, Database::Transaction::kBulk);
  for (const auto& t : tables()) {
    if (const auto n = to.count_rows(t); n > 0) {
      throw Error(ErrorCategory::kBadInput, "the target store " + to.path() + " is not empty: table " + t.name +
                                                " holds " + std::to_string(n) +
                                                " rows; copy into a new, empty store (nothing was changed)");
    }
  }
  constexpr std::size_t kBatch = 5000;
  TableCounts counts;
  for (const auto& t : tables()) {
    std::vector<Row> batch;
    std::int64_t n = 0;
    from.read_table(t, [&](const Row& r) {
      batch.push_back(r);
      ++n;
      if (batch.size() == kBatch) {
        to.write_rows(t, batch);
        batch.clear();
      }
    });
    if (!batch.empty()) to.write_rows(t, batch);
    counts.emplace_back(t.name, n);
    if (progress) progress(t.name, n);
  }
  tx.commit();
  from.end_snapshot();
  return counts;
}

}  // namespace endstate::store
