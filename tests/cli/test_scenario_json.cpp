#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "cli/scenario_json.hpp"

using namespace ratelimit;
using ratelimit::cli::Json;

namespace {

cli::ReadScenario read(const std::string& text) { return cli::read_scenario(Json::parse(text)); }

std::string error_of_json(const Json& json) {
  const cli::ReadScenario read_back = cli::read_scenario(json);
  REQUIRE(std::holds_alternative<cli::ScenarioError>(read_back));
  return std::get<cli::ScenarioError>(read_back).message;
}

std::string error_of(const std::string& text) { return error_of_json(Json::parse(text)); }

cli::FlaskInput flask(const std::string& text) {
  cli::ReadScenario read_back = read(text);
  if (const auto* error = std::get_if<cli::ScenarioError>(&read_back)) FAIL(error->message);
  REQUIRE(std::holds_alternative<cli::FlaskInput>(read_back));
  return std::get<cli::FlaskInput>(std::move(read_back));
}

cli::LimitsInput limits(const std::string& text) {
  cli::ReadScenario read_back = read(text);
  if (const auto* error = std::get_if<cli::ScenarioError>(&read_back)) FAIL(error->message);
  REQUIRE(std::holds_alternative<cli::LimitsInput>(read_back));
  return std::get<cli::LimitsInput>(std::move(read_back));
}

constexpr const char* kFlaskFieldList =
    R"("mode", "strategy", "strategy_options", "epoch", "default_limits", "application_limits", )"
    R"("default_limits_per_method", "default_limits_cost", "application_limits_cost", "fail_on_first_breach", )"
    R"("retry_after", "key_prefix", "error_handler", "routes", "requests")";

// A Flask scenario with `fields` added to the required ones, e.g. R"("key_prefix": 1)".
std::string with(const std::string& fields) { return R"({"routes": [], "requests": [], )" + fields + "}"; }

Json simulate(const std::string& text, bool trace = false) {
  std::uint64_t checks = cli::kMaxLimitChecks;
  return cli::simulate(Json::parse(text), trace, checks);
}

}  // namespace

// ---- reading: defaults --------------------------------------------------------------------

TEST_CASE("reading: a Flask scenario needs only routes and requests; the rest takes the format's defaults") {
  const cli::FlaskInput input = flask(R"({"routes": [{}], "requests": [{}]})");
  const AppConfig& app = input.scenario.app;
  CHECK(input.epoch == Json(1700000000));
  CHECK(input.epoch.is_number_integer());
  CHECK(input.scenario.epoch == kDefaultEpoch);
  CHECK(app.strategy == Algorithm::FixedWindow);
  CHECK_FALSE(app.strategy_options.capacity.has_value());
  CHECK(app.strategy_options.delay == 0);
  CHECK_FALSE(app.strategy_options.nodelay);
  CHECK(app.default_limits.empty());
  CHECK(app.application_limits.empty());
  CHECK_FALSE(app.default_limits_per_method);
  CHECK(app.default_limits_cost == 1);
  CHECK(app.application_limits_cost == 1);
  CHECK(app.fail_on_first_breach);
  CHECK_FALSE(app.retry_after_http_date);
  CHECK(app.key_prefix.empty());
  CHECK_FALSE(app.custom_error_handler);

  REQUIRE(app.routes.size() == 1);
  CHECK(app.routes[0].path == "/");
  CHECK(app.routes[0].methods == std::vector<std::string>{"GET"});
  CHECK_FALSE(app.routes[0].exempt);
  CHECK(app.routes[0].limits.empty());

  REQUIRE(input.scenario.requests.size() == 1);
  const Request& request = input.scenario.requests[0];
  CHECK(request.t == 0);
  CHECK(input.times == std::vector<Json>{Json(0)});
  CHECK(request.key == "127.0.0.1");
  CHECK(request.path == "/");
  CHECK(request.method == "GET");
  CHECK(request.headers.empty());
  CHECK(request.status == 200);
}

