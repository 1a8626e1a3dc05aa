// A small seeded random source (SplitMix64) with the two distributions the traffic generators
// need. Written out here rather than taken from <random> because the standard distributions
// differ between libstdc++ (native) and libc++ (WebAssembly): a seed should mean the same
// traffic in the native tests and in the page.
#pragma once

#include <cmath>
#include <cstdint>

namespace ratelimit {

class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1), 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Exponentially distributed with the given rate (mean 1 / rate).
  double exponential(double rate) { return -std::log1p(-uniform()) / rate; }

  // An independent stream for `index`, derived from `seed` (clients, lanes).
  static std::uint64_t derive(std::uint64_t seed, std::uint64_t index) {
    Random mix(seed ^ (index * 0xd1342543de82ef95ULL));
    return mix.next();
  }

 private:
  std::uint64_t state_;
};

}  // namespace ratelimit
