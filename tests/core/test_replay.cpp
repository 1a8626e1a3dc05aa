#include "core/replay.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/access_log.hpp"
#include "core/flask_app.hpp"
#include "core/rule_engine.hpp"

namespace ratelimit::test {

namespace {

std::vector<RateLimit> limits(const std::string& rule) { return std::get<std::vector<RateLimit>>(parse_rates(rule)); }

AccessLogParser parsed(const std::string& text) {
  AccessLogParser parser;
  parser.feed(text);
  parser.finish();
  return parser;
}

ReplayResult replayed(const AccessLogParser& log, const std::string& rule, ReplayOptions options) {
  return replay(log.clients(), log.times(), log.client_count(), limits(rule), options);
}

// One JSON line per request: client `ip` at epoch second `t`.
std::string json_line(const std::string& ip, double t) {
  return "{\"ip\": \"" + ip + "\", \"ts\": " + std::to_string(t) + "}\n";
}

}  // namespace

TEST_CASE("replay: a hand-computed fixed window, per client and with one shared key") {
  // 2/minute. a sends at 0, 1, 2 and 61; b at 3 and 4. Windows start on whole minutes of the
  // epoch (1704067200 is one), so a's third request in the first minute is denied.
  std::string text;
  for (auto [ip, t] : std::vector<std::pair<std::string, double>>{
           {"a", 0}, {"a", 1}, {"a", 2}, {"b", 3}, {"b", 4}, {"a", 61}}) {
    text += json_line(ip, 1704067200 + t);
  }
  const AccessLogParser log = parsed(text);
  ReplayOptions options;
  options.algorithm = Algorithm::FixedWindow;
  options.buckets = 2;

  SUBCASE("ip: each client has its own two") {
    const ReplayResult result = replayed(log, "2/minute", options);
    REQUIRE(result.algorithms.size() == 1);
    const AlgorithmReplay& fixed = result.algorithms[0];
    CHECK(fixed.allowed == 5);
    CHECK(fixed.denied == 1);
    CHECK(fixed.timeline == std::vector<std::uint64_t>{1, 0});  // the denial is at 2 of 0..61
    REQUIRE(fixed.top.size() == 1);
    CHECK(log.client_name(fixed.top[0].client) == "a");
    CHECK(fixed.top[0].requests == 4);
    CHECK(fixed.top[0].denied == 1);
  }
  SUBCASE("none: everyone shares two a minute") {
    options.key = ReplayKey::Shared;
    const ReplayResult result = replayed(log, "2/minute", options);
    const AlgorithmReplay& fixed = result.algorithms[0];
    CHECK(fixed.allowed == 3);  // a at 0 and 1, then a at 61
    CHECK(fixed.denied == 3);
    CHECK(fixed.top.empty());
    CHECK(result.start == 1704067200);
    CHECK(result.end == 1704067261);
    CHECK(result.bucket_seconds == 30.5);
  }
}

TEST_CASE("replay: times in whole seconds are too coarse for a window of 10 s or less, and said so") {
  const auto coarse = [](const std::vector<double>& offsets, const std::string& rule) {
    std::string text;
    for (double t : offsets) text += json_line("a", 1704067200 + t);
    ReplayOptions options;
    options.algorithm = Algorithm::MovingWindow;
    return replayed(parsed(text), rule, options).coarse_times;
  };
  CHECK(coarse({0, 0, 1, 1, 2}, "2/second"));
  CHECK(coarse({0, 0, 1, 1, 2}, "100/minute;10/10 seconds"));  // the shortest window decides
  CHECK_FALSE(coarse({0, 0, 1, 1, 2}, "10/11 seconds"));
  CHECK_FALSE(coarse({0, 0.25, 1, 1.5, 2}, "2/second"));
  CHECK_FALSE(coarse({0, 0, 1, 1, 2.5}, "2/second"));  // the last time has a fraction too
}

TEST_CASE("replay: all algorithms by default, in the list's order, each counting every request") {
  std::string text;
  for (int i = 0; i < 300; ++i) text += json_line("10.0.0." + std::to_string(i % 4), 1704067200 + i * 0.1);
  const AccessLogParser log = parsed(text);
  const ReplayResult result = replayed(log, "5/second", {});
  REQUIRE(result.algorithms.size() == kAllAlgorithms.size());
  for (std::size_t i = 0; i < kAllAlgorithms.size(); ++i) {
    CHECK(result.algorithms[i].algorithm == kAllAlgorithms[i]);
    CHECK(result.algorithms[i].allowed + result.algorithms[i].denied == 300);
    std::uint64_t in_timeline = 0;
    for (auto count : result.algorithms[i].timeline) in_timeline += count;
    CHECK(in_timeline == result.algorithms[i].denied);
  }
}

TEST_CASE("replay: decides as the simulated Flask app for Flask-Limiter's strategies, per client and shared") {
  std::string text;
  std::vector<std::pair<std::string, double>> requests;
  for (int i = 0; i < 500; ++i) {
    const std::string ip = i % 5 == 0 ? "10.0.0.99" : "10.0.0." + std::to_string(i % 3);
    requests.emplace_back(ip, 1700000000 + i * 0.173);
    text += json_line(ip, requests.back().second);
  }
  const AccessLogParser log = parsed(text);
  for (Algorithm algorithm : {Algorithm::FixedWindow, Algorithm::FixedWindowElasticExpiry, Algorithm::MovingWindow}) {
    for (ReplayKey key : {ReplayKey::PerClient, ReplayKey::Shared}) {
      CAPTURE(algorithm_name(algorithm));
      CAPTURE(key == ReplayKey::Shared);
      AppConfig config;
      Route route;
      RouteLimit decorator;
      decorator.limit = "3/second;20/minute";
      if (key == ReplayKey::Shared) decorator.key_func = KeyFunc{KeyFunc::Kind::Constant, "all"};
      route.limits = {decorator};
      config.routes = {route};
      config.strategy = algorithm;
      // The app's clock starts at the log's first whole second, as the replay's engine does.
      FlaskApp app(config, 1700000000);
      std::uint64_t flask_allowed = 0;
      std::vector<std::uint64_t> flask_denied(log.client_count(), 0);
      for (std::size_t i = 0; i < requests.size(); ++i) {
        Request request;
        request.t = log.times()[i] - 1700000000;
        request.key = requests[i].first;
        if (app.handle(request).status == 200) {
          ++flask_allowed;
        } else {
          ++flask_denied[log.clients()[i]];
        }
      }
      ReplayOptions options;
      options.algorithm = algorithm;
      options.key = key;
      const AlgorithmReplay one = replayed(log, "3/second;20/minute", options).algorithms.at(0);
      CHECK(one.allowed == flask_allowed);
      for (const Offender& offender : one.top) CHECK(offender.denied == flask_denied[offender.client]);
    }
  }
}

TEST_CASE("replay: totals, timeline and offenders are those of one request at a time in log order") {
  // Irregular traffic from 37 clients: requests at the same instant, gaps shorter and longer
  // than the storage's 10 ms expiry timer, and idle stretches longer than a window; long enough
  // to go to the engine in several blocks. "0/second" makes the moving window read its log's
  // oldest end, where the timer's sweeps decide.
  std::string text;
  std::uint32_t state = 7;
  double t = 1700000000.5;
  const double gaps[] = {0, 0.004, 0.013, 0.0625, 0.25, 1.5};
  for (int i = 0; i < 10000; ++i) {
    state = state * 1664525u + 1013904223u;
    t += gaps[(state >> 8) % 6];
    text += json_line("10.1.0." + std::to_string((state >> 16) % 37), t);
  }
  const AccessLogParser log = parsed(text);
  REQUIRE(log.times().size() == 10000);
  for (const char* rule : {"3/second;20/minute", "2/second", "0/second"}) {
    for (ReplayKey key : {ReplayKey::PerClient, ReplayKey::Shared}) {
      ReplayOptions options;
      options.key = key;
      options.top = log.client_count();
      const ReplayResult result = replayed(log, rule, options);
      for (const AlgorithmReplay& one : result.algorithms) {
        CAPTURE(rule);
        CAPTURE(key == ReplayKey::Shared);
        CAPTURE(algorithm_name(one.algorithm));
        // One request at a time, in the log's order, on an engine whose epoch is the log's
        // first whole second, as the replay's.
        const double epoch = std::floor(result.start);
        RuleEngine engine(one.algorithm, limits(rule), {}, epoch);
        std::uint64_t allowed = 0;
        std::vector<std::uint64_t> denied(log.client_count(), 0);
        std::vector<std::uint64_t> timeline(options.buckets, 0);
        std::vector<std::vector<std::uint64_t>> client_timeline(log.client_count(), timeline);
        for (std::size_t i = 0; i < log.times().size(); ++i) {
          const KeyId client = key == ReplayKey::Shared ? 0 : log.clients()[i];
          if (engine.hit(client, epoch + (log.times()[i] - epoch)).allowed) {
            ++allowed;
            continue;
          }
          ++denied[log.clients()[i]];
          const auto bucket = static_cast<std::size_t>((log.times()[i] - result.start) * (1 / result.bucket_seconds));
          ++timeline[std::min(bucket, timeline.size() - 1)];
          ++client_timeline[log.clients()[i]][std::min(bucket, timeline.size() - 1)];
        }
        CHECK(one.allowed == allowed);
        CHECK(one.denied == log.times().size() - allowed);
        CHECK(one.timeline == timeline);
        if (key == ReplayKey::Shared) continue;
        std::size_t offenders = 0;
        for (const Offender& offender : one.top) {
          CHECK(offender.denied == denied[offender.client]);
          CHECK(offender.timeline == client_timeline[offender.client]);
        }
        for (std::uint64_t n : denied) offenders += n > 0;
        CHECK(one.top.size() == offenders);
        CHECK(one.clients_denied == offenders);
      }
    }
  }
  // The sweep-sensitive case is a real one: some requests pass and some do not.
  ReplayOptions moving;
  moving.algorithm = Algorithm::MovingWindow;
  const AlgorithmReplay zero = replayed(log, "0/second", moving).algorithms.at(0);
  CHECK(zero.allowed > 0);
  CHECK(zero.denied > 0);
}

TEST_CASE("replay: the bucket family is run once, and each of the four gets exactly its own figures") {
  std::string text;
  std::uint32_t state = 11;
  double t = 1700000000;
  for (int i = 0; i < 2000; ++i) {
    state = state * 1664525u + 1013904223u;
    t += ((state >> 8) % 5) * 0.03;
    text += json_line("10.2.0." + std::to_string((state >> 16) % 3), t);
  }
  const AccessLogParser log = parsed(text);
  for (const char* rule : {"4/second;30/minute", "3/second"}) {
    ReplayOptions options;
    options.algorithm_options.capacity = 6;  // options the four read differently (delay: the queue only)
    options.algorithm_options.delay = 2;
    const ReplayResult all = replayed(log, rule, options);
    for (const AlgorithmReplay& one : all.algorithms) {
      CAPTURE(rule);
      CAPTURE(algorithm_name(one.algorithm));
      const bool reused = one.algorithm == Algorithm::LeakyBucket || one.algorithm == Algorithm::LeakyQueue ||
                          one.algorithm == Algorithm::Gcra;
      CHECK(one.same_as == (reused ? std::optional(Algorithm::TokenBucket) : std::nullopt));
      ReplayOptions alone = options;
      alone.algorithm = one.algorithm;
      const AlgorithmReplay own = replayed(log, rule, alone).algorithms.at(0);
      CHECK_FALSE(own.same_as);
      CHECK(one.allowed == own.allowed);
      CHECK(one.timeline == own.timeline);
      REQUIRE(one.top.size() == own.top.size());
      for (std::size_t i = 0; i < own.top.size(); ++i) {
        CHECK(one.top[i].client == own.top[i].client);
        CHECK(one.top[i].denied == own.top[i].denied);
      }
    }
    // Not a trivial agreement: the rule denies some requests and admits others.
    CHECK(all.algorithms.at(4).allowed > 0);
    CHECK(all.algorithms.at(4).denied > 0);
  }
}

TEST_CASE("replay: top offenders are the most denied first, and only clients with denials") {
  std::string text;
  for (int i = 0; i < 40; ++i) text += json_line("loud", 1704067200 + i * 0.01);
  for (int i = 0; i < 12; ++i) text += json_line("medium", 1704067201 + i * 0.01);
  text += json_line("quiet", 1704067202);
  const AccessLogParser log = parsed(text);
  ReplayOptions options;
  options.algorithm = Algorithm::FixedWindow;  // windows on whole seconds: 10 each
  options.top = 5;
  const AlgorithmReplay one = replayed(log, "10/second", options).algorithms.at(0);
  REQUIRE(one.top.size() == 2);
  CHECK(log.client_name(one.top[0].client) == "loud");
  CHECK(one.top[0].denied == 30);
  CHECK(log.client_name(one.top[1].client) == "medium");
  CHECK(one.top[1].denied == 2);
  // With only the loudest kept, its timeline is its own: the other's denials are not in it.
  options.top = 1;
  const AlgorithmReplay loudest = replayed(log, "10/second", options).algorithms.at(0);
  REQUIRE(loudest.top.size() == 1);
  std::uint64_t in_timeline = 0;
  for (std::uint64_t n : loudest.top[0].timeline) in_timeline += n;
  CHECK(in_timeline == 30);
  CHECK(loudest.timeline != loudest.top[0].timeline);
}

TEST_CASE("replay: offenders denied as often are ranked by fewer requests, then by first seen") {
  std::string text;
  const auto burst = [&](const std::string& ip, double t, int n) {
    for (int i = 0; i < n; ++i) text += json_line(ip, t);
  };
  burst("many", 1704067201, 12);  // 2 denied of 22
  burst("few", 1704067202, 12);   // 2 denied of 12
  burst("first", 1704067203, 12); // 2 denied of 12, seen before "second"
  burst("second", 1704067204, 12);
  burst("many", 1704067205, 10);
  const AccessLogParser log = parsed(text);
  ReplayOptions options;
  options.algorithm = Algorithm::FixedWindow;
  options.top = 4;
  const AlgorithmReplay one = replayed(log, "10/second", options).algorithms.at(0);
  std::vector<std::string> order;
  for (const Offender& offender : one.top) order.emplace_back(log.client_name(offender.client));
  CHECK(order == std::vector<std::string>{"few", "first", "second", "many"});
}

TEST_CASE("replay: a block of requests with no denial still counts, and so do the blocks after it") {
  // More than one block of the engine's batch: the first whole block is admitted.
  std::string text;
  for (int i = 0; i < 4096; ++i) text += json_line("a", 1704067200 + i);
  for (int i = 0; i < 904; ++i) text += json_line("a", 1704067200 + 5000);
  const AccessLogParser log = parsed(text);
  ReplayOptions options;
  options.algorithm = Algorithm::FixedWindow;
  const AlgorithmReplay one = replayed(log, "2/second", options).algorithms.at(0);
  CHECK(one.allowed == 4096 + 2);
  CHECK(one.denied == 902);
}

TEST_CASE("replay: an empty log replays to zeros") {
  const AccessLogParser log = parsed("");
  const ReplayResult result = replayed(log, "1/second", {});
  CHECK(result.requests == 0);
  for (const AlgorithmReplay& one : result.algorithms) {
    CHECK(one.allowed == 0);
    CHECK(one.denied == 0);
  }
}

TEST_CASE("replay: scaled rules, from an eighth to eight times, each as replayed on its own") {
  // a sends 6 requests in its first second and 3 in its second 10; b 2 in the first second.
  std::string text;
  for (double t : {0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 10.0, 10.1, 10.2}) text += json_line("a", 1704067200 + t);
  for (double t : {0.6, 0.7}) text += json_line("b", 1704067200 + t);
  const AccessLogParser log = parsed(text);
  ReplayOptions options;
  options.algorithm = Algorithm::FixedWindow;
  const auto scaled_by = [&](const std::string& rule, const ReplayOptions& with) {
    return replay_scaled(log.clients(), log.times(), log.client_count(), limits(rule), with);
  };

  SUBCASE("every amount is scaled and rounded; equal rules once, the rule itself as factor 1") {
    std::vector<std::string> rules;
    for (const ScaledReplay& one : scaled_by("2/second;30/minute", options)) {
      rules.push_back(rule_text(one.limits) + " x" + std::to_string(one.factor));
    }
    CHECK(rules == std::vector<std::string>{"1/second;4/minute x0.125000", "1/second;8/minute x0.250000",
                                            "1/second;15/minute x0.500000", "2/second;30/minute x1.000000",
                                            "4/second;60/minute x2.000000", "8/second;120/minute x4.000000",
                                            "16/second;240/minute x8.000000"});
    const std::vector<ScaledReplay> zero = scaled_by("0/second", ReplayOptions{});  // the first algorithm
    REQUIRE(zero.size() == 1);
    CHECK(zero[0].factor == 1);
    CHECK(zero[0].denied == 11);
  }

  SUBCASE("hand-computed: 1/second denies a 5 + 2 and b 1; 2/second a 4 + 1; 4/second a 2") {
    const std::vector<ScaledReplay> scaled = scaled_by("2/second", options);
    std::vector<double> factors;
    std::vector<std::uint64_t> denied;
    std::vector<std::uint64_t> clients_denied;
    for (const ScaledReplay& one : scaled) {
      factors.push_back(one.factor);
      denied.push_back(one.denied);
      clients_denied.push_back(one.clients_denied);
    }
    CHECK(factors == std::vector<double>{0.125, 1, 2, 4, 8});  // 2/8, 2/4 and 2/2 are all 1/second
    CHECK(denied == std::vector<std::uint64_t>{8, 5, 2, 0, 0});
    CHECK(clients_denied == std::vector<std::uint64_t>{2, 1, 1, 0, 0});
  }

  SUBCASE("each scaled rule has the figures of replaying it alone, per client and shared") {
    for (const ReplayKey key : {ReplayKey::PerClient, ReplayKey::Shared}) {
      for (const Algorithm algorithm : kAllAlgorithms) {
        ReplayOptions with;
        with.algorithm = algorithm;
        with.key = key;
        for (const ScaledReplay& one : scaled_by("3/second;5/minute", with)) {
          const AlgorithmReplay alone = replay(log.clients(), log.times(), log.client_count(), one.limits, with).algorithms[0];
          CHECK(one.denied == alone.denied);
          CHECK(one.clients_denied == alone.clients_denied);
        }
      }
    }
  }
}

}  // namespace ratelimit::test
