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

inline double to_micros(double epoch_seconds) { return std::round(epoch_seconds * 1e6); }
inline double from_micros(double micros) { return micros / 1e6; }

}  // namespace ratelimit
