// The JSON side of ratelimit-sim (docs: scenario-format.md): scenario objects in, the core's
// scenario structs out, and the core's results back to JSON. Reading checks what JSON itself
// can get wrong (unknown or missing fields, wrong types, unknown names, numbers that do not
// fit) and names the field; the core's validate() checks the rest.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "cli/json_text.hpp"
#include "core/flask_app.hpp"
#include "core/scenario.hpp"

namespace ratelimit::cli {

// Sizes that keep one scenario's run within seconds and its memory small; the core has no
// bounds of its own. Rate strings may be as long as the parser takes (kMaxRuleLength).
inline constexpr std::size_t kMaxEvents = 100000;  // requests, or hits, per scenario
inline constexpr std::size_t kMaxRoutes = 1000;
inline constexpr std::size_t kMaxListItems = 100;          // any other list: limits, methods, headers...
inline constexpr std::size_t kMaxTextBytes = 10000;        // any string that is not a rate string
inline constexpr std::uint64_t kMaxScenarioLimits = 1000;  // in all of a scenario's rate strings
// What one run of ratelimit-sim may do in all, counted in limit checks: a request meets each
// limit that may apply to it once, and counts as one check when none does. Counted before a
// scenario runs (an upper bound), so that no input, however built, runs for long. A trace
// costs far more output per check.
inline constexpr std::uint64_t kMaxLimitChecks = 1000000;
inline constexpr std::uint64_t kMaxTracedLimitChecks = 100000;

// A Flask-mode scenario, with what its result echoes exactly as written.
struct FlaskInput {
  FlaskScenario scenario;
  Json epoch;               // the number given, or the default 1700000000
  std::vector<Json> times;  // each request's `t` as given (0 when left out)
};

struct LimitsInput {
  LimitsScenario scenario;
  Json epoch;
};

// Why a scenario cannot be read, e.g. `routes[0].limits[1].cost: expected a whole number, got "2"`.
struct ScenarioError {
  std::string message;
};

using ReadScenario = std::variant<FlaskInput, LimitsInput, ScenarioError>;

// Reads one scenario object. A route's `override_defaults` is the default of its limit entries
// that do not set their own (the format's example puts it there).
ReadScenario read_scenario(const Json& json);

// {"epoch", "results": [{"t", "status", "headers", "body", "limit"?, "delay"?, "trace"?}],
//  "totals": {"requests", "by_status"}}; `trace` adds each response's trace.
Json flask_result(const FlaskInput& input, const std::vector<Response>& responses, bool trace);
// {"epoch", "results": [{"allowed", "reset", "remaining"}]}, reset floored to whole seconds.
Json limits_result(const LimitsInput& input, const std::vector<LimitsResult>& results);
Json error_result(const std::string& message);  // {"error": message}
bool is_error_result(const Json& result);

// Reads, validates and runs one scenario, taking its limit checks from `checks_left`: its
// result, or {"error": ...} when it was rejected (then nothing is taken).
Json simulate(const Json& scenario, bool trace, std::uint64_t& checks_left);

// `--parse`: one rate string's limits, {"limits": [{"amount", "multiples", "granularity",
// "text", "window_seconds"}]}, or {"error", "offset", "length", "hint"?}; anything but a string
// answers {"error": "expected a string"}.
Json parse_answer(const Json& text);

}  // namespace ratelimit::cli