TEST_CASE("reading: a limit written as a string is a decorator with every option at its default") {
  const cli::FlaskInput input =
      flask(R"({"routes": [{"limits": ["10/minute", {"limit": "5/second"}]}], "requests": []})");
  RouteLimit expected;
  expected.limit = "10/minute";
  CHECK(input.scenario.app.routes[0].limits[0] == expected);
  expected.limit = "5/second";
  CHECK(input.scenario.app.routes[0].limits[1] == expected);
  CHECK(expected.override_defaults);
  CHECK(expected.key_func.kind == KeyFunc::Kind::RemoteAddress);
}

TEST_CASE("reading: a route's override_defaults is the default of its limits that do not set their own") {
  const cli::FlaskInput input = flask(R"({"routes": [{"override_defaults": false, "limits": [
      "1/second", {"limit": "2/second"}, {"limit": "3/second", "override_defaults": true}]}], "requests": []})");
  const auto& limits = input.scenario.app.routes[0].limits;
  CHECK_FALSE(limits[0].override_defaults);
  CHECK_FALSE(limits[1].override_defaults);
  CHECK(limits[2].override_defaults);
}

TEST_CASE("reading: a limits-mode scenario needs only limit and hits") {
  const cli::LimitsInput input = limits(R"({"mode": "limits", "limit": "10/minute", "hits": [{}]})");
  CHECK(input.scenario.strategy == Algorithm::FixedWindow);
  CHECK(input.scenario.limit == "10/minute");
  CHECK(input.epoch == Json(1700000000));
  CHECK(input.scenario.epoch == kDefaultEpoch);
  REQUIRE(input.scenario.hits.size() == 1);
  CHECK(input.scenario.hits[0].t == 0);
  CHECK(input.scenario.hits[0].key == "127.0.0.1");
  CHECK(input.scenario.hits[0].cost == 1);
  CHECK(input.scenario.hits[0].op == LimitsOp::Kind::Hit);
}

// ---- reading: every field -----------------------------------------------------------------

TEST_CASE("reading: every Flask-mode field reaches the scenario") {
  const cli::FlaskInput input = flask(R"({
    "mode": "flask", "strategy": "token-bucket",
    "strategy_options": {"capacity": 5, "delay": 2, "nodelay": true},
    "epoch": 1700000000.5,
    "default_limits": ["200/day;50/hour"], "application_limits": ["1000/day"],
    "default_limits_per_method": true, "default_limits_cost": 2, "application_limits_cost": 3,
    "fail_on_first_breach": false, "retry_after": "http-date", "key_prefix": "app",
    "error_handler": "custom",
    "routes": [{"path": "/a", "methods": ["GET", "post"], "exempt": true, "override_defaults": false,
                "limits": [{"limit": "10/minute", "cost": 4, "override_defaults": true, "per_method": true,
                            "methods": ["get"], "error_message": "slow down", "key_func": "header:X-Key",
                            "deduct_when_status": [200, 500], "shared_scope": "group"},
                           {"limit": "1/second", "key_func": "const:everyone", "error_message": null,
                            "shared_scope": null, "deduct_when_status": null, "methods": null}]}],
    "requests": [{"t": 1.25, "key": "1.2.3.4", "path": "/a", "method": "POST",
                  "headers": {"X-Key": "k", "Accept": "*/*"}, "status": 503}]
  })");
  const AppConfig& app = input.scenario.app;
  CHECK(app.strategy == Algorithm::TokenBucket);
  CHECK(app.strategy_options.capacity == 5);
  CHECK(app.strategy_options.delay == 2);
  CHECK(app.strategy_options.nodelay);
  CHECK(input.scenario.epoch == 1700000000.5);
  CHECK(input.epoch.dump() == "1700000000.5");
  CHECK(app.default_limits == std::vector<std::string>{"200/day;50/hour"});
  CHECK(app.application_limits == std::vector<std::string>{"1000/day"});
  CHECK(app.default_limits_per_method);
  CHECK(app.default_limits_cost == 2);
  CHECK(app.application_limits_cost == 3);
  CHECK_FALSE(app.fail_on_first_breach);
  CHECK(app.retry_after_http_date);
  CHECK(app.key_prefix == "app");
  CHECK(app.custom_error_handler);

  const Route& route = app.routes.at(0);
  CHECK(route.path == "/a");
  CHECK(route.methods == std::vector<std::string>{"GET", "post"});  // validate() upper-cases
  CHECK(route.exempt);
  const RouteLimit& first = route.limits.at(0);
  CHECK(first.limit == "10/minute");
  CHECK(first.cost == 4);
  CHECK(first.override_defaults);
  CHECK(first.per_method);
  CHECK(first.methods == std::vector<std::string>{"get"});
  CHECK(first.error_message == "slow down");
  CHECK(first.key_func == KeyFunc{KeyFunc::Kind::Header, "X-Key"});
  CHECK(first.deduct_when_status == std::vector<int>{200, 500});
  CHECK(first.shared_scope == "group");
  const RouteLimit& second = route.limits.at(1);
  CHECK(second.key_func == KeyFunc{KeyFunc::Kind::Constant, "everyone"});
  CHECK_FALSE(second.override_defaults);  // from the route
  CHECK_FALSE(second.error_message.has_value());
  CHECK_FALSE(second.shared_scope.has_value());
  CHECK_FALSE(second.deduct_when_status.has_value());
  CHECK(second.methods.empty());

  const Request& request = input.scenario.requests.at(0);
  CHECK(request.t == 1.25);
  CHECK(input.times.at(0).dump() == "1.25");
  CHECK(request.key == "1.2.3.4");
  CHECK(request.path == "/a");
  CHECK(request.method == "POST");
  CHECK(request.headers == Headers{{"X-Key", "k"}, {"Accept", "*/*"}});
  CHECK(request.status == 503);
}

