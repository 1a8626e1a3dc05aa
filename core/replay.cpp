#include "core/replay.hpp"

#include <algorithm>
#include <cmath>

#include "core/rule_engine.hpp"

namespace ratelimit {

namespace {

// Requests go to the engine a block at a time: the decisions' buffer (and, for a shared key, the
// ids) stay small and in cache however long the log is. Small blocks also matter in a browser:
// V8 first runs the engine's code unoptimized and switches to the optimized code only at the
// next call, so with blocks of 65,536 requests a first replay of a million lines took 59-86 ms
// in Chromium against 47 with 4,096 (the second: 35-49 either way).
constexpr std::size_t kBlock = 1 << 12;

// `relative`: the times relative to `epoch`, as the engine takes them.
AlgorithmReplay replay_one(Algorithm algorithm, const std::vector<KeyId>& clients, const std::vector<double>& times,
                           double epoch, const std::vector<double>& relative, std::size_t client_count,
                           const std::vector<RateLimit>& limits, const ReplayOptions& options,
                           const ReplayResult& span, const std::vector<std::uint64_t>& requests_per_client) {
  AlgorithmReplay out;
  out.algorithm = algorithm;
  out.timeline.assign(std::max<std::size_t>(options.buckets, 1), 0);
  const bool shared = options.key == ReplayKey::Shared;
  std::vector<std::uint64_t> denied_per_client(shared ? 0 : client_count, 0);
  RuleEngine engine(algorithm, limits, options.algorithm_options, epoch);
  const std::vector<KeyId> shared_ids(shared ? std::min(kBlock, times.size()) : 0, 0);
  std::vector<std::uint8_t> allowed(std::min(kBlock, times.size()));
  const double bucket_scale = span.bucket_seconds > 0 ? 1 / span.bucket_seconds : 0;
  const std::size_t last_bucket = out.timeline.size() - 1;
  const auto bucket_of = [&](double time) {
    return std::min(static_cast<std::size_t>((time - span.start) * bucket_scale), last_bucket);
  };
  std::vector<std::size_t> denied_requests;  // indexes (per client only), for the offenders' timelines
  for (std::size_t from = 0; from < times.size(); from += kBlock) {
    const std::size_t count = std::min(kBlock, times.size() - from);
    const KeyId* ids = shared ? shared_ids.data() : clients.data() + from;
    const std::size_t admitted = engine.hit_many(ids, relative.data() + from, count, allowed.data());
    out.allowed += admitted;
    if (admitted == count) continue;  // nothing denied to count
    for (std::size_t i = 0; i < count; ++i) {
      if (allowed[i]) continue;
      ++out.timeline[bucket_of(times[from + i])];
      if (shared) continue;
      ++denied_per_client[clients[from + i]];
      denied_requests.push_back(from + i);
    }
  }
  out.denied = times.size() - out.allowed;
  if (shared) return out;
  std::vector<KeyId> denied_clients;
  for (std::size_t id = 0; id < client_count; ++id) {
    if (denied_per_client[id] > 0) denied_clients.push_back(static_cast<KeyId>(id));
  }
  out.clients_denied = denied_clients.size();
  const auto worse = [&](KeyId a, KeyId b) {
    if (denied_per_client[a] != denied_per_client[b]) return denied_per_client[a] > denied_per_client[b];
    if (requests_per_client[a] != requests_per_client[b]) return requests_per_client[a] < requests_per_client[b];
    return a < b;
  };
  const std::size_t kept = std::min(options.top, denied_clients.size());
  std::partial_sort(denied_clients.begin(), denied_clients.begin() + static_cast<std::ptrdiff_t>(kept),
                    denied_clients.end(), worse);
  // Each offender's own timeline, from the requests that were denied: position in `top` + 1 by
  // client, 0 for the others.
  std::vector<std::uint32_t> rank(client_count, 0);
  for (std::size_t i = 0; i < kept; ++i) {
    const KeyId id = denied_clients[i];
    out.top.push_back(Offender{id, requests_per_client[id], denied_per_client[id],
                               std::vector<std::uint64_t>(out.timeline.size(), 0)});
    rank[id] = static_cast<std::uint32_t>(i + 1);
  }
  for (std::size_t request : denied_requests) {
    if (const std::uint32_t r = rank[clients[request]]) ++out.top[r - 1].timeline[bucket_of(times[request])];
  }
  return out;
}

}  // namespace

ReplayResult replay(const std::vector<KeyId>& clients, const std::vector<double>& times, std::size_t client_count,
                    const std::vector<RateLimit>& limits, const ReplayOptions& options) {
  ReplayResult result;
  result.requests = times.size();
  if (!times.empty()) {
    result.start = times.front();
    result.end = times.back();
    result.bucket_seconds = (result.end - result.start) / static_cast<double>(std::max<std::size_t>(options.buckets, 1));
  }
  std::vector<std::uint64_t> requests_per_client(client_count, 0);
  if (options.key == ReplayKey::PerClient) {
    for (KeyId id : clients) ++requests_per_client[id];
  }
  // Times go to the engines relative to their epoch, the log's first whole second.
  const double epoch = std::floor(result.start);
  std::vector<double> relative(times.size());
  bool whole_seconds = !times.empty();
  for (std::size_t i = 0; i < times.size(); ++i) {
    relative[i] = times[i] - epoch;
    whole_seconds = whole_seconds && relative[i] == std::floor(relative[i]);
  }
  result.coarse_times = whole_seconds && std::any_of(limits.begin(), limits.end(), [](const RateLimit& limit) {
    return limit.window_seconds() <= kCoarseWindowSeconds;
  });
  if (options.algorithm) {
    result.algorithms.push_back(
        replay_one(*options.algorithm, clients, times, epoch, relative, client_count, limits, options, result,
                   requests_per_client));
    return result;
  }
  for (Algorithm algorithm : kAllAlgorithms) {
    const Algorithm twin = same_admissions_as(algorithm);
    const auto ran = std::find_if(result.algorithms.begin(), result.algorithms.end(),
                                  [twin](const AlgorithmReplay& one) { return one.algorithm == twin; });
    if (twin != algorithm && ran != result.algorithms.end()) {
      AlgorithmReplay same = *ran;
      same.algorithm = algorithm;
      same.same_as = twin;
      result.algorithms.push_back(std::move(same));
    } else {
      result.algorithms.push_back(
          replay_one(algorithm, clients, times, epoch, relative, client_count, limits, options, result,
                     requests_per_client));
    }
  }
  return result;
}

std::vector<ScaledReplay> replay_scaled(const std::vector<KeyId>& clients, const std::vector<double>& times,
                                        std::size_t client_count, const std::vector<RateLimit>& limits,
                                        const ReplayOptions& options) {
  std::vector<ScaledReplay> out;
  for (double factor : kReplayScales) {
    ScaledReplay rule{factor, limits};
    for (RateLimit& limit : rule.limits) {
      if (limit.amount == 0) continue;
      const double amount = std::round(static_cast<double>(limit.amount) * factor);
      limit.amount = amount >= static_cast<double>(kMaxRateNumber)
                         ? kMaxRateNumber
                         : std::max<std::int64_t>(1, static_cast<std::int64_t>(amount));
    }
    if (!out.empty() && out.back().limits == rule.limits) {
      if (factor == 1) out.back().factor = 1;  // the rule itself, which a smaller scale rounded to
      continue;
    }
    out.push_back(std::move(rule));
  }
  ReplayOptions one = options;
  one.algorithm = options.algorithm.value_or(kAllAlgorithms[0]);
  one.top = 0;
  one.buckets = 1;
  for (ScaledReplay& rule : out) {
    const AlgorithmReplay result = replay(clients, times, client_count, rule.limits, one).algorithms.front();
    rule.denied = result.denied;
    rule.clients_denied = result.clients_denied;
  }
  return out;
}

}  // namespace ratelimit
