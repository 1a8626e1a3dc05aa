// Embind bindings of the core: no logic here, only the mapping between core types and
// JavaScript values. Functions return plain JS values (emscripten::val); the one class,
// Simulation, must be delete()d by its owner.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <string>
#include <variant>
#include <vector>

#include "core/algorithm.hpp"
#include "core/rate.hpp"
#include "core/scenario.hpp"
#include "core/simulation.hpp"

using emscripten::val;

namespace ratelimit {
namespace {

// ---- core -> JS ---------------------------------------------------------------------------

val number(double x) { return val(x); }
val number(std::int64_t x) { return val(static_cast<double>(x)); }

val rate_limit(const RateLimit& limit) {
  val out = val::object();
  out.set("amount", number(limit.amount));
  out.set("multiples", number(limit.multiples));
  out.set("granularity", std::string(granularity_name(limit.granularity)));
  out.set("text", limit.text());
  out.set("windowSeconds", number(limit.window_seconds()));
  return out;
}

template <typename T, typename F>
val array_of(const std::vector<T>& items, F convert) {
  val out = val::array();
  for (const T& item : items) out.call<void>("push", convert(item));
  return out;
}

val parse_rule(const std::string& text) {
  const ParseResult parsed = parse_rates(text);
  val out = val::object();
  if (const auto* error = std::get_if<ParseError>(&parsed)) {
    out.set("error", error->message);
    out.set("offset", number(static_cast<double>(error->offset)));
    out.set("length", number(static_cast<double>(error->length)));
    out.set("hint", error->hint);
    return out;
  }
  out.set("limits", array_of(std::get<std::vector<RateLimit>>(parsed), rate_limit));
  return out;
}

// The view functions' names of routes at `paths` (an array of strings), for app.py.
val endpoint_names_of(const val& paths) {
  return array_of(endpoint_names(emscripten::vecFromJSArray<std::string>(paths)),
                  [](const std::string& name) { return val(name); });
}

// How simulated clients retry (SimulationConfig's settings), for code written to match them.
val retry_settings() {
  const SimulationConfig defaults;
  val out = val::object();
  out.set("roundTrip", defaults.retry_delay);
  out.set("backoffBase", defaults.backoff_base);
  out.set("backoffCap", defaults.backoff_cap);
  out.set("maxRetries", defaults.max_retries);
  return out;
}

val algorithms() {
  val out = val::array();
  for (Algorithm a : kAllAlgorithms) {
    val item = val::object();
    item.set("name", std::string(algorithm_name(a)));
    item.set("semantics", std::string(algorithm_semantics(a)));
    item.set("summary", std::string(algorithm_summary(a)));
    item.set("flaskLimiter", is_flask_limiter_strategy(a));
    // One of the bucket family (core/bucket.hpp): its Retry-After, from the reset, is the time to
    // a full bucket, while its next request often fits much sooner.
    item.set("bucket", same_admissions_as(a) == Algorithm::TokenBucket);
    out.call<void>("push", item);
  }
  return out;
}

val headers_object(const Headers& headers) {
  val out = val::object();
  for (const auto& [name, value] : headers) out.set(name, value);
  return out;
}

val response_value(const Response& r) {
  val out = val::object();
  out.set("status", r.status);
  out.set("headers", headers_object(r.headers));
  out.set("body", r.body);
  out.set("delay", r.delay);
  out.set("limit", r.limit);
  out.set("ratelimitPolicy", r.ratelimit_policy);
  out.set("ratelimit", r.ratelimit);
  out.set("trace", array_of(r.trace, [](const LimitCheck& c) {
    val check = val::object();
    check.set("checkpoint", std::string(checkpoint_name(c.checkpoint)));
    check.set("source", std::string(source_name(c.source)));
    check.set("limit", c.limit.text());
    check.set("key", c.storage_key);
    check.set("cost", number(c.cost));
    check.set("result", std::string(result_name(c.result)));
    check.set("detail", c.detail);
    return check;
  }));
  return out;
}

val snapshot_value(const Snapshot& s) {
  val out = val::object();
  out.set("algorithm", std::string(algorithm_name(s.algorithm)));
  out.set("limit", number(s.limit));
  out.set("window", s.window);
  out.set("windowOpen", s.window_open);
  out.set("windowStart", s.window_start);
  out.set("windowEnd", s.window_end);
  out.set("counter", number(s.counter));
  out.set("log", array_of(s.log, [](const LogEntry& e) {
    val entry = val::object();
    entry.set("time", e.time);
    entry.set("count", number(e.count));
    return entry;
  }));
  out.set("bucketStart", s.bucket_start);
  out.set("previousCount", number(s.previous_count));
  out.set("currentCount", number(s.current_count));
  out.set("previousWeight", s.previous_weight);
  out.set("estimate", s.estimate);
  out.set("level", s.level);
  out.set("capacity", s.capacity);
  out.set("rate", s.rate);
  out.set("tokens", s.tokens);
  out.set("queued", s.queued);
  out.set("places", s.places);
  out.set("tat", s.tat);
  out.set("emissionInterval", s.emission_interval);
  out.set("tolerance", s.tolerance);
  return out;
}

// ---- JS -> core ---------------------------------------------------------------------------

template <typename T>
T field(const val& object, const char* name, T fallback) {
  const val v = object[name];
  return v.isUndefined() || v.isNull() ? fallback : v.as<T>();
}

std::vector<std::string> strings(const val& object, const char* name) {
  const val v = object[name];
  return v.isUndefined() || v.isNull() ? std::vector<std::string>{}
                                       : emscripten::vecFromJSArray<std::string>(v);
}

Headers headers_from(const val& object) {
  Headers headers;
  if (object.isUndefined() || object.isNull()) return headers;
  const val names = val::global("Object").call<val>("keys", object);
  for (const std::string& name : emscripten::vecFromJSArray<std::string>(names)) {
    headers.emplace_back(name, object[name].as<std::string>());
  }
  return headers;
}

KeyFunc key_func_from(const std::string& spec) {
  if (spec.rfind("const:", 0) == 0) return {KeyFunc::Kind::Constant, spec.substr(6)};
  if (spec.rfind("header:", 0) == 0) return {KeyFunc::Kind::Header, spec.substr(7)};
  return {};
}

RouteLimit route_limit_from(const val& v) {
  RouteLimit l;
  l.limit = field<std::string>(v, "limit", "");
  l.cost = static_cast<std::int64_t>(field<double>(v, "cost", 1));
  l.override_defaults = field<bool>(v, "overrideDefaults", true);
  l.per_method = field<bool>(v, "perMethod", false);
  l.methods = strings(v, "methods");
  l.key_func = key_func_from(field<std::string>(v, "keyFunc", "remote"));
  if (!v["errorMessage"].isUndefined()) l.error_message = v["errorMessage"].as<std::string>();
  if (!v["sharedScope"].isUndefined()) l.shared_scope = v["sharedScope"].as<std::string>();
  if (!v["deductWhenStatus"].isUndefined()) {
    l.deduct_when_status = emscripten::vecFromJSArray<int>(v["deductWhenStatus"]);
  }
  return l;
}

// A plain object as the element builds it: {app: {...}, lanes: [...], clients: [...], seed, epoch,
// workers}; a client may have spoofsForwardedFor.
SimulationConfig simulation_config(const val& v) {
  SimulationConfig config;
  const val app = v["app"];
  AppConfig& a = config.app;
  a.default_limits = strings(app, "defaultLimits");
  a.application_limits = strings(app, "applicationLimits");
  a.fail_on_first_breach = field<bool>(app, "failOnFirstBreach", a.fail_on_first_breach);
  a.retry_after_http_date = field<std::string>(app, "retryAfter", "") == "http-date";
  a.key_prefix = field<std::string>(app, "keyPrefix", a.key_prefix);
  a.key_func = key_func_from(field<std::string>(app, "keyFunc", "remote"));
  a.custom_error_handler = field<bool>(app, "customErrorHandler", a.custom_error_handler);
  const val options = app["strategyOptions"];
  if (!options.isUndefined()) {
    if (!options["capacity"].isUndefined()) a.strategy_options.capacity = static_cast<std::int64_t>(options["capacity"].as<double>());
    a.strategy_options.delay = static_cast<std::int64_t>(field<double>(options, "delay", 0));
    a.strategy_options.nodelay = field<bool>(options, "nodelay", false);
  }
  const val routes = app["routes"];
  for (int i = 0, n = routes["length"].as<int>(); i < n; ++i) {
    const val r = routes[i];
    Route route;
    route.path = field<std::string>(r, "path", route.path);
    if (!r["methods"].isUndefined()) route.methods = strings(r, "methods");
    route.exempt = field<bool>(r, "exempt", route.exempt);
    const val limits = r["limits"];
    for (int j = 0, m = limits.isUndefined() ? 0 : limits["length"].as<int>(); j < m; ++j) {
      route.limits.push_back(route_limit_from(limits[j]));
    }
    a.routes.push_back(route);
  }
  config.lanes.clear();
  for (const std::string& name : strings(v, "lanes")) {
    if (const auto algorithm = algorithm_from_name(name)) config.lanes.push_back(*algorithm);
  }
  if (config.lanes.empty()) config.lanes.push_back(Algorithm::FixedWindow);
  const val clients = v["clients"];
  for (int i = 0, n = clients.isUndefined() ? 0 : clients["length"].as<int>(); i < n; ++i) {
    const val c = clients[i];
    Client client;
    client.key = field<std::string>(c, "key", client.key);
    client.path = field<std::string>(c, "path", client.path);
    client.cost = static_cast<std::int64_t>(field<double>(c, "cost", static_cast<double>(client.cost)));
    client.headers = headers_from(c["headers"]);
    client.traffic.pattern = pattern_from_name(field<std::string>(c, "pattern", "manual")).value_or(Pattern::Manual);
    client.traffic.rate = field<double>(c, "rate", client.traffic.rate);
    client.traffic.period = field<double>(c, "period", client.traffic.period);
    client.retry = retry_policy_from_name(field<std::string>(c, "retry", "ignore")).value_or(RetryPolicy::Ignore);
    client.spoofs_forwarded_for = field<bool>(c, "spoofsForwardedFor", false);
    config.clients.push_back(client);
  }
  config.seed = static_cast<std::uint64_t>(field<double>(v, "seed", static_cast<double>(config.seed)));
  config.epoch = field<double>(v, "epoch", config.epoch);
  config.workers = std::clamp(static_cast<int>(field<double>(v, "workers", 1)), 1, 64);
  return config;
}

// The core's scenario checks (scenario.hpp validate()) for a setup the page imports: the app of
// `config` (as simulation_config() reads it) run by its first lane, with `requests`
// ([{t, key, path, headers}]). "" when it can run, else the message naming the field.
std::string validate_scenario(const val& config, const val& requests) {
  const SimulationConfig c = simulation_config(config);
  FlaskScenario scenario;
  scenario.epoch = c.epoch;
  scenario.app = c.app;
  scenario.app.strategy = c.lanes.front();
  for (int i = 0, n = requests["length"].as<int>(); i < n; ++i) {
    const val r = requests[i];
    Request request;
    request.t = field<double>(r, "t", request.t);
    request.key = field<std::string>(r, "key", request.key);
    request.path = field<std::string>(r, "path", request.path);
    request.headers = headers_from(r["headers"]);
    scenario.requests.push_back(request);
  }
  return validate(scenario).value_or("");
}

// ---- the Simulation class, as JS sees it --------------------------------------------------

class JsSimulation {
 public:
  explicit JsSimulation(const val& config) : sim_(simulation_config(config)) {}

