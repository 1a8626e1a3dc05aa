#include "core/moving_window.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "tests/core/limiter_fixture.hpp"

namespace ratelimit::test {

TEST_CASE("moving window: an entry still counts at exactly window seconds old (inclusive end)") {
  LimiterUnderTest mw(Algorithm::MovingWindow, "1/minute");
  CHECK(mw.hits({0, 60, 60.001}) == std::vector<bool>{true, false, true});
}

TEST_CASE("moving window: rejected hits are not logged") {
  LimiterUnderTest mw(Algorithm::MovingWindow, "2/minute");
  CHECK(mw.hits({0, 1, 2, 3, 30}) == std::vector<bool>{true, true, false, false, false});
  CHECK(mw.snapshot(30).log.size() == 2);
  CHECK(mw.hit(60.001));  // the entry at 0 left; the rejected ones never counted
}

TEST_CASE("moving window: a hit of cost c passes iff at most amount - c entries are in the window") {
  LimiterUnderTest mw(Algorithm::MovingWindow, "10/minute");
  CHECK(mw.hit(0, 9));
  CHECK_FALSE(mw.hit(1, 5));  // 9 logged: room for 1
  CHECK(mw.hit(2, 1));        // unlike the fixed window, the rejected cost-5 hit cost nothing
  CHECK_FALSE(mw.hit(3, 1));
  CHECK(mw.hit(60.001, 9));   // the 9 from t=0 left the window
}

TEST_CASE("moving window: the 3/minute trace of the semantics document") {
  LimiterUnderTest mw(Algorithm::MovingWindow, "3/minute");
  struct Row { double t; bool allowed; double reset; std::int64_t remaining; };
  const Row rows[] = {{0.5, true, 60, 2},   {10, true, 70, 1},    {20, true, 80, 0},
                      {30, false, 80, 0},   {60.5, false, 80, 0}, {61, true, 121, 0},
                      {80.5, true, 140, 1}, {120.5, true, 180, 0}, {121, false, 180, 0}};
  for (const Row& row : rows) {
    CAPTURE(row.t);
    CHECK(mw.hit(row.t) == row.allowed);
    CHECK(mw.stats(row.t).reset == E + row.reset);
    CHECK(mw.stats(row.t).remaining == row.remaining);
  }
}

TEST_CASE("moving window: reset is when the whole quota is back (newest entry + window)") {
  LimiterUnderTest mw(Algorithm::MovingWindow, "3/minute");
  mw.hits({0, 10.5, 20.9});
  CHECK(mw.stats(21).reset == E + 80);  // int(20.9) + 60, though a slot frees after t=60
  CHECK(mw.stats(200).reset == E + 260);  // empty window: int(now) + window
}

TEST_CASE("moving window: a cost above the amount reads the log from its oldest end") {
  SUBCASE("the semantics document's example: the sweep removed the stale entries, so it rejects") {
    LimiterUnderTest mw(Algorithm::MovingWindow, "2/minute");
    CHECK(mw.hits({0, 100, 130}, 3) == std::vector<bool>{true, true, false});
    CHECK(mw.stats(130).remaining == -1);  // can go negative after an over-amount hit
  }
  SUBCASE("until the 10 ms sweep has run, a stale oldest entry lets the hit through") {
    LimiterUnderTest mw(Algorithm::MovingWindow, "2/minute");
    CHECK(mw.hit(0, 3));
    CHECK(mw.hit(70, 3));     // the oldest entry (t=0) is stale
    CHECK(mw.hit(70.005, 3)); // the t=0 entries are still stored: the sweep is due at 70.01
    CHECK_FALSE(mw.hit(70.02, 3));  // the sweep ran at 70.01 and removed them
  }
  SUBCASE("an entry exactly one window old still counts, as for any other cost") {
    LimiterUnderTest mw(Algorithm::MovingWindow, "2/minute");
    CHECK(mw.hit(0));
    CHECK_FALSE(mw.hit(60, 3));
    CHECK(mw.hit(60.001, 3));
  }
  SUBCASE("0/minute admits the first hit of a fresh key (an empty log raises IndexError)") {
    LimiterUnderTest mw(Algorithm::MovingWindow, "0/minute");
    CHECK(mw.hits({0, 30, 61}) == std::vector<bool>{true, false, true});
  }
}

TEST_CASE("moving window: test() counts the entries in the window and logs nothing") {
  LimiterUnderTest mw(Algorithm::MovingWindow, "2/minute");
  CHECK(mw.test(0));
  mw.hit(0);
  CHECK(mw.test(1));
  mw.hit(1);
  CHECK_FALSE(mw.test(60));
  CHECK(mw.test(60.5));
  CHECK(mw.snapshot(60.5).log.size() == 1);
}

TEST_CASE("moving window: the snapshot lists the window's entries oldest first, costs as counts") {
  LimiterUnderTest mw(Algorithm::MovingWindow, "10/minute");
  mw.hit(0, 2);
  mw.hit(5);
  mw.hit(5);
  mw.hit(30, 3);
  const Snapshot s = mw.snapshot(61);
  REQUIRE(s.log.size() == 2);
  CHECK(s.log[0].time == E + 5);
  CHECK(s.log[0].count == 2);
  CHECK(s.log[1].time == E + 30);
  CHECK(s.log[1].count == 3);
}

TEST_CASE("moving window: a huge cost is one log run, and unit hits index in constant time") {
  LimiterUnderTest mw(Algorithm::MovingWindow, "1000000/day");
  CHECK(mw.hit(0, 999999));
  CHECK(mw.hit(1, 1));
  CHECK_FALSE(mw.hit(2, 1));
  CHECK(mw.stats(2).remaining == 0);
  LimiterUnderTest many(Algorithm::MovingWindow, "100000/hour");
  for (int i = 0; i < 100000; ++i) REQUIRE(many.hit(i * 0.01));
  CHECK_FALSE(many.hit(1000.5));
  CHECK(many.hit(3600.001));  // the first entry (t=0) left the window
}

TEST_CASE("moving window: keys are independent") {
  LimiterUnderTest mw(Algorithm::MovingWindow, "1/minute");
  CHECK(mw.hit(0, 1, 0));
  CHECK(mw.hit(0, 1, 7));
  CHECK_FALSE(mw.hit(1, 1, 7));
  mw.limiter->clear(7);
  CHECK(mw.hit(2, 1, 7));
}

TEST_CASE("moving window: the explanation says which entry decided") {
  LimiterUnderTest mw(Algorithm::MovingWindow, "2/minute");
  CHECK(mw.why_hit(0) == "entry #2 from the newest does not exist: 0 of 2 logged in the last 60 s → logged");
  mw.hit(10);
  CHECK(mw.why_hit(30) ==
        "entry #2 from the newest was logged 30 s ago, inside the 60 s window (an entry counts until it "
        "is exactly that old) → rejected, nothing logged");
}

TEST_CASE("entry log: Python indexing from both ends over runs of equal timestamps") {
  EntryLog log;
  log.push_newest(1, 2);  // oldest: two entries at 1
  log.push_newest(2, 1);
  log.push_newest(3, 3);  // newest: three entries at 3
  CHECK(log.size() == 6);
  CHECK(*log.at_python_index(0) == 3);
  CHECK(*log.at_python_index(2) == 3);
  CHECK(*log.at_python_index(3) == 2);
  CHECK(*log.at_python_index(5) == 1);
  CHECK(log.at_python_index(6) == nullptr);
  CHECK(*log.at_python_index(-1) == 1);
  CHECK(*log.at_python_index(-3) == 2);
  CHECK(*log.at_python_index(-6) == 3);
  CHECK(log.at_python_index(-7) == nullptr);
  CHECK(log.count_since(2) == 4);
  log.drop_oldest_while([](double t) { return t < 2; });
  CHECK(log.size() == 4);
  CHECK(*log.at_python_index(-1) == 2);
}

// limits 2.8's MemoryStorage and MovingWindowRateLimiter, transcribed literally: one list of
// entry times per key, newest first, from which each sweep that has run removes the entries with
// time + window <= its time. The limiter stores its logs very differently (a ring of the newest
// entries and, behind it, runs of the older ones it must keep), so it is checked against this.
struct PythonMovingWindow {
  std::int64_t amount;
  double window;
  ExpirySweep sweep{E};
  std::map<KeyId, std::vector<double>> events;

