#include "core/flask_app.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

namespace ratelimit::test {

namespace {

constexpr double E = 1700000000;

RouteLimit decorator(std::string limit) {
  RouteLimit l;
  l.limit = std::move(limit);
  return l;
}

Route route(std::string path, std::vector<RouteLimit> limits = {}) {
  Route r;
  r.path = std::move(path);
  r.limits = std::move(limits);
  return r;
}

struct App {
  FlaskApp app;
  explicit App(AppConfig config) : app(std::move(config), E) {}

  Response send(double t, std::string path = "/", std::string method = "GET", int status = 200,
                std::string key = "1.2.3.4", Headers headers = {}) {
    Request r;
    r.t = t;
    r.path = std::move(path);
    r.method = std::move(method);
    r.status = status;
    r.key = std::move(key);
    r.headers = std::move(headers);
    return app.handle(r);
  }
  std::vector<int> statuses(const std::vector<std::pair<double, std::string>>& requests) {
    std::vector<int> out;
    for (const auto& [t, path] : requests) out.push_back(send(t, path).status);
    return out;
  }
};

std::optional<std::string> header(const Response& r, const std::string& name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return std::nullopt;
}

AppConfig with_routes(std::vector<Route> routes) {
  AppConfig c;
  c.routes = std::move(routes);
  return c;
}

}  // namespace

TEST_CASE("flask app: headers of the first hit; Reset is one second late and Retry-After exceeds the window") {
  AppConfig c = with_routes({route("/")});
  c.default_limits = {"10/minute"};
  App a(c);
  const Response first = a.send(0);
  CHECK(first.status == 200);
  CHECK(first.body == "ok");
  CHECK(first.headers == Headers{{"X-RateLimit-Limit", "10"}, {"X-RateLimit-Remaining", "9"},
                                 {"X-RateLimit-Reset", "1700000061"}, {"Retry-After", "61"}});
  CHECK(first.limit == "10 per 1 minute");
  App b(c);
  const Response half = b.send(0.5);
  CHECK(header(half, "X-RateLimit-Reset") == "1700000061");
  CHECK(header(half, "Retry-After") == "60");
}

TEST_CASE("flask app: default limits count per route, application limits across all routes") {
  SUBCASE("defaults") {
    AppConfig c = with_routes({route("/a"), route("/b")});
    c.default_limits = {"2/minute"};
    App a(c);
    CHECK(a.statuses({{0, "/a"}, {1, "/a"}, {2, "/b"}, {3, "/b"}, {4, "/a"}}) ==
          std::vector<int>{200, 200, 200, 200, 429});
  }
  SUBCASE("application limits") {
    AppConfig c = with_routes({route("/a"), route("/b")});
    c.application_limits = {"3/minute"};
    App a(c);
    CHECK(a.statuses({{0, "/a"}, {1, "/a"}, {2, "/b"}, {3, "/b"}}) == std::vector<int>{200, 200, 200, 429});
  }
}

TEST_CASE("flask app: the Limiter's key function counts the default and application limits") {
  // Limiter(key_func) keys every limit without its own: behind a proxy without ProxyFix that is
  // the proxy's address for every client, so two clients share the defaults' counter.
  AppConfig c = with_routes({route("/a"), route("/b", {decorator("5/minute")})});
  c.default_limits = {"2/minute"};
  c.application_limits = {"4/minute"};
  c.key_func = {KeyFunc::Kind::Constant, "10.0.0.254"};
  App a(c);
  CHECK(a.send(0, "/a", "GET", 200, "1.1.1.1").status == 200);
  CHECK(a.send(1, "/a", "GET", 200, "2.2.2.2").status == 200);
  const Response third = a.send(2, "/a", "GET", 200, "3.3.3.3");
  CHECK(third.status == 429);
  REQUIRE(third.trace.size() == 2);
  CHECK(third.trace[0].storage_key == "LIMITER/10.0.0.254/global/4/1/minute");
  CHECK(third.trace[1].storage_key == "LIMITER/10.0.0.254/a/2/1/minute");
  // The route's own decorator keeps its own key function (here the remote address).
  const Response routed = a.send(3, "/b", "GET", 200, "4.4.4.4");
  CHECK(routed.status == 200);
  REQUIRE(routed.trace.size() == 2);
  CHECK(routed.trace[1].storage_key == "LIMITER/4.4.4.4/b/5/1/minute");
  // The application limit (4 across all routes, counted for everyone) is the next to refuse.
  CHECK(a.send(4, "/b", "GET", 200, "5.5.5.5").status == 429);
}

TEST_CASE("flask app: a route's limits replace the defaults; override_defaults=False counts both") {
  AppConfig c;
  c.default_limits = {"4/minute"};
  RouteLimit both = decorator("4/minute");
  both.override_defaults = false;
  c.routes = {route("/own", {decorator("4/minute")}), route("/both", {both})};
  App a(c);
  CHECK(header(a.send(0, "/own"), "X-RateLimit-Remaining") == "3");
  // Default and decorated 4/minute share the storage key /both: each request adds 2.
  CHECK(header(a.send(0, "/both"), "X-RateLimit-Remaining") == "2");
  CHECK(a.send(1, "/both").status == 200);
  CHECK(a.send(2, "/both").status == 429);
}

TEST_CASE("flask app: several limits are charged in unit order and not atomically") {
  App a(with_routes({route("/", {decorator("3/hour;2/minute")})}));
  struct Row { double t; int status; const char* body_limit; };
  const Row rows[] = {{0, 200, nullptr},  {1, 200, nullptr},           {2, 429, "2 per 1 minute"},
                      {61, 200, nullptr}, {62, 429, "3 per 1 hour"}, {63, 429, "2 per 1 minute"}};
  for (const Row& row : rows) {
    CAPTURE(row.t);
    const Response r = a.send(row.t);
    CHECK(r.status == row.status);
    if (row.body_limit) CHECK(r.body.find(std::string("<p>") + row.body_limit + "</p>") != std::string::npos);
  }
  const Response traced = a.send(120);  // minute window open since 61: charged 61, 62, 63
  REQUIRE(traced.trace.size() == 2);
  CHECK(traced.trace[0].limit.text() == "2 per 1 minute");
  CHECK(traced.trace[0].result == LimitCheck::Result::Breached);
  CHECK(traced.trace[1].result == LimitCheck::Result::NotReached);
}

TEST_CASE("flask app: with fail_on_first_breach off, the page names the first breach, the headers the last") {
  AppConfig c = with_routes({route("/", {decorator("1/hour"), decorator("1/minute")})});
  c.fail_on_first_breach = false;
  App a(c);
  a.send(0);
  const Response r = a.send(1);
  CHECK(r.status == 429);
  CHECK(r.body.find("<p>1 per 1 minute</p>") != std::string::npos);
  CHECK(header(r, "X-RateLimit-Reset") == "1700003601");
}

TEST_CASE("flask app: @limiter.exempt beats @limiter.limit and removes every header") {
  AppConfig c;
  c.default_limits = {"1/minute"};
  c.application_limits = {"1/minute"};
  Route r = route("/", {decorator("1/minute")});
  r.exempt = true;
  c.routes = {r};
  App a(c);
  for (double t : {0.0, 1.0, 2.0}) {
    const Response resp = a.send(t);
    CHECK(resp.status == 200);
    CHECK(resp.headers.empty());
  }
}

TEST_CASE("flask app: invalid limit strings") {
  SUBCASE("a bad decorated string is dropped and the defaults apply") {
    AppConfig c = with_routes({route("/", {decorator("10/minits")})});
    c.default_limits = {"1/minute"};
    App a(c);
    CHECK(a.send(0).status == 200);
    CHECK(a.send(1).status == 429);
  }
  SUBCASE("a bad default string breaks undecorated routes with a 500 and no headers") {
    AppConfig c = with_routes({route("/plain"), route("/own", {decorator("5/minute")})});
    c.default_limits = {"nonsense"};
    App a(c);
    const Response plain = a.send(0, "/plain");
    CHECK(plain.status == 500);
    CHECK(plain.headers.empty());
    CHECK(plain.body.find("<title>500 Internal Server Error</title>") != std::string::npos);
    CHECK(a.send(0, "/own").status == 200);
  }
  SUBCASE("a bad application string breaks every route that is not exempt") {
    AppConfig c = with_routes({route("/a"), route("/b", {decorator("5/minute")})});
    c.application_limits = {"5/fortnight"};
    App a(c);
    CHECK(a.statuses({{0, "/a"}, {0, "/b"}}) == std::vector<int>{500, 500});
  }
  SUBCASE("an empty decorated string limits nothing, so the defaults apply") {
    AppConfig c = with_routes({route("/", {decorator("")})});
    c.default_limits = {"1/minute"};
    App a(c);
    CHECK(a.statuses({{0, "/"}, {1, "/"}}) == std::vector<int>{200, 429});
  }
}

TEST_CASE("flask app: unmatched paths and methods get Werkzeug's 404 and 405, without limits") {
  AppConfig c = with_routes({route("/")});
  c.application_limits = {"1/minute"};
  App a(c);
  const Response missing = a.send(0, "/nope");
  CHECK(missing.status == 404);
  CHECK(missing.headers.empty());
  CHECK(missing.body ==
        "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested "
        "URL was not found on the server. If you entered the URL manually please check your spelling and try "
        "again.</p>\n");
  const Response wrong = a.send(0, "/", "POST");
  CHECK(wrong.status == 405);
  CHECK(wrong.headers.empty());
  CHECK(a.send(0, "/").status == 200);  // neither used the application limit
}

TEST_CASE("flask app: HEAD and OPTIONS") {
  AppConfig c = with_routes({route("/", {decorator("1/minute")})});
  c.application_limits = {"10/minute"};
  App a(c);
  const Response options = a.send(0, "/", "OPTIONS");
  CHECK(options.status == 200);
  CHECK(options.body.empty());
  CHECK(header(options, "X-RateLimit-Limit") == "10");  // the view's own limit never ran
  const Response head = a.send(1, "/", "HEAD");
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(header(head, "X-RateLimit-Limit") == "1");
  CHECK(a.send(2, "/", "HEAD").status == 429);
  // HEAD is served only where GET is: on a POST-only route it is refused before any limit.
  Route post_only = route("/post-only", {decorator("1/minute")});
  post_only.methods = {"POST"};
  App p(with_routes({post_only}));
  for (double t : {0.0, 1.0}) {
    const Response refused = p.send(t, "/post-only", "HEAD");
    CHECK(refused.status == 405);
    CHECK_FALSE(header(refused, "X-RateLimit-Limit"));
  }
}

TEST_CASE("flask app: deduct_when tests first and charges after the response") {
  RouteLimit failures = decorator("1/minute");
  failures.deduct_when_status = std::vector<int>{500};
  App a(with_routes({route("/", {failures})}));
  const Response ok = a.send(63.5);
  CHECK(ok.status == 200);
  // Only tested: nothing is stored, so reset = int(now) and Retry-After rounds down to 0.
  CHECK(header(ok, "X-RateLimit-Reset") == "1700000064");
  CHECK(header(ok, "Retry-After") == "0");
  CHECK(a.send(64, "/", "GET", 500).status == 500);
  CHECK(a.send(65).status == 429);
}

TEST_CASE("flask app: deduct_when charges the limit's cost, not 1") {
  RouteLimit heavy = decorator("10/minute");
  heavy.cost = 3;
  heavy.deduct_when_status = std::vector<int>{200};
  App a(with_routes({route("/", {heavy})}));
  CHECK(header(a.send(0), "X-RateLimit-Remaining") == "7");
  CHECK(header(a.send(1), "X-RateLimit-Remaining") == "4");
}

TEST_CASE("flask app: error_message is escaped on Werkzeug's page and passed to a custom handler") {
  RouteLimit polite = decorator("1/minute");
  polite.error_message = "Slow down <please>";
  AppConfig c = with_routes({route("/", {polite})});
  App page(c);
  page.send(0);
  CHECK(page.send(1).body ==
        "<!doctype html>\n<html lang=en>\n<title>429 Too Many Requests</title>\n<h1>Too Many Requests</h1>\n"
        "<p>Slow down &lt;please&gt;</p>\n");
  c.custom_error_handler = true;
  App custom(c);
  custom.send(0);
  CHECK(custom.send(1).body == "rate limited: Slow down <please>");
}

TEST_CASE("flask app: retry_after=http-date sends the reset as an HTTP date") {
  AppConfig c = with_routes({route("/")});
  c.default_limits = {"10/minute"};
  c.retry_after_http_date = true;
  App a(c);
  CHECK(header(a.send(0), "Retry-After") == "Tue, 14 Nov 2023 22:14:21 GMT");
}

TEST_CASE("flask app: storage keys carry the prefix, key, scope and limit") {
  RouteLimit shared = decorator("2/minute");
  shared.shared_scope = "grp";
  RouteLimit per_method = decorator("5/minute");
  per_method.per_method = true;
  AppConfig c = with_routes({route("/a", {shared}), route("/b", {shared, per_method})});
  c.key_prefix = "myapp";
  App a(c);
  const Response r = a.send(0, "/b");
  REQUIRE(r.trace.size() == 2);  // decorators register bottom-up, so the lower one comes first
  CHECK(r.trace[0].storage_key == "LIMITER/myapp/1.2.3.4/b:GET/5/1/minute");
  CHECK(r.trace[1].storage_key == "LIMITER/myapp/1.2.3.4/grp/2/1/minute");
  CHECK(a.statuses({{1, "/a"}, {2, "/a"}}) == std::vector<int>{200, 429});  // shared with /b
}

TEST_CASE("flask app: endpoints are named as app.py names its views, each name once") {
  CHECK(endpoint_names({"/", "/api/items", "/v1.2/x~y", "/2fa", "/-._~", "/import", "/api-items", "/index", "/app"}) ==
        std::vector<std::string>{"index", "api_items", "v1_2_x_y", "r_2fa", "route_5", "import_2", "api_items_2",
                                 "index_2", "app_2"});
  // The scope of a route's own limits, and of the defaults on it, is its endpoint.
  AppConfig c = with_routes({route("/api/items", {decorator("2/minute")}), route("/health", {})});
  c.default_limits = {"5/minute"};
  App a(c);
  CHECK(a.send(0, "/api/items").trace[0].storage_key == "LIMITER/1.2.3.4/api_items/2/1/minute");
  CHECK(a.send(0, "/health").trace[0].storage_key == "LIMITER/1.2.3.4/health/5/1/minute");
}

TEST_CASE("flask app: a key function returning an empty string skips its limit") {
  RouteLimit anonymous = decorator("1/minute");
  anonymous.key_func = {KeyFunc::Kind::Header, "X-Api-Key"};
  App a(with_routes({route("/", {anonymous, decorator("3/minute")})}));
  CHECK(a.statuses({{0, "/"}, {1, "/"}, {2, "/"}, {3, "/"}}) == std::vector<int>{200, 200, 200, 429});
  const Response keyed = a.send(4, "/", "GET", 200, "5.6.7.8", {{"x-api-key", "k1"}});
  REQUIRE(keyed.trace.size() == 2);
  CHECK(keyed.trace[1].storage_key == "LIMITER/k1/index/1/1/minute");
}

TEST_CASE("flask app: a methods filter that skips every decorated limit leaves the response without headers") {
  RouteLimit posts = decorator("1/minute");
  posts.methods = {"POST"};
  Route r = route("/", {posts});
  r.methods = {"GET", "POST"};
  AppConfig c = with_routes({r});
  c.application_limits = {"2/minute"};
  App a(c);
  const Response get = a.send(0);
  CHECK(get.status == 200);
  CHECK(get.headers.empty());  // counted against the application limit all the same
  CHECK(a.send(1).status == 200);
  CHECK(a.send(2).status == 429);
}

TEST_CASE("flask app: identical stacked decorators collapse into one") {
  App a(with_routes({route("/", {decorator("1/minute"), decorator("1/minute")})}));
  CHECK(a.statuses({{0, "/"}, {1, "/"}}) == std::vector<int>{200, 429});
}

TEST_CASE("flask app: a cost of 0 counts as 1, as Flask-Limiter's `cost or 1`") {
  RouteLimit free = decorator("2/minute");
  free.cost = 0;
  App a(with_routes({route("/", {free})}));
  CHECK(a.statuses({{0, "/"}, {1, "/"}, {2, "/"}}) == std::vector<int>{200, 200, 429});
}

TEST_CASE("flask app: other algorithms plug in; the leaky queue's delay reaches the response") {
  AppConfig c = with_routes({route("/")});
  c.default_limits = {"1/second"};
  c.strategy = Algorithm::LeakyQueue;
  c.strategy_options.capacity = 3;
  App a(c);
  CHECK(a.send(0).delay == 0);
  CHECK(a.send(0).delay == 1);
  CHECK(a.send(0).delay == 2);
  const Response full = a.send(0);
  CHECK(full.status == 429);
  CHECK(full.delay == 0);
}

TEST_CASE("flask app: tracing off leaves the trace empty and the answers unchanged") {
  AppConfig c = with_routes({route("/")});
  c.default_limits = {"1/minute"};
  App traced(c);
  App quiet(c);
  quiet.app.set_tracing(false);
  for (double t : {0.0, 1.0}) {
    const Response x = traced.send(t);
    const Response y = quiet.send(t);
    CHECK(x.status == y.status);
    CHECK(x.headers == y.headers);
    CHECK_FALSE(x.trace.empty());
    CHECK(y.trace.empty());
  }
}

}  // namespace ratelimit::test

