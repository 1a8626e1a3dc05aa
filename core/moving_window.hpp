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

#include <cstring>
#include <limits>
#include <vector>

#include "core/algorithm.hpp"
#include "core/expiry_sweep.hpp"
#include "core/keyed_states.hpp"

namespace ratelimit {

// Log entries stored as runs of equal timestamps (one hit of cost c is one run of c entries),
// oldest first, so a huge cost costs one element and index lookups stay O(1) for unit costs.
// MovingWindow keeps the entries behind a key's ring here, or the whole log if it has no ring.
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
  void clear(KeyId key) override;
  // hit() without the explanation: the batch engine's inner step (see RuleEngine).
  [[gnu::always_inline]] Decision decide(KeyId key, double now, std::int64_t cost) {
    return hit_explained(key, now, cost, [](std::int64_t, const double*, bool) {});
  }

 private:
  // A key's log is limits' list of entry times, newest first, less what the sweeps removed (a
  // sweep at time s removes the entries with time + window <= s: always a run at the oldest end).
  // It is stored in two parts. The newest entries are in a ring of ring_size_ timestamps, one per
  // entry, in one vector for all keys: a hit with 1 <= cost <= amount reads and writes only there,
  // which keeps 10,000 clients' logs in a megabyte. A slot never written holds -infinity, which
  // reads as swept. The ring holds one more than the amount, so the entry it pushes out is almost
  // always already swept and can go; one that is not moves to older_, the key's EntryLog of the
  // entries behind the ring, which only a cost above the amount ever reads. Removals by the sweep
  // are applied to older_ when it is read or pushed to; a swept ring entry reads as absent.
  // Amounts over kMaxRingAmount, and 0, have no ring: their whole log is in older_.
  // A key's block holds where its next entry goes, its ring, and a spare slot where that entry
  // will be written: at most 34 slots of 8 bytes a client, however few hits it made, so a replay
  // with a million clients needs at most 272 MB for them (104 MB under 10/minute).
  static constexpr std::int64_t kMaxRingAmount = 31;
  static constexpr double kNever = -std::numeric_limits<double>::infinity();

  bool swept(double time) const { return time + window_ <= sweep_.last_sweep(); }
  // Whether `key` has been given a ring (its first hit does that, when ring_size_ > 0).
  bool has_ring(KeyId key) const { return key < ringed_; }
  // A key's block in rings_: a slot whose first bytes hold where its next entry goes, then its
  // ring. Keeping the two together makes a decision read one place in memory, not two.
  double* block_of(KeyId key) { return rings_.data() + std::size_t{key} * (slots_ + 1); }
  double* ring_of(KeyId key) { return block_of(key) + 1; }
  std::uint32_t next_of(KeyId key) {
    std::uint32_t next;
    std::memcpy(&next, block_of(key), sizeof next);
    return next;
  }
  void set_next(KeyId key, std::uint32_t next) { std::memcpy(block_of(key), &next, sizeof next); }
  // The ring entry `back` places before the newest (0: the newest).
  double& ring_entry(KeyId key, std::uint32_t back) {
    std::uint32_t at = next_of(key) + slots_ - 1 - back;
    if (at >= slots_) at -= slots_;
    return ring_of(key)[at];
  }
  // Gives `key` a ring unless it has one: the check inline, the growing out of line (a call on
  // every hit was an eighth of the moving window's time with 10,000 clients).
  [[gnu::always_inline]] void add_ring(KeyId key) {
    if (!has_ring(key)) grow_rings(key);
  }
  [[gnu::noinline]] void grow_rings(KeyId key);
  // older_'s entries for `key`, less those the sweeps removed.
  EntryLog* older(KeyId key);
  // The entry at Python index `index` of the key's list (negative: from the oldest end), for a
  // key with a ring.
  const double* entry_at(KeyId key, std::int64_t index);
  // Adds an entry at `now` to a key with a ring (limits' list[:0] = [entry]) if `add`;
  // push_many() adds `count` of them. Without a branch on `add`, but for the rare spill: a
  // client near its limit is admitted or not as if at random, and a mispredicted branch cost as
  // much as the rest of the decision.
  [[gnu::always_inline]] void push_to_ring(KeyId key, double now, bool add = true) {
    const std::uint32_t next = next_of(key);
    double* const ring = ring_of(key);
    const std::uint32_t after = next + 1 == slots_ ? 0 : next + 1;
    const double oldest = ring[after];  // leaves the ring if `now` is added
    ring[next] = now;                   // the spare slot: written either way
    set_next(key, add ? after : next);
    if (!swept(oldest)) spill(key, oldest, add);  // moves 1 entry, or 0: rarely called
  }
  void push_many(KeyId key, double now, std::int64_t count);
  // Adds `count` entries at `time` to older_, behind the ring: a ring entry pushed out by a newer
  // one, or what push_many() does not keep in the ring.
  void spill(KeyId key, double time, std::int64_t count);
  // Entries stamped at or after `since`; their runs, oldest first.
  std::int64_t count_since(KeyId key, double since);
  std::vector<LogEntry> entries_since(KeyId key, double since);
  const double* newest(KeyId key);

