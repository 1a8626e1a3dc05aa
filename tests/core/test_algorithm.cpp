#include "core/algorithm.hpp"

#include "tests/core/limiter_fixture.hpp"

namespace ratelimit::test {

TEST_CASE("every algorithm has a unique name that maps back to it, and says whose semantics it follows") {
  for (Algorithm a : kAllAlgorithms) {
    CAPTURE(algorithm_name(a));
    CHECK(algorithm_from_name(algorithm_name(a)) == a);
    CHECK_FALSE(algorithm_semantics(a).empty());
    CHECK_FALSE(algorithm_summary(a).empty());
  }
  CHECK(algorithm_from_name("fixed_window") == std::nullopt);
  CHECK(algorithm_from_name("") == std::nullopt);
}

TEST_CASE("exactly Flask-Limiter's three strategies are Flask-Limiter's") {
  CHECK(is_flask_limiter_strategy(Algorithm::FixedWindow));
  CHECK(is_flask_limiter_strategy(Algorithm::FixedWindowElasticExpiry));
  CHECK(is_flask_limiter_strategy(Algorithm::MovingWindow));
  CHECK_FALSE(is_flask_limiter_strategy(Algorithm::SlidingWindowCounter));
  CHECK_FALSE(is_flask_limiter_strategy(Algorithm::Gcra));
}

TEST_CASE("make_limiter builds each algorithm for the rate, and snapshots name it") {
  ExpirySweep sweep(E);
  for (Algorithm a : kAllAlgorithms) {
    CAPTURE(algorithm_name(a));
    const auto limiter = make_limiter(a, rate("5/2 minutes"), {}, sweep);
    REQUIRE(limiter);
    CHECK(limiter->algorithm() == a);
    CHECK(limiter->rate() == rate("5 per 2 minute"));
    const Snapshot s = limiter->snapshot(0, E);
    CHECK(s.algorithm == a);
    CHECK(s.limit == 5);
    CHECK(s.window == 120);
  }
}

TEST_CASE("every algorithm admits a fresh client's first request and refuses a cost it can never hold") {
  for (Algorithm a : kAllAlgorithms) {
    CAPTURE(algorithm_name(a));
    LimiterUnderTest l(a, "3/minute");
    CHECK(l.hit(0));
    if (a != Algorithm::MovingWindow) CHECK_FALSE(l.hit(1000, 4));  // limits' moving window admits it
  }
}

}  // namespace ratelimit::test
