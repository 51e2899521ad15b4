#include "endstate/core/panel.hpp"

#include <algorithm>
#include <numeric>

#include "endstate/core/error.hpp"

namespace endstate {

std::int64_t PanelCell::total_events() const { return std::accumulate(events.begin(), events.end(), std::int64_t{0}); }

std::int64_t PanelCell::total_fatalities() const {
  return std::accumulate(fatalities.begin(), fatalities.end(), std::int64_t{0});
}

Panel::Panel(std::vector<PanelArea> areas, Month first, Month last) : areas_(std::move(areas)), first_(first) {
  if (last < first)
    throw Error(ErrorCategory::kUsage, "panel: last month " + last.str() + " is before first " + first.str());
  const std::int64_t months = std::int64_t{last.index()} - first.index() + 1;
  months_ = static_cast<std::size_t>(months);
  cells_.assign(areas_.size() * months_, PanelCell{});
}

std::optional<std::size_t> Panel::month_index(Month m) const {
  const auto d = m.index() - first_.index();
  if (d < 0 || static_cast<std::size_t>(d) >= months_) return std::nullopt;
  return static_cast<std::size_t>(d);
}

std::optional<std::size_t> Panel::area_index(const std::string& id) const {
  for (std::size_t i = 0; i < areas_.size(); ++i) {
    if (areas_[i].id == id) return i;
  }
  return std::nullopt;
}

bool Panel::add(std::size_t area, const Event& e) {
  const auto t = month_index(Month::of(e.date_start));
  if (!t || area >= areas_.size()) return false;
  PanelCell& c = at(area, *t);
  const auto k = index_of(e.violence);
  ++c.events[k];
  c.fatalities[k] += e.fatalities_best;
  c.civilian_deaths += e.civilian_deaths.value_or(0);
  return true;
}

std::vector<double> series(const Panel& panel, const SeriesSpec& spec) {
  std::array<bool, kViolenceTypes> use{};
  if (spec.types.empty()) {
    use.fill(true);
  } else {
    for (auto t : spec.types) use[index_of(t)] = true;
  }
  std::vector<double> out(panel.area_count() * panel.month_count(), 0.0);
  for (std::size_t a = 0; a < panel.area_count(); ++a) {
    for (std::size_t t = 0; t < panel.month_count(); ++t) {
      const PanelCell& c = panel.at(a, t);
      double v = 0;
      if (spec.measure == SeriesSpec::Measure::kCivilianDeaths) {
        v = static_cast<double>(c.civilian_deaths);
      } else {
        for (std::size_t k = 0; k < kViolenceTypes; ++k) {
          if (!use[k]) continue;
          v += spec.measure == SeriesSpec::Measure::kEvents ? c.events[k] : static_cast<double>(c.fatalities[k]);
        }
      }
      out[a * panel.month_count() + t] = v;
    }
  }
  return out;
}

}  // namespace endstate
