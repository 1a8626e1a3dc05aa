#include "core/simulation.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

namespace ratelimit::test {

namespace {

SimulationConfig one_route(const std::string& rule, std::vector<Algorithm> lanes = {Algorithm::FixedWindow}) {
  SimulationConfig config;
  Route route;
  route.path = "/";
  RouteLimit limit;
  limit.limit = rule;
  route.limits = {limit};
  config.app.routes = {route};
  config.lanes = std::move(lanes);
  return config;
}

Client client(const std::string& key, Pattern pattern, double rate, RetryPolicy retry = RetryPolicy::Ignore) {
  Client c;
  c.key = key;
  c.traffic = {pattern, rate, 10};
  c.retry = retry;
  return c;
}

std::vector<int> statuses(const Simulation& sim, std::size_t lane = 0) {
  std::vector<int> out;
  for (const Outcome& o : sim.outcomes(lane)) out.push_back(o.status);
  return out;
}

std::vector<double> times(const Simulation& sim, std::size_t lane = 0) {
  std::vector<double> out;
  for (const Outcome& o : sim.outcomes(lane)) out.push_back(o.t);
  return out;
}

}  // namespace

TEST_CASE("simulation: generated traffic is decided in time order, up to and including the target time") {
  SimulationConfig config = one_route("1/second");
  config.clients = {client("10.0.0.1", Pattern::Constant, 2)};
  Simulation sim(config);
  sim.advance_to(2);
  CHECK(times(sim) == std::vector<double>{0, 0.5, 1, 1.5, 2});
  CHECK(statuses(sim) == std::vector<int>{200, 429, 200, 429, 200});
  CHECK(sim.totals(0).requests == 5);
  CHECK(sim.totals(0).rejected == 2);
  CHECK(sim.next_event() == 2.5);
}

TEST_CASE("simulation: advancing to the next 429 stops at the first request answered so") {
  SimulationConfig config = one_route("2/second");
  config.clients = {client("10.0.0.1", Pattern::Constant, 5)};
  Simulation sim(config);
  const auto first = sim.advance_to_rejection(10);
  REQUIRE(first);
  CHECK(first->lane == 0);
  CHECK(sim.now() == 0.4);  // 0 and 0.2 pass; the third request in the second is the first 429
  CHECK(sim.outcome_count(0) == 3);
  CHECK(sim.outcomes(0)[first->index].status == 429);
  CHECK(sim.outcomes(0)[first->index].t == 0.4);
  const auto second = sim.advance_to_rejection(10);
  REQUIRE(second);
  CHECK(second->index == first->index + 1);  // 0.6 and 0.8: still in the first second
  CHECK(sim.now() == 0.6);
}

TEST_CASE("simulation: advancing to the next 429 gives up after the horizon, and finds one exactly at it") {
  SimulationConfig config = one_route("10/second");
  config.clients = {client("10.0.0.1", Pattern::Constant, 5)};
  Simulation sim(config);
  CHECK_FALSE(sim.advance_to_rejection(3.1));
  CHECK(sim.now() == 3.1);
  CHECK(sim.outcome_count(0) == 16);  // every arrival up to the horizon, 0 to 3 s, none after it
  CHECK(sim.totals(0).rejected == 0);
  SUBCASE("a 429 at the horizon itself is found") {
    config = one_route("1/minute");
    config.clients = {client("10.0.0.1", Pattern::Constant, 1)};
    Simulation at_horizon(config);
    const auto found = at_horizon.advance_to_rejection(1);
    REQUIRE(found);
    CHECK(found->index == 1);
    CHECK(at_horizon.now() == 1);
  }
  SUBCASE("with nothing scheduled, at once") {
    Simulation manual(one_route("1/second"));
    CHECK_FALSE(manual.advance_to_rejection(1e9));
    CHECK(manual.now() == 1e9);
  }
}

TEST_CASE("simulation: the next 429 is looked for in every lane, among hand sends replayed after a seek") {
  Simulation sim(one_route("2/minute", {Algorithm::FixedWindow, Algorithm::MovingWindow}));
  sim.send("me", "/", 1);
  sim.advance_to(59);
  sim.send("me", "/", 1);
  sim.advance_to(61);
  sim.send("me", "/", 1, 2);  // the fixed window opened at 0 and closed at 60; 59 is still in the last minute
  CHECK(sim.totals(0).rejected == 0);
  CHECK(sim.totals(1).rejected == 1);
  sim.seek(0);
  const auto found = sim.advance_to_rejection(1000);
  REQUIRE(found);
  CHECK(found->lane == 1);
  CHECK(found->index == 3);
  CHECK(sim.now() == 61);
}

TEST_CASE("simulation: requests due at the same instant are decided in a fixed order") {
  const auto at = [](const Simulation& sim, double t) {
    std::vector<std::pair<std::uint32_t, std::uint16_t>> out;  // key, attempt
    for (const Outcome& o : sim.outcomes(0)) {
      if (o.t == t) out.emplace_back(o.key, o.attempt);
    }
    return out;
  };
  using Order = std::vector<std::pair<std::uint32_t, std::uint16_t>>;
  SUBCASE("arrivals in the order of the clients; their retries in the order they were refused") {
    SimulationConfig config = one_route("1/minute");
    config.clients = {client("a", Pattern::Constant, 1, RetryPolicy::Immediate),
                      client("b", Pattern::Constant, 1, RetryPolicy::Immediate)};
    Simulation sim(config);
    sim.advance_to(1.05);
    CHECK(at(sim, 0) == Order{{0, 0}, {1, 0}});
    CHECK(at(sim, 1) == Order{{0, 0}, {1, 0}});
    CHECK(at(sim, 1.05) == Order{{0, 1}, {1, 1}});
  }
  SUBCASE("an arrival before a retry due at the same time") {
    SimulationConfig config = one_route("1/second");
    config.clients = {client("a", Pattern::Constant, 20, RetryPolicy::Immediate)};
    Simulation sim(config);
    sim.advance_to(0.1);
    CHECK(at(sim, 0.1) == Order{{0, 0}, {0, 1}});  // the retry of the 429 at 0.05
  }
}

TEST_CASE("simulation: every lane sees the same generated traffic") {
  SimulationConfig config = one_route("5/second", {Algorithm::FixedWindow, Algorithm::MovingWindow, Algorithm::Gcra});
  config.clients = {client("a", Pattern::Poisson, 8), client("b", Pattern::OnOff, 4)};
  Simulation sim(config);
  sim.advance_to(30);
  CHECK(times(sim, 0) == times(sim, 1));
  CHECK(times(sim, 0) == times(sim, 2));
  CHECK(statuses(sim, 0) != statuses(sim, 2));  // but each algorithm answers its own way
}

TEST_CASE("simulation: the same seed replays the same run; seeking back recomputes it") {
  SimulationConfig config = one_route("3/second");
  config.clients = {client("a", Pattern::Poisson, 5, RetryPolicy::Backoff)};
  Simulation sim(config);
  sim.advance_to(5);
  sim.send("me", "/", 1, 3);
  sim.advance_to(20);
  const auto before = times(sim);
  const auto before_statuses = statuses(sim);
  sim.seek(3);
  CHECK(sim.now() == 3);
  CHECK(sim.outcome_count(0) < before.size());
  sim.advance_to(20);  // the hand sends at t=5 are replayed
  CHECK(times(sim) == before);
  CHECK(statuses(sim) == before_statuses);
}

TEST_CASE("simulation: scheduled sends are decided when the clock reaches them, as sends then would be") {
  SimulationConfig config = one_route("1/second");
  config.clients = {client("a", Pattern::Constant, 1)};  // arrives at 0, 1, 2, ...
  Simulation sent(config);
  sent.advance_to(0);
  sent.send("me", "/", 1);
  sent.advance_to(2.5);
  sent.send("me", "/", 1, 2);
  sent.advance_to(4);

  Simulation scheduled(config);
  CHECK(scheduled.schedule_send(0, "me", "/", 1));
  CHECK(scheduled.schedule_send(2.5, "me", "/", 1, 2));
  CHECK(scheduled.outcome_count(0) == 0);  // nothing decided before the clock moves
  CHECK(scheduled.next_event() == 0);
  scheduled.advance_to(4);
  CHECK(times(scheduled) == times(sent));
  CHECK(statuses(scheduled) == statuses(sent));
  SUBCASE("out of order, or in the past, is refused") {
    CHECK_FALSE(scheduled.schedule_send(3, "me", "/", 1));  // before now
    CHECK(scheduled.schedule_send(5, "me", "/", 1));
    CHECK_FALSE(scheduled.schedule_send(4.5, "me", "/", 1));  // before the last one recorded
    CHECK(scheduled.schedule_send(5, "me", "/", 1));  // at the same time as the last: fine
  }
  SUBCASE("a send now drops what was scheduled after it") {
    CHECK(scheduled.schedule_send(6, "me", "/", 1));
    scheduled.send("me", "/", 1);  // at 4
    scheduled.advance_to(10);
    std::vector<double> by_hand;
    for (const Outcome& o : scheduled.outcomes(0)) {
      if (o.manual) by_hand.push_back(o.t);
    }
    CHECK(by_hand == std::vector<double>{0, 2.5, 2.5, 4});
  }
}

TEST_CASE("simulation: sending by hand after seeking back rewrites the future") {
  SimulationConfig config = one_route("10/second");
  Simulation sim(config);
  sim.advance_to(5);
  sim.send("me", "/", 1);
  sim.seek(2);
  sim.send("me", "/", 1, 2);
  sim.advance_to(10);
  CHECK(times(sim) == std::vector<double>{2, 2});
}

TEST_CASE("simulation: a hand send returns the primary lane's outcome indexes, decided at now") {
  SimulationConfig config = one_route("2/minute", {Algorithm::FixedWindow, Algorithm::TokenBucket});
  Simulation sim(config);
  sim.advance_to(1.5);
  const auto sent = sim.send("me", "/", 1, 3);
  REQUIRE(sent.size() == 3);
  CHECK(sim.outcomes(0)[sent[2]].status == 429);
  CHECK(sim.outcomes(0)[sent[0]].t == 1.5);
  CHECK(sim.outcomes(0)[sent[0]].manual);
  CHECK(sim.outcome_count(1) == 3);
  CHECK(sim.keys() == std::vector<std::string>{"me"});
}

TEST_CASE("simulation: clients react to 429s by their retry policy") {
  SUBCASE("retrying at once hammers the limiter one round trip later") {
    SimulationConfig config = one_route("1/minute");
    config.clients = {client("a", Pattern::Constant, 0.5, RetryPolicy::Immediate)};
    config.max_retries = 3;
    Simulation sim(config);
    sim.advance_to(2.5);
    CHECK(times(sim) == std::vector<double>{0, 2, 2.05, 2.1, 2.15});
    CHECK(sim.outcomes(0).back().attempt == 3);
    CHECK(sim.totals(0).retries == 3);
  }
  SUBCASE("waiting for Retry-After comes back when the window has reset") {
    // Retry-After as an HTTP date names X-RateLimit-Reset: the client reads the wait from that.
    for (bool http_date : {false, true}) {
      CAPTURE(http_date);
      SimulationConfig config = one_route("1/minute");
      config.app.retry_after_http_date = http_date;
      config.clients = {client("a", Pattern::Constant, 1.0 / 45, RetryPolicy::RetryAfter)};
      Simulation sim(config);
      sim.advance_to(62);
      // The 429 at t=45 says Retry-After 16 (Reset = int(E + 60) + 1): back at t=61, admitted.
      REQUIRE(sim.outcome_count(0) == 3);
      const Outcome& retry = sim.outcomes(0)[2];
      CHECK(retry.attempt == 1);
      CHECK(retry.t == 61);
      CHECK(retry.status == 200);
    }
  }
  SUBCASE("Retry-After is rounded down: obeyed to the letter it can be early; a second more is not") {
    // The window opens at E + 0.6 and ends at E + 60.6. The 429 at E + 45.1 says Reset E + 61
    // (int(expiry) + 1) and Retry-After int(15.9) = 15: back at E + 60.1, half a second early.
    SimulationConfig config = one_route("1/minute");
    config.epoch = kDefaultEpoch + 0.6;
    config.clients = {client("a", Pattern::Constant, 1.0 / 44.5, RetryPolicy::RetryAfter)};
    Simulation literal(config);
    literal.advance_to(59.5);
    REQUIRE(literal.outcome_count(0) == 3);
    CHECK(literal.outcomes(0)[2].t == 59.5);
    CHECK(literal.outcomes(0)[2].attempt == 1);
    CHECK(literal.outcomes(0)[2].status == 429);  // and it says Retry-After: 0, so it comes again at once
    config.clients[0].retry = RetryPolicy::RetryAfterJitter;
    Simulation margin(config);
    margin.advance_to(62);
    REQUIRE(margin.outcome_count(0) == 3);
    const Outcome& retry = margin.outcomes(0)[2];
    CHECK(retry.attempt == 1);
    CHECK(retry.t >= 60.5);  // 15 + 1 s, plus up to 1 s of jitter
    CHECK(retry.t < 61.5);
    CHECK(retry.status == 200);
  }
  SUBCASE("a retry names the refused attempt it repeats, even with other requests in between") {
    // Two clients refused at 0.5 and 1 retry at once (50 ms later, then again): each retry's
    // `back` leads to its own client's previous attempt, one attempt earlier, refused.
    SimulationConfig config = one_route("2/minute");
    config.clients = {client("a", Pattern::Constant, 2, RetryPolicy::Immediate),
                      client("b", Pattern::Constant, 2, RetryPolicy::Immediate)};
    config.max_retries = 2;
    Simulation sim(config);
    sim.advance_to(1.2);
    const auto& outcomes = sim.outcomes(0);
    int retries = 0;
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
      const Outcome& o = outcomes[i];
      if (o.attempt == 0) {
        CHECK(o.back == 0);
        continue;
      }
      ++retries;
      REQUIRE(o.back >= 1);
      REQUIRE(o.back <= i);
      const Outcome& previous = outcomes[i - o.back];
      CHECK(previous.key == o.key);
      CHECK(previous.attempt == o.attempt - 1);
      CHECK(previous.status == 429);
      CHECK(o.t - previous.t == doctest::Approx(0.05));
    }
    CHECK(retries >= 4);
  }
  SUBCASE("backing off waits a random time up to a ceiling that doubles with each attempt") {
    SimulationConfig config = one_route("1/minute");
    config.clients = {client("a", Pattern::Constant, 20, RetryPolicy::Backoff)};
    config.max_retries = 3;
    Simulation sim(config);
    sim.advance_to(5);
    const auto& outcomes = sim.outcomes(0);
    std::vector<double> longest(4, 0);
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
      const Outcome& o = outcomes[i];
      if (o.attempt == 0) continue;
      const double wait = o.t - outcomes[i - o.back].t;
      CHECK(wait >= config.retry_delay - 1e-9);
      CHECK(wait <= config.backoff_base * std::pow(2.0, o.attempt - 1) + 1e-9);
      longest[o.attempt] = std::max(longest[o.attempt], wait);
    }
    // Many retries at each attempt: the waits reach well into each ceiling (0.5, 1, 2 s).
    CHECK(longest[1] > 0.4);
    CHECK(longest[2] > 0.8);
    CHECK(longest[3] > 1.6);
  }
  SUBCASE("ignoring them sends nothing more") {
    SimulationConfig config = one_route("1/minute");
    config.clients = {client("a", Pattern::Constant, 0.5)};
    Simulation sim(config);
    sim.advance_to(10);
    CHECK(sim.totals(0).retries == 0);
  }
}

