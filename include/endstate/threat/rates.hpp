#pragma once
// Comparing two counts of events: did the rate change between two equal
// periods?

#include <cstdint>

namespace endstate::threat {

/// Two-sided p-value of the exact conditional test of equal Poisson rates over
/// two periods of equal length: given n = a + b events, a ~ Binomial(n, 1/2)
/// under the null (Przyborowski & Wilenski 1940; Lehmann & Romano 2005, 4.6).
double poisson_rate_test(std::int64_t a, std::int64_t b);

}  // namespace endstate::threat
