#pragma once
// The engine: one facade every front end calls (the CLI, the HTTP server, the
// reports, the demo). Each analysis is a typed request in and a typed result
// out, in the shape of OSRM's osrm::OSRM or HiGHS' Highs: a call either fails
// with an Error (bad input, nothing found, locked store ...) or returns a
// result; what a model concluded (a solver's outcome) is part of the result.
// The engine never writes to stdout or stderr: warnings and progress go
// through Hooks. Messages name request fields (Error::where().field), which
// front ends map to their own names (the CLI to --flags).
//
// The store is opened on first use: read-only for reading calls, read-write
// for writing ones, so requests are validated before any file is touched.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "endstate/core/domain.hpp"
#include "endstate/service/benchmarks.hpp"
#include "endstate/service/common.hpp"
#include "endstate/service/consultations.hpp"
#include "endstate/service/data.hpp"
#include "endstate/service/export.hpp"
#include "endstate/service/footprint.hpp"
#include "endstate/service/forecast.hpp"
#include "endstate/service/notices.hpp"
#include "endstate/service/plan.hpp"
#include "endstate/service/scenario.hpp"
#include "endstate/service/simulate.hpp"
#include "endstate/service/tasks.hpp"
#include "endstate/service/threat.hpp"

namespace endstate::store {
class Database;
}

namespace endstate::service {

/// What the engine did, for tests and diagnostics.
struct EngineStats {
  std::int64_t store_opens = 0;   ///< times the store was opened (or reopened read-write)
  std::int64_t solver_calls = 0;  ///< location problems solved (footprint optimize)
  std::int64_t models_built = 0;  ///< footprint coverage models built
};

class Engine {
 public:
  /// An engine on the store at `location` (SQLite path or server URL).
  /// `read_only` forbids every writing call (Error(kUsage)).
  explicit Engine(std::string location, Hooks hooks = {}, bool read_only = false);
  ~Engine();
  Engine(Engine&&) noexcept;
  Engine& operator=(Engine&&) noexcept;

  [[nodiscard]] const std::string& location() const;
  [[nodiscard]] const EngineStats& stats() const;
  /// Reuse the result of an identical plan_run (same plan file bytes, same
  /// options) while this engine makes no write: for a front end composing
  /// several documents from one state of the store, as the demo does (its
  /// plans, tasks, report and notices share the plans). Off by default.
  void set_reuse_results(bool on);
  /// The store, opened read-only when not yet open (for modules built on the engine).
  store::Database& reader();
  /// The store opened read-write (reopened when it was open read-only).
  store::Database& writer();
  /// Ends the read snapshot the store handle may hold (PostgreSQL), so that
  /// the next reads see what committed last: a long-lived front end (the
  /// server) calls it before each request. Opens nothing.
  void end_read_snapshot();
  /// Who the engine acts for (a server user; "" = nobody named): every audit
  /// entry it appends carries it as "user" in its payload.
  void set_actor(std::string user);
  [[nodiscard]] const std::string& actor() const;

  // --- data -------------------------------------------------------------------
  ImportSummary import_areas(const AreaImportRequest& r);
  ImportSummary add_grid(const GridRequest& r);
  ImportSummary import_events(const EventImportRequest& r);
  ImportSummary import_sites(const SiteImportRequest& r);
  ImportSummary import_observations(const ObservationImportRequest& r);
  AreaList list_areas(const AreaQuery& q);
  /// Streams events (oldest first) to `row`; validates the query before the first row.
  void list_events(const EventQuery& q, const std::function<void(const EventRecord&)>& row);
  SiteList list_sites(const SiteQuery& q);
  ObservationList list_observations(const ObservationQuery& q);
  StatusResult status();
  /// The default analysis level: "province" when present, else the first level below the top.
  std::string default_level();
  /// Sites with troops or police deployed in `month` (the one meaning of an active site).
  std::vector<store::SiteRow> active_sites(Month month);

  // --- threat -------------------------------------------------------------------
  ThreatPanelResult threat_panel(const ThreatPanelRequest& r);
  ThreatIndexResult threat_index(const ThreatIndexRequest& r);
  HotspotsResult threat_hotspots(const HotspotsRequest& r);

