// ns per decision of the native core's batch engine (RuleEngine::hit_many), every algorithm,
// on the shared workloads (workload.hpp). Prints one tab-separated line per figure:
//   native <algorithm> <workload> <ns per decision> <admitted>
// scripts/bench.sh gathers these into its table.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <variant>

#include "bench/workload.hpp"
#include "core/rule_engine.hpp"

namespace ratelimit::bench {
namespace {

// BENCH_QUICK (scripts/test.sh's smoke run): a few thousand requests, one round, only to show that
// every benchmark still runs; its figures mean nothing.
const bool kQuick = std::getenv("BENCH_QUICK") != nullptr;
const std::size_t kRequests = kQuick ? 20000 : 2000000;
const int kRounds = kQuick ? 1 : 5;  // the best round is reported: the least disturbed by the machine

void run(Algorithm algorithm, const std::vector<RateLimit>& limits, const Workload& w) {
  std::vector<std::uint8_t> allowed(w.times.size());
  double best = 1e300;
  std::size_t admitted = 0;
  for (int round = 0; round < kRounds; ++round) {
    RuleEngine engine(algorithm, limits, {}, kEpoch);
    const auto start = std::chrono::steady_clock::now();
    admitted = engine.hit_many(w.clients.data(), w.times.data(), w.times.size(), allowed.data());
    const std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
    best = std::min(best, took.count() / static_cast<double>(w.times.size()));
  }
  std::printf("native\t%s\t%s\t%.2f\t%zu\n", std::string(algorithm_name(algorithm)).c_str(), w.name, best,
              admitted);
}

}  // namespace
}  // namespace ratelimit::bench

int main() {
  using namespace ratelimit;
  const auto limits = std::get<std::vector<RateLimit>>(parse_rates(bench::kRule));
  const bench::Workload workloads[] = {bench::one_key(bench::kRequests), bench::many_keys(bench::kRequests)};
  for (const bench::Workload& w : workloads) {
    for (Algorithm algorithm : kAllAlgorithms) bench::run(algorithm, limits, w);
  }
}
