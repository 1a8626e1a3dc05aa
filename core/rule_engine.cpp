#include "core/rule_engine.hpp"

#include <algorithm>

#include "core/bucket.hpp"
#include "core/fixed_window.hpp"
#include "core/moving_window.hpp"
#include "core/sliding_window_counter.hpp"

namespace ratelimit {

RuleEngine::RuleEngine(Algorithm algorithm, std::vector<RateLimit> limits, const AlgorithmOptions& options,
                       double epoch)
    : algorithm_(algorithm), limits_(std::move(limits)), epoch_(epoch), sweep_(epoch) {
  std::stable_sort(limits_.begin(), limits_.end(), unit_shorter);
  for (const RateLimit& limit : limits_) limiters_.push_back(make_limiter(algorithm, limit, options, sweep_));
}

template <typename L>
Decision RuleEngine::hit_as(KeyId client, double now, std::int64_t cost) {
  Decision decision{true, 0};
  for (const auto& limiter : limiters_) {
    const Decision d = static_cast<L&>(*limiter).decide(client, now, cost);
    if (!d.allowed) return {false, 0};
    decision.delay = std::max(decision.delay, d.delay);
  }
  return decision;
}

// `allowed` is __restrict: the answers written there are not the limiters' state, so the
// compiler need not reload every field of a limiter after each one.
template <typename L>
std::size_t RuleEngine::hit_many_as(const KeyId* clients, const double* times, std::size_t count,
                                    std::uint8_t* __restrict allowed) {
  std::size_t admitted = 0;
  if (limiters_.size() == 1) {  // the common case: one limit, its limiter hoisted out of the loop
    L& limiter = static_cast<L&>(*limiters_.front());
    for (std::size_t i = 0; i < count; ++i) {
      const bool ok = limiter.decide(clients[i], epoch_ + times[i], 1).allowed;
      allowed[i] = ok;
      admitted += ok;
    }
    return admitted;
  }
  for (std::size_t i = 0; i < count; ++i) {
    const bool ok = hit_as<L>(clients[i], epoch_ + times[i], 1).allowed;
    allowed[i] = ok;
    admitted += ok;
  }
  return admitted;
}

Decision RuleEngine::hit(KeyId client, double now, std::int64_t cost) {
  switch (algorithm_) {
    case Algorithm::FixedWindow:
    case Algorithm::FixedWindowElasticExpiry:
      return hit_as<FixedWindow>(client, now, cost);
    case Algorithm::MovingWindow:
      return hit_as<MovingWindow>(client, now, cost);
    case Algorithm::SlidingWindowCounter:
      return hit_as<SlidingWindowCounter>(client, now, cost);
    case Algorithm::TokenBucket:
    case Algorithm::LeakyBucket:
    case Algorithm::LeakyQueue:
    case Algorithm::Gcra:
      break;
  }
  return hit_as<Bucket>(client, now, cost);
}

std::size_t RuleEngine::hit_many(const KeyId* clients, const double* times, std::size_t count,
                                 std::uint8_t* allowed) {
  switch (algorithm_) {
    case Algorithm::FixedWindow:
    case Algorithm::FixedWindowElasticExpiry:
      return hit_many_as<FixedWindow>(clients, times, count, allowed);
    case Algorithm::MovingWindow:
      return hit_many_as<MovingWindow>(clients, times, count, allowed);
    case Algorithm::SlidingWindowCounter:
      return hit_many_as<SlidingWindowCounter>(clients, times, count, allowed);
    case Algorithm::TokenBucket:
    case Algorithm::LeakyBucket:
    case Algorithm::LeakyQueue:
    case Algorithm::Gcra:
      break;
  }
  return hit_many_as<Bucket>(clients, times, count, allowed);
}

}  // namespace ratelimit
