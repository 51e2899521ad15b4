#pragma once
// The engine's state, shared by the service's implementation files.

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "endstate/core/error.hpp"
#include "endstate/core/panel.hpp"
#include "endstate/service/engine.hpp"
#include "endstate/store/database.hpp"

namespace endstate::service {

struct Engine::Impl {
  std::string location;
  Hooks hooks;
  bool read_only = false;
  std::string actor;  ///< recorded in audit entries ("" = none)
  EngineStats stats;
  std::optional<store::Database> db;
  std::uint64_t writes = 0;  ///< calls of writer(): a result reused must come from the same state
  bool reuse_results = false;
  std::vector<std::pair<std::string, PlanResult>> plans;  ///< key (plan_key) -> result, when reuse_results

  store::Database& reader() {
    if (!db) {
      db.emplace(store::Database::open(location, store::Access::kReadOnly));
      ++stats.store_opens;
    }
    return *db;
  }
  store::Database& writer() {
    if (read_only) throw usage_error("this engine is read-only: the call would write to " + location);
    ++writes;
    plans.clear();
    if (!db || db->access() != store::Access::kReadWrite) {
      db.reset();
      db.emplace(store::Database::open(location, store::Access::kReadWrite));
      ++stats.store_opens;
    }
    return *db;
  }
  void warn(const std::string& message) const {
    if (hooks.warning) hooks.warning(message);
  }
  void progress(const std::string& stage, std::int64_t done, std::int64_t total) const {
    if (hooks.progress) hooks.progress(stage, done, total);
  }
  void check_cancelled() const {
    if (hooks.cancelled && hooks.cancelled()) throw usage_error("cancelled");
  }
};

namespace detail {

/// "province" when present, else the first level below the top; Error(kNotFound) without areas.
std::string default_level(store::Database& db);

/// The level to use: `level`, or the default.
std::string level_or_default(store::Database& db, const std::string& level);

/// Panel of `level` over from..to (defaults: the months of the first and last
/// stored event). Error(kNotFound) naming the levels there are when `level`
/// has no areas; invalid_field("to") when to < from.
Panel load_panel(store::Database& db, const std::string& level, std::optional<Month> from, std::optional<Month> to);

/// The areas of `level` with their geometry.
std::vector<Area> shapes(store::Database& db, const std::string& level);

/// Reads a whole text file (configuration, frameworks); kNotFound / kBadInput naming it.
std::string read_text(const std::string& path, const std::string& field);

/// Fails with invalid_field(field, ...) unless lo <= v <= hi (finite).
void check_range(const std::string& field, double v, double lo, double hi);

}  // namespace detail
}  // namespace endstate::service