  double now() const { return sim_.now(); }
  double next_event() const { return sim_.next_event(); }
  void advance_to(double t) { sim_.advance_to(t); }
  void seek(double t) { sim_.seek(t); }
  // {lane, index} of the first 429 at or after now, the clock stopped there; null, the clock at
  // `horizon`, when none comes by then.
  val advance_to_rejection(double horizon) {
    const auto found = sim_.advance_to_rejection(horizon);
    if (!found) return val::null();
    val out = val::object();
    out.set("lane", static_cast<int>(found->lane));
    out.set("index", static_cast<double>(found->index));
    return out;
  }
  int lane_count() const { return static_cast<int>(sim_.lane_count()); }
  val keys() const { return array_of(sim_.keys(), [](const std::string& k) { return val(k); }); }

  val send(const std::string& key, const std::string& path, double cost, int count) {
    return array_of(sim_.send(key, path, static_cast<std::int64_t>(cost), count),
                    [](std::uint64_t i) { return val(static_cast<double>(i)); });
  }
  bool schedule_send(double t, const std::string& key, const std::string& path, double cost, int count) {
    return sim_.schedule_send(t, key, path, static_cast<std::int64_t>(cost), count);
  }

  // Outcomes of `lane` from index `from` on, as typed arrays (copies):
  // {first, t, delay, key, status, attempt, back, manual}.
  val outcomes(int lane, double from) const {
    const auto l = static_cast<std::size_t>(lane);
    const std::deque<Outcome>& kept = sim_.outcomes(l);
    const std::uint64_t first_kept = sim_.first_kept_outcome(l);
    const std::uint64_t start = std::max<std::uint64_t>(first_kept, static_cast<std::uint64_t>(from));
    const std::size_t n = static_cast<std::size_t>(first_kept + kept.size() - std::min<std::uint64_t>(start, first_kept + kept.size()));
    std::vector<double> t(n), delay(n);
    std::vector<std::uint32_t> key(n), back(n);
    std::vector<std::uint16_t> status(n), attempt(n);
    std::vector<std::uint8_t> manual(n);
    for (std::size_t i = 0; i < n; ++i) {
      const Outcome& o = kept[static_cast<std::size_t>(start - first_kept) + i];
      t[i] = o.t;
      delay[i] = o.delay;
      key[i] = o.key;
      status[i] = o.status;
      attempt[i] = o.attempt;
      back[i] = o.back;
      manual[i] = o.manual ? 1 : 0;
    }
    const auto copy = [](const char* type, auto& data) {
      return val::global(type).new_(emscripten::typed_memory_view(data.size(), data.data())).template call<val>("slice");
    };
    val out = val::object();
    out.set("first", static_cast<double>(start));
    out.set("t", copy("Float64Array", t));
    out.set("delay", copy("Float64Array", delay));
    out.set("key", copy("Uint32Array", key));
    out.set("status", copy("Uint16Array", status));
    out.set("attempt", copy("Uint16Array", attempt));
    out.set("back", copy("Uint32Array", back));
    out.set("manual", copy("Uint8Array", manual));
    return out;
  }

