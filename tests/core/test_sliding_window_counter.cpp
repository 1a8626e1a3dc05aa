#include "core/sliding_window_counter.hpp"

#include "tests/core/limiter_fixture.hpp"

namespace ratelimit::test {

// Buckets are clock-aligned: E is 20 s past a whole minute, so minute buckets begin at E + 40.
constexpr double B = 40;

TEST_CASE("sliding window counter: buckets are aligned to the clock, not to the first hit") {
  LimiterUnderTest sw(Algorithm::SlidingWindowCounter, "10/minute");
  sw.hit(B + 25);
  const Snapshot s = sw.snapshot(B + 25);
  CHECK(s.bucket_start == E + B);
  CHECK(s.current_count == 1);
  CHECK(s.previous_count == 0);
  CHECK(s.previous_weight == doctest::Approx(35.0 / 60));
}

TEST_CASE("sliding window counter: hits at the very instant a bucket begins count in it") {
  LimiterUnderTest sw(Algorithm::SlidingWindowCounter, "2/minute");
  CHECK(sw.hits({B, B, B}) == std::vector<bool>{true, true, false});
  CHECK(sw.snapshot(B).current_count == 2);
}

TEST_CASE("sliding window counter: the previous bucket weighs by the share still inside the window") {
  LimiterUnderTest sw(Algorithm::SlidingWindowCounter, "10/minute");
  for (int i = 0; i < 10; ++i) REQUIRE(sw.hit(B + 10));
  CHECK_FALSE(sw.hit(B + 59));
  SUBCASE("at the boundary the previous bucket weighs fully") {
    CHECK_FALSE(sw.hit(B + 60));
    const Snapshot s = sw.snapshot(B + 60);
    CHECK(s.bucket_start == E + B + 60);  // the instant a bucket ends belongs to the next one
    CHECK(s.previous_count == 10);
    CHECK(s.current_count == 0);
    CHECK(s.estimate == 10);
  }
  SUBCASE("halfway through the next bucket it weighs half") {
    CHECK(sw.snapshot(B + 90).estimate == 5);
    CHECK(sw.hits({B + 90, B + 90, B + 90, B + 90, B + 90, B + 90}) ==
          std::vector<bool>{true, true, true, true, true, false});
  }
  SUBCASE("two buckets later it is gone") {
    CHECK(sw.snapshot(B + 120).estimate == 0);
  }
}

TEST_CASE("sliding window counter: requests just before a boundary let about twice the limit through") {
  LimiterUnderTest sw(Algorithm::SlidingWindowCounter, "10/minute");
  for (int i = 0; i < 10; ++i) REQUIRE(sw.hit(B + 59.9));
  int admitted_late = 0;
  for (int i = 0; i < 10; ++i) admitted_late += sw.hit(B + 119) ? 1 : 0;
  CHECK(admitted_late == 10);  // 20 admitted within [B+59.9, B+119], 59.1 s apart
}

TEST_CASE("sliding window counter: requests early in the previous bucket weigh too much") {
  LimiterUnderTest sw(Algorithm::SlidingWindowCounter, "10/minute");
  for (int i = 0; i < 10; ++i) REQUIRE(sw.hit(B + 0));
  // At B+90 those 10 are 90 s old, outside any 60 s window, yet they still weigh 5.
  int admitted = 0;
  for (int i = 0; i < 10; ++i) admitted += sw.hit(B + 90) ? 1 : 0;
  CHECK(admitted == 5);
}

TEST_CASE("sliding window counter: rejected hits are not counted, and costs weigh in") {
  LimiterUnderTest sw(Algorithm::SlidingWindowCounter, "10/minute");
  CHECK(sw.hit(B, 8));
  CHECK_FALSE(sw.hit(B + 1, 3));
  CHECK(sw.snapshot(B + 1).current_count == 8);
  CHECK(sw.hit(B + 1, 2));
  CHECK_FALSE(sw.hit(B + 300, 11));  // a cost above the amount never passes
}

TEST_CASE("sliding window counter: test() passes while the estimate is below the amount, and counts nothing") {
  LimiterUnderTest sw(Algorithm::SlidingWindowCounter, "2/minute");
  CHECK(sw.test(B));
  CHECK(sw.hit(B));
  CHECK(sw.test(B + 1));  // estimate 1 < 2
  CHECK(sw.hit(B + 1));
  CHECK_FALSE(sw.test(B + 2));  // estimate 2: full, as the next hit finds it
  CHECK_FALSE(sw.hit(B + 2));
  CHECK(sw.test(B + 90));  // the previous bucket's 2 weigh half: estimate 1
  CHECK(sw.test(B + 90));
  CHECK(sw.snapshot(B + 90).current_count == 0);  // tested twice, nothing counted
}

TEST_CASE("sliding window counter: window stats follow limits 4.1") {
  LimiterUnderTest sw(Algorithm::SlidingWindowCounter, "10/minute");
  SUBCASE("nothing counted: the quota is whole now") {
    CHECK(sw.stats(B + 5).reset == E + B + 5);
    CHECK(sw.stats(B + 5).remaining == 10);
  }
  SUBCASE("only the current bucket: reset when it ends") {
    sw.hit(B + 15, 4);
    CHECK(sw.stats(B + 15).remaining == 6);
    CHECK(sw.stats(B + 15).reset == E + B + 60);
  }
  SUBCASE("a previous bucket: reset when its weighted count drops by one more request") {
    sw.hit(B + 15, 4);
    // At B+80 the previous 4 weigh 40/60: estimate 2.67; a request's weight leaves every 15 s.
    CHECK(sw.stats(B + 80).remaining == 8);
    CHECK(sw.stats(B + 80).reset == E + B + 90);
  }
}

TEST_CASE("sliding window counter: keys are independent") {
  LimiterUnderTest sw(Algorithm::SlidingWindowCounter, "1/minute");
  CHECK(sw.hit(B, 1, 0));
  CHECK(sw.hit(B, 1, 3));
  CHECK_FALSE(sw.hit(B + 1, 1, 3));
}

TEST_CASE("sliding window counter: the explanation shows the weighted estimate") {
  LimiterUnderTest sw(Algorithm::SlidingWindowCounter, "10/minute");
  for (int i = 0; i < 10; ++i) sw.hit(B);
  CHECK(sw.why_hit(B + 90) ==
        "estimate 10 × 0.5 + 0 = 5 (previous bucket × the share of it still inside the window + "
        "this bucket); 5 + cost 1 ≤ limit 10 → counted");
}

}  // namespace ratelimit::test
