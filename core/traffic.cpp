#include "core/traffic.hpp"

#include <cmath>
#include <limits>

namespace ratelimit {

namespace {

constexpr std::string_view kNames[] = {"manual", "constant", "poisson", "on-off", "ramp"};

double to_microsecond(double seconds) { return std::round(seconds * 1e6) / 1e6; }

}  // namespace

std::string_view pattern_name(Pattern p) { return kNames[static_cast<int>(p)]; }

std::optional<Pattern> pattern_from_name(std::string_view name) {
  for (int i = 0; i < 5; ++i) {
    if (kNames[i] == name) return static_cast<Pattern>(i);
  }
  return std::nullopt;
}

ArrivalStream::ArrivalStream(const Traffic& traffic, std::uint64_t seed)
    : traffic_(traffic), random_(seed), next_(generate()) {}

double ArrivalStream::generate() {
  const double rate = traffic_.rate;
  if (traffic_.pattern == Pattern::Manual || !(rate > 0) || !(traffic_.period > 0)) {
    return std::numeric_limits<double>::infinity();
  }
  const double period = traffic_.period;
  switch (traffic_.pattern) {
    case Pattern::Constant:
      return to_microsecond(static_cast<double>(count_++) / rate);
    case Pattern::Poisson:
      clock_ += random_.exponential(rate);
      return to_microsecond(clock_);
    case Pattern::OnOff: {
      // Arrivals in on-time, laid out on the clock with an off phase after every on phase.
      const double half = period / 2;
      clock_ += random_.exponential(2 * rate);
      return to_microsecond(std::floor(clock_ / half) * period + std::fmod(clock_, half));
    }
    case Pattern::Ramp:
      // Thinning: candidates at the peak rate, kept with probability rate(t) / peak.
      do {
        clock_ += random_.exponential(2 * rate);
      } while (random_.uniform() >= std::fmod(clock_, period) / period);
      return to_microsecond(clock_);
    case Pattern::Manual:
      break;
  }
  return std::numeric_limits<double>::infinity();
}

}  // namespace ratelimit
