#include "core/sliding_window_counter.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/format.hpp"
#include "core/micros.hpp"

namespace ratelimit {

SlidingWindowCounter::SlidingWindowCounter(const RateLimit& rate)
    : Limiter(Algorithm::SlidingWindowCounter, rate),
      window_us_(static_cast<double>(rate.window_seconds()) * 1e6) {}

namespace {

std::string describe_estimate(std::int64_t previous, double weight, std::int64_t current,
                              double estimate) {
  return "estimate " + std::to_string(previous) + " × " + format_number(weight) + " + " +
         std::to_string(current) + " = " + format_number(estimate);
}

}  // namespace

Decision SlidingWindowCounter::hit(KeyId key, double now, std::int64_t cost, std::string* why) {
  const View v = view(key, to_micros(now));
  const std::int64_t amount = rate().amount;
  const double counted = std::floor(v.estimate);
  const bool allowed = fits(v, cost);
  if (why) {
    *why = describe_estimate(v.state->previous, v.weight, v.state->current, v.estimate) +
           " (previous bucket × the share of it still inside the window + this bucket); ";
    if (cost > amount) {
      *why += "cost " + std::to_string(cost) + " is above the limit → rejected";
    } else {
      *why += format_number(counted) + " + cost " + std::to_string(cost) +
              (allowed ? " ≤ " : " > ") + "limit " + std::to_string(amount) +
              (allowed ? " → counted" : " → rejected, not counted");
    }
  }
  if (allowed) v.state->current += cost;
  return {allowed, 0};
}

bool SlidingWindowCounter::test(KeyId key, double now, std::string* why) {
  const View v = view(key, to_micros(now));
  const bool allowed = v.estimate < static_cast<double>(rate().amount);
  if (why) {
    *why = describe_estimate(v.state->previous, v.weight, v.state->current, v.estimate) +
           (allowed ? " < " : " ≥ ") + "limit " + std::to_string(rate().amount) +
           " (tested, not counted)";
  }
  return allowed;
}

WindowStats SlidingWindowCounter::window_stats(KeyId key, double now) {
  const double now_us = to_micros(now);
  const View v = view(key, now_us);
  const std::int64_t previous = v.state->previous;
  const std::int64_t current = v.state->current;
  const auto remaining = std::max<std::int64_t>(
      0, rate().amount - static_cast<std::int64_t>(std::floor(v.estimate)));
  if (previous == 0 && current == 0) return {now, remaining, now};
  constexpr double kNever = std::numeric_limits<double>::infinity();
  const double previous_ttl = window_us_ - v.elapsed_us;
  const double current_ttl = previous_ttl + window_us_;
  const double previous_reset =
      previous ? std::fmod(previous_ttl, window_us_ / static_cast<double>(previous)) : kNever;
  const double current_reset = current ? std::fmod(current_ttl, window_us_) : kNever;
  const double reset = from_micros(now_us + std::min(previous_reset, current_reset));
  return {reset, remaining, reset};
}

Snapshot SlidingWindowCounter::snapshot(KeyId key, double now) {
  const View v = view(key, to_micros(now));
  Snapshot s = blank_snapshot();
  s.bucket_start = from_micros(v.bucket * window_us_);
  s.previous_count = v.state->previous;
  s.current_count = v.state->current;
  s.previous_weight = v.weight;
  s.estimate = v.estimate;
  return s;
}

}  // namespace ratelimit
