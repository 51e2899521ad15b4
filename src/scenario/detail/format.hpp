#pragma once
// Locale-independent number formatting and CSV/YAML quoting for the writers:
// every double is printed with a fixed number of decimals (or in shortest
// round-trip form for the configuration) so that output is byte-stable.

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace endstate::scenario::detail {

/// `value` with exactly `decimals` digits after the point; "-0.00" becomes "0.00".
inline std::string fixed(double value, int decimals) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, decimals);
  std::string s(buf, r.ptr);
  if (s.front() == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

/// Shortest text that reads back to the same double.
inline std::string shortest(double value) {
  char buf[400];
  const double a = std::fabs(value);
  const bool plain = a == 0 || (a >= 1e-4 && a < 1e15);
  const auto r = plain ? std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed)
                       : std::to_chars(buf, buf + sizeof buf, value);
  std::string s(buf, r.ptr);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

/// RFC 4180 quoting: always quoted, inner quotes doubled (as UCDP GED writes strings).
inline std::string csv_quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

/// Quoted only when needed (comma, quote, newline).
inline std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  return csv_quoted(s);
}

/// YAML double-quoted scalar.
inline std::string yaml_quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

/// JSON string literal (names here are ASCII; control characters escaped anyway).
inline std::string json_quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      out += buf;
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

/// Lower-case ASCII id from a name: letters and digits kept, every other run
/// of characters one '-', none at the ends ("Nord-Kivu" -> "nord-kivu").
inline std::string slug(std::string_view s) {
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0)
      out += static_cast<char>(std::tolower(u));
    else if (!out.empty() && out.back() != '-')
      out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

/// Rounds to 6 decimals (about 0.1 m), the precision every coordinate is written with.
inline double round6(double v) { return std::round(v * 1e6) / 1e6; }

}  // namespace endstate::scenario::detail
