#include "core/simulation.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <iterator>
#include <limits>
#include <variant>

namespace ratelimit {

namespace {

constexpr std::string_view kRetryNames[] = {"ignore", "immediate", "backoff", "retry-after", "retry-after-jitter"};

// The shortest-window limit among the app's own strings: the one the overlay measures.
std::optional<RateLimit> overlay_limit(const AppConfig& app) {
  std::vector<std::string> texts;
  if (!app.routes.empty()) {
    for (const RouteLimit& l : app.routes.front().limits) texts.push_back(l.limit);
  }
  texts.insert(texts.end(), app.default_limits.begin(), app.default_limits.end());
  texts.insert(texts.end(), app.application_limits.begin(), app.application_limits.end());
  std::optional<RateLimit> shortest;
  for (const std::string& text : texts) {
    const ParseResult parsed = parse_rates(text);
    if (!std::holds_alternative<std::vector<RateLimit>>(parsed)) continue;
    for (const RateLimit& limit : std::get<std::vector<RateLimit>>(parsed)) {
      if (!shortest || limit.window_seconds() < shortest->window_seconds()) shortest = limit;
    }
  }
  return shortest;
}

// Seconds until the client may retry, read from a 429's Retry-After (seconds or HTTP date).
double retry_after_seconds(const Response& response, double now) {
  std::string retry_after, reset;
  for (const auto& [name, value] : response.headers) {
    if (name == "Retry-After") retry_after = value;
    if (name == "X-RateLimit-Reset") reset = value;
  }
  // Both are whole numbers of seconds; integer parsing keeps strtod out of the wasm module.
  const auto whole = [](const std::string& text, std::int64_t& value) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return !text.empty() && text[0] >= '0' && text[0] <= '9' && error == std::errc() &&
           end == text.data() + text.size();
  };
  std::int64_t value = 0;
  if (whole(retry_after, value)) return static_cast<double>(value);
  if (whole(reset, value)) return std::max(0.0, static_cast<double>(value) - now);  // an HTTP date names Reset
  return 0;
}

}  // namespace

std::string_view retry_policy_name(RetryPolicy p) { return kRetryNames[static_cast<int>(p)]; }

std::optional<RetryPolicy> retry_policy_from_name(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kRetryNames); ++i) {
    if (kRetryNames[i] == name) return static_cast<RetryPolicy>(i);
  }
  return std::nullopt;
}

Simulation::Simulation(SimulationConfig config) : config_(std::move(config)) {
  if (const auto limit = overlay_limit(config_.app)) {
    window_ = static_cast<double>(limit->window_seconds());
    window_limit_ = limit->amount;
  }
  reset();
}

void Simulation::reset() {
  lanes_.clear();
  for (std::size_t i = 0; i < config_.lanes.size(); ++i) {
    auto lane = std::make_unique<Lane>();
    AppConfig app = config_.app;
    app.strategy = config_.lanes[i];
    for (int w = 0; w < std::max(config_.workers, 1); ++w) {
      lane->workers.push_back(std::make_unique<FlaskApp>(app, config_.epoch));
    }
    lane->spoofed.assign(config_.clients.size(), 0);
    for (std::size_t c = 0; c < config_.clients.size(); ++c) {
      lane->jitter.emplace_back(Random::derive(config_.seed, (i + 1) * 65536 + c));
    }
    lane->totals.window = window_;
    lane->totals.window_limit = window_limit_;
    lanes_.push_back(std::move(lane));
  }
  arrivals_.clear();
  keys_.clear();
  key_indexes_.clear();
  client_keys_.clear();
  for (std::size_t c = 0; c < config_.clients.size(); ++c) {
    arrivals_.emplace_back(config_.clients[c].traffic, Random::derive(config_.seed, c));
    client_keys_.push_back(key_index(config_.clients[c].key));
  }
  hand_sends_applied_ = 0;
  retry_order_ = 0;
  now_ = 0;
}

namespace {

// The n-th made-up address an X-Forwarded-For spoofer sends (198.18.0.0/15 is reserved for
// testing): distinct for the first 131072 requests, which is what defeats a header key.
std::string spoofed_address(std::uint32_t n) {
  return "198." + std::to_string(18 + (n >> 16) % 2) + "." + std::to_string((n >> 8) & 255) + "." +
         std::to_string(n & 255);
}

}  // namespace

Headers Simulation::client_headers(const std::string& key) const {
  for (const Client& client : config_.clients) {
    if (client.key == key) return client.headers;
  }
  return {};
}

std::uint32_t Simulation::key_index(const std::string& key) {
  const auto [it, added] = key_indexes_.try_emplace(key, static_cast<std::uint32_t>(keys_.size()));
  if (added) keys_.push_back(key);
  return it->second;
}

