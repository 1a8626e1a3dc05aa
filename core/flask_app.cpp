#include "core/flask_app.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "core/http.hpp"

namespace ratelimit {

namespace {

std::string lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string uppercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// Flask-Limiter replaces a cost of 0 with 1 (`cost or 1`).
std::int64_t effective_cost(std::int64_t cost) { return cost == 0 ? 1 : cost; }

// Werkzeug reads headers from the WSGI environ, where `X-Api-Key` and `x_api_key` are both
// HTTP_X_API_KEY; the last one sent wins.
std::string header_value(const Headers& headers, const std::string& name) {
  const auto environ_name = [](std::string text) {
    std::replace(text.begin(), text.end(), '-', '_');
    return uppercase(std::move(text));
  };
  const std::string wanted = environ_name(name);
  std::string value;
  for (const auto& [header, header_value] : headers) {
    if (environ_name(header) == wanted) value = header_value;
  }
  return value;
}

}  // namespace

bool operator==(const RouteLimit& a, const RouteLimit& b) {
  return a.limit == b.limit && a.cost == b.cost && a.override_defaults == b.override_defaults &&
         a.per_method == b.per_method && a.methods == b.methods &&
         a.error_message == b.error_message && a.key_func == b.key_func &&
         a.deduct_when_status == b.deduct_when_status && a.shared_scope == b.shared_scope;
}

// A rate string with its decorator's (or the defaults' or application's) options.
struct FlaskApp::Group {
  RouteLimit options;
  LimitCheck::Source source;
  std::vector<std::string> methods;  // lower-cased, as Flask-Limiter's Limit keeps them
  // Groups whose options compare equal under Limit's equality share an id.
  std::size_t options_id = 0;

  bool shared() const { return options.shared_scope.has_value(); }
  // Limit's dataclass equality, minus the parsed limit: every option, with the cost and
  // methods as Limit stores them.
  bool same_options(const Group& other) const {
    const RouteLimit& x = options;
    const RouteLimit& y = other.options;
    return x.key_func == y.key_func && x.shared_scope == y.shared_scope && x.per_method == y.per_method &&
           methods == other.methods && x.error_message == y.error_message &&
           x.override_defaults == y.override_defaults && x.deduct_when_status == y.deduct_when_status &&
           effective_cost(x.cost) == effective_cost(y.cost);
  }
};

struct FlaskApp::Store {
  std::unique_ptr<Limiter> limiter;
  std::unordered_map<std::string, KeyId> keys;

  KeyId key(const std::string& storage_key) {
    return keys.try_emplace(storage_key, static_cast<KeyId>(keys.size())).first->second;
  }
};

struct FlaskApp::Limit {
  RateLimit rate;
  const Group* group;
  Store* store;

