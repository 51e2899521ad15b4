#pragma once
// Random variates from endstate::Rng that are identical on every platform
// (the standard library's distributions are implementation-defined):
// normal by the Marsaglia polar method, gamma by Marsaglia & Tsang (2000,
// ACM TOMS 26(3)), Poisson by multiplication of uniforms for small means and
// Hormann's PTRS transformed rejection (1993, Insurance: Mathematics and
// Economics 12) for means >= 10, negative binomial as a gamma-Poisson mixture.

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

}  // namespace endstate::forecast
