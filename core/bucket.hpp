// The bucket family: token bucket, leaky bucket (meter), leaky bucket (queue) and GCRA.
//
// All four are one linear meter, which is the point the tutorial makes with them: a level that
// each admitted request raises by its cost and that drains at `rate` requests per second, never
// below zero; a request is admitted iff the drained level plus its cost fits the capacity
// (requests an idle client may send at once). Rejected requests change nothing. They differ in
// what they call the state and what they do with an admitted request:
//
// - token-bucket (golang.org/x/time/rate, Limiter.AllowN): the bucket holds
//   tokens = capacity - level, starts full and refills continuously; a request takes `cost`
//   tokens if that many are there.
// - leaky-bucket, the meter (nginx limit_req ... burst=capacity-1 nodelay; the "leaky bucket as
//   a meter" of the ATM/ITU-T literature): water = level, leaking at `rate`; a request that
//   would overflow is rejected, the others pass at once. nginx's `excess` is level - 1.
// - leaky-queue, the queue (nginx limit_req burst=capacity-1 [delay=D]): the same meter, but an
//   admitted request whose excess (level - 1) is above D waits (excess - D) / rate seconds, so
//   the output is perfectly smooth; D is 0 unless set. nginx counts in integer milliseconds and
//   milli-requests; this model uses exact microseconds.
// - gcra (throttled / redis-cell, the "virtual scheduling" form of ITU-T I.371): one timestamp,
//   the theoretical arrival time TAT = now + level / rate; emission interval T = 1 / rate;
//   tolerance tau = capacity x T; a request is admitted iff max(TAT, now) + cost x T - now <= tau.
//
// Window stats for all four: remaining = floor(capacity - level), reset = when the level
// reaches 0 (the whole burst is back). A rule with amount 0 admits nothing.
// Levels are kept in units of 1/window_us requests so that every quantity is an integer-valued
// double: exact (below 2^53) with microsecond time, see micros.hpp.
#pragma once

#include <algorithm>

#include "core/algorithm.hpp"
#include "core/keyed_states.hpp"
#include "core/micros.hpp"

namespace ratelimit {

class Bucket final : public Limiter {
 public:
  // `algorithm` must be TokenBucket, LeakyBucket, LeakyQueue or Gcra.
  Bucket(Algorithm algorithm, const RateLimit& rate, const AlgorithmOptions& options);

  Decision hit(KeyId key, double now, std::int64_t cost, std::string* why) override;
  bool test(KeyId key, double now, std::string* why) override;
  WindowStats window_stats(KeyId key, double now) override;
  Snapshot snapshot(KeyId key, double now) override;
  void clear(KeyId key) override { states_.clear(key); }
  // hit() without the explanation: the batch engine's inner step (see RuleEngine).
  [[gnu::always_inline]] Decision decide(KeyId key, double now, std::int64_t cost) {
    const double now_us = to_micros(now);
    State& state = states_[key];
    return take(state, now_us, level_at(state, now_us), cost);
  }

 private:
  struct State {
    double level = 0;    // in units: one request is unit_ units
    double last_us = 0;  // when `level` was measured
  };
  double level_at(const State& state, double now_us) const {
    const double elapsed = std::max(0.0, now_us - state.last_us);
    return std::max(0.0, state.level - elapsed * drain_);
  }
  // Seconds an admitted request that leaves the bucket at `level` waits (leaky-queue).
  double queue_delay(double level) const {
    return level > immediate_ ? from_micros((level - immediate_) / drain_) : 0;
  }
  // Admits `cost` on top of `level` (the state drained to now_us) if it fits, raising the state.
  Decision take(State& state, double now_us, double level, std::int64_t cost) {
    const double next = level + static_cast<double>(cost) * unit_;
    if (next > capacity_) return {false, 0};
    state = {next, now_us};
    return {true, queue_delay(next)};
  }
  std::string explain(double level, std::int64_t cost, bool allowed, double delay) const;

  double unit_;         // one request, in level units (= window in microseconds)
  double drain_;        // level units drained per microsecond (= amount)
  double capacity_;     // in level units
  double immediate_;    // leaky-queue: level up to which requests pass at once, in level units
  KeyedStates<State> states_;
};

}  // namespace ratelimit
