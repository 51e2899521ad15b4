// Inline SVG charts and maps (report/svg.hpp).
#include "endstate/report/svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <sstream>

#include "endstate/core/error.hpp"

namespace endstate::report::svg {

std::string escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string fixed(double v, int decimals) {
  if (!std::isfinite(v)) return "0";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s(buf);
  if (s.size() > 1 && s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

namespace {

// --- WKB --------------------------------------------------------------------------

class WkbReader {
 public:
  explicit WkbReader(const std::vector<std::uint8_t>& b) : b_(b) {}
  std::uint8_t byte() {
    need(1);
    return b_[pos_++];
  }
  std::uint32_t u32(bool little) {
    need(4);
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const std::uint32_t x = b_[pos_ + static_cast<std::size_t>(little ? i : 3 - i)];
      v |= x << (8 * i);
    }
    pos_ += 4;
    return v;
  }
  double f64(bool little) {
    need(8);
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) {
      const std::uint64_t x = b_[pos_ + static_cast<std::size_t>(little ? i : 7 - i)];
      v |= x << (8 * i);
    }
    pos_ += 8;
    double d = 0;
    std::memcpy(&d, &v, sizeof d);
    return d;
  }

 private:
  void need(std::size_t n) const {
    if (pos_ + n > b_.size()) throw bad_input("WKB geometry is truncated");
  }
  const std::vector<std::uint8_t>& b_;
  std::size_t pos_ = 0;
};

std::vector<Ring> read_polygon(WkbReader& r, bool little, int dims) {
  const std::uint32_t rings = r.u32(little);
  std::vector<Ring> out;
  for (std::uint32_t k = 0; k < rings; ++k) {
    const std::uint32_t n = r.u32(little);
    Ring ring;
    ring.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i) {
      LatLon p;
      p.lon = r.f64(little);
      p.lat = r.f64(little);
      for (int d = 2; d < dims; ++d) r.f64(little);
      ring.push_back(p);
    }
    out.push_back(std::move(ring));
  }
  return out;
}

/// Geometry type without Z/M: 3 = polygon, 6 = multipolygon; dims = coordinates per point.
std::pair<std::uint32_t, int> split_type(std::uint32_t t) {
  int dims = 2;
  if (t & 0x80000000u) ++dims;  // EWKB Z
  if (t & 0x40000000u) ++dims;  // EWKB M
  t &= 0x0FFFFFFFu;
  if (t >= 3000) {
    dims = 4;
    t -= 3000;
  } else if (t >= 2000 || t >= 1000) {
    dims = 3;
    t %= 1000;
  }
  return {t, dims};
}

}  // namespace

std::vector<std::vector<Ring>> polygons(const std::vector<std::uint8_t>& wkb) {
  WkbReader r(wkb);
  const bool little = r.byte() == 1;
  const auto [type, dims] = split_type(r.u32(little));
  std::vector<std::vector<Ring>> out;
  if (type == 3) {
    out.push_back(read_polygon(r, little, dims));
  } else if (type == 6) {
    const std::uint32_t n = r.u32(little);
    for (std::uint32_t i = 0; i < n; ++i) {
      const bool le = r.byte() == 1;
      const auto [t, d] = split_type(r.u32(le));
      if (t != 3) throw bad_input("WKB multipolygon holds a geometry of type " + std::to_string(t));
      out.push_back(read_polygon(r, le, d));
    }
  } else {
    throw bad_input("WKB geometry of type " + std::to_string(type) + " is not a polygon or multipolygon");
  }
  return out;
}

namespace {

/// "Nice" axis ticks covering [lo, hi].
std::vector<double> ticks(double lo, double hi, int want) {
  if (!(hi > lo)) hi = lo + 1;
  const double raw = (hi - lo) / std::max(1, want);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  }
  std::vector<double> t;
  for (double v = std::floor(lo / step) * step; v <= hi + step * 1e-9; v += step) t.push_back(v);
  while (t.size() < 2 || t.back() < hi - step * 1e-9) t.push_back(t.back() + step);
  return t;
}