  double outcome_count(int lane) const { return static_cast<double>(sim_.outcome_count(static_cast<std::size_t>(lane))); }

  val response(int lane, double index) {
    return response_value(sim_.response(static_cast<std::size_t>(lane), static_cast<std::uint64_t>(index)));
  }

  val totals(int lane) const {
    const LaneTotals& t = sim_.totals(static_cast<std::size_t>(lane));
    val out = val::object();
    out.set("requests", number(t.requests));
    out.set("allowed", number(t.allowed));
    out.set("rejected", number(t.rejected));
    out.set("retries", number(t.retries));
    out.set("delayed", number(t.delayed));
    out.set("maxInWindow", number(t.max_in_window));
    out.set("windowLimit", number(t.window_limit));
    out.set("window", t.window);
    return out;
  }

  int next_worker(int lane) const { return static_cast<int>(sim_.next_worker(static_cast<std::size_t>(lane))); }

  val inspect(int lane, const std::string& key, const std::string& path) {
    return array_of(sim_.inspect(static_cast<std::size_t>(lane), key, path), [](const LimitState& s) {
      val state = val::object();
      state.set("checkpoint", std::string(checkpoint_name(s.checkpoint)));
      state.set("source", std::string(source_name(s.source)));
      state.set("limit", rate_limit(s.limit));
      state.set("key", s.storage_key);
      state.set("snapshot", snapshot_value(s.snapshot));
      state.set("reset", s.stats.reset);
      state.set("remaining", number(s.stats.remaining));
      return state;
    });
  }

