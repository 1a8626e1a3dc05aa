#include "core/bucket.hpp"

#include <random>

#include "tests/core/limiter_fixture.hpp"

namespace ratelimit::test {

TEST_CASE("token bucket: an idle client may send `capacity` at once, then one per 1/rate") {
  LimiterUnderTest tb(Algorithm::TokenBucket, "10/minute");
  for (int i = 0; i < 10; ++i) REQUIRE(tb.hit(0));
  CHECK_FALSE(tb.hit(0));
  CHECK_FALSE(tb.hit(5.999));
  CHECK(tb.hit(6));  // one token every 6 s
  CHECK_FALSE(tb.hit(6));
  CHECK(tb.snapshot(9).tokens == doctest::Approx(0.5));
}

TEST_CASE("token bucket: decimal instants are exact (microsecond time)") {
  LimiterUnderTest tb(Algorithm::TokenBucket, "10/second");
  for (int i = 0; i < 10; ++i) REQUIRE(tb.hit(0));
  // E + 0.1 is not representable, yet one token is back at exactly t = 0.1, 0.2, ...
  CHECK(tb.hits({0.1, 0.15, 0.2, 0.3, 0.3}) == std::vector<bool>{true, false, true, true, false});
}

TEST_CASE("token bucket: the capacity option sets the burst, not the rate") {
  LimiterUnderTest tb(Algorithm::TokenBucket, "10/minute", AlgorithmOptions{2, 0, false});
  CHECK(tb.hits({0, 0, 0}) == std::vector<bool>{true, true, false});
  CHECK(tb.hit(6));
  CHECK(tb.snapshot(6).capacity == 2);
}

TEST_CASE("token bucket: a cost above the capacity never passes; rejected requests take nothing") {
  LimiterUnderTest tb(Algorithm::TokenBucket, "5/second");
  CHECK_FALSE(tb.hit(0, 6));
  CHECK(tb.hit(0, 5));
  CHECK_FALSE(tb.hit(0.1, 2));
  CHECK(tb.snapshot(0.1).tokens == doctest::Approx(0.5));
}

TEST_CASE("bucket family: a rule with amount 0 admits nothing") {
  for (Algorithm a : {Algorithm::TokenBucket, Algorithm::LeakyBucket, Algorithm::LeakyQueue, Algorithm::Gcra}) {
    CAPTURE(algorithm_name(a));
    LimiterUnderTest b(a, "0/minute", AlgorithmOptions{5, 0, false});
    CHECK_FALSE(b.hit(0));
    CHECK_FALSE(b.hit(1000));
    CHECK(b.stats(1000).reset == E + 1000);
  }
}

TEST_CASE("bucket family: window stats say what is left now and when the whole burst is back") {
  LimiterUnderTest tb(Algorithm::TokenBucket, "10/minute");
  for (int i = 0; i < 4; ++i) tb.hit(0);
  CHECK(tb.stats(3).remaining == 6);  // 6.5 tokens
  CHECK(tb.stats(3).reset == E + 24);
  CHECK(tb.stats(100).reset == E + 100);
}

TEST_CASE("bucket family: test() passes while one more request fits, and takes nothing") {
  for (Algorithm a : {Algorithm::TokenBucket, Algorithm::LeakyBucket, Algorithm::LeakyQueue, Algorithm::Gcra}) {
    CAPTURE(algorithm_name(a));
    LimiterUnderTest b(a, "10/minute");
    CHECK(b.test(0));
    for (int i = 0; i < 9; ++i) REQUIRE(b.hit(0));
    CHECK(b.test(0));  // the last unit of room: exactly full once taken
    CHECK(b.test(0));  // testing took nothing
    CHECK(b.hit(0));
    CHECK_FALSE(b.test(0));
    CHECK_FALSE(b.test(5.999));
    CHECK(b.test(6));  // one unit drained, 6 s per unit
    CHECK(b.hit(6));
    CHECK_FALSE(b.test(6));
  }
}

TEST_CASE("token bucket, leaky bucket and GCRA admit exactly the same requests") {
  std::mt19937 rng(42);
  std::exponential_distribution<double> gap(3.0);
  std::uniform_int_distribution<int> cost(1, 3);
  LimiterUnderTest tb(Algorithm::TokenBucket, "20/10 seconds");
  LimiterUnderTest lb(Algorithm::LeakyBucket, "20/10 seconds");
  LimiterUnderTest gcra(Algorithm::Gcra, "20/10 seconds");
  double t = 0;
  int admitted = 0;
  for (int i = 0; i < 5000; ++i) {
    t += std::round(gap(rng) * 1000) / 1000;  // millisecond instants
    const int c = cost(rng);
    const bool a = tb.hit(t, c);
    CHECK(lb.hit(t, c) == a);
    CHECK(gcra.hit(t, c) == a);
    admitted += a ? 1 : 0;
  }
  CHECK(admitted > 1000);
  CHECK(admitted < 4900);
}

TEST_CASE("leaky bucket (meter): its level is the token bucket's spent tokens") {
  LimiterUnderTest lb(Algorithm::LeakyBucket, "1/second", AlgorithmOptions{3, 0, false});
  CHECK(lb.hits({0, 0, 0, 0}) == std::vector<bool>{true, true, true, false});
  CHECK(lb.decide(0).delay == 0);  // a meter never delays
  CHECK(lb.snapshot(0.5).level == doctest::Approx(2.5));
  CHECK(lb.snapshot(0.5).capacity == 3);
  CHECK(lb.snapshot(0.5).rate == 1);
}

TEST_CASE("leaky queue: nginx's worked example, rate=1r/s burst=5, seven simultaneous requests") {
  const auto delays = [](AlgorithmOptions options) {
    LimiterUnderTest q(Algorithm::LeakyQueue, "1/second", options);
    std::vector<double> out;  // -1 for rejected
    for (int i = 0; i < 7; ++i) {
      const Decision d = q.decide(0);
      out.push_back(d.allowed ? d.delay : -1);
    }
    return out;
  };
  SUBCASE("default: served one per second, the seventh rejected") {
    CHECK(delays({6, 0, false}) == std::vector<double>{0, 1, 2, 3, 4, 5, -1});
  }
  SUBCASE("nodelay: six at once, the seventh rejected") {
    CHECK(delays({6, 0, true}) == std::vector<double>{0, 0, 0, 0, 0, 0, -1});
  }
  SUBCASE("delay=3: four at once, then one per second") {
    CHECK(delays({6, 3, false}) == std::vector<double>{0, 0, 0, 0, 1, 2, -1});
    LimiterUnderTest q(Algorithm::LeakyQueue, "1/second", AlgorithmOptions{6, 3, false});
    CHECK(q.snapshot(0).places == 2);  // the two that waited above
  }
}

TEST_CASE("leaky queue: the default mapping of 10/minute queues nine behind the first, 6 s apart") {
  LimiterUnderTest q(Algorithm::LeakyQueue, "10/minute");
  for (int i = 0; i < 10; ++i) REQUIRE(q.decide(0).delay == 6.0 * i);
  CHECK_FALSE(q.hit(0));
  CHECK(q.snapshot(0).queued == 9);
  CHECK(q.snapshot(0).places == 9);  // the tenth passed at once: the queue was full
  CHECK(q.snapshot(13).queued == 7);  // released at 6 and 12 already
  CHECK(q.decide(13).delay == doctest::Approx(47));  // behind the 7 still waiting
}

TEST_CASE("gcra: the theoretical arrival time runs ahead by one emission interval per request") {
  LimiterUnderTest g(Algorithm::Gcra, "10/minute");
  CHECK(g.hit(0));
  CHECK(g.hit(0));
  const Snapshot s = g.snapshot(0);
  CHECK(s.tat == E + 12);
  CHECK(s.emission_interval == 6);
  CHECK(s.tolerance == 60);
  CHECK(g.snapshot(20).tat == E + 20);  // never behind now
}

TEST_CASE("bucket family: explanations speak each algorithm's language") {
  LimiterUnderTest tb(Algorithm::TokenBucket, "10/minute");
  CHECK(tb.why_hit(0) == "10 tokens ≥ cost 1 → take 1, 9 left (refills one every 6 s, up to 10)");
  for (int i = 0; i < 8; ++i) tb.hit(0);
  CHECK(tb.why_hit(0) == "1 token ≥ cost 1 → take 1, 0 left (refills one every 6 s, up to 10)");
  LimiterUnderTest g(Algorithm::Gcra, "1/minute");
  g.hit(0);
  CHECK(g.why_hit(15) == "TAT is 45 s ahead of now; this request would put it 105 s ahead > tolerance 60 s "
                         "→ rejected; allowed again in 45 s");
  LimiterUnderTest q(Algorithm::LeakyQueue, "1/second", AlgorithmOptions{3, 0, false});
  q.hit(0);
  CHECK(q.why_hit(0) == "excess 1 ≤ burst 2 → queued, served in 1 s (one every 1 s)");
}

}  // namespace ratelimit::test