TEST_CASE("reading: every limits-mode field reaches the scenario") {
  const cli::LimitsInput input = limits(R"({"mode": "limits", "strategy": "gcra",
      "strategy_options": {"capacity": null, "delay": 1}, "limit": "10/minute", "epoch": 5,
      "hits": [{"t": 1, "key": "a", "cost": 3, "op": "hit"}, {"t": 2, "op": "test"}, {"t": 3, "op": "clear"}]})");
  CHECK(input.scenario.strategy == Algorithm::Gcra);
  CHECK_FALSE(input.scenario.strategy_options.capacity.has_value());
  CHECK(input.scenario.strategy_options.delay == 1);
  CHECK(input.scenario.epoch == 5);
  CHECK(input.epoch == Json(5));
  const auto& hits = input.scenario.hits;
  REQUIRE(hits.size() == 3);
  CHECK(hits[0].t == 1);
  CHECK(hits[0].key == "a");
  CHECK(hits[0].cost == 3);
  CHECK(hits[1].op == LimitsOp::Kind::Test);
  CHECK(hits[2].op == LimitsOp::Kind::Clear);
}

TEST_CASE("reading: every algorithm's name is a strategy") {
  for (Algorithm algorithm : kAllAlgorithms) {
    const std::string name(algorithm_name(algorithm));
    CAPTURE(name);
    CHECK(flask(with(R"("strategy": ")" + name + "\"")).scenario.app.strategy == algorithm);
  }
}

TEST_CASE("reading: key functions") {
  const auto key_func = [](const std::string& spec) {
    return flask(R"({"routes": [{"limits": [{"limit": "1/second", "key_func": ")" + spec +
                 R"("}]}], "requests": []})")
        .scenario.app.routes[0]
        .limits[0]
        .key_func;
  };
  CHECK(key_func("remote") == KeyFunc{});
  CHECK(key_func("const:a:b") == KeyFunc{KeyFunc::Kind::Constant, "a:b"});
  CHECK(key_func("const:") == KeyFunc{KeyFunc::Kind::Constant, ""});
  CHECK(key_func("header:X-Api-Key") == KeyFunc{KeyFunc::Kind::Header, "X-Api-Key"});
}

// ---- reading: errors ----------------------------------------------------------------------

