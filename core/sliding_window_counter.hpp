// Sliding window counter (the weighted two-bucket estimate), as limits 4.1+'s
// SlidingWindowCounterRateLimiter over its memory storage.
//
// Time is cut into clock-aligned buckets of one window each (floor(now / window)). With `e` the
// time since the current bucket began, the estimate is
//     previous_count * (window - e) / window + current_count
// which assumes the previous bucket's requests were spread evenly. A hit of cost c is admitted
// iff floor(estimate) + c <= amount (and c <= amount); only admitted hits are counted, in the
// current bucket. The estimate can admit about twice the amount in a trailing window when the
// previous bucket's requests came just before the boundary, and can reject requests a log would
// admit when they came early. Window stats follow limits 4.1: remaining = amount -
// floor(estimate); reset = the next instant the estimate drops by a whole request
// (min of previous ttl mod window/previous_count and current ttl mod window).
// Times are whole microseconds (see micros.hpp).
#pragma once

#include <cmath>

#include "core/algorithm.hpp"
#include "core/keyed_states.hpp"
#include "core/micros.hpp"

namespace ratelimit {

class SlidingWindowCounter final : public Limiter {
 public:
  explicit SlidingWindowCounter(const RateLimit& rate);

  Decision hit(KeyId key, double now, std::int64_t cost, std::string* why) override;
  bool test(KeyId key, double now, std::string* why) override;
  WindowStats window_stats(KeyId key, double now) override;
  Snapshot snapshot(KeyId key, double now) override;
  void clear(KeyId key) override { states_.clear(key); }
  // hit() without the explanation: the batch engine's inner step (see RuleEngine). Admission and
  // counting are branch-free: with many clients whether a hit fits is unpredictable, and a
  // mispredicted branch would expose the divisions' latency instead of overlapping it with the
  // next decisions (10,000 clients in WebAssembly: 16.6 -> 10.7 ns a decision).
  [[gnu::always_inline]] Decision decide(KeyId key, double now, std::int64_t cost) {
    const View v = view(key, to_micros(now));
    const bool allowed = fits(v, cost);
    v.state->current += allowed ? cost : 0;
    return {allowed, 0};
  }

 private:
  struct State {
    double bucket = -1;  // index of the bucket `current` counts; -1 before the first hit
    std::int64_t current = 0;
    std::int64_t previous = 0;
  };
  // The counts as seen at `now_us`: rolled forward to now's bucket.
  struct View {
    State* state;
    double bucket;
    double elapsed_us;  // since the current bucket began
    double weight;      // share of the previous bucket still in the window
    double estimate;
  };
  View view(KeyId key, double now_us) {
    State& state = states_[key];
    // Most hits fall in the state's own bucket, which two comparisons tell without dividing
    // (the products are whole numbers below 2^53, so exact, as floor(now_us / window_us_) is):
    // 8 -> 6.5 ns a decision natively.
    double start = state.bucket * window_us_;
    if (!(start <= now_us && now_us < start + window_us_)) {
      const double bucket = std::floor(now_us / window_us_);
      state.previous = state.bucket == bucket - 1 ? state.current : 0;
      state.current = 0;
      state.bucket = bucket;
      start = bucket * window_us_;
    }
    const double bucket = state.bucket;
    const double elapsed = now_us - start;
    const double weight = (window_us_ - elapsed) / window_us_;
    const double estimate = static_cast<double>(state.previous) * (window_us_ - elapsed) / window_us_ +
                            static_cast<double>(state.current);
    return {&state, bucket, elapsed, weight, estimate};
  }
  // Whether a hit of `cost` is admitted: floor(estimate) + cost <= amount (`&`: no branch). For
  // whole numbers that is estimate < amount - cost + 1, exact below 2^53 as amounts and costs
  // are, and it keeps the floor (8 cycles) off the chain of decisions on one client's counter:
  // 12 -> 8.5 ns a decision with one client in WebAssembly, 13 -> 8 natively.
  bool fits(const View& v, std::int64_t cost) const {
    const std::int64_t amount = rate().amount;
    return (cost <= amount) & (v.estimate < static_cast<double>(amount - cost + 1));
  }

  double window_us_;
  KeyedStates<State> states_;
};

}  // namespace ratelimit
