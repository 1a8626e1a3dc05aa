#include "core/rule_engine.hpp"

#include <doctest/doctest.h>

#include <vector>

#include "core/flask_app.hpp"

namespace ratelimit::test {

namespace {

std::vector<RateLimit> limits(const std::string& rule) {
  return std::get<std::vector<RateLimit>>(parse_rates(rule));
}

}  // namespace

TEST_CASE("rule engine: several limits are checked in unit order and charged until the first breach") {
  RuleEngine engine(Algorithm::FixedWindow, limits("3/hour;2/minute"), {}, 1700000000);
  CHECK(engine.limits().front().granularity == Granularity::Minute);
  const std::vector<double> times{0, 1, 2, 61, 62, 63};
  const std::vector<KeyId> clients(times.size(), 0);
  std::vector<std::uint8_t> allowed(times.size());
  CHECK(engine.hit_many(clients.data(), times.data(), times.size(), allowed.data()) == 3);
  CHECK(allowed == std::vector<std::uint8_t>{1, 1, 0, 1, 0, 0});  // the semantics document's table
}

TEST_CASE("rule engine: decides exactly as the simulated Flask app does for a route carrying the rule") {
  for (Algorithm algorithm : kAllAlgorithms) {
    CAPTURE(algorithm_name(algorithm));
    AppConfig config;
    Route route;
    RouteLimit decorator;
    decorator.limit = "4/second;10/minute";
    route.limits = {decorator};
    config.routes = {route};
    config.strategy = algorithm;
    FlaskApp app(config, 1700000000);
    RuleEngine engine(algorithm, limits("4/second;10/minute"), {}, 1700000000);
    for (int i = 0; i < 400; ++i) {
      const double t = i * 0.137;
      const KeyId client = static_cast<KeyId>(i % 3);
      Request request;
      request.t = t;
      request.key = "10.0.0." + std::to_string(client);
      const bool flask = app.handle(request).status == 200;
      REQUIRE(engine.hit(client, 1700000000 + t).allowed == flask);
    }
  }
}

TEST_CASE("rule engine: a batch decides as one hit at a time, for one limit and for several") {
  // One limit takes the batch loop with the limiter hoisted; several take the loop over limits.
  for (const char* rule : {"3/second", "4/second;10/minute"}) {
    for (Algorithm algorithm : kAllAlgorithms) {
      CAPTURE(rule);
      CAPTURE(algorithm_name(algorithm));
      RuleEngine batch(algorithm, limits(rule), {}, 1700000000);
      RuleEngine single(algorithm, limits(rule), {}, 1700000000);
      std::vector<KeyId> clients;
      std::vector<double> times;
      for (int i = 0; i < 600; ++i) {
        clients.push_back(static_cast<KeyId>((i * 7) % 5));
        times.push_back(i * 0.0625);  // exact in binary: requests land on window boundaries
      }
      std::vector<std::uint8_t> allowed(times.size());
      const std::size_t admitted = batch.hit_many(clients.data(), times.data(), times.size(), allowed.data());
      std::size_t expected = 0;
      for (std::size_t i = 0; i < times.size(); ++i) {
        const bool ok = single.hit(clients[i], 1700000000 + times[i]).allowed;
        REQUIRE(allowed[i] == (ok ? 1 : 0));
        expected += ok ? 1 : 0;
      }
      CHECK(admitted == expected);
      CHECK(admitted > 0);
      CHECK(admitted < times.size());
    }
  }
}

TEST_CASE("rule engine: a moving-window hit costing more than the amount reads the log's oldest end") {
  // limits indexes list[amount - cost]: negative, so counted from the oldest entry, which the
  // expiry sweep may not have removed yet. The engine's inline path must agree with the Flask app.
  AppConfig config;
  Route route;
  RouteLimit decorator;
  decorator.limit = "2/second";
  decorator.cost = 3;
  route.limits = {decorator};
  config.routes = {route};
  config.strategy = Algorithm::MovingWindow;
  FlaskApp app(config, 1700000000);
  RuleEngine engine(Algorithm::MovingWindow, limits("2/second"), {}, 1700000000);
  RuleEngine cheap(Algorithm::MovingWindow, limits("2/second"), {}, 1700000000);
  int admitted = 0;
  for (int i = 0; i < 40; ++i) {
    const double t = i * 0.35;
    Request request;
    request.t = t;
    request.key = "10.0.0.1";
    const bool flask = app.handle(request).status == 200;
    const bool ours = engine.hit(0, 1700000000 + t, 3).allowed;
    REQUIRE(ours == flask);
    admitted += ours ? 1 : 0;
    CHECK(cheap.hit(0, 1700000000 + t, 0).allowed);  // cost 0 never logs and always passes
  }
  CHECK(admitted > 0);
}

TEST_CASE("rule engine: the leaky queue's delay is the largest of the limits'") {
  RuleEngine engine(Algorithm::LeakyQueue, limits("2/second;100/minute"), {}, 0);
  CHECK(engine.hit(0, 0).delay == 0);
  // The second waits 0.5 s in the per-second queue and 0.6 s in the per-minute one.
  CHECK(engine.hit(0, 0).delay == doctest::Approx(0.6));
  // Whichever limit it comes from: here the per-second queue's 0.5 s beats the per-minute 0.3 s.
  RuleEngine first_largest(Algorithm::LeakyQueue, limits("2/second;200/minute"), {}, 0);
  first_largest.hit(0, 0);
  CHECK(first_largest.hit(0, 0).delay == doctest::Approx(0.5));
}

}  // namespace ratelimit::test