TEST_CASE("errors: a wrong type names the field, what it takes and what it got") {
  CHECK(
      error_of(
          R"({"routes": [{"path": "/", "limits": ["10/minute", {"limit": "5/second", "cost": "2"}]}], "requests": []})") ==
      R"(routes[0].limits[1].cost: expected a whole number, got "2")");
  CHECK(error_of(with(R"("fail_on_first_breach": 1)")) ==
        "fail_on_first_breach: expected true or false, got 1");
  CHECK(error_of(with(R"("key_prefix": ["a"])")) == "key_prefix: expected a string, got an array");
  CHECK(error_of(with(R"("default_limits": "10/minute")")) ==
        R"(default_limits: expected a list, got "10/minute")");
  CHECK(error_of(with(R"("default_limits": [10])")) ==
        R"(default_limits[0]: expected a rate string such as "10/minute", got 10)");
  CHECK(error_of(with(R"("epoch": "now")")) == R"(epoch: expected a number, got "now")");
  CHECK(error_of(with(R"("strategy_options": [])")) == "strategy_options: expected an object, got an array");
  CHECK(error_of(R"({"routes": [5], "requests": []})") == "routes[0]: expected an object, got 5");
  CHECK(error_of(R"({"routes": [{"limits": [true]}], "requests": []})") ==
        "routes[0].limits[0]: expected a rate string or an object, got true");
  CHECK(error_of(R"({"routes": [], "requests": [{"t": null}]})") ==
        "requests[0].t: expected a number, got null");
  CHECK(error_of(R"({"routes": [], "requests": [{"headers": ["X"]}]})") ==
        "requests[0].headers: expected an object of header names and values, got an array");
  CHECK(error_of(R"({"routes": [], "requests": [{"headers": {"X-Key": 5}}]})") ==
        "requests[0].headers.X-Key: expected a string, got 5");
  CHECK(
      error_of(R"({"routes": [{"limits": [{"limit": "1/second", "error_message": 5}]}], "requests": []})") ==
      "routes[0].limits[0].error_message: expected a string or null, got 5");
  CHECK(error_of_json(Json(5)) == "scenario: expected an object, got 5");
  CHECK(error_of(R"({"mode": "limits", "limit": "1/second", "hits": [{"cost": 1.5}]})") ==
        "hits[0].cost: expected a whole number, got 1.5");
}

TEST_CASE("errors: whole-number fields take JSON integers only") {
  CHECK(error_of(with(R"("default_limits_cost": 2.0)")) ==
        "default_limits_cost: expected a whole number, got 2.0");
  CHECK(error_of(with(R"("default_limits_cost": true)")) ==
        "default_limits_cost: expected a whole number, got true");
}

TEST_CASE("errors: integers that do not fit say so") {
  CHECK(error_of(with(R"("default_limits_cost": 9223372036854775808)")) ==
        "default_limits_cost: 9223372036854775808 is too large; the most is 9223372036854775807");
  CHECK(error_of(with(R"("default_limits_cost": 100000000000000000000)")) ==
        "default_limits_cost: 1e+20 is too large; the most is 9223372036854775807");
  CHECK(error_of(with(R"("default_limits_cost": -1e300)")) ==
        "default_limits_cost: -1e+300 is too small; the least is -9223372036854775808");
  CHECK(error_of(R"({"routes": [], "requests": [{"status": 99999999999}]})") ==
        "requests[0].status: 99999999999 is too large; the most is 2147483647");
  CHECK(
      error_of(
          R"({"routes": [{"limits": [{"limit": "1/second", "deduct_when_status": [-99999999999]}]}], "requests": []})") ==
      "routes[0].limits[0].deduct_when_status[0]: -99999999999 is too small; the least is -2147483648");
}

TEST_CASE("errors: a number that is not finite is refused") {
  // JSON text cannot spell one (the parser refuses 1e400), but a document built in code can.
  Json scenario = Json::parse(R"({"routes": [], "requests": [{}]})");
  scenario["requests"][0]["t"] = std::numeric_limits<double>::infinity();
  CHECK(error_of_json(scenario) == "requests[0].t: expected a finite number");
  scenario = Json::parse(R"({"routes": [], "requests": []})");
  scenario["epoch"] = std::nan("");
  CHECK(error_of_json(scenario) == "epoch: expected a finite number");
}