int tick_decimals(const std::vector<double>& t) {
  if (t.size() < 2) return 0;
  const double step = t[1] - t[0];
  return step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
}

void header(std::ostringstream& o, int w, int h, const std::string& title) {
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 " << w << ' ' << h << "\" width=\"" << w
    << "\" height=\"" << h << "\" role=\"img\" aria-label=\"" << escape(title) << "\">"
    << "<title>" << escape(title) << "</title>"
    << "<rect x=\"0\" y=\"0\" width=\"" << w << "\" height=\"" << h << "\" fill=\"#ffffff\"/>";
}

void legend_row(std::ostringstream& o, double x, double y, const std::string& color, const std::string& text,
                bool point, bool dashed) {
  if (point) {
    o << "<circle cx=\"" << fixed(x + 6, 1) << "\" cy=\"" << fixed(y - 4, 1) << "\" r=\"4\" fill=\"" << color
      << "\" stroke=\"#333\" stroke-width=\"0.5\"/>";
  } else if (dashed) {
    o << "<line x1=\"" << fixed(x, 1) << "\" y1=\"" << fixed(y - 4, 1) << "\" x2=\"" << fixed(x + 12, 1) << "\" y2=\""
      << fixed(y - 4, 1) << "\" stroke=\"" << color << "\" stroke-width=\"2\" stroke-dasharray=\"3 2\"/>";
  } else {
    o << "<rect x=\"" << fixed(x, 1) << "\" y=\"" << fixed(y - 10, 1) << "\" width=\"12\" height=\"10\" fill=\""
      << color << "\" stroke=\"#333\" stroke-width=\"0.5\"/>";
  }
  o << "<text x=\"" << fixed(x + 16, 1) << "\" y=\"" << fixed(y, 1) << "\" font-size=\"11\">" << escape(text)
    << "</text>";
}

}  // namespace

