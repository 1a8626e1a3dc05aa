// The rate-limiting algorithms behind one small interface. A Limiter enforces one RateLimit for
// many keys (clients); per-key state is plain data indexed by a small integer KeyId that the
// caller assigns. Time is always passed in as `now`, in seconds since the Unix epoch (a double,
// as Python's time.time()); nothing here reads a clock.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/rate.hpp"

namespace ratelimit {

enum class Algorithm {
  FixedWindow,               // Flask-Limiter / limits 2.8 "fixed-window"
  FixedWindowElasticExpiry,  // Flask-Limiter / limits 2.8 "fixed-window-elastic-expiry"
  MovingWindow,              // Flask-Limiter / limits 2.8 "moving-window" (sliding log)
  SlidingWindowCounter,      // limits 4.1+ "sliding-window-counter"
  TokenBucket,               // golang.org/x/time/rate
  LeakyBucket,               // leaky bucket as a meter (nginx limit_req ... nodelay)
  LeakyQueue,                // leaky bucket as a queue (nginx limit_req burst=... [delay=...])
  Gcra,                      // generic cell rate algorithm (throttled, redis-cell)
};

inline constexpr std::array<Algorithm, 8> kAllAlgorithms = {
    Algorithm::FixedWindow,          Algorithm::FixedWindowElasticExpiry,
    Algorithm::MovingWindow,         Algorithm::SlidingWindowCounter,
    Algorithm::TokenBucket,          Algorithm::LeakyBucket,
    Algorithm::LeakyQueue,           Algorithm::Gcra};

std::string_view algorithm_name(Algorithm a);   // "fixed-window", "token-bucket", ...
std::optional<Algorithm> algorithm_from_name(std::string_view name);
// Whose semantics the implementation follows, e.g. "Flask-Limiter 3.3 / limits 2.8".
std::string_view algorithm_semantics(Algorithm a);
// One line a learner can read next to the algorithm's name.
std::string_view algorithm_summary(Algorithm a);
// True for the three strategies Flask-Limiter 3.3 itself offers.
bool is_flask_limiter_strategy(Algorithm a);
// The algorithm that admits exactly the requests `a` admits, for any rule, options and traffic:
// token-bucket for the whole bucket family (leaky bucket, leaky queue and GCRA are the same meter,
// see bucket.hpp; they differ only in delays and in how they describe the state), else `a`.
Algorithm same_admissions_as(Algorithm a);

// How a rate string maps to the bucket-family parameters (token bucket, leaky bucket, leaky
// queue, GCRA), for a rule of `amount` requests per `window` seconds:
//   rate     = amount / window requests per second (refill, drain, 1 / emission interval);
//   capacity = `capacity` or, by default, `amount`: the requests an idle client may send at
//              once (x/time/rate burst; nginx burst + 1; GCRA max_burst + 1);
//   queue    = leaky-queue only: the first `delay` requests of the excess go through at once
//              (nginx delay=, default 0); `nodelay` serves the whole burst at once.
// So `10/minute` is a bucket of 10 refilled at one request every 6 s.
struct AlgorithmOptions {
  std::optional<std::int64_t> capacity;
  std::int64_t delay = 0;
  bool nodelay = false;
};

using KeyId = std::uint32_t;

struct Decision {
  bool allowed = false;
  double delay = 0;  // seconds the request waits in the queue before it is served (leaky-queue)
};

// What limits' get_window_stats returns, and what the rate-limit headers are computed from.
struct WindowStats {
  double reset = 0;             // epoch seconds; Flask-Limiter sends int(reset + 1)
  std::int64_t remaining = 0;
  double exact_reset = 0;       // the same instant before limits truncates it (the IETF field's t)
};

// `count` hits recorded at `time` in the moving window's log.
struct LogEntry {
  double time = 0;
  std::int64_t count = 0;
};

// Everything a view needs to draw one key's state at one instant. Only the fields of the
// snapshot's algorithm are filled; the rest keep their zero values.
struct Snapshot {
  Algorithm algorithm = Algorithm::FixedWindow;
  std::int64_t limit = 0;    // the rule's amount
  double window = 0;         // the rule's window, seconds

  // Fixed windows: the open window [window_start, window_end) and its counter.
  bool window_open = false;
  double window_start = 0;
  double window_end = 0;
  std::int64_t counter = 0;

  // Moving window: logged hits inside [now - window, now], oldest first.
  std::vector<LogEntry> log;

  // Sliding window counter: the clock-aligned current bucket and the weighted estimate.
  double bucket_start = 0;
  std::int64_t previous_count = 0;
  std::int64_t current_count = 0;
  double previous_weight = 0;  // share of the previous bucket still inside the window, 0..1
  double estimate = 0;         // previous_count * previous_weight + current_count

  // Bucket family (token bucket, leaky bucket and queue, GCRA): all are one linear meter.
  double level = 0;            // requests' worth in the bucket (token bucket: tokens spent)
  double capacity = 0;         // requests an idle client may send at once
  double rate = 0;             // requests per second drained (refilled)
  double tokens = 0;           // token bucket: capacity - level
  double queued = 0;           // leaky queue: requests waiting to be served
  double places = 0;           // leaky queue: places to wait in (capacity - those passed at once)
  double tat = 0;              // GCRA: theoretical arrival time, epoch seconds
  double emission_interval = 0;  // GCRA: seconds per request
  double tolerance = 0;          // GCRA: how far the TAT may run ahead of now, seconds
};

// One limit enforced for many keys. `why`, when not null, receives a one-sentence account of
// the comparison that decided (with the state it read), for the "why was this answered so?"
// view; the decision itself never depends on it.
class Limiter {
 public:
  virtual ~Limiter() = default;

  // Consumes `cost` if the algorithm admits it (fixed windows count rejected hits too).
  virtual Decision hit(KeyId key, double now, std::int64_t cost, std::string* why) = 0;
  // Whether one more unit would be admitted, without consuming anything (limits' test()).
  virtual bool test(KeyId key, double now, std::string* why) = 0;
  virtual WindowStats window_stats(KeyId key, double now) = 0;
  virtual Snapshot snapshot(KeyId key, double now) = 0;
  virtual void clear(KeyId key) = 0;

  Algorithm algorithm() const { return algorithm_; }
  const RateLimit& rate() const { return rate_; }

 protected:
  Limiter(Algorithm algorithm, const RateLimit& rate) : algorithm_(algorithm), rate_(rate) {}
  Snapshot blank_snapshot() const;

 private:
  Algorithm algorithm_;
  RateLimit rate_;
};

class ExpirySweep;

// `sweep` is the expiry timer of the storage the limiter lives in; only the moving window
// consults it, and it must outlive the limiter.
std::unique_ptr<Limiter> make_limiter(Algorithm algorithm, const RateLimit& rate,
                                      const AlgorithmOptions& options, ExpirySweep& sweep);

}  // namespace ratelimit