TEST_CASE("errors: unknown fields are refused, with a did-you-mean for near misses") {
  CHECK(error_of(R"({"routes": [{"limit": []}], "requests": []})") ==
        R"(routes[0].limit: unknown field (did you mean "limits"?))");
  CHECK(error_of(with(R"("defualt_limits": [])")) ==
        R"(defualt_limits: unknown field (did you mean "default_limits"?))");
  CHECK(error_of(with(R"("Key-Prefix": "")")) == R"(Key-Prefix: unknown field (did you mean "key_prefix"?))");
  CHECK(error_of(R"({"routes": [], "requests": [{"header": {}}]})") ==
        R"(requests[0].header: unknown field (did you mean "headers"?))");
  CHECK(error_of(R"({"routes": [], "requests": [{"x": 1}]})") ==
        R"(requests[0].x: unknown field (a request has "t", "key", "path", "method", "headers", "status"))");
  CHECK(
      error_of(R"({"routes": [{"limits": [{"limit": "1/second", "scope": "a"}]}], "requests": []})") ==
      R"(routes[0].limits[0].scope: unknown field (a limit has "limit", "cost", "override_defaults", "per_method", "methods", "error_message", "key_func", "deduct_when_status", "shared_scope"))");
  CHECK(error_of(with(R"("strategy_options": {"burst": 1})")) ==
        R"(strategy_options.burst: unknown field (strategy_options has "capacity", "delay", "nodelay"))");
  SUBCASE("a field of the other mode is unknown") {
    CHECK(
        error_of(R"({"mode": "limits", "limit": "1/second", "hits": [], "routes": []})") ==
        R"(routes: unknown field (a limits-mode scenario has "mode", "strategy", "strategy_options", "limit", "epoch", "hits"))");
    CHECK(error_of(R"({"mode": "limits", "limits": "1/second", "hits": []})") ==
          R"(limits: unknown field (did you mean "limit"?))");
    CHECK(error_of(R"({"mode": "limits", "limit": "1/second", "hits": [{"status": 200}]})") ==
          R"(hits[0].status: unknown field (a hit has "t", "key", "cost", "op"))");
  }
  SUBCASE("a huge field name is cut short in the path") {
    const std::string name(100000, 'x');
    CHECK(error_of(with("\"" + name + "\": 1")) == std::string(60, 'x') +
                                                       "…: unknown field (a flask-mode scenario has " +
                                                       std::string(kFlaskFieldList) + ")");
  }
}

TEST_CASE("errors: required fields") {
  CHECK(error_of(R"({"requests": []})") == "routes: required field is missing");
  CHECK(error_of(R"({"routes": []})") == "requests: required field is missing");
  CHECK(error_of(R"({"mode": "limits", "hits": []})") == "limit: required field is missing");
  CHECK(error_of(R"({"mode": "limits", "limit": "1/second"})") == "hits: required field is missing");
  CHECK(error_of(R"({"routes": [{"limits": [{"cost": 1}]}], "requests": []})") ==
        "routes[0].limits[0].limit: required field is missing");
}

