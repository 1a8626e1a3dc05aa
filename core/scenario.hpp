// Scenarios: what `ratelimit-sim` runs (see docs/scenario-format.md in the shared docs and the
// README). A Flask-mode scenario is an app configuration and a list of requests; a limits-mode
// scenario calls one limit directly, as the `limits` library would. Readers (JSON in the CLI,
// the page's export) build these structs; validate() then checks everything the types cannot,
// naming the offending field, before run() may be called.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/algorithm.hpp"
#include "core/flask_app.hpp"

namespace ratelimit {

inline constexpr double kDefaultEpoch = 1700000000;
// Simulated clocks stay below this many seconds after 1970 (the year 2286), so that
// microsecond arithmetic and HTTP dates stay exact.
inline constexpr double kMaxClock = 1e10;

struct FlaskScenario {
  double epoch = kDefaultEpoch;
  AppConfig app;
  std::vector<Request> requests;
};

struct LimitsOp {
  enum class Kind { Hit, Test, Clear };
  double t = 0;
  std::string key = "127.0.0.1";
  std::int64_t cost = 1;
  Kind op = Kind::Hit;
};

struct LimitsScenario {
  Algorithm strategy = Algorithm::FixedWindow;
  AlgorithmOptions strategy_options;
  std::string limit;
  double epoch = kDefaultEpoch;
  std::vector<LimitsOp> hits;
};

// The window stats read after one limits-mode op; `allowed` is empty for `clear`.
struct LimitsResult {
  std::optional<bool> allowed;
  double reset = 0;
  std::int64_t remaining = 0;
};

// A message naming the field and the problem (e.g. `requests[3].t: 1.5 is before the previous
// request's 2; times never decrease`), or nothing when the scenario can run.
std::optional<std::string> validate(const FlaskScenario& scenario);
std::optional<std::string> validate(const LimitsScenario& scenario);

// Preconditions: validate() passed. `trace` fills each response's trace (formatting every
// algorithm's explanation costs time when nobody reads it).
std::vector<Response> run(const FlaskScenario& scenario, bool trace = true);
std::vector<LimitsResult> run(const LimitsScenario& scenario);

}  // namespace ratelimit
