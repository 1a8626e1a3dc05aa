// The two workloads every benchmark in bench/ runs, so their figures compare like with like:
// the rule "10/second"; one client sending every 10 ms (10 times over its limit), or 10,000
// clients picked by a fixed pseudo-random sequence, 100,000 requests a second in all (about
// their limit each). bench/workload.mjs and bench/limits_bench.py generate the same sequences.
#pragma once

#include <cstdint>
#include <vector>

namespace ratelimit::bench {

inline constexpr const char* kRule = "10/second";
inline constexpr double kEpoch = 1700000000;

struct Workload {
  const char* name;
  std::vector<std::uint32_t> clients;
  std::vector<double> times;  // seconds after kEpoch, non-decreasing
};

// Client i's id: a 32-bit linear congruential sequence (Numerical Recipes), modulo `clients`.
inline Workload make_workload(const char* name, std::uint32_t clients, double interval, std::size_t count) {
  Workload w{name, {}, {}};
  w.clients.resize(count);
  w.times.resize(count);
  std::uint32_t state = 12345;
  for (std::size_t i = 0; i < count; ++i) {
    state = state * 1664525u + 1013904223u;
    w.clients[i] = clients == 1 ? 0 : state % clients;
    w.times[i] = static_cast<double>(i) * interval;
  }
  return w;
}

inline Workload one_key(std::size_t count) { return make_workload("1 key", 1, 0.01, count); }
inline Workload many_keys(std::size_t count) { return make_workload("10k keys", 10000, 0.00001, count); }

}  // namespace ratelimit::bench