TEST_CASE("errors: unknown names list the valid ones") {
  CHECK(error_of(with(R"("strategy": "fixed")")) ==
        R"(strategy: "fixed" is not one of "fixed-window", "fixed-window-elastic-expiry", "moving-window", )"
        R"("sliding-window-counter", "token-bucket", "leaky-bucket", "leaky-queue", "gcra")");
  CHECK(
      error_of(with(R"("strategy": "moving_window")")) ==
      R"(strategy: "moving_window" is not one of "fixed-window", "fixed-window-elastic-expiry", "moving-window", )"
      R"("sliding-window-counter", "token-bucket", "leaky-bucket", "leaky-queue", "gcra" (did you mean "moving-window"?))");
  CHECK(error_of(with(R"("strategy": 1)")) ==
        R"(strategy: expected one of "fixed-window", "fixed-window-elastic-expiry", "moving-window", )"
        R"("sliding-window-counter", "token-bucket", "leaky-bucket", "leaky-queue", "gcra", got 1)");
  CHECK(error_of(with(R"("mode": "limit")")) ==
        R"(mode: "limit" is not one of "flask", "limits" (did you mean "limits"?))");
  CHECK(error_of(with(R"("retry_after": "http_date")")) ==
        R"(retry_after: "http_date" is not one of null, "http-date" (did you mean "http-date"?))");
  CHECK(error_of(with(R"("retry_after": 5)")) == R"(retry_after: expected one of null, "http-date", got 5)");
  CHECK(error_of(with(R"("error_handler": "costum")")) ==
        R"(error_handler: "costum" is not one of null, "custom" (did you mean "custom"?))");
  CHECK(error_of(with(R"("error_handler": "werkzeug")")) ==
        R"(error_handler: "werkzeug" is not one of null, "custom")");
  CHECK(error_of(R"({"mode": "limits", "limit": "1/second", "hits": [{"op": "hti"}]})") ==
        R"(hits[0].op: "hti" is not one of "hit", "test", "clear" (did you mean "hit"?))");
  const auto key_func_error = [](const std::string& spec) {
    return error_of(R"({"routes": [{"limits": [{"limit": "1/second", "key_func": )" + spec +
                    "}]}], \"requests\": []}");
  };
  CHECK(key_func_error(R"("ip")") ==
        R"(routes[0].limits[0].key_func: "ip" is not one of "remote", "const:TEXT", "header:NAME")");
  CHECK(
      key_func_error(R"("remot")") ==
      R"(routes[0].limits[0].key_func: "remot" is not one of "remote", "const:TEXT", "header:NAME" (did you mean "remote"?))");
  CHECK(
      key_func_error(R"("headers:X-Key")") ==
      R"(routes[0].limits[0].key_func: "headers:X-Key" is not one of "remote", "const:TEXT", "header:NAME" (did you mean "header:X-Key"?))");
  CHECK(key_func_error("null") ==
        R"(routes[0].limits[0].key_func: expected one of "remote", "const:TEXT", "header:NAME", got null)");
}

TEST_CASE("errors: sizes beyond the simulator's bounds") {
  const std::string long_text(cli::kMaxTextBytes + 1, 'a');
  CHECK(error_of(with(R"("key_prefix": ")" + long_text + "\"")) ==
        "key_prefix: a string of 10001 bytes is too long; the most is 10000");
  CHECK(error_of(with(R"("default_limits": [")" + long_text + "\"]")) ==
        "default_limits[0]: a rate string of 10001 bytes is too long; the most is 10000");
  CHECK(error_of(R"({"routes": [], "requests": [{"headers": {")" + long_text + R"(": ""}}]})") ==
        "requests[0].headers: a header name of 10001 bytes is too long; the most is 10000");
  Json scenario = Json::parse(R"({"routes": [], "requests": []})");
  scenario["requests"] = Json::array();
  for (std::size_t i = 0; i <= cli::kMaxEvents; ++i) scenario["requests"].push_back(Json::object());
  CHECK(error_of_json(scenario) == "requests: holds 100001 requests; the most is 100000");
  scenario["requests"] = Json::array();
  for (std::size_t i = 0; i <= cli::kMaxRoutes; ++i) scenario["routes"].push_back(Json::object());
  CHECK(error_of_json(scenario) == "routes: holds 1001 routes; the most is 1000");
  Json methods = Json::array();
  for (std::size_t i = 0; i <= cli::kMaxListItems; ++i) methods.push_back("GET");
  scenario = Json::parse(R"({"routes": [{}], "requests": []})");
  scenario["routes"][0]["methods"] = methods;
  CHECK(error_of_json(scenario) == "routes[0].methods: holds 101 items; the most is 100");
}

TEST_CASE("errors: a value quoted back is cut short") {
  const std::string message = error_of(with(R"("strategy": ")" + std::string(1000, 'z') + "\""));
  CHECK(message.substr(0, message.find(" is not")) == "strategy: \"" + std::string(40, 'z') + "…\"");
}