std::string line_chart(const LineChart& c) {
  std::ostringstream o;
  const int w = c.width, h = c.height;
  header(o, w, h, c.title);
  const double left = 56, right = 170, top = 28, bottom = 40;
  const double pw = w - left - right, ph = h - top - bottom;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& s : c.series) {
    for (const auto& v : s.y) {
      if (v && std::isfinite(*v)) {
        lo = std::min(lo, *v);
        hi = std::max(hi, *v);
      }
    }
  }
  if (!std::isfinite(lo)) lo = 0, hi = 1;
  lo = c.y_min ? std::min(*c.y_min, lo) : std::min(0.0, lo);
  const auto t = ticks(lo, hi, 5);
  lo = t.front();
  hi = t.back();
  const int dec = tick_decimals(t);
  const std::size_t n = c.x_labels.size();
  auto X = [&](std::size_t i) {
    return left + (n > 1 ? pw * static_cast<double>(i) / static_cast<double>(n - 1) : pw / 2);
  };
  auto Y = [&](double v) { return top + ph * (1 - (v - lo) / (hi - lo)); };
  o << "<text x=\"" << left << "\" y=\"16\" font-size=\"13\" font-weight=\"bold\">" << escape(c.title) << "</text>";
  for (double v : t) {
    o << "<line x1=\"" << left << "\" x2=\"" << fixed(left + pw, 1) << "\" y1=\"" << fixed(Y(v), 1) << "\" y2=\""
      << fixed(Y(v), 1) << "\" stroke=\"#dddddd\" stroke-width=\"0.7\"/>"
      << "<text x=\"" << left - 6 << "\" y=\"" << fixed(Y(v) + 4, 1) << "\" font-size=\"10\" text-anchor=\"end\">"
      << fixed(v, dec) << "</text>";
  }
  o << "<text transform=\"translate(14," << fixed(top + ph / 2, 1)
    << ") rotate(-90)\" font-size=\"10\" text-anchor=\"middle\">" << escape(c.y_label) << "</text>";
  const std::size_t every = static_cast<std::size_t>(std::max(1, c.x_every));
  for (std::size_t i = 0; i < n; i += every) {
    o << "<line x1=\"" << fixed(X(i), 1) << "\" x2=\"" << fixed(X(i), 1) << "\" y1=\"" << fixed(top + ph, 1)
      << "\" y2=\"" << fixed(top + ph + 4, 1) << "\" stroke=\"#555\"/>"
      << "<text x=\"" << fixed(X(i), 1) << "\" y=\"" << fixed(top + ph + 16, 1)
      << "\" font-size=\"10\" text-anchor=\"middle\">" << escape(c.x_labels[i]) << "</text>";
  }
  o << "<line x1=\"" << left << "\" x2=\"" << fixed(left + pw, 1) << "\" y1=\"" << fixed(top + ph, 1) << "\" y2=\""
    << fixed(top + ph, 1) << "\" stroke=\"#555\"/>";
  for (const auto& s : c.series) {
    std::string d;
    bool pen = false;
    for (std::size_t i = 0; i < s.y.size() && i < n; ++i) {
      if (!s.y[i] || !std::isfinite(*s.y[i])) {
        pen = false;
        continue;
      }
      d += (pen ? " L" : " M") + fixed(X(i), 1) + " " + fixed(Y(*s.y[i]), 1);
      pen = true;
    }
    if (d.empty()) continue;
    o << "<path d=\"" << d.substr(1) << "\" fill=\"none\" stroke=\"" << s.color << "\" stroke-width=\"1.8\""
      << (s.dashed ? " stroke-dasharray=\"4 3\"" : "") << "><title>" << escape(s.name) << "</title></path>";
  }
  double ly = top + 10;
  for (const auto& s : c.series) {
    legend_row(o, left + pw + 14, ly, s.color, s.name, false, s.dashed);
    ly += 16;
  }
  o << "</svg>";
  return o.str();
}

std::string bar_chart(const BarChart& c) {
  std::ostringstream o;
  const int w = c.width, h = c.height;
  header(o, w, h, c.title);
  const double left = 64, right = 170, top = 28, bottom = 44;
  const double pw = w - left - right, ph = h - top - bottom;
  double hi = 0;
  for (const auto& b : c.bars) {
    double s = 0;
    for (double v : b.values) s += std::max(0.0, v);
    hi = std::max(hi, s);
  }
  const auto t = ticks(0, hi > 0 ? hi : 1, 5);
  const double top_v = t.back();
  const int dec = tick_decimals(t);
  auto Y = [&](double v) { return top + ph * (1 - v / top_v); };
  o << "<text x=\"" << left << "\" y=\"16\" font-size=\"13\" font-weight=\"bold\">" << escape(c.title) << "</text>";
  for (double v : t) {
    o << "<line x1=\"" << left << "\" x2=\"" << fixed(left + pw, 1) << "\" y1=\"" << fixed(Y(v), 1) << "\" y2=\""
      << fixed(Y(v), 1) << "\" stroke=\"#dddddd\" stroke-width=\"0.7\"/>"
      << "<text x=\"" << left - 6 << "\" y=\"" << fixed(Y(v) + 4, 1) << "\" font-size=\"10\" text-anchor=\"end\">"
      << fixed(v, dec) << "</text>";
  }
  o << "<text transform=\"translate(14," << fixed(top + ph / 2, 1)
    << ") rotate(-90)\" font-size=\"10\" text-anchor=\"middle\">" << escape(c.y_label) << "</text>";
  const double slot = c.bars.empty() ? pw : pw / static_cast<double>(c.bars.size());
  const double bw = std::min(48.0, slot * 0.7);
  for (std::size_t i = 0; i < c.bars.size(); ++i) {
    const double x = left + slot * (static_cast<double>(i) + 0.5) - bw / 2;
    double base = 0;
    for (std::size_t k = 0; k < c.bars[i].values.size(); ++k) {
      const double v = std::max(0.0, c.bars[i].values[k]);
      if (v <= 0) continue;
      const std::string color = k < c.part_colors.size() ? c.part_colors[k] : "#777777";
      const std::string name = k < c.part_names.size() ? c.part_names[k] : "";
      o << "<rect x=\"" << fixed(x, 1) << "\" y=\"" << fixed(Y(base + v), 1) << "\" width=\"" << fixed(bw, 1)
        << "\" height=\"" << fixed(Y(base) - Y(base + v), 1) << "\" fill=\"" << color << "\"><title>"
        << escape(c.bars[i].label + " " + name + ": " + fixed(v, dec)) << "</title></rect>";
      base += v;
    }
    o << "<text x=\"" << fixed(x + bw / 2, 1) << "\" y=\"" << fixed(top + ph + 16, 1)
      << "\" font-size=\"10\" text-anchor=\"middle\">" << escape(c.bars[i].label) << "</text>";
  }
  o << "<line x1=\"" << left << "\" x2=\"" << fixed(left + pw, 1) << "\" y1=\"" << fixed(top + ph, 1) << "\" y2=\""
    << fixed(top + ph, 1) << "\" stroke=\"#555\"/>";
  double ly = top + 10;
  for (std::size_t k = 0; k < c.part_names.size(); ++k) {
    legend_row(o, left + pw + 14, ly, k < c.part_colors.size() ? c.part_colors[k] : "#777777", c.part_names[k], false,
               false);
    ly += 16;
  }
  o << "</svg>";
  return o.str();
}