  bool method_exempt(const std::string& method) const {
    return !group->methods.empty() && !contains(group->methods, lowercase(method));
  }
  friend bool operator==(const Limit& a, const Limit& b) {
    return a.rate == b.rate && a.group->options_id == b.group->options_id;
  }
};

struct FlaskApp::Context {
  struct HeaderLimit {
    Store* store;
    RateLimit rate;
    KeyId key;
  };
  struct Deduction {
    Limit limit;
    std::string storage_key;
    std::int64_t cost;
  };
  std::vector<Limit> seen_limits;
  std::optional<HeaderLimit> view_rate_limit;
  // deduct_when limits to hit after the response, keyed by Limit equality, in insertion order.
  std::vector<Deduction> conditional_deductions;
  std::vector<RateLimit> checked;  // every limit that applies (hit, tested or not reached), for RateLimit-Policy
};

namespace {

// OrderedSet: the first of equal items, in order.
template <typename T>
std::vector<T> unique_in_order(const std::vector<T>& items) {
  std::vector<T> out;
  for (const T& item : items) {
    if (std::find(out.begin(), out.end(), item) == out.end()) out.push_back(item);
  }
  return out;
}

}  // namespace

std::string_view checkpoint_name(LimitCheck::Checkpoint checkpoint) {
  switch (checkpoint) {
    case LimitCheck::Checkpoint::BeforeRequest: return "before_request";
    case LimitCheck::Checkpoint::View: return "view";
    case LimitCheck::Checkpoint::AfterRequest: return "after_request";
  }
  return "?";
}

std::string_view source_name(LimitCheck::Source source) {
  switch (source) {
    case LimitCheck::Source::Application: return "application";
    case LimitCheck::Source::Default: return "default";
    case LimitCheck::Source::Route: return "route";
    case LimitCheck::Source::Shared: return "shared";
  }
  return "?";
}

std::string_view result_name(LimitCheck::Result result) {
  switch (result) {
    case LimitCheck::Result::Charged: return "charged";
    case LimitCheck::Result::Breached: return "breached";
    case LimitCheck::Result::Tested: return "tested";
    case LimitCheck::Result::Deducted: return "deducted";
    case LimitCheck::Result::NotDeducted: return "not_deducted";
    case LimitCheck::Result::SkippedMethod: return "skipped_method";
    case LimitCheck::Result::SkippedEmptyKey: return "skipped_empty_key";
    case LimitCheck::Result::NotReached: return "not_reached";
  }
  return "?";
}

std::vector<std::string> endpoint_names(const std::vector<std::string>& paths) {
  std::set<std::string> taken = {
      // Python's keywords
      "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
      "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in",
      "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with",
      "yield",
      // the names app.py defines or imports
      "Flask", "Limiter", "api_key", "app", "forwarded_for", "get_remote_address", "limiter",
      "ratelimit_handler", "request"};
  std::vector<std::string> names;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    std::string name;
    if (paths[i] == "/") {
      name = "index";
    } else {
      for (const char c : paths[i]) {
        if (std::isalnum(static_cast<unsigned char>(c))) name += c;
        else if (!name.empty() && name.back() != '_') name += '_';
      }
      if (!name.empty() && name.back() == '_') name.pop_back();
      if (name.empty()) name = "route_" + std::to_string(i + 1);
      if (std::isdigit(static_cast<unsigned char>(name.front()))) name = "r_" + name;
    }
    std::string unique = name;
    for (int n = 2; !taken.insert(unique).second; ++n) unique = name + "_" + std::to_string(n);
    names.push_back(std::move(unique));
  }
  return names;
}

FlaskApp::FlaskApp(AppConfig config, double epoch)
    : config_(std::move(config)), epoch_(epoch), sweep_(epoch) {
  const auto all_valid = [this](const std::vector<std::string>& texts, const RouteLimit& options,
                                LimitCheck::Source source) -> std::optional<std::vector<Limit>> {
    std::vector<Limit> limits;
    bool valid = true;
    for (const std::string& text : texts) {
      RouteLimit group = options;
      group.limit = text;
      const auto parsed = add_group(std::move(group), source);
      if (!parsed) valid = false;
      if (parsed) limits.insert(limits.end(), parsed->begin(), parsed->end());
    }
    if (!valid) return std::nullopt;
    return unique_in_order(limits);
  };
  RouteLimit application;
  application.cost = config_.application_limits_cost;
  application.override_defaults = false;
  application.shared_scope = "global";
  application.key_func = config_.key_func;
  application_limits_ = all_valid(config_.application_limits, application, LimitCheck::Source::Application);
  RouteLimit defaults;
  defaults.cost = config_.default_limits_cost;
  defaults.override_defaults = false;
  defaults.per_method = config_.default_limits_per_method;
  defaults.key_func = config_.key_func;
  default_limits_ = all_valid(config_.default_limits, defaults, LimitCheck::Source::Default);

  std::vector<std::string> paths;
  for (const Route& route : config_.routes) paths.push_back(route.path);
  endpoints_ = endpoint_names(paths);
  for (std::size_t r = 0; r < config_.routes.size(); ++r) {
    Route& route = config_.routes[r];
    for (std::string& method : route.methods) method = uppercase(method);  // as Flask registers it
    routes_by_path_.emplace(route.path, r);
    std::vector<Limit> decorated;
    if (!route.exempt) {  // @limiter.exempt also drops the route's own limits
      // Decorators register bottom-up, and identical ones collapse (an OrderedSet of LimitGroup).
      std::vector<RouteLimit> decorators(route.limits.rbegin(), route.limits.rend());
      for (const RouteLimit& decorator : unique_in_order(decorators)) {
        const auto source = decorator.shared_scope ? LimitCheck::Source::Shared : LimitCheck::Source::Route;
        // An invalid decorated string is logged and dropped at request time.
        if (const auto parsed = add_group(decorator, source)) {
          decorated.insert(decorated.end(), parsed->begin(), parsed->end());
        }
      }
    }
    decorated_limits_.push_back(std::move(decorated));
  }
}

