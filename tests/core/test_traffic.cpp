#include "core/traffic.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

namespace ratelimit::test {

namespace {

std::vector<double> first(ArrivalStream stream, int n) {
  std::vector<double> times;
  for (int i = 0; i < n; ++i) {
    times.push_back(stream.peek());
    stream.pop();
  }
  return times;
}

int count_until(ArrivalStream stream, double until) {
  int n = 0;
  for (; stream.peek() < until; stream.pop()) ++n;
  return n;
}

}  // namespace

TEST_CASE("traffic: manual clients send nothing by themselves") {
  CHECK(std::isinf(ArrivalStream({Pattern::Manual, 5, 10}, 1).peek()));
  CHECK(std::isinf(ArrivalStream({Pattern::Poisson, 0, 10}, 1).peek()));
}

TEST_CASE("traffic: constant traffic is evenly spaced from 0, in whole microseconds") {
  CHECK(first(ArrivalStream({Pattern::Constant, 3, 10}, 1), 4) == std::vector<double>{0, 0.333333, 0.666667, 1});
}

TEST_CASE("traffic: the same seed gives the same arrivals, another seed others") {
  const Traffic poisson{Pattern::Poisson, 5, 10};
  CHECK(first(ArrivalStream(poisson, 7), 50) == first(ArrivalStream(poisson, 7), 50));
  CHECK(first(ArrivalStream(poisson, 7), 50) != first(ArrivalStream(poisson, 8), 50));
}

TEST_CASE("traffic: Poisson arrivals come at the mean rate") {
  const int n = count_until(ArrivalStream({Pattern::Poisson, 20, 10}, 3), 1000);
  CHECK(n > 19000);
  CHECK(n < 21000);
}

TEST_CASE("traffic: on/off sends at twice the rate in the on half of each period and nothing in the off half") {
  ArrivalStream stream({Pattern::OnOff, 10, 4}, 5);
  int on = 0;
  for (; stream.peek() < 400; stream.pop()) {
    CHECK(std::fmod(stream.peek(), 4) < 2);
    ++on;
  }
  CHECK(on > 3800);
  CHECK(on < 4200);
}

TEST_CASE("traffic: a ramp sends more late in each period than early") {
  ArrivalStream stream({Pattern::Ramp, 10, 10}, 9);
  int early = 0, late = 0;
  for (; stream.peek() < 1000; stream.pop()) (std::fmod(stream.peek(), 10) < 5 ? early : late)++;
  CHECK(early + late > 9000);
  CHECK(late > 2 * early);
}

TEST_CASE("traffic: pattern names round-trip") {
  for (Pattern p : {Pattern::Manual, Pattern::Constant, Pattern::Poisson, Pattern::OnOff, Pattern::Ramp}) {
    CHECK(pattern_from_name(pattern_name(p)) == p);
  }
  CHECK(pattern_from_name("burst") == std::nullopt);
}

}  // namespace ratelimit::test