std::string map(const Map& m) {
  // Bounds of every ring and point.
  std::vector<std::vector<std::vector<Ring>>> geoms;
  double min_lon = 180, max_lon = -180, min_lat = 90, max_lat = -90;
  auto grow = [&](const LatLon& p) {
    min_lon = std::min(min_lon, p.lon);
    max_lon = std::max(max_lon, p.lon);
    min_lat = std::min(min_lat, p.lat);
    max_lat = std::max(max_lat, p.lat);
  };
  for (const auto& a : m.areas) {
    geoms.push_back(polygons(a.wkb));
    for (const auto& poly : geoms.back()) {
      for (const auto& ring : poly) {
        for (const auto& p : ring) grow(p);
      }
    }
  }
  for (const auto& p : m.points) grow(p.where);
  if (min_lon > max_lon) min_lon = -1, max_lon = 1, min_lat = -1, max_lat = 1;
  const double legend_w = m.legend.empty() ? 0 : 190;
  const double pad = 10, top = 26;
  const double pw = m.width - legend_w - 2 * pad, ph = m.height - top - pad - 18;
  const double kx = std::cos((min_lat + max_lat) / 2 * M_PI / 180);
  const double span_x = std::max(1e-9, (max_lon - min_lon) * kx), span_y = std::max(1e-9, max_lat - min_lat);
  const double scale = std::min(pw / span_x, ph / span_y);  // pixels per degree of latitude
  const double ox = pad + (pw - span_x * scale) / 2, oy = top + (ph - span_y * scale) / 2;
  auto X = [&](double lon) { return ox + (lon - min_lon) * kx * scale; };
  auto Y = [&](double lat) { return oy + (max_lat - lat) * scale; };

  std::ostringstream o;
  header(o, m.width, m.height, m.title);
  o << "<text x=\"" << pad << "\" y=\"16\" font-size=\"13\" font-weight=\"bold\">" << escape(m.title) << "</text>";
  for (std::size_t i = 0; i < m.areas.size(); ++i) {
    const auto& a = m.areas[i];
    std::string d;
    for (const auto& poly : geoms[i]) {
      for (const auto& ring : poly) {
        for (std::size_t k = 0; k < ring.size(); ++k) {
          d += (k == 0 ? "M" : "L") + fixed(X(ring[k].lon), 1) + " " + fixed(Y(ring[k].lat), 1);
        }
        d += "Z";
      }
    }
    o << "<path d=\"" << d << "\" fill=\"" << a.fill << "\" fill-rule=\"evenodd\" stroke=\"#555555\" stroke-width=\""
      << fixed(a.stroke_width, 1) << "\"><title>" << escape(a.title) << "</title></path>";
  }
  for (const auto& c : m.circles) {
    const double r = c.radius_km / 111.195 * scale;  // km per degree of latitude
    o << "<circle cx=\"" << fixed(X(c.centre.lon), 1) << "\" cy=\"" << fixed(Y(c.centre.lat), 1) << "\" r=\""
      << fixed(std::max(3.0, r), 1) << "\" fill=\"none\" stroke=\"" << c.stroke
      << "\" stroke-width=\"2\" stroke-dasharray=\"5 3\"><title>" << escape(c.title) << "</title></circle>";
  }
  for (const auto& p : m.points) {
    if (p.square) {
      o << "<rect x=\"" << fixed(X(p.where.lon) - p.radius, 1) << "\" y=\"" << fixed(Y(p.where.lat) - p.radius, 1)
        << "\" width=\"" << fixed(2 * p.radius, 1) << "\" height=\"" << fixed(2 * p.radius, 1) << "\"";
    } else {
      o << "<circle cx=\"" << fixed(X(p.where.lon), 1) << "\" cy=\"" << fixed(Y(p.where.lat), 1) << "\" r=\""
        << fixed(p.radius, 1) << "\"";
    }
    o << " fill=\"" << p.fill << "\" stroke=\"" << p.stroke << "\" stroke-width=\"0.8\"><title>" << escape(p.title)
      << "</title>" << (p.square ? "</rect>" : "</circle>");
  }
  for (const auto& a : m.areas) {
    if (a.label.empty() || !a.label_at) continue;
    o << "<text x=\"" << fixed(X(a.label_at->lon), 1) << "\" y=\"" << fixed(Y(a.label_at->lat), 1)
      << "\" font-size=\"10\" text-anchor=\"middle\" paint-order=\"stroke\" stroke=\"#ffffff\" stroke-width=\"2.5\">"
      << escape(a.label) << "</text>";
  }
  for (const auto& p : m.points) {
    if (p.label.empty()) continue;
    o << "<text x=\"" << fixed(X(p.where.lon) + p.radius + 2, 1) << "\" y=\"" << fixed(Y(p.where.lat) + 3, 1)
      << "\" font-size=\"9\" paint-order=\"stroke\" stroke=\"#ffffff\" stroke-width=\"2\">" << escape(p.label)
      << "</text>";
  }
  // Scale bar: a round number of km near a quarter of the map's width.
  const double km_per_px = 111.195 / scale;
  const double want = km_per_px * pw / 4;
  const auto tk = ticks(0, want, 1);
  const double km = tk.size() > 1 ? tk[1] : want;
  const double bar = km / km_per_px;
  const double by = m.height - 8;
  o << "<line x1=\"" << pad << "\" x2=\"" << fixed(pad + bar, 1) << "\" y1=\"" << fixed(by, 1) << "\" y2=\""
    << fixed(by, 1) << "\" stroke=\"#333\" stroke-width=\"2\"/><text x=\"" << fixed(pad + bar + 4, 1) << "\" y=\""
    << fixed(by + 3, 1) << "\" font-size=\"10\">" << fixed(km, 0) << " km</text>";
  double ly = top + 12;
  for (const auto& l : m.legend) {
    legend_row(o, m.width - legend_w + 6, ly, l.color, l.text, l.point, false);
    ly += 16;
  }
  o << "</svg>";
  return o.str();
}

}  // namespace endstate::report::svg
