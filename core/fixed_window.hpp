// Fixed window, exactly as limits 2.8's FixedWindowRateLimiter (and its elastic-expiry variant)
// over MemoryStorage, which Flask-Limiter 3.3 uses by default.
//
// A key's window opens at its first hit (not on a clock boundary) and lasts `window` seconds;
// the end is exclusive: at exactly start + window the counter is gone. Every hit adds its cost
// first and compares afterwards, so rejected hits count too, and `hit` admits iff the counter
// is then <= amount. With elastic expiry every hit, admitted or not, moves the end to
// now + window, so a client that keeps retrying is locked out for as long as it retries.
// Arithmetic is IEEE double in limits' order: expiry = now + window; expired iff expiry <= now.
#pragma once

#include <limits>

#include "core/algorithm.hpp"
#include "core/keyed_states.hpp"

namespace ratelimit {

class FixedWindow final : public Limiter {
 public:
  FixedWindow(const RateLimit& rate, bool elastic_expiry);

  Decision hit(KeyId key, double now, std::int64_t cost, std::string* why) override;
  bool test(KeyId key, double now, std::string* why) override;
  WindowStats window_stats(KeyId key, double now) override;
  Snapshot snapshot(KeyId key, double now) override;
  void clear(KeyId key) override { states_.clear(key); }
  // hit() without the explanation: the batch engine's inner step (see RuleEngine).
  [[gnu::always_inline]] Decision decide(KeyId key, double now, std::int64_t cost) {
    return {charge(current(key, now), now, cost), 0};
  }

 private:
  struct State {
    std::int64_t counter = 0;
    double expiry = 0;  // meaningful only while `open`
    bool open = false;
  };
  // limits' MemoryStorage.get(): drops the counter once its expiry has passed.
  State& current(KeyId key, double now) {
    State& state = states_[key];
    if (state.open && state.expiry <= now) state = State{};
    return state;
  }
  // Adds `cost` (limits' incr, which (re)starts the expiry) and answers whether the counter is
  // still within the amount. Python's integers never overflow; the int64 counter saturates,
  // which keeps every comparison with an amount (at most 2^53 - 1) exact.
  bool charge(State& state, double now, std::int64_t cost) {
    if (__builtin_add_overflow(state.counter, cost, &state.counter)) {
      state.counter = std::numeric_limits<std::int64_t>::max();
    }
    if (elastic_ || state.counter == cost) {
      state.expiry = now + window_;
      state.open = true;
    }
    return state.counter <= rate().amount;
  }

  bool elastic_;
  double window_;
  KeyedStates<State> states_;
};

}  // namespace ratelimit
