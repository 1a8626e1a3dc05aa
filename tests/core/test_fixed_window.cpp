#include "core/fixed_window.hpp"

#include "tests/core/limiter_fixture.hpp"

namespace ratelimit::test {

TEST_CASE("fixed window: the window opens at the key's first hit, not on a clock boundary") {
  LimiterUnderTest fw(Algorithm::FixedWindow, "10/minute");
  CHECK(fw.hit(7.25));
  const Snapshot s = fw.snapshot(7.25);
  CHECK(s.window_open);
  CHECK(s.window_start == E + 7.25);
  CHECK(s.window_end == E + 67.25);
  CHECK(s.counter == 1);
}

TEST_CASE("fixed window: the end is exclusive, so a hit at exactly start + window opens a new window") {
  LimiterUnderTest fw(Algorithm::FixedWindow, "1/minute");
  CHECK(fw.hits({0, 30, 59.999}) == std::vector<bool>{true, false, false});
  CHECK(fw.hit(60));
  CHECK(fw.snapshot(60).window_start == E + 60);
}

TEST_CASE("fixed window: a rejected hit still adds its cost to the counter") {
  LimiterUnderTest fw(Algorithm::FixedWindow, "10/minute");
  CHECK(fw.hit(0, 9));
  CHECK_FALSE(fw.hit(1, 5));
  CHECK(fw.snapshot(1).counter == 14);
  CHECK_FALSE(fw.hit(2, 1));  // would pass if the rejected cost-5 hit had not counted
  CHECK(fw.snapshot(2).counter == 15);
  CHECK(fw.stats(2).remaining == 0);  // never negative
}

TEST_CASE("fixed window: rejected hits do not move the reset") {
  LimiterUnderTest fw(Algorithm::FixedWindow, "2/minute");
  fw.hits({0.5, 1, 2, 30, 59});
  CHECK(fw.stats(59).reset == E + 60);  // int(E + 60.5)
}

TEST_CASE("fixed window: a cost above the amount is never admitted, and 0/minute admits nothing") {
  LimiterUnderTest over(Algorithm::FixedWindow, "3/minute");
  CHECK_FALSE(over.hit(0, 4));
  CHECK_FALSE(over.hit(120, 4));
  LimiterUnderTest zero(Algorithm::FixedWindow, "0/minute");
  CHECK(zero.hits({0, 61, 200}) == std::vector<bool>{false, false, false});
}

TEST_CASE("fixed window: window stats truncate the expiry, and read now when no window is open") {
  LimiterUnderTest fw(Algorithm::FixedWindow, "3/minute");
  CHECK(fw.stats(5.9).reset == E + 5);
  CHECK(fw.stats(5.9).remaining == 3);
  fw.hit(0.5);
  CHECK(fw.stats(10).reset == E + 60);
  CHECK(fw.stats(10).remaining == 2);
  CHECK(fw.stats(61).reset == E + 61);  // expired: int(now)
  CHECK(fw.stats(61).remaining == 3);
}

TEST_CASE("fixed window: test() means at least one unit left and consumes nothing") {
  LimiterUnderTest fw(Algorithm::FixedWindow, "2/minute");
  CHECK(fw.test(0));
  fw.hit(0, 1);
  CHECK(fw.test(1));
  CHECK(fw.snapshot(1).counter == 1);
  fw.hit(2, 1);
  CHECK_FALSE(fw.test(3));
}

TEST_CASE("fixed window: the 3/minute trace of the semantics document") {
  LimiterUnderTest fw(Algorithm::FixedWindow, "3/minute");
  struct Row { double t; bool allowed; double reset; std::int64_t remaining; };
  const Row rows[] = {{0.5, true, 60, 2},  {10, true, 60, 1},    {20, true, 60, 0},
                      {30, false, 60, 0},  {60.5, true, 120, 2}, {61, true, 120, 1},
                      {80.5, true, 120, 0}, {120.5, true, 180, 2}, {121, true, 180, 1}};
  for (const Row& row : rows) {
    CAPTURE(row.t);
    CHECK(fw.hit(row.t) == row.allowed);
    CHECK(fw.stats(row.t).reset == E + row.reset);
    CHECK(fw.stats(row.t).remaining == row.remaining);
  }
}

TEST_CASE("fixed window: limits' float arithmetic decides the boundary (first hit at 0.1 on 5/second)") {
  LimiterUnderTest fw(Algorithm::FixedWindow, "5/second");
  fw.hits({0.1, 0.2, 0.3, 0.4, 0.5});
  CHECK_FALSE(fw.hit(1.0));
  CHECK(fw.hit(1.1));  // (E + 0.1) + 1 <= E + 1.1 in doubles: a new window
  CHECK(fw.snapshot(1.1).counter == 1);
}

TEST_CASE("fixed window: keys are independent") {
  LimiterUnderTest fw(Algorithm::FixedWindow, "1/minute");
  CHECK(fw.hit(0, 1, 0));
  CHECK(fw.hit(0, 1, 1));
  CHECK_FALSE(fw.hit(1, 1, 0));
  fw.limiter->clear(0);
  CHECK(fw.hit(2, 1, 0));
  CHECK_FALSE(fw.hit(2, 1, 1));
}

TEST_CASE("elastic expiry: every hit, even a rejected one, pushes the end of the window out") {
  LimiterUnderTest el(Algorithm::FixedWindowElasticExpiry, "2/minute");
  CHECK(el.hits({0, 1, 2, 30, 60, 90, 120, 150}) ==
        std::vector<bool>{true, true, false, false, false, false, false, false});
  CHECK(el.stats(150).reset == E + 210);
  SUBCASE("waiting out a whole window after the last attempt lets the client in") {
    CHECK(el.hit(211));
  }
  SUBCASE("one more attempt just before the end locks the client out for another window") {
    CHECK_FALSE(el.hit(209.5));
    CHECK_FALSE(el.hit(269));
    CHECK(el.hit(329.5));
  }
}

TEST_CASE("elastic expiry: the 3/minute trace of the semantics document") {
  LimiterUnderTest el(Algorithm::FixedWindowElasticExpiry, "3/minute");
  struct Row { double t; bool allowed; double reset; };
  const Row rows[] = {{0.5, true, 60},   {10, true, 70},    {20, true, 80},
                      {30, false, 90},   {60.5, false, 120}, {61, false, 121},
                      {80.5, false, 140}, {120.5, false, 180}, {121, false, 181}};
  for (const Row& row : rows) {
    CAPTURE(row.t);
    CHECK(el.hit(row.t) == row.allowed);
    CHECK(el.stats(row.t).reset == E + row.reset);
  }
}

TEST_CASE("fixed window: the explanation names the comparison and that rejected hits count") {
  LimiterUnderTest fw(Algorithm::FixedWindow, "1/minute");
  CHECK(fw.why_hit(0) == "counter 0 + cost 1 = 1 ≤ limit 1; this hit opened a new 60 s window");
  CHECK(fw.why_hit(15) ==
        "counter 1 + cost 1 = 2 > limit 1; the window ends in 45 s (the rejected hit still counts)");
}

}  // namespace ratelimit::test
