// Method and references: see geodesy.hpp (authalic latitude + cylindrical
// equal-area shoelace; Snyder 1987; Chamberlain & Duquette 2007).
#include "geo/detail/geodesy.hpp"

#include <cmath>
#include <numbers>

namespace endstate::geo::detail {
namespace {

constexpr double kSemiMajorKm = 6378.137;            // WGS84 a
constexpr double kFlattening = 1.0 / 298.257223563;  // WGS84 f
constexpr double kE2 = kFlattening * (2.0 - kFlattening);

/// Snyder eq. 3-12: q(phi) for sin(phi), with e the first eccentricity.
double authalic_q(double sin_phi, double e) {
  const double es = e * sin_phi;
  return (1.0 - kE2) *
         (sin_phi / (1.0 - kE2 * sin_phi * sin_phi) - (1.0 / (2.0 * e)) * std::log((1.0 - es) / (1.0 + es)));
}

/// e, q_p = q(90°) and the authalic radius R_q = a * sqrt(q_p / 2) (6371.0072 km for WGS84).
struct Authalic {
  double e;
  double qp;
  double radius_km;
};

const Authalic& authalic() {
  static const Authalic c = [] {
    const double e = std::sqrt(kE2);
    const double qp = authalic_q(1.0, e);
    return Authalic{e, qp, kSemiMajorKm * std::sqrt(qp / 2.0)};
  }();
  return c;
}

}  // namespace

double sin_authalic_latitude(double lat_deg) {
  const Authalic& a = authalic();
  const double s = std::sin(lat_deg * std::numbers::pi / 180.0);
  return authalic_q(s, a.e) / a.qp;  // Snyder eq. 3-11: beta = asin(q / q_p)
}

double ring_area_km2(const double* xy, std::size_t n) {
  if (n < 3) return 0.0;
  constexpr double kRad = std::numbers::pi / 180.0;
  // Sum over edges of (x_{i+1} - x_i) * (y_i + y_{i+1} - 2*y_0): subtracting a
  // constant leaves a closed ring's sum unchanged and keeps small rings precise.
  const double y0 = sin_authalic_latitude(xy[1]);
  double sum = 0.0;
  double prev_x = xy[0];
  double prev_y = 0.0;  // y_0 - y_0
  for (std::size_t i = 1; i <= n; ++i) {
    const std::size_t k = (i == n) ? 0 : i;
    const double x = xy[2 * k];
    const double y = sin_authalic_latitude(xy[2 * k + 1]) - y0;
    sum += (x - prev_x) * (prev_y + y);
    prev_x = x;
    prev_y = y;
  }
  const double r = authalic().radius_km;
  return std::fabs(sum) * 0.5 * kRad * r * r;
}

}  // namespace endstate::geo::detail