  void storage_call(double now) {  // the timer fires before any storage call at a later time
    sweep.advance(now);
    for (auto& [key, list] : events) {
      list.erase(std::remove_if(list.begin(), list.end(),
                                [&](double t) { return t + window <= sweep.last_sweep(); }),
                 list.end());
    }
  }
  bool hit(KeyId key, double now, std::int64_t cost) {  // acquire_entry
    storage_call(now);
    sweep.schedule(now);
    std::vector<double>& list = events[key];
    const auto n = static_cast<std::int64_t>(list.size());
    std::int64_t index = amount - cost;
    if (index < 0) index += n;  // Python's negative index
    if (index >= 0 && index < n && list[static_cast<std::size_t>(index)] >= now - window) return false;
    list.insert(list.begin(), static_cast<std::size_t>(cost), now);
    return true;
  }
  std::int64_t acquired(KeyId key, double now) {  // get_num_acquired
    storage_call(now);
    return std::count_if(events[key].begin(), events[key].end(), [&](double t) { return t >= now - window; });
  }
  WindowStats stats(KeyId key, double now) {  // get_moving_window + get_window_stats
    const std::int64_t count = acquired(key, now);
    double start = std::trunc(now);
    for (double t : events[key]) {
      if (t >= now - window) {
        start = std::trunc(t);
        break;
      }
    }
    return {start + window, amount - count};
  }
  std::vector<LogEntry> in_window(KeyId key, double now) {  // oldest first, equal times as one entry
    storage_call(now);
    std::vector<LogEntry> entries;
    const std::vector<double>& list = events[key];
    for (auto t = list.rbegin(); t != list.rend(); ++t) {
      if (*t < now - window) continue;
      if (!entries.empty() && entries.back().time == *t) {
        ++entries.back().count;
      } else {
        entries.push_back({*t, 1});
      }
    }
    return entries;
  }
};

TEST_CASE("moving window: matches limits' own list, for every amount, cost and spacing") {
  // Times in whole milliseconds land exactly on window ends and on the sweep's due times; gaps
  // from 0 to 3 s cross the 10 ms sweep both ways. Amounts from 0 to 100 cover the limiter's
  // ring (amounts 1 to 31) and its plain log (0 and larger ones); costs above the amount read
  // from the oldest end.
  for (const std::int64_t amount : {0, 1, 2, 3, 5, 10, 17, 31, 32, 100}) {
    for (const char* per : {"second", "2 seconds"}) {
      const std::string rule = std::to_string(amount) + "/" + per;
      CAPTURE(rule);
      LimiterUnderTest mw(Algorithm::MovingWindow, rule);
      PythonMovingWindow python{amount, static_cast<double>(mw.limiter->rate().window_seconds())};
      std::mt19937_64 random(static_cast<std::uint64_t>(amount) * 7919 + (per[0] == 's'));
      std::uint64_t ms = 0;
      for (int step = 0; step < 4000; ++step) {
        const std::uint64_t r = random();
        ms += r % 8 == 0 ? random() % 3000 : random() % 12;
        const double t = static_cast<double>(ms) / 1000;
        const auto key = static_cast<KeyId>(random() % 3);
        const double now = E + t;
        CAPTURE(step);
        switch (r / 8 % 16) {
          case 0: {
            const WindowStats got = mw.stats(t, key);
            const WindowStats want = python.stats(key, now);
            REQUIRE(got.reset == want.reset);
            REQUIRE(got.remaining == want.remaining);
            break;
          }
          case 1:
            REQUIRE(mw.test(t, key) == (python.acquired(key, now) < amount));
            break;
          case 2: {
            const std::vector<LogEntry> got = mw.snapshot(t, key).log;
            const std::vector<LogEntry> want = python.in_window(key, now);
            REQUIRE(got.size() == want.size());
            for (std::size_t i = 0; i < got.size(); ++i) {
              REQUIRE(got[i].time == want[i].time);
              REQUIRE(got[i].count == want[i].count);
            }
            break;
          }
          case 3:
            mw.limiter->clear(key);
            python.events.erase(key);
            break;
          default: {
            const auto cost = static_cast<std::int64_t>(r / 8 % 16 < 12 ? 1 : random() % static_cast<std::uint64_t>(amount + 4));
            CAPTURE(cost);
            REQUIRE(mw.hit(t, cost, key) == python.hit(key, now, cost));
          }
        }
      }
    }
  }
}

}  // namespace ratelimit::test
