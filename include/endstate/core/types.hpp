#pragma once
// Strong types for the values that flow everywhere: coordinates, calendar
// days and months. Units live in the type (or in the name where a value stays
// a number: radius_km, horizon_months).

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace endstate {

/// A WGS84 coordinate in decimal degrees.
struct LatLon {
  double lat = 0.0;
  double lon = 0.0;
  friend bool operator==(const LatLon&, const LatLon&) = default;
  /// True when both components are finite and within [-90,90] x [-180,180].
  [[nodiscard]] bool valid() const;
};

/// The mean Earth radius (IUGG, km) of every spherical computation: distances,
/// reach circles, scan circles.
inline constexpr double kEarthRadiusKm = 6371.0088;

/// Great-circle distance in kilometres (haversine, radius kEarthRadiusKm).
double great_circle_km(LatLon a, LatLon b);

/// A calendar day, stored as days since 1970-01-01 (proleptic Gregorian).
class Date {
 public:
  constexpr Date() = default;
  static constexpr Date from_days(std::int32_t days) { return Date(days); }
  /// Throws nothing; returns nullopt when y/m/d is not a real day.
  static std::optional<Date> from_ymd(int year, int month, int day);
  /// Parses "YYYY-MM-DD" (optionally followed by a time, which is ignored),
  /// "YYYY/MM/DD" and "D Month YYYY" (English month names, as in ACLED exports).
  static std::optional<Date> parse(std::string_view text);
  /// Parses exactly "YYYY-MM-DD" naming a real calendar day (years 1000..9999),
  /// nothing before or after it: the strict form for dates a person states
  /// (sign-offs). "2024-13-45", "2023-02-29", "yesterday", "" and
  /// "2024-01-01T00:00" give nullopt.
  static std::optional<Date> parse_iso(std::string_view text);
  /// Parses "YYYY-MM-DDTHH:MM:SSZ" (or with a UTC offset "+HH:MM"/"-HH:MM"
  /// instead of "Z", seconds optional) naming a real day and time; gives its date.
  static std::optional<Date> parse_iso_timestamp(std::string_view text);

  [[nodiscard]] constexpr std::int32_t days() const { return days_; }
  [[nodiscard]] int year() const;
  [[nodiscard]] int month() const;                ///< 1..12
  [[nodiscard]] int day() const;                  ///< 1..31
  [[nodiscard]] std::string iso() const;          ///< "YYYY-MM-DD"
  auto operator<=>(const Date&) const = default;  // NOLINT(modernize-use-nullptr): clang-tidy 14 false positive

 private:
  constexpr explicit Date(std::int32_t days) : days_(days) {}
  std::int32_t days_ = 0;
};

/// Earliest year an event may carry: 1946, the first year of the UCDP/PRIO
/// Armed Conflict Dataset (Gleditsch et al. 2002), the oldest source endstate reads.
inline constexpr int kFirstEventYear = 1946;
/// Latest year an event may carry: the current UTC year + 1 (a source may date
/// an event a few hours ahead of UTC; anything later is a typo).
int last_event_year();
/// True when `year` is within [kFirstEventYear, last_event_year()].
bool plausible_event_year(int year);

/// The current UTC time as ISO 8601, "YYYY-MM-DDTHH:MM:SSZ" (for logs and audit entries).
std::string utc_now_iso();

/// A calendar month, stored as year*12 + (month-1) so that months subtract.
class Month {
 public:
  constexpr Month() = default;
  static constexpr Month from_index(std::int32_t index) { return Month(index); }
  static std::optional<Month> from_ym(int year, int month);
  /// Parses exactly "YYYY-MM".
  static std::optional<Month> parse(std::string_view text);
  static Month of(Date d);

  [[nodiscard]] constexpr std::int32_t index() const { return index_; }
  [[nodiscard]] constexpr int year() const { return index_ / 12; }
  [[nodiscard]] constexpr int month() const { return index_ % 12 + 1; }
  [[nodiscard]] std::string str() const;  ///< "YYYY-MM"
  [[nodiscard]] Date first_day() const;
  [[nodiscard]] Date last_day() const;
  [[nodiscard]] constexpr Month plus(std::int32_t months) const { return Month(index_ + months); }
  auto operator<=>(const Month&) const = default;  // NOLINT(modernize-use-nullptr): clang-tidy 14 false positive

 private:
  constexpr explicit Month(std::int32_t index) : index_(index) {}
  std::int32_t index_ = 0;
};

}  // namespace endstate
