#pragma once
// Deterministic random streams: a seed and a stream id give the same numbers
// on every machine and thread count (xoshiro256** seeded by SplitMix64;
// Blackman & Vigna 2018). Give each independent task its own stream id.

#include <cstdint>

namespace endstate {

class Rng {
 public:
  using result_type = std::uint64_t;
  Rng(std::uint64_t seed, std::uint64_t stream = 0);
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }
  result_type operator()();
  /// Uniform in [0, 1) with 53 random bits.
  double uniform();
  /// Uniform integer in [0, n) without modulo bias; n > 0.
  std::uint64_t below(std::uint64_t n);

 private:
  std::uint64_t s_[4];
};

}  // namespace endstate