TEST_CASE("simulation: the overlay measures the most admitted in any window of the rule's length") {
  SimulationConfig config = one_route("10/minute", {Algorithm::FixedWindow, Algorithm::MovingWindow});
  Simulation sim(config);
  sim.send("a", "/", 1);
  sim.advance_to(59.5);
  sim.send("a", "/", 1, 9);
  sim.advance_to(60);
  sim.send("a", "/", 1, 10);
  CHECK(sim.totals(0).max_in_window == 20);  // fixed window: 19 of them within half a second
  CHECK(sim.totals(1).max_in_window == 10);  // the log never exceeds the limit
  CHECK(sim.totals(0).window == 60);
  CHECK(sim.totals(0).window_limit == 10);
  // Of limits with the same window, the route's own is the one measured, not a default's.
  SimulationConfig with_default = one_route("10/minute");
  with_default.app.default_limits = {"100/minute"};
  CHECK(Simulation(with_default).totals(0).window_limit == 10);
}

TEST_CASE("simulation: responses are kept for recent outcomes and recomputed for older ones") {
  SimulationConfig config = one_route("2/second");
  config.clients = {client("a", Pattern::Constant, 4)};
  config.kept_responses = 3;
  Simulation sim(config);
  sim.advance_to(5);
  const Response old = sim.response(0, 1);  // t=0.25, no longer kept
  CHECK(old.status == 200);
  CHECK(old.headers.at(1).second == "0");   // X-RateLimit-Remaining after the 2nd hit
  const Response recent = sim.response(0, sim.outcome_count(0) - 1);
  CHECK(recent.status == sim.outcomes(0).back().status);
  CHECK_FALSE(recent.trace.empty());
}

