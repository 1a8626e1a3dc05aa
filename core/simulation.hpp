// The playground's engine: a simulated Flask app per algorithm ("lane"), seeded clients that
// send traffic and react to 429s, and a clock that runs forward, steps to the next event, or
// seeks back (by recomputing the run from its seed). Every lane sees the same generated
// traffic; retries depend on each lane's own answers.
#pragma once

#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/algorithm.hpp"
#include "core/flask_app.hpp"
#include "core/random.hpp"
#include "core/scenario.hpp"
#include "core/traffic.hpp"

namespace ratelimit {

// What a client does when it gets a 429.
enum class RetryPolicy {
  Ignore,      // nothing: the request is lost
  Immediate,   // sends it again after one round trip (retry_delay)
  Backoff,     // again after a random wait up to backoff_base x 2^attempt ("full jitter")
  RetryAfter,  // again when the Retry-After header says
  // Again after Retry-After plus one second, plus a random wait up to one more: Flask-Limiter
  // rounds Retry-After down, so the second makes sure the window has ended; the jitter keeps
  // clients refused together from coming back together.
  RetryAfterJitter,
};

// "ignore", "immediate", "backoff", "retry-after", "retry-after-jitter"
std::string_view retry_policy_name(RetryPolicy p);
std::optional<RetryPolicy> retry_policy_from_name(std::string_view name);

struct Client {
  std::string key = "10.0.0.1";  // the address Flask-Limiter sees (REMOTE_ADDR)
  std::string path = "/";
  std::string method = "GET";
  Headers headers;               // for header key functions, e.g. an API key
  std::int64_t cost = 1;
  Traffic traffic;
  RetryPolicy retry = RetryPolicy::Ignore;
  // An attacker behind a proxy that passes X-Forwarded-For on: every request it generates
  // (retries included) carries a fresh, never repeated address in that header.
  bool spoofs_forwarded_for = false;
};

struct SimulationConfig {
  AppConfig app;                // each lane runs it with its own algorithm as the strategy
  std::vector<Algorithm> lanes{Algorithm::FixedWindow};  // the first is the primary lane
  std::vector<Client> clients;
  // Worker processes (gunicorn -w N), each with its own memory:// storage; requests reach them
  // round-robin, so every worker sees 1/N of a client's requests and N times its limit passes.
  int workers = 1;
  std::uint64_t seed = 1;
  double epoch = kDefaultEpoch;
  double retry_delay = 0.05;    // one round trip
  double backoff_base = 0.5;
  double backoff_cap = 30;
  int max_retries = 8;          // attempts after the first
  std::size_t kept_responses = 1000;  // full responses kept per lane; older ones are recomputed
};

// One decided request, compact: what the views draw.
struct Outcome {
  double t = 0;          // seconds since the start of the run
  double delay = 0;      // seconds the leaky queue held it
  std::uint32_t key = 0; // index into Simulation::keys(): clients first, then keys sent by hand
  std::uint16_t status = 0;
  std::uint16_t attempt = 0;  // 0 for a first try, n for the n-th retry
  // For a retry, how many outcomes before this one the refused attempt it repeats is (so that
  // attempt's index is this index - back); 0 for a first try.
  std::uint32_t back = 0;
  bool manual = false;
};

struct LaneTotals {
  std::int64_t requests = 0;
  std::int64_t allowed = 0;   // answered 2xx
  std::int64_t rejected = 0;  // answered 429
  std::int64_t retries = 0;
  std::int64_t delayed = 0;   // admitted by the leaky queue after a wait
  // The most cost admitted for one key within any closed window [t - w, t], w being the
  // shortest window among the primary route's limits (0 when it has none); and that limit.
  std::int64_t max_in_window = 0;
  std::int64_t window_limit = 0;
  double window = 0;
};

class Simulation {
 public:
  explicit Simulation(SimulationConfig config);

  const SimulationConfig& config() const { return config_; }
  double now() const { return now_; }
  std::size_t lane_count() const { return lanes_.size(); }
  const std::vector<std::string>& keys() const { return keys_; }

  // Runs the clock forward to `t` (>= now): every generated arrival and retry up to and
  // including t is decided in every lane, in time order.
  void advance_to(double t);
  void advance(double seconds) { advance_to(now_ + seconds); }
  // The time of the next arrival or retry in any lane; +infinity when nothing is scheduled.
  double next_event() const;
  // A request answered 429: its lane and its index among that lane's outcomes.
  struct Rejection {
    std::size_t lane;
    std::uint64_t index;
  };
  // Runs the clock forward one event at a time until some lane answers a request 429, and stops
  // there: the first such request (the lowest lane's, when several answer 429 at that time).
  // With none by `horizon` (finite), it is advance_to(horizon).
  std::optional<Rejection> advance_to_rejection(double horizon);
  // Decides `count` requests sent by hand at now in every lane, after everything already due.
  // Returns their indexes in the primary lane's outcomes. Sending rewrites the future: hand
  // sends recorded after now (from before a seek back) are dropped.
  std::vector<std::uint64_t> send(const std::string& key, const std::string& path, std::int64_t cost,
                                  int count = 1);
  // Records `count` requests to be sent by hand at `t`, decided when the clock reaches t (after
  // what else is due then), as if send() were called at that time. `t` must be >= now, and >= the
  // time of the last send recorded; returns false, recording nothing, when it is not.
  bool schedule_send(double t, const std::string& key, const std::string& path, std::int64_t cost,
                     int count = 1);
  // Recomputes the run from the start up to `t`; hand sends are replayed at their times.
  void seek(double t);