Request Simulation::client_request(std::size_t client, double t) const {
  const Client& c = config_.clients[client];
  Request request;
  request.t = t;
  request.key = c.key;
  request.path = c.path;
  request.method = c.method;
  request.headers = c.headers;
  request.cost = c.cost;
  return request;
}

std::uint64_t Simulation::decide(std::size_t lane_index, double t, Request request, int client,
                                 std::uint16_t attempt, std::uint64_t from) {
  Lane& lane = *lanes_[lane_index];
  request.t = t;
  // Recomputing one response: only the one wanted needs the (costly) explanations.
  if (client >= 0 && config_.clients[static_cast<std::size_t>(client)].spoofs_forwarded_for) {
    request.headers.emplace_back("X-Forwarded-For", spoofed_address(lane.spoofed[static_cast<std::size_t>(client)]++));
  }
  FlaskApp& worker = *lane.workers[lane.next_worker];
  lane.next_worker = (lane.next_worker + 1) % lane.workers.size();
  if (capture_) worker.set_tracing(lane.first_outcome + lane.outcomes.size() == capture_->index);
  Response response = worker.handle(request);
  const std::uint32_t key = client >= 0 ? client_keys_[static_cast<std::size_t>(client)] : key_index(request.key);
  const std::uint64_t index = lane.first_outcome + lane.outcomes.size();
  const auto back = static_cast<std::uint32_t>(attempt > 0 ? std::min<std::uint64_t>(index - from, std::numeric_limits<std::uint32_t>::max()) : 0);
  lane.outcomes.push_back({t, response.delay, key, static_cast<std::uint16_t>(response.status), attempt, back, client < 0});
  if (lane.outcomes.size() > kKeptOutcomes) {
    lane.outcomes.pop_front();
    ++lane.first_outcome;
  }

  LaneTotals& totals = lane.totals;
  ++totals.requests;
  if (attempt > 0) ++totals.retries;
  if (response.status == 429) ++totals.rejected;
  if (response.status >= 200 && response.status < 300) {
    ++totals.allowed;
    if (response.delay > 0) ++totals.delayed;
    note_admitted(lane, t, key, request.cost.value_or(1));
  }
  if (response.status == 429 && client >= 0) schedule_retry(lane, t, client, attempt, response, index);

  if (capture_) {
    if (index == capture_->index) {
      capture_->response = std::move(response);
      capture_->found = true;
    }
    return index;
  }
  lane.responses.emplace_back(index, std::move(response));
  if (lane.responses.size() > config_.kept_responses) lane.responses.pop_front();
  return index;
}

void Simulation::schedule_retry(Lane& lane, double t, int client, std::uint16_t attempt,
                                const Response& response, std::uint64_t index) {
  const auto c = static_cast<std::size_t>(client);
  if (attempt >= config_.max_retries) return;
  double wait = config_.retry_delay;
  switch (config_.clients[c].retry) {
    case RetryPolicy::Ignore:
      return;
    case RetryPolicy::Immediate:
      break;
    case RetryPolicy::Backoff: {
      const double ceiling = std::min(config_.backoff_cap, config_.backoff_base * std::pow(2.0, attempt));
      wait = std::max(wait, lane.jitter[c].uniform() * ceiling);
      break;
    }
    case RetryPolicy::RetryAfter:
      wait = std::max(wait, retry_after_seconds(response, config_.epoch + t));
      break;
    case RetryPolicy::RetryAfterJitter:
      wait = std::max(wait, retry_after_seconds(response, config_.epoch + t) + 1 + lane.jitter[c].uniform());
      break;
  }
  lane.retries.push_back({std::round((t + wait) * 1e6) / 1e6, retry_order_++, static_cast<std::uint32_t>(client),
                          static_cast<std::uint16_t>(attempt + 1), index});
  std::push_heap(lane.retries.begin(), lane.retries.end(), std::greater<>());
}

void Simulation::note_admitted(Lane& lane, double t, std::uint32_t key, std::int64_t cost) const {
  if (window_ <= 0) return;
  Lane::Admitted& a = lane.admitted[key];
  a.times.emplace_back(t, cost);
  a.sum += cost;
  while (a.times.front().first < t - window_) {
    a.sum -= a.times.front().second;
    a.times.pop_front();
  }
  lane.totals.max_in_window = std::max(lane.totals.max_in_window, a.sum);
}