TEST_CASE("simulation: a recomputed response equals the one kept at the time, in every lane") {
  // Backoff jitter is drawn per lane, and hand sends sit between generated arrivals: the
  // recomputation of one lane alone must still land on the same outcome.
  SimulationConfig config = one_route("3/second", {Algorithm::FixedWindow, Algorithm::TokenBucket, Algorithm::Gcra});
  config.clients = {client("a", Pattern::Poisson, 6, RetryPolicy::Backoff), client("b", Pattern::Constant, 2)};
  SimulationConfig forgetful = config;
  forgetful.kept_responses = 1;
  Simulation kept(config);
  Simulation recomputed(forgetful);
  for (Simulation* sim : {&kept, &recomputed}) {
    sim->advance_to(1.5);
    sim->send("b", "/", 1, 3);
    sim->advance_to(4);
  }
  for (std::size_t lane = 0; lane < 3; ++lane) {
    REQUIRE(kept.outcome_count(lane) == recomputed.outcome_count(lane));
    for (std::uint64_t i = 0; i + 1 < kept.outcome_count(lane); i += 3) {
      const Response want = kept.response(lane, i);
      const Response got = recomputed.response(lane, i);
      CHECK(got.status == want.status);
      CHECK(got.headers == want.headers);
      CHECK(got.ratelimit == want.ratelimit);
      CHECK(got.trace.size() == want.trace.size());
      CHECK_FALSE(got.trace.empty());
    }
  }
}