// ---- simulate: validate, run, write -------------------------------------------------------

TEST_CASE("simulate: the first hit of 10/minute at t=0 answers Reset epoch+61 and Retry-After 61") {
  const Json result = simulate(R"({"routes": [{"limits": ["10/minute"]}], "requests": [{"t": 0}]})");
  CHECK(result.dump() ==
        R"({"epoch":1700000000,"results":[{"t":0,"status":200,"headers":{"X-RateLimit-Limit":"10",)"
        R"("X-RateLimit-Remaining":"9","X-RateLimit-Reset":"1700000061","Retry-After":"61"},"body":"ok",)"
        R"("limit":"10 per 1 minute"}],"totals":{"requests":1,"by_status":{"200":1}}})");
}

TEST_CASE("simulate: times and the epoch are echoed exactly as written") {
  const Json result =
      simulate(R"({"epoch": 1700000000.0, "routes": [], "requests": [{}, {"t": 1}, {"t": 1.50}]})");
  CHECK(result["epoch"].dump() == "1700000000.0");
  CHECK(result["results"][0]["t"].dump() == "0");
  CHECK(result["results"][1]["t"].dump() == "1");
  CHECK(result["results"][2]["t"].dump() == "1.5");
}

TEST_CASE("simulate: a scenario the core's validate() refuses answers its message") {
  CHECK(simulate(R"({"routes": [], "requests": [{"t": 1}, {"t": 0.5}]})") ==
        cli::error_result("requests[1].t: 0.5 is before the previous 1; times never decrease"));
  CHECK(simulate(R"({"mode": "limits", "limit": "10/minits", "hits": []})")["error"].get<std::string>().rfind(
            "limit: ", 0) == 0);
}

TEST_CASE("simulate: limits mode floors reset and answers null for clear") {
  const Json result = simulate(R"({"mode": "limits", "limit": "2/minute", "epoch": 100,
      "hits": [{"t": 0.5}, {"t": 1, "op": "test"}, {"t": 2, "op": "clear"}]})");
  CHECK(result.dump() ==
        R"({"epoch":100,"results":[{"allowed":true,"reset":160,"remaining":1},)"
        R"({"allowed":true,"reset":160,"remaining":1},{"allowed":null,"reset":102,"remaining":2}]})");
}

TEST_CASE("simulate: --trace adds every limit check of a request") {
  const Json result =
      simulate(R"({"routes": [{"limits": ["10/minute"]}], "requests": [{"key": "1.2.3.4"}]})", true);
  const Json& trace = result["results"][0]["trace"];
  REQUIRE(trace.size() == 1);
  CHECK(trace[0]["checkpoint"] == "view");
  CHECK(trace[0]["source"] == "route");
  CHECK(trace[0]["limit"] == "10 per 1 minute");
  CHECK(trace[0]["key"] == "LIMITER/1.2.3.4/index/10/1/minute");
  CHECK(trace[0]["cost"] == 1);
  CHECK(trace[0]["result"] == "charged");
  CHECK(trace[0]["detail"].is_string());
  CHECK_FALSE(simulate(R"({"routes": [{"limits": ["10/minute"]}], "requests": [{}]})")["results"][0].contains(
      "trace"));
}

TEST_CASE("simulate: a run's limit checks are bounded across scenarios") {
  std::uint64_t checks = 25;
  const std::string ten_requests =
      R"({"routes": [{"limits": ["1/second;2/minute"]}], "requests": [{}, {}, {}, {}, {}, {}, {}, {}, {}, {}]})";
  CHECK_FALSE(cli::is_error_result(cli::simulate(Json::parse(ten_requests), false, checks)));
  CHECK(checks == 5);
  CHECK(cli::simulate(Json::parse(ten_requests), false, checks) ==
        cli::error_result(
            "this scenario needs up to 20 limit checks (10 requests or hits × up to 2 limits each), more "
            "than the 5 this run has left; use fewer requests or limits, or split the input"));
  CHECK(checks == 5);  // a rejected scenario takes nothing
  CHECK(cli::is_error_result(cli::simulate(Json::parse(R"({"routes": []})"), false, checks)));
  CHECK(checks == 5);
  CHECK_FALSE(cli::is_error_result(
      cli::simulate(Json::parse(R"({"mode": "limits", "limit": "1/second", "hits": [{}, {}, {}, {}, {}]})"),
                    false, checks)));
  CHECK(checks == 0);
}

