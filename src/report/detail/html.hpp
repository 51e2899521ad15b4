#pragma once
// Small HTML helpers shared by the Council report and the notices.

#include <cmath>
#include <cstdio>
#include <string>

#include "endstate/report/svg.hpp"

namespace endstate::report::detail {

using svg::escape;

/// Full-precision text of a number for data-v (17 significant digits: round-trips a double).
inline std::string exact(double v) {
  if (!std::isfinite(v)) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

/// A number shown with `decimals`, carrying its key and exact value.
inline std::string num(const std::string& key, double v, int decimals) {
  if (!std::isfinite(v)) return "<span class=\"n na\" data-k=\"" + escape(key) + "\" data-v=\"\">&ndash;</span>";
  return "<span class=\"n\" data-k=\"" + escape(key) + "\" data-v=\"" + exact(v) + "\" data-d=\"" +
         std::to_string(decimals) + "\">" + svg::fixed(v, decimals) + "</span>";
}

/// Thousands separated with a thin space for integers shown to readers.
inline std::string count(const std::string& key, double v) { return num(key, v, 0); }

}  // namespace endstate::report::detail
