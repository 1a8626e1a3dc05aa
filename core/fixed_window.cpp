#include "core/fixed_window.hpp"

#include <algorithm>
#include <cmath>

#include "core/format.hpp"

namespace ratelimit {

FixedWindow::FixedWindow(const RateLimit& rate, bool elastic_expiry)
    : Limiter(elastic_expiry ? Algorithm::FixedWindowElasticExpiry : Algorithm::FixedWindow, rate),
      elastic_(elastic_expiry),
      window_(static_cast<double>(rate.window_seconds())) {}

Decision FixedWindow::hit(KeyId key, double now, std::int64_t cost, std::string* why) {
  State& state = current(key, now);
  const std::int64_t before = state.counter;
  const bool opens_window = !state.open;
  const bool allowed = charge(state, now, cost);
  if (why) {
    *why = "counter " + std::to_string(before) + " + cost " + std::to_string(cost) + " = " +
           std::to_string(state.counter) + (allowed ? " ≤ " : " > ") + "limit " +
           std::to_string(rate().amount);
    if (opens_window) {
      *why += "; this hit opened a new " + format_seconds(window_) + " window";
    } else if (elastic_) {
      *why += "; every hit, even a rejected one, restarts the window: it now ends in " +
              format_seconds(window_);
    } else {
      *why += "; the window ends in " + format_seconds(state.expiry - now);
    }
    if (!allowed) *why += " (the rejected hit still counts)";
  }
  return {allowed, 0};
}

bool FixedWindow::test(KeyId key, double now, std::string* why) {
  const State& state = current(key, now);
  const bool allowed = state.counter < rate().amount;
  if (why) {
    *why = "counter " + std::to_string(state.counter) + (allowed ? " < " : " ≥ ") + "limit " +
           std::to_string(rate().amount) + " (tested, not counted)";
  }
  return allowed;
}

WindowStats FixedWindow::window_stats(KeyId key, double now) {
  const State& state = current(key, now);
  const std::int64_t remaining = std::max<std::int64_t>(0, rate().amount - state.counter);
  const double reset = state.open ? state.expiry : now;
  return {std::trunc(reset), remaining, reset};
}

Snapshot FixedWindow::snapshot(KeyId key, double now) {
  const State& state = current(key, now);
  Snapshot s = blank_snapshot();
  s.window_open = state.open;
  if (state.open) {
    s.window_end = state.expiry;
    s.window_start = state.expiry - window_;
  }
  s.counter = state.counter;
  return s;
}

}  // namespace ratelimit
