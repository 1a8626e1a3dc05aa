// A Flask app protected by Flask-Limiter 3.3 with the in-memory storage and
// headers_enabled=True, simulated request by request. It reproduces Flask-Limiter's request
// flow exactly: the two checkpoints (before_request for application limits and the defaults of
// undecorated routes; the view wrapper for decorated limits), which limits each one includes,
// the stable sort by time unit, non-atomic charging, fail_on_first_breach, deduct_when,
// shared limits, storage keys, which limit the headers describe, and Werkzeug's 404/405/429/500
// answers. Any Algorithm can stand in for the strategy.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/algorithm.hpp"
#include "core/expiry_sweep.hpp"
#include "core/rate.hpp"

namespace ratelimit {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Who a limit counts: the client address (get_remote_address), a constant, or a header value.
struct KeyFunc {
  enum class Kind { RemoteAddress, Constant, Header };
  Kind kind = Kind::RemoteAddress;
  std::string argument;  // the constant, or the header name

  friend bool operator==(const KeyFunc& a, const KeyFunc& b) {
    return a.kind == b.kind && a.argument == b.argument;
  }
};

// One @limiter.limit(...) decorator, or @limiter.shared_limit(...) when `shared_scope` is set.
struct RouteLimit {
  std::string limit;  // a rate string; may hold several limits
  std::int64_t cost = 1;
  bool override_defaults = true;
  bool per_method = false;
  std::vector<std::string> methods;  // only these methods are limited; empty: all
  std::optional<std::string> error_message;
  KeyFunc key_func;
  std::optional<std::vector<int>> deduct_when_status;  // deduct only for these response codes
  std::optional<std::string> shared_scope;

  friend bool operator==(const RouteLimit& a, const RouteLimit& b);
};

struct Route {
  std::string path = "/";
  std::vector<std::string> methods{"GET"};
  bool exempt = false;               // @limiter.exempt
  std::vector<RouteLimit> limits;    // decorators, top to bottom as written in source
};

struct AppConfig {
  Algorithm strategy = Algorithm::FixedWindow;
  AlgorithmOptions strategy_options;
  std::vector<std::string> default_limits;
  std::vector<std::string> application_limits;
  bool default_limits_per_method = false;
  std::int64_t default_limits_cost = 1;
  std::int64_t application_limits_cost = 1;
  bool fail_on_first_breach = true;
  bool retry_after_http_date = false;  // retry_after="http-date"
  std::string key_prefix;
  // Limiter(key_func, ...): who the default and application limits count. (A route's limits name
  // their own: the scenario format's default there is "remote".) The playground sets it to what
  // the remote address is behind its proxy settings.
  KeyFunc key_func;
  bool custom_error_handler = false;    // @app.errorhandler(429) answering "rate limited: ..."
  std::vector<Route> routes;
};

struct Request {
  double t = 0;                    // seconds after the app's epoch
  std::string key = "127.0.0.1";   // REMOTE_ADDR
  std::string path = "/";
  std::string method = "GET";
  Headers headers;
  int status = 200;                // what the view returns
  // The cost this request carries for the route's own limits, as a Flask-Limiter cost
  // callable would read it from the request; empty: the decorators' costs.
  std::optional<std::int64_t> cost;
};

// One limit as Flask-Limiter evaluated it for a request, for the "why" view.
struct LimitCheck {
  enum class Checkpoint { BeforeRequest, View, AfterRequest };
  enum class Source { Application, Default, Route, Shared };
  enum class Result {
    Charged,          // hit and admitted
    Breached,         // hit (or tested) and refused
    Tested,           // deduct_when: only tested now, maybe charged after the response
    Deducted,         // after the response: deduct_when held, so it was hit
    NotDeducted,      // after the response: deduct_when did not hold
    SkippedMethod,    // its methods filter excludes this request's method
    SkippedEmptyKey,  // the key function returned an empty string
    NotReached,       // an earlier limit was breached and fail_on_first_breach stopped here
  };
  Checkpoint checkpoint = Checkpoint::BeforeRequest;
  Source source = Source::Default;
  RateLimit limit;
  std::string storage_key;
  std::int64_t cost = 1;
  Result result = Result::Charged;
  std::string detail;  // the algorithm's account of its comparison
};

// The names results give these, in scenario JSON and on the page: "before_request", "route",
// "charged", "skipped_method", ...
std::string_view checkpoint_name(LimitCheck::Checkpoint checkpoint);
std::string_view source_name(LimitCheck::Source source);
std::string_view result_name(LimitCheck::Result result);

struct Response {
  int status = 200;
  Headers headers;         // the rate-limit headers present, as Flask-Limiter sends them
  std::string body;
  double delay = 0;        // seconds the leaky queue held the request before serving it
  std::string limit;       // text of the limit the headers describe ("" when none)
  // The same state in the IETF draft-11 fields (Flask-Limiter sends none of them):
  // RateLimit-Policy lists every limit that applies to the request (also those a breach kept it
  // from reaching: the policy does not change with the answer), RateLimit the one the
  // X-RateLimit headers describe. Empty when there are no rate-limit headers.
  std::string ratelimit_policy;
  std::string ratelimit;
  std::vector<LimitCheck> trace;
};

// The state of one limit that applies to a request, for drawing it.
struct LimitState {
  LimitCheck::Checkpoint checkpoint = LimitCheck::Checkpoint::BeforeRequest;
  LimitCheck::Source source = LimitCheck::Source::Default;
  RateLimit limit;
  std::string storage_key;
  Snapshot snapshot;
  WindowStats stats;
};

// The view functions' names, Flask's endpoints, of routes at `paths` (in order), as the
// playground's app.py writes them, and so the scope in their storage keys: "index" for "/", else
// the path's letters and digits with "_" between the runs ("/api/items" -> "api_items"), "r_"
// before a leading digit, "route_N" (N: its place, from 1) for a path with neither; "_2", "_3"...
// after a name already taken, or one app.py cannot give a view (a Python keyword, the app's own
// names).
std::vector<std::string> endpoint_names(const std::vector<std::string>& paths);

class FlaskApp {
 public:
  FlaskApp(AppConfig config, double epoch);
  ~FlaskApp();
  FlaskApp(const FlaskApp&) = delete;
  FlaskApp& operator=(const FlaskApp&) = delete;