void Simulation::run_until(double t) {
  // Generated arrivals are the same for every lane: draw them once, in time order.
  std::vector<std::pair<double, std::size_t>> arrivals;
  for (;;) {
    std::size_t next = arrivals_.size();
    for (std::size_t c = 0; c < arrivals_.size(); ++c) {
      if (arrivals_[c].peek() <= t && (next == arrivals_.size() || arrivals_[c].peek() < arrivals_[next].peek())) {
        next = c;
      }
    }
    if (next == arrivals_.size()) break;
    arrivals.emplace_back(arrivals_[next].peek(), next);
    arrivals_[next].pop();
  }
  for (std::size_t l = 0; l < lanes_.size(); ++l) {
    if (!computes_lane(l)) continue;
    Lane& lane = *lanes_[l];
    std::size_t i = 0;
    for (;;) {
      if (capture_ && capture_->found) return;
      const bool retry_due = !lane.retries.empty() && lane.retries.front().t <= t;
      const bool arrival_due = i < arrivals.size();
      if (!retry_due && !arrival_due) break;
      if (arrival_due && (!retry_due || arrivals[i].first <= lane.retries.front().t)) {
        const auto [at, client] = arrivals[i++];
        decide(l, at, client_request(client, at), static_cast<int>(client), 0);
      } else {
        std::pop_heap(lane.retries.begin(), lane.retries.end(), std::greater<>());
        const Retry retry = lane.retries.back();
        lane.retries.pop_back();
        decide(l, retry.t, client_request(retry.client, retry.t), static_cast<int>(retry.client), retry.attempt, retry.from);
      }
    }
  }
}

void Simulation::advance_to(double t) {
  while (hand_sends_applied_ < hand_sends_.size() && hand_sends_[hand_sends_applied_].t <= t &&
         !(capture_ && capture_->found)) {
    const HandSend& send = hand_sends_[hand_sends_applied_++];
    run_until(send.t);
    now_ = send.t;
    apply_hand_send(send);
  }
  run_until(t);
  now_ = std::max(now_, t);
}

double Simulation::next_event() const {
  double next = std::numeric_limits<double>::infinity();
  for (const ArrivalStream& stream : arrivals_) next = std::min(next, stream.peek());
  for (const auto& lane : lanes_) {
    if (!lane->retries.empty()) next = std::min(next, lane->retries.front().t);
  }
  if (hand_sends_applied_ < hand_sends_.size()) next = std::min(next, hand_sends_[hand_sends_applied_].t);
  return next;
}

std::optional<Simulation::Rejection> Simulation::advance_to_rejection(double horizon) {
  std::vector<std::uint64_t> decided(lanes_.size());
  for (double t = next_event(); t <= horizon; t = next_event()) {
    for (std::size_t l = 0; l < lanes_.size(); ++l) decided[l] = outcome_count(l);
    advance_to(t);
    for (std::size_t l = 0; l < lanes_.size(); ++l) {
      const Lane& lane = *lanes_[l];
      for (std::uint64_t i = std::max(decided[l], lane.first_outcome); i < outcome_count(l); ++i) {
        if (lane.outcomes[static_cast<std::size_t>(i - lane.first_outcome)].status == 429) return Rejection{l, i};
      }
    }
  }
  advance_to(horizon);
  return std::nullopt;
}

std::vector<std::uint64_t> Simulation::apply_hand_send(const HandSend& send) {
  std::vector<std::uint64_t> primary;
  Request request;
  request.key = send.key;
  request.path = send.path;
  request.cost = send.cost;
  request.headers = client_headers(send.key);
  for (std::size_t l = 0; l < lanes_.size(); ++l) {
    if (!computes_lane(l)) continue;
    for (int i = 0; i < send.count; ++i) {
      const std::uint64_t index = decide(l, send.t, request, -1, 0);
      if (l == 0) primary.push_back(index);
    }
  }
  return primary;
}

std::vector<std::uint64_t> Simulation::send(const std::string& key, const std::string& path,
                                            std::int64_t cost, int count) {
  hand_sends_.resize(hand_sends_applied_);  // sending now rewrites what was recorded after now
  hand_sends_.push_back({now_, key, path, cost, count});
  ++hand_sends_applied_;
  return apply_hand_send(hand_sends_.back());
}

bool Simulation::schedule_send(double t, const std::string& key, const std::string& path,
                               std::int64_t cost, int count) {
  if (!(t >= now_) || (!hand_sends_.empty() && t < hand_sends_.back().t)) return false;
  hand_sends_.push_back({t, key, path, cost, count});
  return true;
}

void Simulation::seek(double t) {
  reset();
  advance_to(t);
}

Response Simulation::response(std::size_t lane, std::uint64_t index) {
  for (const auto& [kept_index, response] : lanes_[lane]->responses) {
    if (kept_index == index) return response;
  }
  // Lanes are independent, so only this one is recomputed, and only up to the outcome.
  Simulation replay(config_);
  replay.hand_sends_ = hand_sends_;
  Capture capture{lane, index, {}, false};
  replay.capture_ = &capture;
  replay.advance_to(now_);
  return capture.response;
}

std::vector<LimitState> Simulation::inspect(std::size_t lane, const std::string& key, const std::string& path) {
  Request probe;
  probe.key = key;
  probe.path = path;
  probe.headers = client_headers(key);
  // The state the next request meets: that of the worker it will reach.
  const Lane& l = *lanes_[lane];
  return l.workers[l.next_worker]->inspect(probe, config_.epoch + now_);
}

}  // namespace ratelimit
