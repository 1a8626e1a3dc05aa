#include "core/rule_engine.hpp"

#include <algorithm>

namespace ratelimit {

RuleEngine::RuleEngine(Algorithm algorithm, std::vector<RateLimit> limits, const AlgorithmOptions& options,
                       double epoch)
    : algorithm_(algorithm), limits_(std::move(limits)), epoch_(epoch), sweep_(epoch) {
  std::stable_sort(limits_.begin(), limits_.end(), unit_shorter);
  for (const RateLimit& limit : limits_) limiters_.push_back(make_limiter(algorithm, limit, options, sweep_));
}

Decision RuleEngine::hit(KeyId client, double now, std::int64_t cost) {
  Decision decision{true, 0};
  for (const auto& limiter : limiters_) {
    const Decision d = limiter->hit(client, now, cost, nullptr);
    if (!d.allowed) return {false, 0};
    decision.delay = std::max(decision.delay, d.delay);
  }
  return decision;
}

std::size_t RuleEngine::hit_many(const KeyId* clients, const double* times, std::size_t count,
                                 std::uint8_t* allowed) {
  std::size_t admitted = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const bool ok = hit(clients[i], epoch_ + times[i]).allowed;
    allowed[i] = ok ? 1 : 0;
    admitted += ok ? 1 : 0;
  }
  return admitted;
}

}  // namespace ratelimit
