#pragma once
// Writers of the mandate tasks (docs/tasks.md): the analysis (kind "tasks";
// views handovers, timeline, risks, shortfall, partners, sequence,
// continuity; GeoJSON "tasks_continuity": territories with their continuity
// status) and the register as resolved (kind "tasks_register").

#include <ostream>

#include "endstate/io/table.hpp"
#include "endstate/service/tasks.hpp"

namespace endstate::io {

/// kind "tasks"; views handovers (default), timeline, risks, shortfall,
/// partners, sequence, continuity; GeoJSON: territory polygons ("tasks_continuity").
void write(std::ostream& out, const service::TasksResult& r, const WriteOptions& o);
/// kind "tasks_register": tasks, partners and continuity entries with their contacts.
void write(std::ostream& out, const service::TasksValidateResult& r, const WriteOptions& o);

/// Tables shared by the CLI and the briefings.
Table tasks_handovers_table(const service::TasksResult& r);
/// Task x period: mission, handover, partner, ended, forced (partner without a scheduled handover), uncovered.
Table tasks_timeline_table(const service::TasksResult& r);
Table tasks_risks_table(const service::TasksResult& r);
Table tasks_shortfall_table(const service::TasksResult& r);
Table tasks_partners_table(const service::TasksResult& r);
Table tasks_sequence_table(const service::TasksResult& r);
/// Territory x phase: none, mission_only, covered.
Table tasks_continuity_table(const service::TasksResult& r);

}  // namespace endstate::io
