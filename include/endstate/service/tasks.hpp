#pragma once
// Requests and results of the mandate tasks (docs/tasks.md): a task register
// resolved against the store (provinces and territories, the benchmark
// framework's ids, readiness now and projected), sequenced and scheduled for
// handover before each province's exit, with the tasks at risk, the shortfall
// per budget year and the continuity of protection per territory.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "endstate/core/types.hpp"
#include "endstate/service/common.hpp"
#include "endstate/tasks/analysis.hpp"
#include "endstate/tasks/register.hpp"
#include "endstate/tasks/schedule.hpp"

namespace endstate::plan {
struct Phase;
struct PlanProblem;
struct PlanReport;
}  // namespace endstate::plan

namespace endstate::service {

/// What the tasks take from a transition plan: its exits, phases and cost
/// per budget year. Built from a plan's result by plan_input().
struct TasksPlanInput {
  std::string id;
  std::vector<std::pair<std::string, Month>> exits;  ///< province (id or name) -> first month without the mission
  std::vector<tasks::PhaseSpan> phases;
  std::vector<std::pair<std::string, double>> cost;  ///< budget year label ("2025/26") -> the plan's cost
};

/// The one place the tasks read a transition plan: a plan's phases, its
/// problem (provinces and exit phases) and its report (cost per budget year;
/// null = no plan found, no cost).
TasksPlanInput plan_input(const std::string& id, const std::vector<plan::Phase>& phases,
                          const plan::PlanProblem& problem, const plan::PlanReport* report);

struct TasksRequest {
  std::string file;  ///< the register YAML
  /// Exits given by the caller (province id or name -> first month without
  /// the mission); they replace the register's `exits`. Ignored when `plan` is given.
  std::vector<std::pair<std::string, Month>> exits;
  std::optional<TasksPlanInput> plan;  ///< a plan's exits, phases and costs
  std::string plan_file;               ///< a plan file to run first (Engine::plan_run); its exits, phases and costs
  /// Folder that file and plan_file (and the files the plan names) are relative to ("" = current).
  std::string base_dir;
  tasks::ScheduleOptions schedule;
  std::optional<std::int64_t> framework_version;  ///< default: the latest
  std::string stakeholder;  ///< whose standard the conditions are judged by; "" = every stakeholder of the framework
  bool project = true;      ///< expected months from benchmark projections (false: only what is met now)
  std::size_t projection_samples = 200;
  std::string territory_level = "territory";  ///< continuity level (falls back to the exit level when absent)
  bool with_geometry = false;                 ///< territory shapes, for the continuity map
};

struct TasksResult {
  tasks::Register reg;
  tasks::Context context;
  tasks::Analysis analysis;
  std::string level;            ///< exit level (provinces)
  std::string territory_level;  ///< continuity level used
  std::optional<std::int64_t> framework_version;
  std::vector<std::string> stakeholders;  ///< whose standard judged the conditions
  std::optional<Month> assessed;          ///< month of the assessment behind "met now"
  AreaShapes shapes;                      ///< territories (with_geometry)
  double seconds = 0;
};

struct TasksValidateResult {
  tasks::Register reg;
  tasks::Context context;
  std::string level, territory_level;
  std::optional<std::int64_t> framework_version;
  std::size_t task_places = 0;
};

}  // namespace endstate::service
