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

#include "core/algorithm.hpp"
#include "core/keyed_states.hpp"

namespace ratelimit {

class SlidingWindowCounter final : public Limiter {
 public:
  explicit SlidingWindowCounter(const RateLimit& rate);

  Decision hit(KeyId key, double now, std::int64_t cost, std::string* why) override;
  bool test(KeyId key, double now, std::string* why) override;
  WindowStats window_stats(KeyId key, double now) override;
  Snapshot snapshot(KeyId key, double now) override;
  void clear(KeyId key) override { states_.clear(key); }

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
  View view(KeyId key, double now_us);

  double window_us_;
  KeyedStates<State> states_;
};

}  // namespace ratelimit
