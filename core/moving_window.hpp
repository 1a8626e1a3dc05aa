// Moving window (a sliding log), exactly as limits 2.8's MovingWindowRateLimiter over
// MemoryStorage, which Flask-Limiter 3.3 uses for strategy="moving-window".
//
// The log keeps one entry per unit of cost of every admitted hit, newest first. A hit of cost c
// looks at the entry at index amount - c: if it exists and was made at or after now - window
// (an entry exactly `window` old still counts: the end is inclusive), the hit is rejected and
// nothing is logged; otherwise c entries stamped `now` are added. For 1 <= c <= amount this is
// "admit iff at most amount - c entries are younger than the window". For c > amount (and for
// amount 0) the index is negative and Python counts it from the oldest end, so stale entries
// that the storage's expiry sweep (ExpirySweep) has not yet removed decide the answer; this is
// modelled exactly. Window stats report the time the whole quota is back: int(newest entry in
// the window) + window, or int(now) + window when the window is empty.
#pragma once

#include <vector>

#include "core/algorithm.hpp"
#include "core/expiry_sweep.hpp"
#include "core/keyed_states.hpp"

namespace ratelimit {

// A key's log, stored as runs of equal timestamps (one hit of cost c is one run of c entries),
// oldest first, so a huge cost costs one element and index lookups stay O(1) for unit costs.
class EntryLog {
 public:
  std::int64_t size() const { return total_ - dropped_; }
  // The timestamp of the entry at Python index `index` of the newest-first list (negative
  // indexes count from the oldest end, as Python's), or nullptr when out of range.
  const double* at_python_index(std::int64_t index) const {
    const std::int64_t n = size();
    if (index >= 0) return index < n ? at_position_from_oldest(n - 1 - index) : nullptr;
    const std::int64_t from_oldest = -index;  // list[-k] is the k-th oldest
    return from_oldest <= n ? at_position_from_oldest(from_oldest - 1) : nullptr;
  }
  [[gnu::always_inline]] void push_newest(double time, std::int64_t count) {
    if (count <= 0) return;
    total_ += count;
    if (head_ < runs_.size() && runs_.back().time == time) {
      runs_.back().end = total_;
    } else {
      runs_.push_back({time, total_});
    }
  }
  // Removes the oldest entries while `stale(time)` holds for them.
  template <typename Stale>
  void drop_oldest_while(Stale stale) {
    while (head_ < runs_.size() && stale(runs_[head_].time)) {
      dropped_ = runs_[head_].end;
      ++head_;
    }
    if (head_ == runs_.size()) {
      restart();
    } else if (head_ >= 16 && head_ * 2 >= runs_.size()) {
      compact();
    }
  }
  // read_ahead() of the oldest live run: the first entry the next hit reads.
  void read_ahead_oldest() const {
    if (head_ < runs_.size()) read_ahead(runs_[head_]);
  }
  // Entries stamped at or after `since`.
  std::int64_t count_since(double since) const;
  const double* newest() const { return head_ < runs_.size() ? &runs_.back().time : nullptr; }
  // The runs stamped at or after `since`, oldest first.
  std::vector<LogEntry> entries_since(double since) const;

 private:
  struct Run {
    double time;
    std::int64_t end;  // entries logged up to and including this run, since the log began
  };
  // Position of the first live run stamped at or after `since`.
  std::size_t first_run_since(double since) const;
  // The entry `position` places after the oldest live entry.
  const double* at_position_from_oldest(std::int64_t position) const {
    if (runs_.size() - head_ == static_cast<std::size_t>(size())) {  // every run holds one entry
      return &runs_[head_ + static_cast<std::size_t>(position)].time;
    }
    return search_position_from_oldest(position);
  }
  // The same for logs with runs of several entries: a binary search.
  const double* search_position_from_oldest(std::int64_t position) const;
  // Empties the log and starts counting afresh, once every run is dropped. Inline: a client that
  // comes back after a quiet spell, the common case when replaying a log, takes this path.
  void restart() {
    runs_.clear();
    head_ = 0;
    dropped_ = total_ = 0;
  }
  // Forgets the dropped runs, once they are at least half the vector and some remain.
  void compact();

  std::vector<Run> runs_;
  std::size_t head_ = 0;       // runs before head_ are dropped
  std::int64_t dropped_ = 0;   // entries dropped so far
  std::int64_t total_ = 0;     // entries logged so far
};

class MovingWindow final : public Limiter {
 public:
  MovingWindow(const RateLimit& rate, ExpirySweep& sweep);

  Decision hit(KeyId key, double now, std::int64_t cost, std::string* why) override;
  bool test(KeyId key, double now, std::string* why) override;
  WindowStats window_stats(KeyId key, double now) override;
  Snapshot snapshot(KeyId key, double now) override;
  void clear(KeyId key) override { logs_.clear(key); }
  // Reading ahead for the batch engine (see RuleEngine::hit_many_as): a log's bookkeeping first,
  // then, once that is cached, the entries it points to. Changes nothing.
  void read_ahead_log(KeyId key) const { logs_.read_ahead(key); }
  void read_ahead_entries(KeyId key) const {
    logs_.if_present(key, [](const EntryLog& log) { log.read_ahead_oldest(); });
  }
  // hit() without the explanation: the batch engine's inner step (see RuleEngine).
  [[gnu::always_inline]] Decision decide(KeyId key, double now, std::int64_t cost) {
    return hit_explained(key, now, cost, [](const EntryLog&, std::int64_t, const double*, bool) {});
  }

 private:
  // The key's log after every sweep that has run by `now`.
  [[gnu::always_inline]] EntryLog& log_at(KeyId key, double now) {
    sweep_.advance(now);
    EntryLog& log = logs_[key];
    const double last_sweep = sweep_.last_sweep();
    log.drop_oldest_while([&](double time) { return time + window_ <= last_sweep; });
    return log;
  }
  // The hit: limits reads the log at Python index amount - cost and logs `cost` entries unless
  // that entry is inside the window. `explain(log, index, entry, allowed)` sees the state that
  // decided, before anything is logged.
  template <typename Explain>
  [[gnu::always_inline]] Decision hit_explained(KeyId key, double now, std::int64_t cost,
                                                Explain explain) {
    EntryLog& log = log_at(key, now);
    sweep_.schedule(now);
    const std::int64_t index = rate().amount - cost;
    const double* entry = log.at_python_index(index);
    const bool allowed = !(entry && *entry >= now - window_);
    explain(log, index, entry, allowed);
    if (allowed) log.push_newest(now, cost);
    return {allowed, 0};
  }

  ExpirySweep& sweep_;
  std::int64_t window_seconds_;
  double window_;
  KeyedStates<EntryLog> logs_;
};

}  // namespace ratelimit
