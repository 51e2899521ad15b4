#pragma once
// Random variates from endstate::Rng that are identical on every platform
// (the standard library's distributions are implementation-defined):
// normal by the Marsaglia polar method, gamma by Marsaglia & Tsang (2000,
// ACM TOMS 26(3)), Poisson by multiplication of uniforms for small means and
// Hormann's PTRS transformed rejection (1993, Insurance: Mathematics and
// Economics 12) for means >= 10, negative binomial as a gamma-Poisson mixture.

#include <cstddef>
#include <cstdint>

#include "endstate/core/rng.hpp"

namespace endstate::forecast {

double sample_normal(Rng& rng);
/// Gamma with shape k > 0 and scale 1.
double sample_gamma(Rng& rng, double shape);
/// Poisson with mean lambda >= 0 (lambda capped at 1e9).
std::int64_t sample_poisson(Rng& rng, double lambda);
/// NB2 with mean mu >= 0 and dispersion alpha > 0 (variance mu + alpha mu^2).
std::int64_t sample_nb2(Rng& rng, double mu, double alpha);
/// n draws of NB2(mu, alpha). For means up to 200 by inversion of the CDF
/// (the pmf by its recurrence p(k+1) = p(k) (k + r)/(k + 1) mu/(r + mu),
/// r = 1/alpha, tabulated once for the n draws; one uniform per draw, and on
/// a sparse grid where mu is tiny nearly every draw is "u < P(0)"); above
/// that, or when the table would be too long, by the gamma-Poisson mixture.
void sample_nb2_n(Rng& rng, double mu, double alpha, float* out, std::size_t n);

}  // namespace endstate::forecast