 private:
  Simulation sim_;
};

}  // namespace
}  // namespace ratelimit

EMSCRIPTEN_BINDINGS(ratelimit) {
  using namespace ratelimit;
  emscripten::function("parseRule", &parse_rule);
  emscripten::function("endpointNames", &endpoint_names_of);
  emscripten::function("algorithms", &algorithms);
  emscripten::function("retrySettings", &retry_settings);
  emscripten::function("validateScenario", &validate_scenario);
  emscripten::class_<JsSimulation>("Simulation")
      .constructor<val>()
      .function("now", &JsSimulation::now)
      .function("nextEvent", &JsSimulation::next_event)
      .function("advanceToRejection", &JsSimulation::advance_to_rejection)
      .function("advanceTo", &JsSimulation::advance_to)
      .function("seek", &JsSimulation::seek)
      .function("scheduleSend", &JsSimulation::schedule_send)
      .function("laneCount", &JsSimulation::lane_count)
      .function("keys", &JsSimulation::keys)
      .function("send", &JsSimulation::send)
      .function("outcomes", &JsSimulation::outcomes)
      .function("outcomeCount", &JsSimulation::outcome_count)
      .function("response", &JsSimulation::response)
      .function("totals", &JsSimulation::totals)
      .function("inspect", &JsSimulation::inspect)
      .function("nextWorker", &JsSimulation::next_worker);
}