FlaskApp::~FlaskApp() = default;

std::optional<std::vector<FlaskApp::Limit>> FlaskApp::add_group(RouteLimit options, LimitCheck::Source source) {
  auto group = std::make_unique<Group>();
  group->options = std::move(options);
  group->source = source;
  for (const std::string& method : group->options.methods) group->methods.push_back(lowercase(method));
  group->options_id = groups_.size();
  for (const auto& other : groups_) {
    if (group->same_options(*other)) {
      group->options_id = other->options_id;
      break;
    }
  }
  groups_.push_back(std::move(group));
  const Group* added = groups_.back().get();

  std::vector<Limit> limits;
  const std::string& text = added->options.limit;
  if (text.empty()) return limits;  // Flask-Limiter skips an empty string silently
  const ParseResult parsed = parse_rates(text);
  if (std::holds_alternative<ParseError>(parsed)) return std::nullopt;
  for (const RateLimit& rate : std::get<std::vector<RateLimit>>(parsed)) {
    auto store = std::find_if(stores_.begin(), stores_.end(),
                              [&](const auto& s) { return s->limiter->rate() == rate; });
    if (store == stores_.end()) {
      stores_.push_back(std::make_unique<Store>());
      stores_.back()->limiter = make_limiter(config_.strategy, rate, config_.strategy_options, sweep_);
      store = std::prev(stores_.end());
    }
    limits.push_back({rate, added, store->get()});
  }
  return limits;
}

