// Replays parsed requests (access_log.hpp) under one rule through the algorithms, with the batch
// engine (rule_engine.hpp): what the rule would have done to real traffic. Every request costs 1;
// times are the log's own, in order. Algorithms that admit the same requests by construction
// (the bucket family, same_admissions_as) are run once and reported under each name.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/algorithm.hpp"
#include "core/rate.hpp"

namespace ratelimit {

// Whom the rule counts: each client on its own (`ip`, Flask-Limiter's get_remote_address) or
// all requests together (`none`: one shared key, as a global limit).
enum class ReplayKey { PerClient, Shared };

struct ReplayOptions {
  std::optional<Algorithm> algorithm;  // nothing: all of kAllAlgorithms
  ReplayKey key = ReplayKey::PerClient;
  AlgorithmOptions algorithm_options;
  std::size_t buckets = 60;   // of the rejection timeline, over the log's span
  std::size_t top = 10;       // offenders kept per algorithm
};

struct Offender {
  KeyId client = 0;
  std::uint64_t requests = 0;
  std::uint64_t denied = 0;
  std::vector<std::uint64_t> timeline;  // its denied requests per bucket, as AlgorithmReplay's
};

struct AlgorithmReplay {
  Algorithm algorithm = Algorithm::FixedWindow;
  // Set when this algorithm was not run again because it admits exactly the requests of
  // `same_as` (same_admissions_as), which the same replay already ran: the figures are its.
  std::optional<Algorithm> same_as;
  std::uint64_t allowed = 0;
  std::uint64_t denied = 0;
  // Clients with the most denied requests, most first (ties: fewer requests, then lower id);
  // clients with none denied are left out. Empty when the key is shared.
  std::vector<Offender> top;
  // Clients with at least one request denied: how many would have noticed the rule (0 when the
  // key is shared).
  std::uint64_t clients_denied = 0;
  std::vector<std::uint64_t> timeline;  // denied requests per bucket
};

struct ReplayResult {
  std::uint64_t requests = 0;
  double start = 0;           // epoch seconds of the first and last request
  double end = 0;
  double bucket_seconds = 0;  // the timeline's bucket width (0 when all requests share a time)
  // Every time is a whole second (a log of second resolution: common and combined logs among
  // them) while the rule's shortest window is at most kCoarseWindowSeconds: where in its second
  // each request came, which decides answers at that scale, is lost (a moving window counts two
  // requests logged in one second as simultaneous).
  bool coarse_times = false;
  std::vector<AlgorithmReplay> algorithms;
};

inline constexpr std::int64_t kCoarseWindowSeconds = 10;

// `clients` and `times` hold one entry per request, times non-decreasing (epoch seconds);
// `client_count` bounds the ids. `limits` is a parsed rule (parse_rates), not empty.
ReplayResult replay(const std::vector<KeyId>& clients, const std::vector<double>& times, std::size_t client_count,
                    const std::vector<RateLimit>& limits, const ReplayOptions& options);

// One rule of replay_scaled(): the figures it would have had.
struct ScaledReplay {
  double factor = 1;               // the amounts' scale, as asked (1: the rule itself)
  std::vector<RateLimit> limits;   // the rule with every amount scaled
  std::uint64_t denied = 0;
  std::uint64_t clients_denied = 0;  // 0 when the key is shared
};

// The scales replay_scaled() tries: from an eighth of the rule to eight times it.
inline constexpr double kReplayScales[] = {0.125, 0.25, 0.5, 1, 2, 4, 8};

// What a tighter or looser rule would have done to the same requests under one algorithm
// (options.algorithm; the first of kAllAlgorithms when unset): the rule with every amount
// multiplied by each of kReplayScales, rounded, and at least 1 (an amount of 0 stays 0), the
// windows unchanged. Scales that give the same rule as a smaller one are left out, so the list
// is in increasing order of amounts and always holds factor 1.
std::vector<ScaledReplay> replay_scaled(const std::vector<KeyId>& clients, const std::vector<double>& times,
                                        std::size_t client_count, const std::vector<RateLimit>& limits,
                                        const ReplayOptions& options);

}  // namespace ratelimit
