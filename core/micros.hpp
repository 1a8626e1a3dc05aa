// Microsecond time for the algorithms beyond Flask-Limiter.
//
// A double epoch near 1.7e9 s cannot hold 0.1 exactly, so `E + 0.2 - (E + 0.1)` is not 0.1 and a
// token bucket would be off by a hair at exact boundaries. Rounding `now` to whole microseconds
// recovers the intended instant (the double's error is far below 0.5 us up to the year 2255),
// and keeping every quantity an integer-valued double makes the arithmetic exact below 2^53.
// The Flask-Limiter strategies do not use this: they reproduce limits' own float arithmetic.
#pragma once

#include <cmath>

namespace ratelimit {

// std::round (halves away from zero), but inline: the library call costs about as much as the
// rest of a token-bucket decision, natively and in WebAssembly alike, while trunc is inlined
// (one instruction in WebAssembly). Exact: x - trunc(x) always is, and from 2^52 on every
// double is whole; infinities and NaN come out as they went in.
inline double round_half_away(double x) {
  const double whole = std::trunc(x);
  const double fraction = x - whole;
  const double rounded = fraction >= 0.5 ? whole + 1 : fraction <= -0.5 ? whole - 1 : whole;
  return std::copysign(rounded, x);  // -0.3 rounds to -0, as std::round does
}

inline double to_micros(double epoch_seconds) { return round_half_away(epoch_seconds * 1e6); }
inline double from_micros(double micros) { return micros / 1e6; }

}  // namespace ratelimit