std::optional<std::size_t> FlaskApp::find_route(const std::string& path) const {
  const auto it = routes_by_path_.find(path);
  if (it == routes_by_path_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::vector<FlaskApp::Limit>> FlaskApp::filter_limits(std::size_t route_index,
                                                                    bool in_middleware,
                                                                    const Request& request,
                                                                    Context& ctx) const {
  const Route& route = config_.routes[route_index];
  const bool decorated_route = !route.limits.empty();
  const bool before_request_context = in_middleware && decorated_route;
  const std::vector<Limit> no_limits;
  const std::vector<Limit>& decorated = in_middleware ? no_limits : decorated_limits_[route_index];

  std::vector<Limit> all;
  if (in_middleware && !route.exempt) {
    if (!application_limits_) return std::nullopt;
    all = *application_limits_;
  }
  const bool all_method_exempt = std::all_of(decorated.begin(), decorated.end(),
                                             [&](const Limit& l) { return l.method_exempt(request.method); });
  const bool all_keep_defaults = std::all_of(decorated.begin(), decorated.end(),
                                             [](const Limit& l) { return !l.group->options.override_defaults; });
  if ((all_method_exempt || all_keep_defaults) && !(before_request_context || route.exempt)) {
    if (!default_limits_) return std::nullopt;
    all.insert(all.end(), default_limits_->begin(), default_limits_->end());
  }

  // OrderedSet(defaults) - seen_limits, then seen_limits.update(defaults).
  std::vector<Limit> limits;
  for (const Limit& limit : all) {
    if (std::find(ctx.seen_limits.begin(), ctx.seen_limits.end(), limit) == ctx.seen_limits.end()) {
      limits.push_back(limit);
    }
  }
  ctx.seen_limits.insert(ctx.seen_limits.end(), limits.begin(), limits.end());
  limits.insert(limits.end(), decorated.begin(), decorated.end());
  return limits;
}

bool FlaskApp::evaluate(const Route& route, std::vector<Limit> limits,
                        LimitCheck::Checkpoint checkpoint, const Request& request, double now,
                        Context& ctx, Response& response) {
  std::stable_sort(limits.begin(), limits.end(),
                   [](const Limit& a, const Limit& b) { return unit_shorter(a.rate, b.rate); });
  struct Evaluated {
    const Limit* limit;
    KeyId key;
  };
  std::vector<Evaluated> view_limits;
  std::optional<Evaluated> header_limit;
  std::optional<Evaluated> first_failure;
  bool stopped = false;
  double delay = 0;

  for (const Limit& limit : limits) {
    LimitCheck check;
    check.checkpoint = checkpoint;
    check.source = limit.group->source;
    check.limit = limit.rate;
    check.cost = cost_of(limit, request);
    const auto record = [&](LimitCheck::Result result) {
      if (!tracing_) return;
      check.result = result;
      response.trace.push_back(check);
    };
    if (stopped) {
      ctx.checked.push_back(limit.rate);  // not reached, but still a policy of this resource
      record(LimitCheck::Result::NotReached);
      continue;
    }
    if (limit.method_exempt(request.method)) {
      record(LimitCheck::Result::SkippedMethod);
      continue;
    }
    check.storage_key = storage_key(limit, route, request);
    if (check.storage_key.empty()) {
      record(LimitCheck::Result::SkippedEmptyKey);
      continue;
    }
    Store& store = *limit.store;
    const KeyId id = store.key(check.storage_key);
    std::string* why = tracing_ ? &check.detail : nullptr;
    bool passed = false;
    if (limit.group->options.deduct_when_status) {
      passed = store.limiter->test(id, now, why);
      auto existing = std::find_if(ctx.conditional_deductions.begin(), ctx.conditional_deductions.end(),
                                   [&](const Context::Deduction& d) { return d.limit == limit; });
      if (existing != ctx.conditional_deductions.end()) {
        existing->storage_key = check.storage_key;
        existing->cost = check.cost;
      } else {
        ctx.conditional_deductions.push_back({limit, check.storage_key, check.cost});
      }
    } else {
      const Decision decision = store.limiter->hit(id, now, check.cost, why);
      passed = decision.allowed;
      delay = std::max(delay, decision.delay);
    }
    view_limits.push_back({&limit, id});
    ctx.checked.push_back(limit.rate);
    if (!passed) {
      if (!first_failure) first_failure = view_limits.back();
      header_limit = view_limits.back();
      stopped = config_.fail_on_first_breach;
    }
    record(!passed ? LimitCheck::Result::Breached
                   : limit.group->options.deduct_when_status ? LimitCheck::Result::Tested
                                                     : LimitCheck::Result::Charged);
  }

  if (!header_limit && !view_limits.empty()) {
    // Prefer a limit that is not shared: the best hint for the client.
    const auto explicit_limit = std::find_if(view_limits.begin(), view_limits.end(),
                                             [](const Evaluated& e) { return !e.limit->group->shared(); });
    header_limit = explicit_limit != view_limits.end() ? *explicit_limit : view_limits.front();
  }
  ctx.view_rate_limit.reset();
  if (header_limit) {
    ctx.view_rate_limit = Context::HeaderLimit{header_limit->limit->store, header_limit->limit->rate, header_limit->key};
  }

  if (!first_failure) {
    response.delay = std::max(response.delay, delay);
    return true;
  }
  // The 429 names the first breach in unit order; limits were evaluated in that order.
  const Limit& breached = *first_failure->limit;
  const std::string description = breached.group->options.error_message.value_or(breached.rate.text());
  response.status = 429;
  response.body = config_.custom_error_handler ? "rate limited: " + description
                                               : too_many_requests_page(description);
  response.delay = 0;
  return false;
}

void FlaskApp::after_request(Context& ctx, double now, Response& response) {
  for (const Context::Deduction& deduction : ctx.conditional_deductions) {
    const std::vector<int>& statuses = *deduction.limit.group->options.deduct_when_status;
    const bool deduct = std::find(statuses.begin(), statuses.end(), response.status) != statuses.end();
    Store& store = *deduction.limit.store;
    LimitCheck check;
    check.checkpoint = LimitCheck::Checkpoint::AfterRequest;
    check.source = deduction.limit.group->source;
    check.limit = deduction.limit.rate;
    check.storage_key = deduction.storage_key;
    check.cost = deduction.cost;
    check.result = deduct ? LimitCheck::Result::Deducted : LimitCheck::Result::NotDeducted;
    if (deduct) {
      store.limiter->hit(store.key(check.storage_key), now, check.cost, tracing_ ? &check.detail : nullptr);
    } else if (tracing_) {
      check.detail = "status " + std::to_string(response.status) + " is not one of deduct_when's";
    }
    if (tracing_) response.trace.push_back(std::move(check));
  }
  if (!ctx.view_rate_limit) return;
  const Context::HeaderLimit& current = *ctx.view_rate_limit;
  const WindowStats stats = current.store->limiter->window_stats(current.key, now);
  const auto reset_at = static_cast<std::int64_t>(std::trunc(stats.reset + 1));
  response.limit = current.rate.text();
  response.headers = {
      {"X-RateLimit-Limit", std::to_string(current.rate.amount)},
      {"X-RateLimit-Remaining", std::to_string(stats.remaining)},
      {"X-RateLimit-Reset", std::to_string(reset_at)},
      {"Retry-After", config_.retry_after_http_date
                          ? http_date(reset_at)
                          : std::to_string(static_cast<std::int64_t>(
                                std::trunc(static_cast<double>(reset_at) - now)))},
  };
  std::vector<RateLimit> policies;
  for (const RateLimit& rate : ctx.checked) {
    if (std::find(policies.begin(), policies.end(), rate) == policies.end()) policies.push_back(rate);
  }
  for (const RateLimit& rate : policies) {
    if (!response.ratelimit_policy.empty()) response.ratelimit_policy += ", ";
    response.ratelimit_policy += "\"" + rate.short_text() + "\";q=" + std::to_string(rate.amount) +
                                 ";w=" + std::to_string(rate.window_seconds());
  }
  // From the instant itself: limits' truncated reset can be up to a second early (even 0 while
  // the window is open), the early return lesson 10 is about.
  const double seconds_left = std::max(0.0, std::ceil(stats.exact_reset - now));
  response.ratelimit = "\"" + current.rate.short_text() + "\";r=" +
                       std::to_string(std::max<std::int64_t>(0, stats.remaining)) +
                       ";t=" + std::to_string(static_cast<std::int64_t>(seconds_left));
}

std::string FlaskApp::storage_key(const Limit& limit, const Route& route, const Request& request) const {
  // Limit.scope_for: an empty scope falls back to the endpoint.
  const std::optional<std::string>& scope_name = limit.group->options.shared_scope;
  std::string scope = scope_name && !scope_name->empty() ? *scope_name
                                                         : endpoints_[routes_by_path_.at(route.path)];
  if (limit.group->options.per_method) scope += ":" + uppercase(request.method);
  const KeyFunc& key_func = limit.group->options.key_func;
  std::string key;
  switch (key_func.kind) {
    case KeyFunc::Kind::RemoteAddress: key = request.key.empty() ? "127.0.0.1" : request.key; break;
    case KeyFunc::Kind::Constant: key = key_func.argument; break;
    case KeyFunc::Kind::Header: key = header_value(request.headers, key_func.argument); break;
  }
  if (key.empty()) return key;  // Flask-Limiter skips the limit ("Empty value found")
  return "LIMITER/" + (config_.key_prefix.empty() ? "" : config_.key_prefix + "/") + key + "/" + scope +
         "/" + std::to_string(limit.rate.amount) + "/" + std::to_string(limit.rate.multiples) + "/" +
         std::string(granularity_name(limit.rate.granularity));
}

std::int64_t FlaskApp::cost_of(const Limit& limit, const Request& request) const {
  const LimitCheck::Source source = limit.group->source;
  const bool own_limit = source == LimitCheck::Source::Route || source == LimitCheck::Source::Shared;
  return own_limit && request.cost ? *request.cost : effective_cost(limit.group->options.cost);
}

std::vector<LimitState> FlaskApp::inspect(const Request& probe, double now) {
  std::vector<LimitState> states;
  const std::optional<std::size_t> r = find_route(probe.path);
  if (!r) return states;
  const Route& route = config_.routes[*r];
  Context ctx;
  for (const bool in_middleware : {true, false}) {
    if (!in_middleware && route.limits.empty()) break;
    auto limits = filter_limits(*r, in_middleware, probe, ctx);
    if (!limits) return {};
    std::stable_sort(limits->begin(), limits->end(),
                     [](const Limit& a, const Limit& b) { return unit_shorter(a.rate, b.rate); });
    for (const Limit& limit : *limits) {
      if (limit.method_exempt(probe.method)) continue;
      LimitState state;
      state.checkpoint = in_middleware ? LimitCheck::Checkpoint::BeforeRequest : LimitCheck::Checkpoint::View;
      state.source = limit.group->source;
      state.limit = limit.rate;
      state.storage_key = storage_key(limit, route, probe);
      if (state.storage_key.empty()) continue;
      const KeyId id = limit.store->key(state.storage_key);
      state.snapshot = limit.store->limiter->snapshot(id, now);
      state.stats = limit.store->limiter->window_stats(id, now);
      states.push_back(std::move(state));
    }
  }
  return states;
}

Response FlaskApp::handle(const Request& request) {
  const double now = epoch_ + request.t;
  // Werkzeug routes and Flask dispatches on the upper-cased method, but only a request sent
  // exactly as HEAD gets its body dropped.
  const std::string method = uppercase(request.method);
  const auto allows = [&](const Route& r) {
    return contains(r.methods, method) || method == "OPTIONS" ||
           (method == "HEAD" && contains(r.methods, "GET"));
  };
  Response response;
  const std::optional<std::size_t> r = find_route(request.path);
  const std::optional<std::size_t> with_slash = find_route(request.path + "/");

  if (!r && with_slash && allows(config_.routes[*with_slash])) {
    // strict_slashes: /a redirects to the route /a/, before any limit is looked at.
    response.status = 308;
    response.body = werkzeug_redirect_page("http://localhost" + config_.routes[*with_slash].path);
  } else if (!r) {
    // Unmatched requests have no endpoint: Flask-Limiter applies no limit and sends no header.
    response.status = 404;
    response.body = werkzeug_error_page(404, "The requested URL was not found on the server. If you "
                                             "entered the URL manually please check your spelling "
                                             "and try again.");
  } else if (!allows(config_.routes[*r])) {
    response.status = 405;
    response.body = werkzeug_error_page(405, "The method is not allowed for the requested URL.");
  } else {
    const Route& route = config_.routes[*r];
    // Flask answers OPTIONS itself unless the route lists it.
    const bool automatic_options = method == "OPTIONS" && !contains(route.methods, "OPTIONS");
    Context ctx;
    const auto checkpoint = [&](bool in_middleware) {
      auto limits = filter_limits(*r, in_middleware, request, ctx);
      if (!limits) {
        response.status = 500;
        response.body = werkzeug_error_page(
            500, "The server encountered an internal error and was unable to complete your "
                 "request. Either the server is overloaded or there is an error in the application.");
        return false;
      }
      return evaluate(route, std::move(*limits),
                      in_middleware ? LimitCheck::Checkpoint::BeforeRequest : LimitCheck::Checkpoint::View,
                      request, now, ctx, response);
    };
    // The view wrapper only exists on decorated routes, and Flask answers OPTIONS before it.
    const bool wrapped = !route.limits.empty() && !automatic_options;
    bool passed = checkpoint(true);
    if (passed && wrapped) {
      passed = checkpoint(false);
    } else if (wrapped && response.status == 429) {
      // Refused before the view: its limits were not reached, but they are still this resource's
      // policy, which RateLimit-Policy lists whatever the answer.
      if (const auto limits = filter_limits(*r, false, request, ctx)) {
        for (const Limit& limit : *limits) {
          if (!limit.method_exempt(request.method)) ctx.checked.push_back(limit.rate);
        }
      }
    }
    if (passed) {
      response.status = automatic_options ? 200 : request.status;
      response.body = automatic_options ? "" : "ok";
    }
    after_request(ctx, now, response);
  }
  // Werkzeug sends no body for HEAD, 204 and 304.
  if (request.method == "HEAD" || response.status == 204 || response.status == 304) response.body.clear();
  return response;
}

}  // namespace ratelimit
