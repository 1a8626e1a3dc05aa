// Shared by the algorithm tests: a limiter for one rule string on a simulated clock at epoch E.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "core/algorithm.hpp"
#include "core/expiry_sweep.hpp"
#include "core/rate.hpp"

namespace ratelimit::test {

inline constexpr double E = 1700000000;

inline RateLimit rate(const std::string& text) {
  const ParseResult parsed = parse_rates(text);
  REQUIRE(std::holds_alternative<std::vector<RateLimit>>(parsed));
  return std::get<std::vector<RateLimit>>(parsed).front();
}

// One limiter, one storage: the sweep starts at E like a MemoryStorage created at E.
struct LimiterUnderTest {
  ExpirySweep sweep{E};
  std::unique_ptr<Limiter> limiter;

  LimiterUnderTest(Algorithm algorithm, const std::string& rule, AlgorithmOptions options = {})
      : limiter(make_limiter(algorithm, rate(rule), options, sweep)) {}

  bool hit(double t, std::int64_t cost = 1, KeyId key = 0) {
    return limiter->hit(key, E + t, cost, nullptr).allowed;
  }
  Decision decide(double t, std::int64_t cost = 1, KeyId key = 0) {
    return limiter->hit(key, E + t, cost, nullptr);
  }
  bool test(double t, KeyId key = 0) { return limiter->test(key, E + t, nullptr); }
  WindowStats stats(double t, KeyId key = 0) { return limiter->window_stats(key, E + t); }
  Snapshot snapshot(double t, KeyId key = 0) { return limiter->snapshot(key, E + t); }
  std::string why_hit(double t, std::int64_t cost = 1, KeyId key = 0) {
    std::string why;
    limiter->hit(key, E + t, cost, &why);
    return why;
  }
  // Hits at each time in `times` and returns the decisions.
  std::vector<bool> hits(const std::vector<double>& times, std::int64_t cost = 1) {
    std::vector<bool> out;
    for (double t : times) out.push_back(hit(t, cost));
    return out;
  }
};

}  // namespace ratelimit::test
