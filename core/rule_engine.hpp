// A rule ("5/second;60/minute") enforced for many clients the way Flask-Limiter enforces a
// route's own limits (checked in unit order, each charged as it passes, stopping at the first
// breach), without the Flask app around it: clients are small integers, so a decision is a few
// array lookups, and the calls into the algorithms are resolved at compile time and inlined
// (each limiter's decide()). This is the batch engine behind log replay and the benchmarks; the
// simulated Flask app (flask_app.hpp) is what answers with headers and explanations.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/algorithm.hpp"
#include "core/expiry_sweep.hpp"

namespace ratelimit {

class RuleEngine {
 public:
  // `limits` in any order; they are checked shortest unit first, as Flask-Limiter sorts them.
  RuleEngine(Algorithm algorithm, std::vector<RateLimit> limits, const AlgorithmOptions& options,
             double epoch);

  // The decision for one request of `cost` from `client` at `now` (epoch seconds).
  Decision hit(KeyId client, double now, std::int64_t cost = 1);
  // Decides `count` requests: client ids and times (seconds after the epoch, non-decreasing)
  // in two arrays; writes 1 (admitted) or 0 into `allowed` and returns how many were admitted.
  std::size_t hit_many(const KeyId* clients, const double* times, std::size_t count, std::uint8_t* allowed);

  Algorithm algorithm() const { return algorithm_; }
  double epoch() const { return epoch_; }
  const std::vector<RateLimit>& limits() const { return limits_; }

 private:
  // The decision loop for limiters of the concrete type L: calls devirtualised, and each
  // limiter's decide() is always inlined; left to itself, clang keeps it out of line for
  // WebAssembly, where the Decision then returns through memory: twice the cost.
  template <typename L>
  Decision hit_as(KeyId client, double now, std::int64_t cost);
  template <typename L>
  std::size_t hit_many_as(const KeyId* clients, const double* times, std::size_t count, std::uint8_t* allowed);

  Algorithm algorithm_;
  std::vector<RateLimit> limits_;
  double epoch_;
  ExpirySweep sweep_;
  std::vector<std::unique_ptr<Limiter>> limiters_;
};

}  // namespace ratelimit
