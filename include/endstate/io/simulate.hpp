#pragma once
// Writers of the policy simulation (docs/simulate.md; JSON layouts in
// docs/schemas/simulation.schema.json, ready_by.schema.json,
// simulate_backtest.schema.json).

#include <ostream>

#include "endstate/io/table.hpp"
#include "endstate/service/simulate.hpp"

namespace endstate::io {

/// kind "simulation". Table and CSV views: summary (default: per policy the
/// median and 80/90% intervals of the mission's end, fatalities, civilian
/// deaths, hotspot months without a responder, troop-months and cost),
/// exits (per policy and province), differences (paired, each policy minus
/// the first), fan (fan-chart rows: quantiles per month of the target, troops
/// and provinces exited). JSON holds all four.
void write(std::ostream& out, const service::SimulateResult& r, const WriteOptions& o);
/// kind "ready_by": P(ready by the month) per province and stakeholder.
void write(std::ostream& out, const service::ReadyByResult& r, const WriteOptions& o);
/// kind "simulate_backtest": coverage, CRPS and PIT by months ahead, and of totals over the horizon.
void write(std::ostream& out, const service::SimulateBacktestResult& r, const WriteOptions& o);

/// Tables shared by the CLI and the briefings.
Table simulation_summary_table(const service::SimulateResult& r);
Table simulation_exits_table(const service::SimulateResult& r);
Table simulation_differences_table(const service::SimulateResult& r);
Table simulation_fan_table(const service::SimulateResult& r);

}  // namespace endstate::io
