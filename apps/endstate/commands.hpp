#pragma once
// One function per command file; each returns the specs of its commands.

#include <vector>

#include "cli.hpp"

namespace endstate::cli {

std::vector<CommandSpec> areas_commands();          // areas.cpp
std::vector<CommandSpec> events_commands();         // events.cpp
std::vector<CommandSpec> sites_commands();          // sites.cpp
std::vector<CommandSpec> observations_commands();   // observations.cpp
std::vector<CommandSpec> status_commands();         // status.cpp
std::vector<CommandSpec> threat_commands();         // threat.cpp
std::vector<CommandSpec> forecast_commands();       // forecast.cpp (forecast run|backtest, alerts)
std::vector<CommandSpec> benchmarks_commands();     // benchmarks.cpp (benchmarks ..., audit ...)
std::vector<CommandSpec> footprint_commands();      // footprint.cpp
std::vector<CommandSpec> plan_commands();           // plan.cpp (plan run|compare|validate)
std::vector<CommandSpec> scenario_commands();       // scenario.cpp (scenario generate, demo)
std::vector<CommandSpec> tasks_commands();          // tasks.cpp (tasks validate|schedule|continuity)
std::vector<CommandSpec> simulate_commands();       // simulate.cpp (simulate run|backtest, benchmarks ready-by)
std::vector<CommandSpec> consultations_commands();  // consultations.cpp (consultations import|list)
std::vector<CommandSpec> notices_commands();        // notices.cpp (notices templates, notices)
std::vector<CommandSpec> report_commands();         // report.cpp (report council)
std::vector<CommandSpec> export_commands();         // export.cpp (export --gpkg | --to)
std::vector<CommandSpec> serve_commands();          // serve.cpp (the HTTP server)
std::vector<CommandSpec> users_commands();          // users.cpp (the server's users)

}  // namespace endstate::cli