namespace ratelimit::test {

TEST_CASE("flask app: a route with a trailing slash redirects the bare path before any limit") {
  App a(with_routes({route("/a/", {decorator("1/minute")})}));
  const Response redirect = a.send(0, "/a");
  CHECK(redirect.status == 308);
  CHECK(redirect.headers.empty());
  CHECK(redirect.body ==
        "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You "
        "should be redirected automatically to the target URL: <a href=\"http://localhost/a/\">"
        "http://localhost/a/</a>. If not, click the link.\n");
  CHECK(a.send(1, "/a", "POST").status == 404);  // the slash route does not take POST
  CHECK(a.statuses({{2, "/a/"}, {3, "/a/"}}) == std::vector<int>{200, 429});
}

TEST_CASE("flask app: methods are case-insensitive, but only an upper-case HEAD loses its body") {
  RouteLimit per_method = decorator("1/minute");
  per_method.per_method = true;
  App a(with_routes({route("/", {per_method})}));
  CHECK(a.send(0, "/", "get").status == 200);
  CHECK(a.send(1, "/", "GET").status == 429);  // the same GET bucket
  const Response lower_head = a.send(2, "/", "head");
  CHECK(lower_head.status == 200);
  CHECK(lower_head.body == "ok");
  CHECK(a.send(3, "/", "HEAD").body.empty());
}

}  // namespace ratelimit::test

