#include "endstate/threat/rates.hpp"

#include <algorithm>
#include <cmath>

namespace endstate::threat {

double poisson_rate_test(std::int64_t a, std::int64_t b) {
  const std::int64_t n = a + b;
  if (n <= 0) return 1.0;
  const std::int64_t k = std::min(a, b);
  const double ln2 = std::log(2.0);
  double tail = 0;
  for (std::int64_t i = 0; i <= k; ++i) {
    const auto nd = static_cast<double>(n), id = static_cast<double>(i);
    tail += std::exp(std::lgamma(nd + 1.0) - std::lgamma(id + 1.0) - std::lgamma(nd - id + 1.0) - nd * ln2);
  }
  return std::min(1.0, 2 * tail);
}

}  // namespace endstate::threat
