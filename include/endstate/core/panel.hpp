#pragma once
// The area x month panel every analysis reads: events, fatalities and
// civilian deaths per violence type, for each area of one level and each
// month of a range. Months without events are cells with zeros, not missing
// rows: a quiet month is data. Pure values; loading from the store is the
// command layer's job.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "endstate/core/domain.hpp"
#include "endstate/core/types.hpp"

namespace endstate {

inline constexpr std::size_t kViolenceTypes = static_cast<std::size_t>(ViolenceType::kOther) + 1;

constexpr std::size_t index_of(ViolenceType t) { return static_cast<std::size_t>(t); }

/// One area of the panel.
struct PanelArea {
  std::string id;
  std::string name;
  std::optional<double> population;  ///< unknown when the area file had none
  LatLon centroid;
  double area_km2 = 0;
};

/// One area-month.
struct PanelCell {
  std::array<std::int32_t, kViolenceTypes> events{};
  std::array<std::int64_t, kViolenceTypes> fatalities{};  ///< best estimates
  std::int64_t civilian_deaths = 0;  ///< deaths of civilians in any type, where the source reports them

  [[nodiscard]] std::int64_t total_events() const;
  [[nodiscard]] std::int64_t total_fatalities() const;
};

class Panel {
 public:
  Panel() = default;
  /// An all-zero panel for `areas` over months first..last (inclusive).
  Panel(std::vector<PanelArea> areas, Month first, Month last);

  [[nodiscard]] const std::vector<PanelArea>& areas() const { return areas_; }
  [[nodiscard]] std::size_t area_count() const { return areas_.size(); }
  [[nodiscard]] std::size_t month_count() const { return months_; }
  [[nodiscard]] Month first() const { return first_; }
  [[nodiscard]] Month last() const { return first_.plus(static_cast<std::int32_t>(months_) - 1); }
  [[nodiscard]] Month month(std::size_t t) const { return first_.plus(static_cast<std::int32_t>(t)); }
  /// Month index of `m`, or nullopt outside the range.
  [[nodiscard]] std::optional<std::size_t> month_index(Month m) const;
  /// Area index of `id`, or nullopt.
  [[nodiscard]] std::optional<std::size_t> area_index(const std::string& id) const;

  [[nodiscard]] PanelCell& at(std::size_t area, std::size_t month) { return cells_[area * months_ + month]; }
  [[nodiscard]] const PanelCell& at(std::size_t area, std::size_t month) const {
    return cells_[area * months_ + month];
  }

  /// Adds one event to area `area` in its start month; events outside the
  /// month range are ignored and counted (returns false).
  bool add(std::size_t area, const Event& e);

 private:
  std::vector<PanelArea> areas_;
  Month first_;
  std::size_t months_ = 0;
  std::vector<PanelCell> cells_;  // [area][month]
};

/// What to count in a series drawn from the panel.
struct SeriesSpec {
  enum class Measure { kEvents, kFatalities, kCivilianDeaths };
  Measure measure = Measure::kFatalities;
  /// Violence types included; empty = all.
  std::vector<ViolenceType> types;
};

/// The series as a dense [area][month] matrix of doubles (row-major).
std::vector<double> series(const Panel& panel, const SeriesSpec& spec);

}  // namespace endstate