namespace ratelimit::test {

TEST_CASE("flask app: the same state in the IETF draft-11 fields") {
  AppConfig c = with_routes({route("/", {decorator("5/second;250/7days")})});
  App a(c);
  const Response r = a.send(0.5);
  CHECK(r.ratelimit_policy == "\"5/second\";q=5;w=1, \"250/7day\";q=250;w=604800");
  CHECK(r.ratelimit == "\"5/second\";r=4;t=1");
  // The policy stays the same when the first limit refuses and the second is not reached.
  for (int i = 0; i < 4; ++i) a.send(0.6);
  const Response refused = a.send(0.7);
  REQUIRE(refused.status == 429);
  CHECK(refused.ratelimit_policy == r.ratelimit_policy);
  CHECK(refused.ratelimit == "\"5/second\";r=0;t=1");
  // ... nor when an application limit refuses before the route's own limits are looked at.
  AppConfig shared = with_routes({route("/", {decorator("5/minute")})});
  shared.application_limits = {"1/minute"};
  App app(shared);
  const Response first = app.send(0);
  const Response second = app.send(1);
  REQUIRE(second.status == 429);
  CHECK(first.ratelimit_policy == "\"1/minute\";q=1;w=60, \"5/minute\";q=5;w=60");
  CHECK(second.ratelimit_policy == first.ratelimit_policy);
  // t counts from the window's real end, not from limits' truncated reset a second earlier: a
  // window opened at 0.5 ends at 60.5, so at 60.25 and at 18.2 the field must not say 0 or 42.
  App late(with_routes({route("/", {decorator("5/minute")})}));
  for (int i = 0; i < 5; ++i) late.send(0.5);
  CHECK(late.send(18.2).ratelimit == "\"5/minute\";r=0;t=43");
  CHECK(late.send(60.25).ratelimit == "\"5/minute\";r=0;t=1");
  App none(with_routes({route("/")}));
  CHECK(none.send(0).ratelimit.empty());
}

TEST_CASE("flask app: a request's own cost replaces the decorators' cost, not the defaults'") {
  AppConfig c = with_routes({route("/", {decorator("10/minute")})});
  App a(c);
  Request r;
  r.key = "1.2.3.4";
  r.cost = 7;
  CHECK(header(a.app.handle(r), "X-RateLimit-Remaining") == "3");
  r.cost = 4;
  CHECK(a.app.handle(r).status == 429);
  // A route without decorators meets the defaults, which keep their own cost.
  AppConfig plain = with_routes({route("/")});
  plain.default_limits = {"10/minute"};
  App d(plain);
  r.cost = 7;
  CHECK(header(d.app.handle(r), "X-RateLimit-Remaining") == "9");
}

TEST_CASE("flask app: inspect lists the limits a request would meet, in check order, charging nothing") {
  AppConfig c = with_routes({route("/", {decorator("60/minute;5/second")})});
  c.application_limits = {"1000/day"};
  App a(c);
  a.send(0);
  Request probe;
  probe.key = "1.2.3.4";
  const auto states = a.app.inspect(probe, E + 0.5);
  REQUIRE(states.size() == 3);
  CHECK(states[0].checkpoint == LimitCheck::Checkpoint::BeforeRequest);
  CHECK(states[0].limit.text() == "1000 per 1 day");
  CHECK(states[1].limit.text() == "5 per 1 second");
  CHECK(states[1].storage_key == "LIMITER/1.2.3.4/index/5/1/second");
  CHECK(states[1].snapshot.counter == 1);
  CHECK(states[1].stats.remaining == 4);
  CHECK(states[2].limit.text() == "60 per 1 minute");
  CHECK(header(a.send(0.6), "X-RateLimit-Remaining") == "3");  // inspecting charged nothing
}

}  // namespace ratelimit::test
