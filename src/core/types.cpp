#include "endstate/core/types.hpp"

#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "endstate/core/strings.hpp"

namespace endstate {

std::string utc_now_iso() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

int last_event_year() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm.tm_year + 1900 + 1;
}

bool plausible_event_year(int year) { return year >= kFirstEventYear && year <= last_event_year(); }

bool LatLon::valid() const {
  return std::isfinite(lat) && std::isfinite(lon) && lat >= -90.0 && lat <= 90.0 && lon >= -180.0 && lon <= 180.0;
}

double great_circle_km(LatLon a, LatLon b) {
  constexpr double kDeg = 3.14159265358979323846 / 180.0;
  const double dlat = (b.lat - a.lat) * kDeg;
  const double dlon = (b.lon - a.lon) * kDeg;
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(a.lat * kDeg) * std::cos(b.lat * kDeg) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2.0 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(h)));
}

std::optional<Date> Date::from_ymd(int year, int month, int day) {
  using namespace std::chrono;
  const year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                           std::chrono::day{static_cast<unsigned>(day)}};
  if (month < 1 || month > 12 || day < 1 || !ymd.ok() || year < 1000 || year > 9999) return std::nullopt;
  return Date(static_cast<std::int32_t>(sys_days{ymd}.time_since_epoch().count()));
}

namespace {

bool parse_int(std::string_view s, int& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && p == s.data() + s.size();
}

int month_from_name(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kNames = {"january",   "february", "march",    "april",
                                                              "may",       "june",     "july",     "august",
                                                              "september", "october",  "november", "december"};
  std::string lower = to_lower(name);
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (lower == kNames[i] || (lower.size() == 3 && kNames[i].substr(0, 3) == lower)) {
      return static_cast<int>(i) + 1;
    }
  }
  return 0;
}

}  // namespace

std::optional<Date> Date::parse(std::string_view text) {
  text = trim(text);
  if (text.size() >= 10 && (text[4] == '-' || text[4] == '/') && text[7] == text[4]) {
    if (text.size() > 10 && text[10] != ' ' && text[10] != 'T') return std::nullopt;
    int y = 0, m = 0, d = 0;
    if (!parse_int(text.substr(0, 4), y) || !parse_int(text.substr(5, 2), m) || !parse_int(text.substr(8, 2), d)) {
      return std::nullopt;
    }
    return from_ymd(y, m, d);
  }
  // "D Month YYYY"
  const auto s1 = text.find(' ');
  if (s1 == std::string_view::npos) return std::nullopt;
  const auto s2 = text.find(' ', s1 + 1);
  if (s2 == std::string_view::npos) return std::nullopt;
  int d = 0, y = 0;
  if (!parse_int(text.substr(0, s1), d) || !parse_int(text.substr(s2 + 1), y)) return std::nullopt;
  const int m = month_from_name(text.substr(s1 + 1, s2 - s1 - 1));
  if (m == 0) return std::nullopt;
  return from_ymd(y, m, d);
}

std::optional<Date> Date::parse_iso(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  int y = 0, m = 0, d = 0;
  if (!parse_int(text.substr(0, 4), y) || !parse_int(text.substr(5, 2), m) || !parse_int(text.substr(8, 2), d)) {
    return std::nullopt;
  }
  return from_ymd(y, m, d);
}

std::optional<Date> Date::parse_iso_timestamp(std::string_view text) {
  if (text.size() < 17 || text[10] != 'T') return std::nullopt;
  const auto date = parse_iso(text.substr(0, 10));
  if (!date) return std::nullopt;
  auto two = [&](std::size_t at, int max, int& out) {
    if (at + 2 > text.size() || text[at] < '0' || text[at] > '9' || text[at + 1] < '0' || text[at + 1] > '9') {
      return false;
    }
    out = (text[at] - '0') * 10 + (text[at + 1] - '0');
    return out <= max;
  };
  int h = 0, m = 0, sec = 0;
  if (!two(11, 23, h) || text[13] != ':' || !two(14, 59, m)) return std::nullopt;
  std::size_t at = 16;
  if (at < text.size() && text[at] == ':') {
    if (!two(at + 1, 60, sec)) return std::nullopt;
    at += 3;
  }
  const std::string_view zone = text.substr(at);
  if (zone == "Z") return date;
  int zh = 0, zm = 0;
  if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && two(at + 1, 23, zh) && zone[3] == ':' &&
      two(at + 4, 59, zm)) {
    return date;
  }
  return std::nullopt;
}

namespace {
std::chrono::year_month_day ymd_of(std::int32_t days) {
  return std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{days}}};
}
}  // namespace

int Date::year() const { return static_cast<int>(ymd_of(days_).year()); }
int Date::month() const { return static_cast<int>(static_cast<unsigned>(ymd_of(days_).month())); }
int Date::day() const { return static_cast<int>(static_cast<unsigned>(ymd_of(days_).day())); }

std::string Date::iso() const {
  // Hot in bulk imports: one calendar conversion, no printf.
  const auto ymd = ymd_of(days_);
  const int y = static_cast<int>(ymd.year());
  const auto m = static_cast<unsigned>(ymd.month());
  const auto d = static_cast<unsigned>(ymd.day());
  if (y < 0 || y > 9999) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
    return buf;
  }
  std::string s = "0000-00-00";
  s[0] = static_cast<char>('0' + y / 1000);
  s[1] = static_cast<char>('0' + y / 100 % 10);
  s[2] = static_cast<char>('0' + y / 10 % 10);
  s[3] = static_cast<char>('0' + y % 10);
  s[5] = static_cast<char>('0' + m / 10);
  s[6] = static_cast<char>('0' + m % 10);
  s[8] = static_cast<char>('0' + d / 10);
  s[9] = static_cast<char>('0' + d % 10);
  return s;
}

std::optional<Month> Month::from_ym(int year, int month) {
  if (year < 1000 || year > 9999 || month < 1 || month > 12) return std::nullopt;
  return Month(year * 12 + month - 1);
}

std::optional<Month> Month::parse(std::string_view text) {
  text = trim(text);
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  int y = 0, m = 0;
  if (!parse_int(text.substr(0, 4), y) || !parse_int(text.substr(5, 2), m)) return std::nullopt;
  return from_ym(y, m);
}

Month Month::of(Date d) {
  const auto ymd = ymd_of(d.days());
  return Month(static_cast<int>(ymd.year()) * 12 + static_cast<int>(static_cast<unsigned>(ymd.month())) - 1);
}

std::string Month::str() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", year(), month());
  return buf;
}

Date Month::first_day() const { return *Date::from_ymd(year(), month(), 1); }
Date Month::last_day() const { return Date::from_days(plus(1).first_day().days() - 1); }

}  // namespace endstate
