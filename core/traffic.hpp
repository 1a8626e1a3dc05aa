// Seeded, deterministic request arrivals for one simulated client.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/random.hpp"

namespace ratelimit {

enum class Pattern {
  Manual,    // no generated traffic: only requests sent by hand
  Constant,  // one request every 1 / rate seconds, the first at 0
  Poisson,   // independent arrivals, `rate` per second on average
  OnOff,     // Poisson at 2 x rate for period / 2, then silence for period / 2, repeated
  Ramp,      // Poisson whose rate climbs from 0 to 2 x rate over each period, then restarts
};

std::string_view pattern_name(Pattern p);  // "manual", "constant", "poisson", "on-off", "ramp"
std::optional<Pattern> pattern_from_name(std::string_view name);

struct Traffic {
  Pattern pattern = Pattern::Manual;
  double rate = 1;     // mean requests per second
  double period = 10;  // seconds (on/off and ramp)
};

// The arrival times of one client, in order, in seconds from the start of the run, rounded to
// whole microseconds. The same traffic and seed always give the same times.
class ArrivalStream {
 public:
  ArrivalStream(const Traffic& traffic, std::uint64_t seed);

  // The next arrival, or +infinity when the client sends nothing by itself.
  double peek() const { return next_; }
  void pop() { next_ = generate(); }

 private:
  double generate();

  Traffic traffic_;
  Random random_;
  double clock_ = 0;        // pattern time: seconds for Poisson and ramp, on-time for on/off
  std::int64_t count_ = 0;  // arrivals generated so far
  double next_;
};

}  // namespace ratelimit