TEST_CASE("simulate: a scenario's rate strings hold at most 1000 limits in all") {
  std::string many;
  for (int i = 1; i <= 600; ++i) many += (many.empty() ? "" : ";") + std::to_string(i) + "/day";
  CHECK(simulate(R"({"default_limits": [")" + many + R"("], "routes": [{"limits": [")" + many +
                 R"("]}], "requests": []})") ==
        cli::error_result("routes[0].limits[0]: the scenario's rate strings hold more than 1000 limits in "
                          "all (1200 by here)"));
}

// ---- writing ------------------------------------------------------------------------------

TEST_CASE("writing: a response shows only what it has, in the core's header order") {
  cli::FlaskInput input;
  input.epoch = 7;
  input.times = {Json(0.5), Json(2)};
  Response served;
  served.headers = {{"X-RateLimit-Limit", "1"}, {"Retry-After", "3"}};
  served.body = "ok";
  served.limit = "1 per 1 second";
  served.delay = 0.25;
  Response missing;
  missing.status = 404;
  missing.body = "gone";
  CHECK(
      cli::flask_result(input, {served, missing}, false).dump() ==
      R"({"epoch":7,"results":[{"t":0.5,"status":200,"headers":{"X-RateLimit-Limit":"1","Retry-After":"3"},)"
      R"("body":"ok","limit":"1 per 1 second","delay":0.25},{"t":2,"status":404,"headers":{},"body":"gone"}],)"
      R"("totals":{"requests":2,"by_status":{"200":1,"404":1}}})");
}

TEST_CASE("writing: trace entries name checkpoint, source and result; a skipped limit has no key") {
  cli::FlaskInput input;
  input.epoch = 0;
  input.times = {Json(0)};
  Response response;
  LimitCheck skipped;
  skipped.checkpoint = LimitCheck::Checkpoint::AfterRequest;
  skipped.source = LimitCheck::Source::Shared;
  skipped.limit = RateLimit{5, 2, Granularity::Hour};
  skipped.cost = 3;
  skipped.result = LimitCheck::Result::SkippedEmptyKey;
  response.trace = {skipped};
  CHECK(
      cli::flask_result(input, {response}, true)["results"][0]["trace"].dump() ==
      R"([{"checkpoint":"after_request","source":"shared","limit":"5 per 2 hour","cost":3,"result":"skipped_empty_key"}])");
}

TEST_CASE("writing: limits-mode reset is floored to whole seconds") {
  cli::LimitsInput input;
  input.epoch = 1;
  LimitsResult result;
  result.allowed = false;
  result.reset = 1700000060.999;
  result.remaining = -1;
  CHECK(cli::limits_result(input, {result}).dump() ==
        R"({"epoch":1,"results":[{"allowed":false,"reset":1700000060,"remaining":-1}]})");
}

// ---- --parse -------------------------------------------------------------------------------

TEST_CASE("parse_answer: the limits of a valid string, in input order") {
  CHECK(
      cli::parse_answer(Json("10/minute;1 per 2 hours")).dump() ==
      R"({"limits":[{"amount":10,"multiples":1,"granularity":"minute","text":"10 per 1 minute","window_seconds":60},)"
      R"({"amount":1,"multiples":2,"granularity":"hour","text":"1 per 2 hour","window_seconds":7200}]})");
}

TEST_CASE("parse_answer: an invalid string answers where and why; a non-string is an error") {
  const Json answer = cli::parse_answer(Json("10/minits"));
  CHECK(answer["error"].is_string());
  CHECK(answer["offset"] == 3);
  CHECK(answer["length"] == 6);
  CHECK(answer["hint"].is_string());
  CHECK(cli::parse_answer(Json(5)) == Json{{"error", "expected a string"}});
}
