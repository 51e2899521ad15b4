#include "panel_loader.hpp"

#include <unordered_map>

#include "endstate/core/error.hpp"

namespace endstate::cli {

std::string default_level(store::Database& db) {
  const auto levels = db.area_levels();
  if (levels.empty()) throw Error(ErrorCategory::kNotFound, "no areas in the database; run 'endstate areas import' first");
  for (const auto& l : levels) {
    if (l == "province") return l;
  }
  for (const auto& l : levels) {
    if (l != "country") return l;
  }
  return levels.front();
}

Panel load_panel(store::Database& db, const std::string& level, std::optional<Month> from, std::optional<Month> to) {
  const auto areas = db.areas(level, false);
  if (areas.empty()) {
    std::string have;
    for (const auto& l : db.area_levels()) have += (have.empty() ? "" : ", ") + l;
    throw Error(ErrorCategory::kNotFound,
                "no areas at level '" + level + "' (levels there are: " + (have.empty() ? "none" : have) + ")");
  }
  const auto st = db.status();
  if (!from || !to) {
    if (!st.first_event) throw Error(ErrorCategory::kNotFound, "no events in the database; run 'endstate events import' first");
    if (!from) from = Month::of(*st.first_event);
    if (!to) to = Month::of(*st.last_event);
  }
  if (*to < *from) throw Error(ErrorCategory::kUsage, "--to " + to->str() + " is before --from " + from->str());
  std::vector<PanelArea> pa;
  pa.reserve(areas.size());
  std::unordered_map<std::string, std::size_t> index;
  for (const auto& a : areas) {
    index.emplace(a.id, pa.size());
    pa.push_back({a.id, a.name, a.population, a.centroid, a.area_km2});
  }
  Panel panel(std::move(pa), *from, *to);
  store::EventFilter f;
  f.from = from;
  f.to = to;
  db.for_each_event(f, [&](const store::EventRow& r) {
    for (const auto& id : r.area_ids) {
      const auto it = index.find(id);
      if (it != index.end()) panel.add(it->second, r.event);
    }
  });
  return panel;
}

}  // namespace endstate::cli
