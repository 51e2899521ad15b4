#pragma once
// One writer per result type: the same text, CSV, JSON and GeoJSON for the
// CLI, the HTTP server and the reports. Each throws invalid_field("format")
// for a format the result has no form in, and invalid_field("view") for an
// unknown view. JSON and GeoJSON layouts are described by the JSON Schemas in
// docs/schemas/ (named after the "kind" each document carries).

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "endstate/core/domain.hpp"
#include "endstate/io/table.hpp"
#include "endstate/service/benchmarks.hpp"
#include "endstate/service/data.hpp"
#include "endstate/service/footprint.hpp"
#include "endstate/service/forecast.hpp"
#include "endstate/service/scenario.hpp"
#include "endstate/service/threat.hpp"

namespace endstate::io {

// --- data --------------------------------------------------------------------------
/// kind "import": what an import read, imported, skipped and rejected.
void write(std::ostream& out, const ImportSummary& s, const WriteOptions& o);
/// kind "areas"; GeoJSON: polygons.
void write(std::ostream& out, const service::AreaList& r, const WriteOptions& o);
/// kind "sites"; GeoJSON: points.
void write(std::ostream& out, const service::SiteList& r, const WriteOptions& o);
/// kind "observations".
void write(std::ostream& out, const service::ObservationList& r, const WriteOptions& o);
/// kind "status".
void write(std::ostream& out, const service::StatusResult& r, const WriteOptions& o);

/// Events streamed as they come (kind "events"; GeoJSON: points): begin, one row per event, end.
class EventWriter {
 public:
  EventWriter(std::ostream& out, const WriteOptions& o, bool one_area_column);
  ~EventWriter();
  EventWriter(const EventWriter&) = delete;
  EventWriter& operator=(const EventWriter&) = delete;
  void row(const service::EventRecord& e);
  void finish();

 private:
  struct State;
  std::unique_ptr<State> s_;
};

// --- threat ------------------------------------------------------------------------
void write(std::ostream& out, const service::ThreatPanelResult& r, const WriteOptions& o);  ///< "threat_panel"
void write(std::ostream& out, const service::ThreatIndexResult& r,
           const WriteOptions& o);  ///< "threat_index"; GeoJSON polygons
void write(std::ostream& out, const service::HotspotsResult& r,
           const WriteOptions& o);  ///< "hotspots"; GeoJSON polygons

// --- forecast ------------------------------------------------------------------------
void write(std::ostream& out, const service::ForecastResult& r, const WriteOptions& o);  ///< "forecast"
/// Every draw as CSV: area_id, month, h, draw, value.
void write_draws(std::ostream& out, const service::ForecastResult& r, const WriteOptions& o);
void write(std::ostream& out, const service::BacktestResult& r, const WriteOptions& o);  ///< "backtest"
void write(std::ostream& out, const service::AlertsResult& r, const WriteOptions& o);    ///< "alerts"; GeoJSON polygons

// --- benchmarks and audit ------------------------------------------------------------
void write(std::ostream& out, const service::FrameworkImportResult& r, const WriteOptions& o);  ///< "framework_import"
void write(std::ostream& out, const std::vector<service::FrameworkVersion>& r,
           const WriteOptions& o);                                                 ///< "framework_versions"
void write(std::ostream& out, const store::SignoffRow& r, const WriteOptions& o);  ///< "signoff"
/// "assessment"; views readiness (default), benchmarks, indicators; GeoJSON polygons.
void write(std::ostream& out, const service::AssessResult& r, const WriteOptions& o);
void write(std::ostream& out, const service::DisagreementsResult& r, const WriteOptions& o);  ///< "disagreements"
void write(std::ostream& out, const service::ProjectResult& r, const WriteOptions& o);        ///< "projections"
void write(std::ostream& out, const service::HistoryResult& r, const WriteOptions& o);        ///< "history"
void write(std::ostream& out, const service::SavedHistoryResult& r, const WriteOptions& o);   ///< "saved_assessments"
void write(std::ostream& out, const service::AuditLogResult& r, const WriteOptions& o);       ///< "audit_log"
void write(std::ostream& out, const service::AuditVerifyResult& r, const WriteOptions& o);    ///< "audit_verify"

/// Tables shared by the CLI and the briefings.
Table readiness_table(const service::BenchmarkRun& r, std::size_t t, const std::vector<std::size_t>& stakeholders);
Table disagreements_table(const std::vector<benchmarks::Disagreement>& items);
Table projections_table(const service::BenchmarkRun& r, const std::vector<benchmarks::Projection>& projections);

// --- footprint -----------------------------------------------------------------------
/// "footprint"; views sites (default) and coverage for CSV; GeoJSON views sites
/// (points) and reach (road and air reach polygons of the open sites).
void write(std::ostream& out, const service::FootprintOptimizeResult& r, const WriteOptions& o);
/// "footprint_gaps"; GeoJSON: points (sites and localities losing coverage). `top` = 0: all sites.
void write(std::ostream& out, const service::FootprintGapsResult& r, const WriteOptions& o, std::size_t top = 0);
void write(std::ostream& out, const service::PMedianResult& r, const WriteOptions& o);  ///< "pmedian"

// --- scenario ------------------------------------------------------------------------
void write(std::ostream& out, const service::ScenarioResult& r, const WriteOptions& o);  ///< "scenario"

}  // namespace endstate::io
