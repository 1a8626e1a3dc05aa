#include "core/bucket.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/format.hpp"
#include "core/micros.hpp"

namespace ratelimit {

namespace {
constexpr double kNever = std::numeric_limits<double>::infinity();
}

Bucket::Bucket(Algorithm algorithm, const RateLimit& rate, const AlgorithmOptions& options)
    : Limiter(algorithm, rate),
      unit_(static_cast<double>(rate.window_seconds()) * 1e6),
      drain_(static_cast<double>(rate.amount)),
      capacity_(rate.amount == 0 ? 0 : static_cast<double>(options.capacity.value_or(rate.amount)) * unit_),
      immediate_(algorithm == Algorithm::LeakyQueue && !options.nodelay
                     ? static_cast<double>(options.delay + 1) * unit_
                     : kNever) {}

Decision Bucket::hit(KeyId key, double now, std::int64_t cost, std::string* why) {
  const double now_us = to_micros(now);
  State& state = states_[key];
  const double level = level_at(state, now_us);
  const Decision decision = take(state, now_us, level, cost);
  if (why) *why = explain(level, cost, decision.allowed, decision.delay);
  return decision;
}

bool Bucket::test(KeyId key, double now, std::string* why) {
  const double now_us = to_micros(now);
  const State& state = states_[key];
  const double level = level_at(state, now_us);
  const bool allowed = level + unit_ <= capacity_;
  if (why) *why = explain(level, 1, allowed, 0) + " (tested, not taken)";
  return allowed;
}

WindowStats Bucket::window_stats(KeyId key, double now) {
  const double now_us = to_micros(now);
  const double level = level_at(states_[key], now_us);
  const auto remaining =
      std::max<std::int64_t>(0, static_cast<std::int64_t>(std::floor((capacity_ - level) / unit_)));
  const double reset = level > 0 ? from_micros(now_us + level / drain_) : now;
  return {reset, remaining, reset};
}

Snapshot Bucket::snapshot(KeyId key, double now) {
  const double now_us = to_micros(now);
  const double level = level_at(states_[key], now_us);
  Snapshot s = blank_snapshot();
  s.level = level / unit_;
  s.capacity = capacity_ / unit_;
  s.rate = drain_ / unit_ * 1e6;
  s.tokens = s.capacity - s.level;
  if (immediate_ != kNever) {
    s.queued = std::max(0.0, std::ceil((level - immediate_) / unit_));
    s.places = std::max(0.0, (capacity_ - immediate_) / unit_);
  }
  if (drain_ > 0) {
    s.tat = from_micros(now_us + level / drain_);
    s.emission_interval = unit_ / drain_ / 1e6;
    s.tolerance = capacity_ / drain_ / 1e6;
  }
  return s;
}

std::string Bucket::explain(double level, std::int64_t cost, bool allowed, double delay) const {
  if (drain_ == 0) return "the limit's amount is 0: only a request of cost 0 passes";
  const double requests = level / unit_;
  const double capacity = capacity_ / unit_;
  const double after = requests + static_cast<double>(cost);
  const double wait = from_micros((level + static_cast<double>(cost) * unit_ - capacity_) / drain_);
  const std::string n = std::to_string(cost);
  const std::string pace =
      drain_ > 0 ? "one every " + format_seconds(unit_ / drain_ / 1e6) : "never";
  if (static_cast<double>(cost) > capacity) {
    return "cost " + n + " is more than the bucket ever holds (" + format_number(capacity) +
           ") → always rejected";
  }
  switch (algorithm()) {
    case Algorithm::TokenBucket: {
      const double tokens = capacity - requests;
      return format_number(tokens) + (tokens == 1 ? " token " : " tokens ") + (allowed ? "≥" : "<") +
             " cost " + n +
             (allowed ? " → take " + n + ", " + format_number(tokens - static_cast<double>(cost)) + " left"
                      : " → rejected; enough tokens in " + format_seconds(wait)) +
             " (refills " + pace + ", up to " + format_number(capacity) + ")";
    }
    case Algorithm::LeakyBucket:
      return "the bucket holds " + format_number(requests) + " of " + format_number(capacity) +
             "; + " + n + " = " + format_number(after) + (allowed ? " ≤ " : " > ") +
             format_number(capacity) +
             (allowed ? " → passes" : " → it would overflow: rejected; room in " + format_seconds(wait)) +
             " (leaks " + pace + ")";
    case Algorithm::LeakyQueue:
      return "excess " + format_number(after - 1) + (allowed ? " ≤ " : " > ") + "burst " +
             format_number(capacity - 1) +
             (!allowed ? " → rejected (the queue is full)"
                       : delay > 0 ? " → queued, served in " + format_seconds(delay) + " (" + pace + ")"
                                   : " → served at once");
    case Algorithm::Gcra: {
      const double ahead = level / drain_ / 1e6;
      const double pushed = (level + static_cast<double>(cost) * unit_) / drain_ / 1e6;
      const double tolerance = capacity_ / drain_ / 1e6;
      return "TAT is " + format_seconds(ahead) + " ahead of now; this request would put it " +
             format_seconds(pushed) + " ahead" + (allowed ? " ≤ " : " > ") + "tolerance " +
             format_seconds(tolerance) +
             (allowed ? " → allowed" : " → rejected; allowed again in " + format_seconds(wait));
    }
    default:
      return {};
  }
}

}  // namespace ratelimit