  // Outcomes of a lane in order; indexes count from the start of the run. Only the most recent
  // outcomes are kept in memory (first_kept_outcome() onwards).
  const std::deque<Outcome>& outcomes(std::size_t lane) const { return lanes_[lane]->outcomes; }
  std::uint64_t first_kept_outcome(std::size_t lane) const { return lanes_[lane]->first_outcome; }
  std::uint64_t outcome_count(std::size_t lane) const {
    return lanes_[lane]->first_outcome + lanes_[lane]->outcomes.size();
  }
  // The full response (headers, IETF fields, trace) of outcome `index`; recomputed when it is
  // no longer kept.
  Response response(std::size_t lane, std::uint64_t index);
  const LaneTotals& totals(std::size_t lane) const { return lanes_[lane]->totals; }
  // The limits a request from `key` to `path` meets in `lane` right now, with their state: in the
  // worker the next request reaches.
  std::vector<LimitState> inspect(std::size_t lane, const std::string& key, const std::string& path);
  // The worker (0-based) the next request of `lane` reaches, whose state inspect() reads.
  std::size_t next_worker(std::size_t lane) const { return lanes_[lane]->next_worker; }

  // Outcomes kept per lane; older ones remain in the totals.
  static constexpr std::size_t kKeptOutcomes = 50000;

 private:
  struct Retry {
    double t;
    std::uint64_t order;  // ties keep scheduling order
    std::uint32_t client;
    std::uint16_t attempt;
    std::uint64_t from;  // the outcome index of the refused attempt
    bool operator>(const Retry& other) const {
      return t != other.t ? t > other.t : order > other.order;
    }
  };
  struct Lane {
    std::vector<std::unique_ptr<FlaskApp>> workers;  // one app (and storage) per worker process
    std::size_t next_worker = 0;                     // round-robin
    std::vector<std::uint32_t> spoofed;              // per client: X-Forwarded-For values sent
    std::vector<Retry> retries;  // a min-heap on (t, order)
    std::vector<Random> jitter;  // one per client
    std::deque<Outcome> outcomes;
    std::uint64_t first_outcome = 0;
    std::deque<std::pair<std::uint64_t, Response>> responses;  // (outcome index, response)
    LaneTotals totals;
    struct Admitted {
      std::deque<std::pair<double, std::int64_t>> times;  // (t, cost) within the window
      std::int64_t sum = 0;
    };
    std::unordered_map<std::uint32_t, Admitted> admitted;  // per key
  };
  struct HandSend {
    double t;
    std::string key;
    std::string path;
    std::int64_t cost;
    int count;
  };
  struct Capture {  // recomputing one response that is no longer kept
    std::size_t lane;
    std::uint64_t index;
    Response response;
    bool found = false;
  };

  void reset();
  std::uint32_t key_index(const std::string& key);
  // The headers of the configured client with this key (its API key, say), so that requests
  // sent by hand under a client's key meet header key functions as that client's do.
  Headers client_headers(const std::string& key) const;
  bool computes_lane(std::size_t lane) const { return !capture_ || capture_->lane == lane; }
  // Decides one request in lane `lane_index` at `t` and records it. `client` is the sending
  // client's index, or -1 for a hand send; a rejected client request schedules its retry. A retry
  // names the outcome index `from` of the refused attempt it repeats.
  std::uint64_t decide(std::size_t lane_index, double t, Request request, int client,
                       std::uint16_t attempt, std::uint64_t from = 0);
  void schedule_retry(Lane& lane, double t, int client, std::uint16_t attempt, const Response& response,
                      std::uint64_t index);
  void note_admitted(Lane& lane, double t, std::uint32_t key, std::int64_t cost) const;
  Request client_request(std::size_t client, double t) const;
  // Decides, in every lane, what is due up to `t` inclusive.
  void run_until(double t);
  std::vector<std::uint64_t> apply_hand_send(const HandSend& send);

  SimulationConfig config_;
  std::vector<std::unique_ptr<Lane>> lanes_;
  std::vector<ArrivalStream> arrivals_;  // one per client
  std::vector<std::uint32_t> client_keys_;  // each client's index in keys_
  std::vector<std::string> keys_;
  std::unordered_map<std::string, std::uint32_t> key_indexes_;
  std::vector<HandSend> hand_sends_;
  std::size_t hand_sends_applied_ = 0;
  std::uint64_t retry_order_ = 0;
  double now_ = 0;
  double window_ = 0;  // the overlay's window, seconds
  std::int64_t window_limit_ = 0;
  Capture* capture_ = nullptr;
};

}  // namespace ratelimit
