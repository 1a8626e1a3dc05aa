#include "core/scenario.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <unordered_map>
#include <variant>

#include "core/expiry_sweep.hpp"
#include "core/format.hpp"

namespace ratelimit {

namespace {

using Problem = std::optional<std::string>;

std::string at(const std::string& field, std::size_t index) {
  return field + "[" + std::to_string(index) + "]";
}

// The text in quotes, cut after 40 bytes at a character boundary (never inside UTF-8).
std::string quoted(const std::string& text) {
  if (text.size() <= 40) return "\"" + text + "\"";
  std::size_t cut = 40;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return "\"" + text.substr(0, cut) + "…\"";
}

Problem check_cost(const std::string& field, std::int64_t cost) {
  if (cost < 0 || cost > kMaxRateNumber) {
    return field + ": " + std::to_string(cost) + " is not a cost; use a whole number from 0 to " +
           std::to_string(kMaxRateNumber);
  }
  return std::nullopt;
}

// Letters, digits and - _ . ~ after a leading slash, and no empty segment ("//", which Werkzeug
// would merge): the paths Werkzeug matches literally, without converters or decoding.
Problem check_path(const std::string& field, const std::string& path) {
  const bool charset_ok = std::all_of(path.begin(), path.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '-' || c == '_' ||
           c == '.' || c == '~';
  });
  if (path.empty() || path[0] != '/' || !charset_ok || path.find("//") != std::string::npos) {
    return field + ": " + quoted(path) +
           " is not a supported path: start with / and use letters, digits, - _ . ~ and single /";
  }
  return std::nullopt;
}

Problem check_method(const std::string& field, const std::string& method) {
  const bool letters = !method.empty() && std::all_of(method.begin(), method.end(), [](char c) {
    return std::isalpha(static_cast<unsigned char>(c));
  });
  if (!letters) return field + ": " + quoted(method) + " is not an HTTP method name";
  return std::nullopt;
}


bool is_header_name(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

bool is_printable_ascii(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

// t must be finite, not negative, never decreasing, and keep epoch + t below kMaxClock.
Problem check_time(const std::string& field, double t, double previous, double epoch) {
  if (!std::isfinite(t) || t < 0) return field + ": must be a number of seconds, 0 or more";
  if (t < previous) {
    return field + ": " + format_number(t, 6) + " is before the previous " + format_number(previous, 6) +
           "; times never decrease";
  }
  if (epoch + t >= kMaxClock) return field + ": epoch + t must stay below 10000000000 (the year 2286)";
  return std::nullopt;
}

Problem check_epoch(double epoch) {
  if (!std::isfinite(epoch) || epoch < 0 || epoch >= kMaxClock) {
    return std::string("epoch: must be a number of seconds from 0 to 10000000000");
  }
  return std::nullopt;
}

Problem check_options(const AlgorithmOptions& options) {
  if (options.capacity && (*options.capacity < 1 || *options.capacity > kMaxRateNumber)) {
    return "strategy_options.capacity: must be a whole number from 1 to " + std::to_string(kMaxRateNumber);
  }
  if (options.delay < 0 || options.delay > kMaxRateNumber) {
    return "strategy_options.delay: must be a whole number from 0 to " + std::to_string(kMaxRateNumber);
  }
  return std::nullopt;
}

Problem check_route_limit(const std::string& field, const RouteLimit& limit) {
  if (auto problem = check_cost(field + ".cost", limit.cost)) return problem;
  for (std::size_t i = 0; i < limit.methods.size(); ++i) {
    if (auto problem = check_method(at(field + ".methods", i), limit.methods[i])) return problem;
  }
  if (limit.key_func.kind == KeyFunc::Kind::Header && !is_header_name(limit.key_func.argument)) {
    return field + ".key_func: " + quoted(limit.key_func.argument) + " is not a header name";
  }
  if (limit.deduct_when_status) {
    for (int status : *limit.deduct_when_status) {
      if (status < 100 || status > 599) {
        return field + ".deduct_when_status: " + std::to_string(status) + " is not an HTTP status";
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> validate(const FlaskScenario& scenario) {
  if (auto problem = check_epoch(scenario.epoch)) return problem;
  const AppConfig& app = scenario.app;
  if (auto problem = check_options(app.strategy_options)) return problem;
  if (auto problem = check_cost("default_limits_cost", app.default_limits_cost)) return problem;
  if (auto problem = check_cost("application_limits_cost", app.application_limits_cost)) return problem;
  std::unordered_map<std::string, std::size_t> paths;
  for (std::size_t r = 0; r < app.routes.size(); ++r) {
    const Route& route = app.routes[r];
    const std::string field = at("routes", r);
    if (auto problem = check_path(field + ".path", route.path)) return problem;
    const auto [first, added] = paths.try_emplace(route.path, r);
    if (!added) {
      return field + ".path: " + quoted(route.path) + " is already routes[" + std::to_string(first->second) + "]";
    }
    if (route.methods.empty()) return field + ".methods: a route needs at least one method";
    for (std::size_t m = 0; m < route.methods.size(); ++m) {
      if (auto problem = check_method(at(field + ".methods", m), route.methods[m])) return problem;
    }
    for (std::size_t l = 0; l < route.limits.size(); ++l) {
      if (auto problem = check_route_limit(at(field + ".limits", l), route.limits[l])) return problem;
    }
  }
  double previous = 0;
  for (std::size_t i = 0; i < scenario.requests.size(); ++i) {
    const Request& request = scenario.requests[i];
    const std::string field = at("requests", i);
    if (auto problem = check_time(field + ".t", request.t, previous, scenario.epoch)) return problem;
    previous = request.t;
    if (auto problem = check_path(field + ".path", request.path)) return problem;
    if (auto problem = check_method(field + ".method", request.method)) return problem;
    if (request.status < 200 || request.status > 599) {
      return field + ".status: " + std::to_string(request.status) +
             " is not a status a view can return (200 to 599)";
    }
    for (const auto& [name, value] : request.headers) {
      if (!is_header_name(name)) return field + ".headers: " + quoted(name) + " is not a header name";
      if (!is_printable_ascii(value)) {
        return field + ".headers." + name + ": header values must be printable ASCII";
      }
    }
  }
  return std::nullopt;
}

std::optional<std::string> validate(const LimitsScenario& scenario) {
  if (auto problem = check_epoch(scenario.epoch)) return problem;
  if (auto problem = check_options(scenario.strategy_options)) return problem;
  const ParseResult parsed = parse_rates(scenario.limit);
  if (const auto* error = std::get_if<ParseError>(&parsed)) {
    return "limit: " + error->message + (error->hint.empty() ? "" : " (" + error->hint + ")");
  }
  const auto& limits = std::get<std::vector<RateLimit>>(parsed);
  if (limits.size() != 1) {
    return "limit: limits mode takes exactly one limit; " + quoted(scenario.limit) + " holds " +
           std::to_string(limits.size());
  }
  double previous = 0;
  for (std::size_t i = 0; i < scenario.hits.size(); ++i) {
    const LimitsOp& op = scenario.hits[i];
    const std::string field = at("hits", i);
    if (auto problem = check_time(field + ".t", op.t, previous, scenario.epoch)) return problem;
    previous = op.t;
    if (auto problem = check_cost(field + ".cost", op.cost)) return problem;
  }
  return std::nullopt;
}

std::vector<Response> run(const FlaskScenario& scenario, bool trace) {
  FlaskApp app(scenario.app, scenario.epoch);
  app.set_tracing(trace);
  std::vector<Response> responses;
  responses.reserve(scenario.requests.size());
  for (const Request& request : scenario.requests) responses.push_back(app.handle(request));
  return responses;
}

std::vector<LimitsResult> run(const LimitsScenario& scenario) {
  const RateLimit rate = std::get<std::vector<RateLimit>>(parse_rates(scenario.limit)).front();
  ExpirySweep sweep(scenario.epoch);
  const auto limiter = make_limiter(scenario.strategy, rate, scenario.strategy_options, sweep);
  std::unordered_map<std::string, KeyId> keys;
  std::vector<LimitsResult> results;
  results.reserve(scenario.hits.size());
  for (const LimitsOp& op : scenario.hits) {
    const double now = scenario.epoch + op.t;
    const KeyId key = keys.try_emplace(op.key, static_cast<KeyId>(keys.size())).first->second;
    LimitsResult result;
    switch (op.op) {
      case LimitsOp::Kind::Hit: result.allowed = limiter->hit(key, now, op.cost, nullptr).allowed; break;
      case LimitsOp::Kind::Test: result.allowed = limiter->test(key, now, nullptr); break;
      case LimitsOp::Kind::Clear: limiter->clear(key); break;
    }
    const WindowStats stats = limiter->window_stats(key, now);
    result.reset = stats.reset;
    result.remaining = stats.remaining;
    results.push_back(result);
  }
  return results;
}

}  // namespace ratelimit
