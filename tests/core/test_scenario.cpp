#include "core/scenario.hpp"

#include <doctest/doctest.h>

#include <string>

namespace ratelimit::test {

namespace {

FlaskScenario one_route() {
  FlaskScenario s;
  Route r;
  r.path = "/";
  s.app.routes = {r};
  return s;
}

Request at(double t) {
  Request r;
  r.t = t;
  return r;
}

}  // namespace

TEST_CASE("scenario: a valid flask scenario runs one response per request") {
  FlaskScenario s = one_route();
  s.app.default_limits = {"1/minute"};
  s.requests = {at(0), at(1), at(61)};
  REQUIRE_FALSE(validate(s));
  const auto responses = run(s);
  REQUIRE(responses.size() == 3);
  CHECK(responses[0].status == 200);
  CHECK(responses[1].status == 429);
  CHECK(responses[2].status == 200);
}

TEST_CASE("scenario: problems name the field and say what is wrong") {
  FlaskScenario s = one_route();
  SUBCASE("decreasing time") {
    s.requests = {at(2), at(1.5)};
    CHECK(validate(s) == "requests[1].t: 1.5 is before the previous 2; times never decrease");
  }
  SUBCASE("negative or non-finite time") {
    s.requests = {at(-1)};
    CHECK(validate(s) == "requests[0].t: must be a number of seconds, 0 or more");
  }
  SUBCASE("a clock past the year 2286") {
    s.requests = {at(9e9)};
    CHECK(validate(s) == "requests[0].t: epoch + t must stay below 10000000000 (the year 2286)");
  }
  SUBCASE("a negative cost") {
    RouteLimit l;
    l.limit = "1/second";
    l.cost = -3;
    s.app.routes[0].limits = {l};
    CHECK(validate(s) == "routes[0].limits[0].cost: -3 is not a cost; use a whole number from 0 to 9007199254740991");
  }
  SUBCASE("a path Werkzeug would not match literally") {
    s.app.routes[0].path = "/a//b";
    CHECK(validate(s) == "routes[0].path: \"/a//b\" is not a supported path: start with / and use letters, "
                         "digits, - _ . ~ and single /");
  }
  SUBCASE("a path listed twice") {
    s.app.routes.push_back(s.app.routes[0]);
    CHECK(validate(s) == "routes[1].path: \"/\" is already routes[0]");
  }
  SUBCASE("a status a view cannot return") {
    Request r = at(0);
    r.status = 42;
    s.requests = {r};
    CHECK(validate(s) == "requests[0].status: 42 is not a status a view can return (200 to 599)");
    r.status = 600;
    s.requests = {r};
    CHECK(validate(s) == "requests[0].status: 600 is not a status a view can return (200 to 599)");
    for (int status : {200, 599}) {
      r.status = status;
      s.requests = {r};
      CHECK_FALSE(validate(s));
    }
  }
  SUBCASE("a long text is quoted up to 40 bytes, and whole when it fits") {
    s.app.routes[0].path = "/" + std::string(38, 'a') + "!";  // 40 bytes
    CHECK(validate(s) == "routes[0].path: \"/" + std::string(38, 'a') + "!\" is not a supported path: start "
                         "with / and use letters, digits, - _ . ~ and single /");
    s.app.routes[0].path = "/" + std::string(39, 'a') + "!";  // 41 bytes
    CHECK(validate(s) == "routes[0].path: \"/" + std::string(39, 'a') + "…\" is not a supported path: start "
                         "with / and use letters, digits, - _ . ~ and single /");
  }
  SUBCASE("a header that is not ASCII text") {
    Request r = at(0);
    r.headers = {{"X-Key", "caf\xc3\xa9"}};
    s.requests = {r};
    CHECK(validate(s) == "requests[0].headers.X-Key: header values must be printable ASCII");
  }
  SUBCASE("a capacity of zero") {
    s.app.strategy_options.capacity = 0;
    CHECK(validate(s) == "strategy_options.capacity: must be a whole number from 1 to 9007199254740991");
  }
}

TEST_CASE("scenario: invalid limit strings in the app are behaviour, not scenario errors") {
  FlaskScenario s = one_route();
  s.app.default_limits = {"10/minits"};
  s.requests = {at(0)};
  CHECK_FALSE(validate(s));
  CHECK(run(s)[0].status == 500);
}

TEST_CASE("scenario: limits mode reads window stats after every op") {
  LimitsScenario s;
  s.strategy = Algorithm::FixedWindow;
  s.limit = "2/minute";
  LimitsOp hit;
  LimitsOp test;
  test.op = LimitsOp::Kind::Test;
  LimitsOp clear;
  clear.op = LimitsOp::Kind::Clear;
  hit.t = 0.5;
  test.t = 1;
  clear.t = 2;
  s.hits = {hit, hit, test, clear};
  REQUIRE_FALSE(validate(s));
  const auto results = run(s);
  REQUIRE(results.size() == 4);
  CHECK(results[0].allowed == true);
  CHECK(results[0].reset == kDefaultEpoch + 60);
  CHECK(results[1].remaining == 0);
  CHECK(results[2].allowed == false);
  CHECK_FALSE(results[3].allowed.has_value());
  CHECK(results[3].remaining == 2);
}

TEST_CASE("scenario: limits mode wants exactly one valid limit") {
  LimitsScenario s;
  s.limit = "1/second;2/minute";
  CHECK(validate(s) == "limit: limits mode takes exactly one limit; \"1/second;2/minute\" holds 2");
  s.limit = "10/minits";
  const auto problem = validate(s);
  REQUIRE(problem);
  CHECK(problem->rfind("limit: ", 0) == 0);
  CHECK(problem->find("minute") != std::string::npos);  // the parser's hint travels along
}

}  // namespace ratelimit::test