TEST_CASE("simulation: a request sent by hand under a client's key carries that client's headers") {
  SimulationConfig config = one_route("1/minute");
  config.app.routes[0].limits[0].key_func = {KeyFunc::Kind::Header, "X-Api-Key"};
  Client with_key = client("10.0.0.1", Pattern::Manual, 0);
  with_key.headers = {{"X-Api-Key", "k1"}};
  config.clients = {with_key};
  Simulation sim(config);
  sim.send("10.0.0.1", "/", 1, 2);
  // Counted under the API key: the second is refused. Without the header the key would be
  // empty and Flask-Limiter would skip the limit, answering both with 200.
  CHECK(statuses(sim) == std::vector<int>{200, 429});
  CHECK(sim.inspect(0, "10.0.0.1", "/")[0].snapshot.counter == 2);
}

TEST_CASE("simulation: inspect shows the state a client's next request would meet") {
  SimulationConfig config = one_route("5/second;60/minute");
  Simulation sim(config);
  sim.send("a", "/", 1, 2);
  const auto states = sim.inspect(0, "a", "/");
  REQUIRE(states.size() == 2);
  CHECK(states[0].snapshot.counter == 2);
  CHECK(states[1].stats.remaining == 58);
  CHECK(sim.inspect(0, "b", "/")[0].snapshot.counter == 0);
  // With two workers, the state is the next request's worker's: the second has seen nothing.
  config = one_route("1/minute");
  config.workers = 2;
  Simulation two(config);
  CHECK(two.next_worker(0) == 0);
  two.send("a", "/", 1);
  CHECK(two.next_worker(0) == 1);
  CHECK(two.inspect(0, "a", "/")[0].stats.remaining == 1);
  CHECK(two.outcomes(0)[two.send("a", "/", 1)[0]].status == 200);
  CHECK(two.next_worker(0) == 0);
  CHECK(two.inspect(0, "a", "/")[0].stats.remaining == 0);
}

