// The batch engine (core/rule_engine.hpp) as numbers-only C exports, for calls too frequent for
// Embind: in the no-eval build a strict CSP needs, one Embind call costs about 120 ns, several
// whole decisions. Requests cross in bulk: client ids (uint32) and times (float64 seconds after
// the engine's epoch) in arrays in wasm memory, one byte per decision written back.
// Client keys are interned to ids on the JavaScript side (web/playground/batch.js), once each.
// Errors are values: 0 for "no engine". The JS wrapper is the documented API.
#include <emscripten/emscripten.h>
#include <malloc.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <variant>

#include "core/algorithm.hpp"
#include "core/rate.hpp"
#include "core/rule_engine.hpp"

using ratelimit::RuleEngine;

extern "C" {

// Memory for the arrays and the rule's text; `bytes` of 0 still returns a distinct pointer.
EMSCRIPTEN_KEEPALIVE void* rl_alloc(std::uint32_t bytes) { return std::malloc(bytes ? bytes : 1); }
EMSCRIPTEN_KEEPALIVE void rl_free(void* pointer) { std::free(pointer); }

// An engine for the rule (UTF-8, `rule_bytes` long) under algorithm number `algorithm`
// (its position in the algorithms() list); capacity -1 means the rule's amount. Returns 0 when
// the rule does not parse or the algorithm or options are out of range (parseRule says why).
EMSCRIPTEN_KEEPALIVE RuleEngine* rl_engine_create(const char* rule, std::uint32_t rule_bytes, std::uint32_t algorithm,
                                                  double epoch, double capacity, double delay, int nodelay) {
  if (algorithm >= ratelimit::kAllAlgorithms.size()) return nullptr;
  auto parsed = ratelimit::parse_rates(std::string_view(rule, rule_bytes));
  auto* limits = std::get_if<std::vector<ratelimit::RateLimit>>(&parsed);
  // As in a scenario's strategy_options: whole numbers, a capacity from 1, a delay from 0.
  const auto whole_from = [](double x, double least) {
    return x >= least && x <= ratelimit::kMaxRateNumber && x == std::floor(x);
  };
  if (!limits || !whole_from(delay, 0) || !(capacity == -1 || whole_from(capacity, 1))) return nullptr;
  ratelimit::AlgorithmOptions options;
  if (capacity != -1) options.capacity = static_cast<std::int64_t>(capacity);
  options.delay = static_cast<std::int64_t>(delay);
  options.nodelay = nodelay != 0;
  return new RuleEngine(ratelimit::kAllAlgorithms[algorithm], std::move(*limits), options, epoch);
}

EMSCRIPTEN_KEEPALIVE void rl_engine_delete(RuleEngine* engine) { delete engine; }

// One decision at `time` seconds after the engine's epoch: 1 admitted, 0 rejected, -1 when
// `cost` is not a whole number from 0 to 2^53 - 1.
EMSCRIPTEN_KEEPALIVE int rl_engine_hit(RuleEngine* engine, std::uint32_t client, double time, double cost) {
  if (!(cost >= 0 && cost <= ratelimit::kMaxRateNumber) || cost != static_cast<double>(static_cast<std::int64_t>(cost))) {
    return -1;
  }
  return engine->hit(client, engine->epoch() + time, static_cast<std::int64_t>(cost)).allowed ? 1 : 0;
}

// `count` decisions of cost 1; writes 1 or 0 per request into `allowed`, returns how many passed.
EMSCRIPTEN_KEEPALIVE std::uint32_t rl_engine_hit_many(RuleEngine* engine, const std::uint32_t* clients,
                                                      const double* times, std::uint32_t count,
                                                      std::uint8_t* allowed) {
  return static_cast<std::uint32_t>(engine->hit_many(clients, times, count, allowed));
}

// Bytes of wasm memory in use by malloc: what engines' per-client state costs (bench/).
EMSCRIPTEN_KEEPALIVE std::uint32_t rl_heap_in_use() { return static_cast<std::uint32_t>(mallinfo().uordblks); }

}  // extern "C"
