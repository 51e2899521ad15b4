#pragma once
// Writers of the transition planner (docs/plan.md, docs/schemas/plan*.json).
//
//   plan run      kind "plan": table (phases, exits, closures, costs); CSV
//                 views sites (the site x phase matrix of troops, for a Gantt
//                 chart), phases, provinces, closures, costs; JSON; GeoJSON
//                 layers sites (points, one per base and phase, with `phase`,
//                 `start` and `end` for QGIS' temporal controller) and
//                 provinces (polygons, one per province and phase)
//   plan compare  kind "plan_compare": table; CSV views provinces, phases, totals; JSON
//   plan validate kind "plan_validate": table; JSON

#include <ostream>

#include "endstate/io/table.hpp"
#include "endstate/service/plan.hpp"

namespace endstate::io {

void write(std::ostream& out, const service::PlanResult& r, const WriteOptions& o);
void write(std::ostream& out, const service::PlanCompareResult& r, const WriteOptions& o);
void write(std::ostream& out, const service::PlanValidateResult& r, const WriteOptions& o);

/// Tables shared by the CLI and the briefings.
Table plan_phases_table(const service::PlanResult& r);
Table plan_matrix_table(const service::PlanResult& r);
Table plan_provinces_table(const service::PlanResult& r);
Table plan_closures_table(const service::PlanResult& r);
Table plan_costs_table(const service::PlanResult& r);
Table plan_compare_provinces_table(const service::PlanCompareResult& r);
Table plan_compare_phases_table(const service::PlanCompareResult& r);
Table plan_compare_totals_table(const service::PlanCompareResult& r);

}  // namespace endstate::io
