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

TEST_CASE("rule engine: the leaky queue's delay is the largest of the limits'") {
  RuleEngine engine(Algorithm::LeakyQueue, limits("2/second;100/minute"), {}, 0);
  CHECK(engine.hit(0, 0).delay == 0);
  // The second waits 0.5 s in the per-second queue and 0.6 s in the per-minute one.
  CHECK(engine.hit(0, 0).delay == doctest::Approx(0.6));
}

}  // namespace ratelimit::test
