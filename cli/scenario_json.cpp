#include "cli/scenario_json.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string_view>
#include <utility>

#include "core/rate.hpp"

namespace ratelimit::cli {

namespace {

using Names = std::vector<std::string_view>;

const Names kFlaskFields = {"mode",
                            "strategy",
                            "strategy_options",
                            "epoch",
                            "default_limits",
                            "application_limits",
                            "default_limits_per_method",
                            "default_limits_cost",
                            "application_limits_cost",
                            "fail_on_first_breach",
                            "retry_after",
                            "key_prefix",
                            "error_handler",
                            "routes",
                            "requests"};
const Names kLimitsFields = {"mode", "strategy", "strategy_options", "limit", "epoch", "hits"};
const Names kOptionFields = {"capacity", "delay", "nodelay"};
const Names kRouteFields = {"path", "methods", "exempt", "override_defaults", "limits"};
const Names kLimitFields = {"limit",         "cost",     "override_defaults",  "per_method",  "methods",
                            "error_message", "key_func", "deduct_when_status", "shared_scope"};
const Names kRequestFields = {"t", "key", "path", "method", "headers", "status"};
const Names kHitFields = {"t", "key", "cost", "op"};

constexpr std::size_t kMaxShownBytes = 40;  // of a value quoted back in a message
constexpr std::size_t kMaxNameBytes = 60;   // of a field name in a path

// Reading stops at the first problem by throwing this; read_scenario() returns it as a value.
struct Failure {
  std::string message;
};

[[noreturn]] void fail(const std::string& path, const std::string& problem) {
  throw Failure{path + ": " + problem};
}

std::string member(const std::string& path, std::string_view name) {
  std::string shown_name = shortened(name, kMaxNameBytes);
  return path.empty() ? shown_name : path + "." + shown_name;
}

std::string element(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

std::string in_quotes(std::string_view text) {
  return Json(shortened(text, kMaxShownBytes)).dump(-1, ' ', false, Json::error_handler_t::replace);
}

// A value as a message shows it: scalars as written (long strings cut), containers by kind.
std::string shown(const Json& value) {
  if (value.is_object()) return "an object";
  if (value.is_array()) return "an array";
  if (value.is_string()) return in_quotes(value.get_ref<const std::string&>());
  return value.dump();
}

std::string quoted_list(const Names& names) {
  std::string out;
  for (std::string_view name : names) out += (out.empty() ? "" : ", ") + in_quotes(name);
  return out;
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Edit distance counting a swap of neighbours as one edit (optimal string alignment).
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + substitution});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// The candidate `word` is most likely a misspelling of: a case or `-`/`_` slip, or a few edits
// (one per three letters, at most three; names shorter than three letters allow none).
std::optional<std::string_view> nearest(std::string_view word, const Names& candidates) {
  if (word.size() > 2 * kMaxNameBytes) return std::nullopt;
  const auto normal = [](std::string_view text) {
    std::string out = lowercase(text);
    std::replace(out.begin(), out.end(), '-', '_');
    return out;
  };
  const std::string wanted = normal(word);
  std::optional<std::string_view> best;
  std::size_t best_distance = 0;
  for (std::string_view candidate : candidates) {
    const std::size_t distance = edit_distance(wanted, normal(candidate));
    const std::size_t allowed =
        candidate.size() < 3 ? 0 : std::clamp<std::size_t>(candidate.size() / 3, 1, 3);
    if (distance <= allowed && (!best || distance < best_distance)) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::string did_you_mean(std::optional<std::string_view> suggestion) {
  return suggestion ? " (did you mean " + in_quotes(*suggestion) + "?)" : "";
}

// An object's members, checked on construction against the names it may hold.
class Fields {
 public:
  Fields(const Json& object, std::string path, const Names& known, std::string_view holder)
      : object_(object), path_(std::move(path)) {
    if (!object.is_object()) {
      fail(path_.empty() ? "scenario" : path_, "expected an object, got " + shown(object));
    }
    for (auto it = object.begin(); it != object.end(); ++it) {
      if (std::find(known.begin(), known.end(), it.key()) != known.end()) continue;
      const auto suggestion = nearest(it.key(), known);
      fail(member(path_, it.key()),
           "unknown field" + (suggestion ? did_you_mean(suggestion)
                                         : " (" + std::string(holder) + " has " + quoted_list(known) + ")"));
    }
  }

  const Json* find(std::string_view name) const {
    const auto it = object_.find(std::string(name));
    return it == object_.end() ? nullptr : &*it;
  }
  const Json& required(std::string_view name) const {
    const Json* value = find(name);
    if (!value) fail(path(name), "required field is missing");
    return *value;
  }
  std::string path(std::string_view name) const { return member(path_, name); }

  // Sets `target` to what `reader(value, path)` makes of the field, when it is present.
  template <typename T, typename Reader>
  void read(std::string_view name, T& target, Reader reader) const {
    if (const Json* value = find(name)) target = reader(*value, path(name));
  }

 private:
  const Json& object_;
  std::string path_;
};

// ---- values -----------------------------------------------------------------------------

bool read_bool(const Json& value, const std::string& path) {
  if (!value.is_boolean()) fail(path, "expected true or false, got " + shown(value));
  return value.get<bool>();
}

std::int64_t read_int64(const Json& value, const std::string& path) {
  constexpr auto kMost = std::numeric_limits<std::int64_t>::max();
  constexpr auto kLeast = std::numeric_limits<std::int64_t>::min();
  if (value.is_number_unsigned()) {
    if (value.get<std::uint64_t>() > static_cast<std::uint64_t>(kMost)) {
      fail(path, shown(value) + " is too large; the most is " + std::to_string(kMost));
    }
    return static_cast<std::int64_t>(value.get<std::uint64_t>());
  }
  if (value.is_number_integer()) return value.get<std::int64_t>();
  if (value.is_number_float()) {
    // Whole numbers beyond 64 bits arrive as doubles: say that they do not fit.
    const double number = value.get<double>();
    if (std::floor(number) == number && number >= 9.2e18) {
      fail(path, shown(value) + " is too large; the most is " + std::to_string(kMost));
    }
    if (std::floor(number) == number && number <= -9.2e18) {
      fail(path, shown(value) + " is too small; the least is " + std::to_string(kLeast));
    }
  }
  fail(path, "expected a whole number, got " + shown(value));
}

int read_int(const Json& value, const std::string& path) {
  constexpr auto kMost = std::numeric_limits<int>::max();
  constexpr auto kLeast = std::numeric_limits<int>::min();
  const std::int64_t number = read_int64(value, path);
  if (number > kMost) {
    fail(path, std::to_string(number) + " is too large; the most is " + std::to_string(kMost));
  }
  if (number < kLeast) {
    fail(path, std::to_string(number) + " is too small; the least is " + std::to_string(kLeast));
  }
  return static_cast<int>(number);
}

double read_number(const Json& value, const std::string& path) {
  if (!value.is_number()) fail(path, "expected a number, got " + shown(value));
  const double number = value.get<double>();
  if (!std::isfinite(number)) fail(path, "expected a finite number");
  return number;
}

void check_length(const std::string& text, const std::string& path, std::size_t most, const char* what) {
  if (text.size() > most) {
    fail(path, std::string(what) + " of " + std::to_string(text.size()) + " bytes is too long; the most is " +
                   std::to_string(most));
  }
}

// Any string that is not a rate string.
std::string read_text(const Json& value, const std::string& path) {
  if (!value.is_string()) fail(path, "expected a string, got " + shown(value));
  const auto& text = value.get_ref<const std::string&>();
  check_length(text, path, kMaxTextBytes, "a string");
  return text;
}

// Longer rate strings are errors in the core's parser anyway; refusing them here keeps the
// simulated app from rescanning megabytes on every request.
std::string read_rate(const Json& value, const std::string& path) {
  if (!value.is_string()) fail(path, "expected a rate string such as \"10/minute\", got " + shown(value));
  const auto& text = value.get_ref<const std::string&>();
  check_length(text, path, kMaxRuleLength, "a rate string");
  return text;
}

std::optional<std::string> read_optional_text(const Json& value, const std::string& path) {
  if (value.is_null()) return std::nullopt;
  if (!value.is_string()) fail(path, "expected a string or null, got " + shown(value));
  return read_text(value, path);
}

// `reader` for a field where null means "left out" (the default).
template <typename T, typename Reader>
auto or_null_means(T absent, Reader reader) {
  return [absent, reader](const Json& value, const std::string& path) -> T {
    return value.is_null() ? absent : T(reader(value, path));
  };
}

const Json& read_list(const Json& value, const std::string& path, std::size_t most, const char* items) {
  if (!value.is_array()) fail(path, "expected a list, got " + shown(value));
  if (value.size() > most) {
    fail(path,
         "holds " + std::to_string(value.size()) + " " + items + "; the most is " + std::to_string(most));
  }
  return value;
}

// The list's elements, each read by `reader`.
template <typename Reader>
auto read_each(const Json& value, const std::string& path, std::size_t most, const char* items,
               Reader reader) {
  std::vector<decltype(reader(value, path))> out;
  const Json& list = read_list(value, path, most, items);
  for (std::size_t i = 0; i < list.size(); ++i) out.push_back(reader(list[i], element(path, i)));
  return out;
}

std::vector<std::string> read_texts(const Json& value, const std::string& path) {
  return read_each(value, path, kMaxListItems, "items", read_text);
}

std::vector<std::string> read_rates(const Json& value, const std::string& path) {
  return read_each(value, path, kMaxListItems, "rate strings", read_rate);
}

std::vector<int> read_statuses(const Json& value, const std::string& path) {
  return read_each(value, path, kMaxListItems, "statuses", read_int);
}

// One of `names`; `null_too` when the field also takes null (which the caller handles).
std::string_view read_name(const Json& value, const std::string& path, const Names& names,
                           bool null_too = false) {
  const std::string choices = (null_too ? "null, " : "") + quoted_list(names);
  if (!value.is_string()) fail(path, "expected one of " + choices + ", got " + shown(value));
  const auto& text = value.get_ref<const std::string&>();
  const auto it = std::find(names.begin(), names.end(), text);
  if (it == names.end()) {
    fail(path, in_quotes(text) + " is not one of " + choices + did_you_mean(nearest(text, names)));
  }
  return *it;
}

Algorithm read_strategy(const Json& value, const std::string& path) {
  Names names;
  for (Algorithm algorithm : kAllAlgorithms) names.push_back(algorithm_name(algorithm));
  return *algorithm_from_name(read_name(value, path, names));
}

// A reader of null or the one `name`: whether it was the name.
auto null_or(std::string_view name) {
  return [name](const Json& value, const std::string& path) {
    if (value.is_null()) return false;
    read_name(value, path, {name}, true);
    return true;
  };
}

LimitsOp::Kind read_op(const Json& value, const std::string& path) {
  const std::string_view name = read_name(value, path, {"hit", "test", "clear"});
  if (name == "test") return LimitsOp::Kind::Test;
  if (name == "clear") return LimitsOp::Kind::Clear;
  return LimitsOp::Kind::Hit;
}

KeyFunc read_key_func(const Json& value, const std::string& path) {
  const Names kinds = {"remote", "const:TEXT", "header:NAME"};
  if (!value.is_string()) fail(path, "expected one of " + quoted_list(kinds) + ", got " + shown(value));
  const std::string text = read_text(value, path);
  if (text == "remote") return {};
  const std::size_t colon = text.find(':');
  const std::string kind = text.substr(0, colon);
  const std::string argument = colon == std::string::npos ? "" : text.substr(colon + 1);
  if (colon != std::string::npos && kind == "const") return {KeyFunc::Kind::Constant, argument};
  if (colon != std::string::npos && kind == "header") return {KeyFunc::Kind::Header, argument};
  std::string suggestion;
  if (colon == std::string::npos && nearest(text, {"remote"})) {
    suggestion = "remote";
  } else if (const auto prefix = nearest(kind, {"const", "header"}); prefix && colon != std::string::npos) {
    suggestion = std::string(*prefix) + ":" + argument;
  }
  fail(path, in_quotes(text) + " is not one of " + quoted_list(kinds) +
                 (suggestion.empty() ? "" : did_you_mean(std::string_view(suggestion))));
}

AlgorithmOptions read_options(const Json& value, const std::string& path) {
  const Fields fields(value, path, kOptionFields, "strategy_options");
  AlgorithmOptions options;
  fields.read("capacity", options.capacity, or_null_means(std::optional<std::int64_t>(), read_int64));
  fields.read("delay", options.delay, read_int64);
  fields.read("nodelay", options.nodelay, read_bool);
  return options;
}

// The epoch as written (for the result to echo), stored as a number in `epoch`.
Json read_epoch(const Fields& fields, double& epoch) {
  fields.read("epoch", epoch, read_number);
  const Json* value = fields.find("epoch");
  return value ? *value : Json(static_cast<std::int64_t>(kDefaultEpoch));
}

// ---- Flask mode ---------------------------------------------------------------------------

RouteLimit read_route_limit(const Json& value, const std::string& path, bool route_override_defaults) {
  RouteLimit limit;
  limit.override_defaults = route_override_defaults;
  if (value.is_string()) {
    limit.limit = read_rate(value, path);
    return limit;
  }
  if (!value.is_object()) fail(path, "expected a rate string or an object, got " + shown(value));
  const Fields fields(value, path, kLimitFields, "a limit");
  limit.limit = read_rate(fields.required("limit"), fields.path("limit"));
  fields.read("cost", limit.cost, read_int64);
  fields.read("override_defaults", limit.override_defaults, read_bool);
  fields.read("per_method", limit.per_method, read_bool);
  fields.read("methods", limit.methods, or_null_means(std::vector<std::string>(), read_texts));
  fields.read("error_message", limit.error_message, read_optional_text);
  fields.read("key_func", limit.key_func, read_key_func);
  fields.read("deduct_when_status", limit.deduct_when_status,
              or_null_means(std::optional<std::vector<int>>(), read_statuses));
  fields.read("shared_scope", limit.shared_scope, read_optional_text);
  return limit;
}

Route read_route(const Json& value, const std::string& path) {
  const Fields fields(value, path, kRouteFields, "a route");
  Route route;
  fields.read("path", route.path, read_text);
  fields.read("methods", route.methods, read_texts);
  fields.read("exempt", route.exempt, read_bool);
  bool override_defaults = true;
  fields.read("override_defaults", override_defaults, read_bool);
  fields.read("limits", route.limits, [override_defaults](const Json& list, const std::string& list_path) {
    return read_each(list, list_path, kMaxListItems, "limits",
                     [override_defaults](const Json& entry, const std::string& entry_path) {
                       return read_route_limit(entry, entry_path, override_defaults);
                     });
  });
  return route;
}

Headers read_headers(const Json& value, const std::string& path) {
  if (!value.is_object()) fail(path, "expected an object of header names and values, got " + shown(value));
  if (value.size() > kMaxListItems) {
    fail(path,
         "holds " + std::to_string(value.size()) + " headers; the most is " + std::to_string(kMaxListItems));
  }
  Headers headers;
  for (auto it = value.begin(); it != value.end(); ++it) {
    check_length(it.key(), path, kMaxTextBytes, "a header name");
    headers.emplace_back(it.key(), read_text(it.value(), member(path, it.key())));
  }
  return headers;
}

// One request, and its `t` as written (0 when left out) in `t`.
Request read_request(const Json& value, const std::string& path, Json& t) {
  const Fields fields(value, path, kRequestFields, "a request");
  Request request;
  fields.read("t", request.t, read_number);
  const Json* written_t = fields.find("t");
  t = written_t ? *written_t : Json(0);
  fields.read("key", request.key, read_text);
  fields.read("path", request.path, read_text);
  fields.read("method", request.method, read_text);
  fields.read("headers", request.headers, read_headers);
  fields.read("status", request.status, read_int);
  return request;
}

FlaskInput read_flask(const Json& json) {
  const Fields fields(json, "", kFlaskFields, "a flask-mode scenario");
  FlaskInput input;
  AppConfig& app = input.scenario.app;
  fields.read("strategy", app.strategy, read_strategy);
  fields.read("strategy_options", app.strategy_options, read_options);
  input.epoch = read_epoch(fields, input.scenario.epoch);
  fields.read("default_limits", app.default_limits, read_rates);
  fields.read("application_limits", app.application_limits, read_rates);
  fields.read("default_limits_per_method", app.default_limits_per_method, read_bool);
  fields.read("default_limits_cost", app.default_limits_cost, read_int64);
  fields.read("application_limits_cost", app.application_limits_cost, read_int64);
  fields.read("fail_on_first_breach", app.fail_on_first_breach, read_bool);
  fields.read("retry_after", app.retry_after_http_date, null_or("http-date"));
  fields.read("key_prefix", app.key_prefix, read_text);
  fields.read("error_handler", app.custom_error_handler, null_or("custom"));
  app.routes = read_each(fields.required("routes"), "routes", kMaxRoutes, "routes", read_route);

  const Json& requests = read_list(fields.required("requests"), "requests", kMaxEvents, "requests");
  input.scenario.requests.reserve(requests.size());
  input.times.resize(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    input.scenario.requests.push_back(read_request(requests[i], element("requests", i), input.times[i]));
  }
  return input;
}

// ---- limits mode --------------------------------------------------------------------------

LimitsOp read_hit(const Json& value, const std::string& path) {
  const Fields fields(value, path, kHitFields, "a hit");
  LimitsOp op;
  fields.read("t", op.t, read_number);
  fields.read("key", op.key, read_text);
  fields.read("cost", op.cost, read_int64);
  fields.read("op", op.op, read_op);
  return op;
}

LimitsInput read_limits(const Json& json) {
  const Fields fields(json, "", kLimitsFields, "a limits-mode scenario");
  LimitsInput input;
  LimitsScenario& scenario = input.scenario;
  fields.read("strategy", scenario.strategy, read_strategy);
  fields.read("strategy_options", scenario.strategy_options, read_options);
  scenario.limit = read_rate(fields.required("limit"), "limit");
  input.epoch = read_epoch(fields, scenario.epoch);
  scenario.hits = read_each(fields.required("hits"), "hits", kMaxEvents, "hits", read_hit);
  return input;
}

// ---- results ------------------------------------------------------------------------------

Json trace_entry(const LimitCheck& check) {
  Json entry = {{"checkpoint", checkpoint_name(check.checkpoint)},
                {"source", source_name(check.source)},
                {"limit", check.limit.text()}};
  if (!check.storage_key.empty()) entry["key"] = check.storage_key;  // skipped limits have none
  entry["cost"] = check.cost;
  entry["result"] = result_name(check.result);
  if (!check.detail.empty()) entry["detail"] = check.detail;
  return entry;
}

Json response_entry(const Json& t, const Response& response, bool trace) {
  Json entry = {{"t", t}, {"status", response.status}};
  Json headers = Json::object();
  for (const auto& [name, value] : response.headers) headers[name] = value;
  entry["headers"] = std::move(headers);
  entry["body"] = response.body;
  if (!response.limit.empty()) entry["limit"] = response.limit;
  if (response.delay > 0) entry["delay"] = response.delay;
  if (trace) {
    Json checks = Json::array();
    for (const LimitCheck& check : response.trace) checks.push_back(trace_entry(check));
    entry["trace"] = std::move(checks);
  }
  return entry;
}

// limits' int(reset); a reset that no integer holds (which validated scenarios never reach)
// shows as null rather than as undefined behaviour.
Json whole_seconds(double seconds) {
  if (!(std::fabs(seconds) < 9.2e18)) return nullptr;
  return static_cast<std::int64_t>(std::floor(seconds));
}

// ---- running ------------------------------------------------------------------------------

// The limits in one rate string; an invalid one still costs a parse on every request.
std::uint64_t limits_in(const std::string& text) {
  const ParseResult parsed = parse_rates(text);
  const auto* limits = std::get_if<std::vector<RateLimit>>(&parsed);
  return limits && !limits->empty() ? limits->size() : 1;
}

// An upper bound of the limit checks `scenario` makes (every request may meet the application
// and default limits and the most limits any route has), or, when its rate strings hold more
// than kMaxScenarioLimits limits in all, a message naming the string that went over.
std::variant<std::uint64_t, std::string> limit_checks(const FlaskScenario& scenario) {
  std::uint64_t total = 0;
  const auto count = [&total](const std::string& text, const std::string& path) {
    const std::uint64_t limits = limits_in(text);
    total += limits;
    if (total > kMaxScenarioLimits) {
      fail(path, "the scenario's rate strings hold more than " + std::to_string(kMaxScenarioLimits) +
                     " limits in all (" + std::to_string(total) + " by here)");
    }
    return limits;
  };
  try {
    std::uint64_t per_request = 0;
    for (std::size_t i = 0; i < scenario.app.application_limits.size(); ++i) {
      per_request += count(scenario.app.application_limits[i], element("application_limits", i));
    }
    for (std::size_t i = 0; i < scenario.app.default_limits.size(); ++i) {
      per_request += count(scenario.app.default_limits[i], element("default_limits", i));
    }
    std::uint64_t route_most = 0;
    for (std::size_t r = 0; r < scenario.app.routes.size(); ++r) {
      std::uint64_t route_limits = 0;
      const std::vector<RouteLimit>& limits = scenario.app.routes[r].limits;
      for (std::size_t l = 0; l < limits.size(); ++l) {
        route_limits += count(limits[l].limit, element(element("routes", r) + ".limits", l));
      }
      route_most = std::max(route_most, route_limits);
    }
    return scenario.requests.size() * std::max<std::uint64_t>(per_request + route_most, 1);
  } catch (const Failure& failure) {
    return failure.message;
  }
}

// Takes `needed` checks from `checks_left`, or says why the scenario may not run.
std::optional<std::string> take_checks(std::uint64_t needed, std::size_t events, std::uint64_t& checks_left) {
  if (needed <= checks_left) {
    checks_left -= needed;
    return std::nullopt;
  }
  return "this scenario needs up to " + std::to_string(needed) + " limit checks (" + std::to_string(events) +
         " requests or hits × up to " + std::to_string(needed / std::max<std::size_t>(events, 1)) +
         " limits each), more than the " + std::to_string(checks_left) +
         " this run has left; use fewer requests or limits, or split the input";
}

}  // namespace

ReadScenario read_scenario(const Json& json) {
  try {
    if (!json.is_object()) fail("scenario", "expected an object, got " + shown(json));
    const auto mode = json.find("mode");
    if (mode != json.end() && read_name(*mode, "mode", {"flask", "limits"}) == "limits") {
      return read_limits(json);
    }
    return read_flask(json);
  } catch (const Failure& failure) {
    return ScenarioError{failure.message};
  }
}

Json flask_result(const FlaskInput& input, const std::vector<Response>& responses, bool trace) {
  Json results = Json::array();
  std::map<int, std::size_t> by_status;
  for (std::size_t i = 0; i < responses.size(); ++i) {
    results.push_back(response_entry(i < input.times.size() ? input.times[i] : Json(0), responses[i], trace));
    ++by_status[responses[i].status];
  }
  Json statuses = Json::object();
  for (const auto& [status, count] : by_status) statuses[std::to_string(status)] = count;
  return {{"epoch", input.epoch},
          {"results", std::move(results)},
          {"totals", {{"requests", responses.size()}, {"by_status", std::move(statuses)}}}};
}

Json limits_result(const LimitsInput& input, const std::vector<LimitsResult>& results) {
  Json entries = Json::array();
  for (const LimitsResult& result : results) {
    entries.push_back({{"allowed", result.allowed ? Json(*result.allowed) : Json(nullptr)},
                       {"reset", whole_seconds(result.reset)},
                       {"remaining", result.remaining}});
  }
  return {{"epoch", input.epoch}, {"results", std::move(entries)}};
}

Json error_result(const std::string& message) { return {{"error", message}}; }

bool is_error_result(const Json& result) { return result.is_object() && result.contains("error"); }

Json simulate(const Json& scenario, bool trace, std::uint64_t& checks_left) {
  ReadScenario read = read_scenario(scenario);
  if (auto* error = std::get_if<ScenarioError>(&read)) return error_result(error->message);
  if (auto* flask = std::get_if<FlaskInput>(&read)) {
    FlaskScenario& flask_scenario = flask->scenario;
    if (auto problem = validate(flask_scenario)) return error_result(*problem);
    const auto checks = limit_checks(flask_scenario);
    if (const auto* problem = std::get_if<std::string>(&checks)) return error_result(*problem);
    const std::size_t requests = flask_scenario.requests.size();
    if (auto problem = take_checks(std::get<std::uint64_t>(checks), requests, checks_left)) {
      return error_result(*problem);
    }
    return flask_result(*flask, run(flask_scenario, trace), trace);
  }
  auto& limits = std::get<LimitsInput>(read);
  if (auto problem = validate(limits.scenario)) return error_result(*problem);
  const std::size_t hits = limits.scenario.hits.size();
  if (auto problem = take_checks(hits, hits, checks_left)) return error_result(*problem);
  return limits_result(limits, run(limits.scenario));
}

Json parse_answer(const Json& text) {
  if (!text.is_string()) return error_result("expected a string");
  const ParseResult parsed = parse_rates(text.get_ref<const std::string&>());
  if (const auto* error = std::get_if<ParseError>(&parsed)) {
    Json answer = {{"error", error->message}, {"offset", error->offset}, {"length", error->length}};
    if (!error->hint.empty()) answer["hint"] = error->hint;
    return answer;
  }
  Json limits = Json::array();
  for (const RateLimit& rate : std::get<std::vector<RateLimit>>(parsed)) {
    limits.push_back({{"amount", rate.amount},
                      {"multiples", rate.multiples},
                      {"granularity", granularity_name(rate.granularity)},
                      {"text", rate.text()},
                      {"window_seconds", rate.window_seconds()}});
  }
  return {{"limits", std::move(limits)}};
}

}  // namespace ratelimit::cli
