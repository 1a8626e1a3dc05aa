#include "core/micros.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>

namespace ratelimit::test {

TEST_CASE("micros: the inline rounding is std::round, halves away from zero, sign of zero kept") {
  const double inf = std::numeric_limits<double>::infinity();
  const double cases[] = {0.0, -0.0, 0.3, -0.3, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994,
                          1700000000.1 * 1e6, 1700000000.2 * 1e6, 1700000000.0000005 * 1e6,
                          4503599627370495.5, -4503599627370495.5, 4503599627370497.0,
                          9007199254740993.0, 1e300, -1e300, inf, -inf};
  for (double x : cases) {
    CAPTURE(x);
    CHECK(round_half_away(x) == std::round(x));
    CHECK(std::signbit(round_half_away(x)) == std::signbit(std::round(x)));
  }
  CHECK(std::isnan(round_half_away(std::nan(""))));
  // Every quarter-microsecond step near today's epoch, where a double's resolution is 0.25 us.
  for (double x = 1.7e15; x < 1.7e15 + 64; x += 0.25) REQUIRE(round_half_away(x) == std::round(x));
}

}  // namespace ratelimit::test
