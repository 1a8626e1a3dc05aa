#include "core/algorithm.hpp"

#include "core/bucket.hpp"
#include "core/fixed_window.hpp"
#include "core/moving_window.hpp"
#include "core/sliding_window_counter.hpp"

namespace ratelimit {

namespace {

struct AlgorithmInfo {
  Algorithm algorithm;
  std::string_view name;
  std::string_view semantics;
  std::string_view summary;
};

constexpr AlgorithmInfo kInfo[] = {
    {Algorithm::FixedWindow, "fixed-window", "Flask-Limiter 3.3 / limits 2.8",
     "Counts hits in a window that opens at a client's first hit; rejected hits count too."},
    {Algorithm::FixedWindowElasticExpiry, "fixed-window-elastic-expiry",
     "Flask-Limiter 3.3 / limits 2.8",
     "A fixed window whose end moves out on every hit, so retrying keeps a client locked out."},
    {Algorithm::MovingWindow, "moving-window", "Flask-Limiter 3.3 / limits 2.8",
     "Logs every admitted hit and admits one only if the log holds room in the last window: exact."},
    {Algorithm::SlidingWindowCounter, "sliding-window-counter", "limits 4.1+ sliding window counter",
     "Blends this bucket's count with a decaying share of the previous one: cheap, approximate."},
    {Algorithm::TokenBucket, "token-bucket", "golang.org/x/time/rate",
     "A bucket of tokens refilled at a steady rate; each request takes one, bursts drain it."},
    {Algorithm::LeakyBucket, "leaky-bucket", "nginx limit_req (burst, nodelay)",
     "Requests fill a bucket that leaks at a steady rate; whatever would overflow is rejected."},
    {Algorithm::LeakyQueue, "leaky-queue", "nginx limit_req (burst, delay)",
     "Excess requests wait in a queue served at a steady rate; only a full queue rejects."},
    {Algorithm::Gcra, "gcra", "GCRA (throttled, redis-cell)",
     "One timestamp per client, the theoretical arrival time: a token bucket in a single number."},
};

const AlgorithmInfo& info(Algorithm a) { return kInfo[static_cast<int>(a)]; }

}  // namespace

std::string_view algorithm_name(Algorithm a) { return info(a).name; }
std::string_view algorithm_semantics(Algorithm a) { return info(a).semantics; }
std::string_view algorithm_summary(Algorithm a) { return info(a).summary; }

std::optional<Algorithm> algorithm_from_name(std::string_view name) {
  for (const AlgorithmInfo& i : kInfo) {
    if (i.name == name) return i.algorithm;
  }
  return std::nullopt;
}

bool is_flask_limiter_strategy(Algorithm a) {
  return a == Algorithm::FixedWindow || a == Algorithm::FixedWindowElasticExpiry ||
         a == Algorithm::MovingWindow;
}

Algorithm same_admissions_as(Algorithm a) {
  const bool bucket_family = a == Algorithm::LeakyBucket || a == Algorithm::LeakyQueue || a == Algorithm::Gcra;
  return bucket_family ? Algorithm::TokenBucket : a;
}

Snapshot Limiter::blank_snapshot() const {
  Snapshot s;
  s.algorithm = algorithm_;
  s.limit = rate_.amount;
  s.window = static_cast<double>(rate_.window_seconds());
  return s;
}

std::unique_ptr<Limiter> make_limiter(Algorithm algorithm, const RateLimit& rate,
                                      const AlgorithmOptions& options, ExpirySweep& sweep) {
  switch (algorithm) {
    case Algorithm::FixedWindow:
      return std::make_unique<FixedWindow>(rate, false);
    case Algorithm::FixedWindowElasticExpiry:
      return std::make_unique<FixedWindow>(rate, true);
    case Algorithm::MovingWindow:
      return std::make_unique<MovingWindow>(rate, sweep);
    case Algorithm::SlidingWindowCounter:
      return std::make_unique<SlidingWindowCounter>(rate);
    case Algorithm::TokenBucket:
    case Algorithm::LeakyBucket:
    case Algorithm::LeakyQueue:
    case Algorithm::Gcra:
      return std::make_unique<Bucket>(algorithm, rate, options);
  }
  return nullptr;
}

}  // namespace ratelimit