TEST_CASE("simulation: N workers with their own memory storage let N times the limit through") {
  SimulationConfig config = one_route("10/minute");
  for (int workers : {1, 3}) {
    CAPTURE(workers);
    config.workers = workers;
    Simulation sim(config);
    sim.send("10.0.0.1", "/", 1, 40);  // round-robin: each worker sees every third request
    CHECK(sim.totals(0).allowed == 10 * workers);
    CHECK(sim.totals(0).rejected == 40 - 10 * workers);
  }
}

TEST_CASE("simulation: a fresh X-Forwarded-For per request defeats a key read from that header") {
  SimulationConfig config = one_route("10/minute");
  Client attacker = client("10.0.0.9", Pattern::Constant, 10);
  attacker.spoofs_forwarded_for = true;
  config.clients = {attacker};
  SUBCASE("the key function trusts X-Forwarded-For: a new key every time, never limited") {
    config.app.routes[0].limits[0].key_func = {KeyFunc::Kind::Header, "X-Forwarded-For"};
    Simulation sim(config);
    sim.advance_to(5);
    CHECK(sim.totals(0).requests >= 50);
    CHECK(sim.totals(0).rejected == 0);
  }
  SUBCASE("get_remote_address behind ProxyFix (the client's real address): limited at 10") {
    Simulation sim(config);
    sim.advance_to(5);
    CHECK(sim.totals(0).allowed == 10);
    CHECK(sim.totals(0).rejected == sim.totals(0).requests - 10);
  }
}

TEST_CASE("simulation: retry policy names round-trip") {
  for (RetryPolicy p : {RetryPolicy::Ignore, RetryPolicy::Immediate, RetryPolicy::Backoff, RetryPolicy::RetryAfter,
                        RetryPolicy::RetryAfterJitter}) {
    CHECK(retry_policy_from_name(retry_policy_name(p)) == p);
  }
}

}  // namespace ratelimit::test