  // Requests must come in non-decreasing t.
  Response handle(const Request& request);
  // The limits a request like `probe` would be checked against at `now`, in check order, with
  // their current state; nothing is charged. Empty when no limit applies (or a limit string is
  // invalid).
  std::vector<LimitState> inspect(const Request& probe, double now);
  // Whether responses carry a trace with the algorithms' explanations (on by default; off
  // saves formatting text when only statuses matter).
  void set_tracing(bool on) { tracing_ = on; }

  const AppConfig& config() const { return config_; }
  double epoch() const { return epoch_; }

 private:
  struct Store;    // one Limiter per distinct rate, with its storage keys as KeyIds
  struct Group;    // one rate string with the options it came with, parsed once
  struct Limit;    // one limit of a group (Flask-Limiter's Limit) and the store it lives in
  struct Context;  // Flask-Limiter's per-request LimiterContext

  // Flask-Limiter parses rate strings on every request, always with the same result (errors
  // included), so the app parses each string once, when it is built. Nothing when invalid.
  std::optional<std::vector<Limit>> add_group(RouteLimit options, LimitCheck::Source source);
  // The limits one checkpoint evaluates, or nothing when a default or application limit
  // string is invalid (Flask answers 500).
  std::optional<std::vector<Limit>> filter_limits(std::size_t route, bool in_middleware,
                                                  const Request& request, Context& ctx) const;
  // Returns false when a limit was breached; the response is then the 429.
  bool evaluate(const Route& route, std::vector<Limit> limits, LimitCheck::Checkpoint checkpoint,
                const Request& request, double now, Context& ctx, Response& response);
  void after_request(Context& ctx, double now, Response& response);
  // Limit.scope_for + the key function: the storage key, or "" when the key function answers "".
  std::string storage_key(const Limit& limit, const Route& route, const Request& request) const;
  std::int64_t cost_of(const Limit& limit, const Request& request) const;
  std::optional<std::size_t> find_route(const std::string& path) const;

  AppConfig config_;
  double epoch_;
  ExpirySweep sweep_;
  std::vector<std::unique_ptr<Group>> groups_;
  std::vector<std::unique_ptr<Store>> stores_;
  std::optional<std::vector<Limit>> application_limits_;  // deduplicated, as an OrderedSet
  std::optional<std::vector<Limit>> default_limits_;
  std::vector<std::vector<Limit>> decorated_limits_;      // per route, bottom decorator first
  std::unordered_map<std::string, std::size_t> routes_by_path_;
  std::vector<std::string> endpoints_;  // per route: its view function's name
  bool tracing_ = true;
};

}  // namespace ratelimit