  // The hit: limits reads the list at Python index amount - cost and logs `cost` entries unless
  // that entry is inside the window. `explain(index, entry, allowed)` sees the state that decided,
  // before anything is logged.
  template <typename Explain>
  [[gnu::always_inline]] Decision hit_explained(KeyId key, double now, std::int64_t cost,
                                                Explain explain) {
    sweep_.advance(now);
    sweep_.schedule(now);
    if (ring_size_ == 0) return hit_run_log(key, now, cost, explain);
    add_ring(key);
    const std::int64_t index = rate().amount - cost;
    bool allowed;
    const double* entry;
    if (index >= 0) {  // in the ring: index <= amount < ring_size_
      entry = &ring_entry(key, static_cast<std::uint32_t>(index));
      // A swept entry is not in the list (nor are older ones: the list is shorter than that).
      // (`&`, not `&&`: no branch, see push_to_ring.)
      allowed = !((*entry >= now - window_) & !swept(*entry));
      if (swept(*entry)) entry = nullptr;
    } else {  // a cost above the amount: from the oldest end, maybe behind the ring
      entry = entry_at(key, index);
      allowed = !(entry && *entry >= now - window_);
    }
    explain(index, entry, allowed);
    if (cost == 1) {
      // One client's answers come in runs (a burst is refused until its window moves on), which
      // the branch predictor learns: a refused hit from the client of the last hit skips the
      // ring. Many clients' hits interleaved get answers that look random to it, so they always
      // go through push_to_ring, which has no branch on the answer. (The test is on integers:
      // written with ||, it is compiled as a branch on the answer first.)
      if (((key ^ last_key_) | static_cast<KeyId>(allowed)) != 0) push_to_ring(key, now, allowed);
      last_key_ = key;
    } else if (allowed) {
      push_many(key, now, cost);
    }
    return {allowed, 0};
  }
  // The same for a limiter without a ring, out of line to keep the batch loop small.
  template <typename Explain>
  [[gnu::noinline]] Decision hit_run_log(KeyId key, double now, std::int64_t cost, Explain explain) {
    EntryLog& log = older_[key];
    log.drop_oldest_while([this](double time) { return swept(time); });
    const std::int64_t index = rate().amount - cost;
    const double* entry = log.at_python_index(index);
    const bool allowed = !(entry && *entry >= now - window_);
    explain(index, entry, allowed);
    if (allowed) log.push_newest(now, cost);
    return {allowed, 0};
  }

  ExpirySweep& sweep_;
  std::int64_t window_seconds_;
  double window_;
  std::uint32_t ring_size_;  // amount + 1, or 0 (no ring)
  std::uint32_t slots_;      // ring_size_ + 1: the ring's entries and a spare slot
  std::vector<double> rings_;  // slots_ + 1 a key (see block_of)
  std::size_t ringed_ = 0;     // keys below this have a ring
  KeyedStates<EntryLog> older_;
  KeyId last_key_ = 0;  // the client of the last hit of cost 1 (only for speed, see hit_explained)
};

}  // namespace ratelimit