  // --- forecast -----------------------------------------------------------------
  ForecastResult forecast(const ForecastRequest& r);
  BacktestResult backtest(const BacktestRequest& r);
  AlertsResult alerts(const AlertsRequest& r);

  // --- benchmarks and audit ---------------------------------------------------------
  FrameworkImportResult benchmarks_import(const std::string& file);
  std::vector<FrameworkVersion> benchmarks_versions();
  store::SignoffRow benchmarks_signoff(const SignoffRequest& r);
  AssessResult benchmarks_assess(const AssessRequest& r);
  DisagreementsResult benchmarks_disagreements(const DisagreementsRequest& r);
  ProjectResult benchmarks_project(const ProjectRequest& r);
  HistoryResult benchmarks_history(const HistoryRequest& r);
  SavedHistoryResult benchmarks_saved_history(const SavedHistoryRequest& r);
  /// A framework version with its data assessed for every month (the run behind assess/disagreements/...).
  BenchmarkRun benchmark_run(const BenchmarkSelection& s);
  AuditLogResult audit_log();
  /// Recomputes the chain, checks its head record and the records it seals, and the anchor when given.
  AuditVerifyResult audit_verify(const AuditVerifyRequest& r = {});

  // --- footprint ----------------------------------------------------------------
  FootprintModel footprint_model(const FootprintModelRequest& r);
  FootprintOptimizeResult footprint_optimize(const FootprintOptimizeRequest& r);
  FootprintGapsResult footprint_gaps(const FootprintGapsRequest& r);
  PMedianResult footprint_solve(const PMedianRequest& r);

  // --- transition plan (docs/plan.md) ---------------------------------------------
  /// A plan file run on the store's data: exits per the policy, bases per phase, what it implies.
  PlanResult plan_run(const PlanRequest& r);
  /// Two plan files run on the same data, for a side-by-side comparison.
  PlanCompareResult plan_compare(const PlanCompareRequest& r);
  /// A plan file resolved against the store (phases, ceilings, provinces, sites), without solving.
  PlanValidateResult plan_validate(const PlanValidateRequest& r);
  // --- simulate: policies on sample paths (docs/simulate.md) --------------------------
  /// Every plan's policy on the same joint sample paths; comparison with paired differences.
  SimulateResult simulate(const SimulateRequest& r);
  /// P(ready by a month) per province and stakeholder, on status-quo paths.
  ReadyByResult benchmarks_ready_by(const ReadyByRequest& r);
  /// Paths simulated from past origins scored against what happened.
  SimulateBacktestResult simulate_backtest(const SimulateBacktestRequest& r);

  // --- mandate tasks (docs/tasks.md) ----------------------------------------------
  /// A task register resolved against the store (places, exits, benchmark ids), without scheduling.
  TasksValidateResult tasks_validate(const TasksRequest& r);
  /// Sequence, handover schedule, tasks at risk, shortfall per budget year, continuity of protection.
  TasksResult tasks_schedule(const TasksRequest& r);
  // --- consultation log and notices (docs/report.md) -----------------------------
  /// Imports a consultation log CSV whole (every row checked first; nothing written on a bad row).
  ImportSummary consultations_import(const ConsultationImportRequest& r);
  ConsultationList consultations(const ConsultationQuery& q);
  /// The localities a closure affects, when, and who provides security afterwards.
  NoticeTargetsResult notice_targets(const NoticeTargetsRequest& r);
  /// SHA-256 over the imported files' hashes (in import order): the data a report was made from.
  std::string data_fingerprint();
  // --- export -------------------------------------------------------------------
  /// Writes the whole store as a GeoPackage (one layer per table) or copies it
  /// into an empty store (service/export.hpp).
  ExportResult export_store(const ExportRequest& r);

  // --- scenario -------------------------------------------------------------------
  /// Writes a scenario's files (no store needed).
  static ScenarioResult scenario_generate(const ScenarioRequest& r);

  struct Impl;

 private:
  PlanResult plan_solve(const PlanRequest& r);  ///< plan_run without reuse
  std::unique_ptr<Impl> impl_;
};

}  // namespace endstate::service
