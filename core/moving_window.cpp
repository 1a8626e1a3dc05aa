#include "core/moving_window.hpp"

#include <algorithm>
#include <cmath>

#include "core/format.hpp"

namespace ratelimit {

// ---- EntryLog ---------------------------------------------------------------------------

const double* EntryLog::search_position_from_oldest(std::int64_t position) const {
  const std::int64_t absolute = dropped_ + position;
  const auto run = std::upper_bound(runs_.begin() + static_cast<std::ptrdiff_t>(head_), runs_.end(),
                                    absolute, [](std::int64_t a, const Run& r) { return a < r.end; });
  return &run->time;
}

std::size_t EntryLog::first_run_since(double since) const {
  const auto first = std::partition_point(runs_.begin() + static_cast<std::ptrdiff_t>(head_), runs_.end(),
                                          [since](const Run& r) { return r.time < since; });
  return static_cast<std::size_t>(first - runs_.begin());
}

std::int64_t EntryLog::count_since(double since) const {
  const std::size_t first = first_run_since(since);
  const std::int64_t before = first == head_ ? dropped_ : runs_[first - 1].end;
  return total_ - before;
}

std::vector<LogEntry> EntryLog::entries_since(double since) const {
  std::vector<LogEntry> entries;
  for (std::size_t i = first_run_since(since); i < runs_.size(); ++i) {
    const std::int64_t before = i == head_ ? dropped_ : runs_[i - 1].end;
    entries.push_back({runs_[i].time, runs_[i].end - before});
  }
  return entries;
}

void EntryLog::compact() {
  runs_.erase(runs_.begin(), runs_.begin() + static_cast<std::ptrdiff_t>(head_));
  for (Run& run : runs_) run.end -= dropped_;  // keeps the counters far from overflow
  total_ -= dropped_;
  dropped_ = 0;
  head_ = 0;
}

// ---- MovingWindow -----------------------------------------------------------------------

MovingWindow::MovingWindow(const RateLimit& rate, ExpirySweep& sweep)
    : Limiter(Algorithm::MovingWindow, rate),
      sweep_(sweep),
      window_seconds_(rate.window_seconds()),
      window_(static_cast<double>(window_seconds_)),
      ring_size_(rate.amount >= 1 && rate.amount <= kMaxRingAmount
                     ? static_cast<std::uint32_t>(rate.amount + 1)
                     : 0),
      slots_(ring_size_ + 1) {}

void MovingWindow::grow_rings(KeyId key) {
  rings_.resize((std::size_t{key} + 1) * (slots_ + 1), kNever);
  for (; ringed_ <= key; ++ringed_) set_next(static_cast<KeyId>(ringed_), 0);
}

EntryLog* MovingWindow::older(KeyId key) {
  EntryLog* log = older_.find(key);
  if (log) log->drop_oldest_while([this](double time) { return swept(time); });
  return log;
}

const double* MovingWindow::entry_at(KeyId key, std::int64_t index) {
  EntryLog* behind = older(key);
  const std::int64_t in_older = behind ? behind->size() : 0;
  // Swept ring entries are at its oldest end, and only when nothing unswept is behind them.
  std::uint32_t in_ring = ring_size_;
  if (in_older == 0) {
    while (in_ring > 0 && swept(ring_entry(key, in_ring - 1))) --in_ring;
  }
  const std::int64_t size = in_ring + in_older;
  if (index < 0) index += size;  // Python's negative index
  if (index < 0 || index >= size) return nullptr;
  if (index < in_ring) return &ring_entry(key, static_cast<std::uint32_t>(index));
  return behind->at_python_index(index - in_ring);
}

void MovingWindow::spill(KeyId key, double time, std::int64_t count) {
  if (count <= 0) return;
  EntryLog& log = older_[key];
  log.drop_oldest_while([this](double t) { return swept(t); });
  log.push_newest(time, count);
}

void MovingWindow::push_many(KeyId key, double now, std::int64_t count) {
  if (count <= 0) return;
  if (count < ring_size_) {
    for (std::int64_t i = 0; i < count; ++i) push_to_ring(key, now);
    return;
  }
  // Every entry in the ring goes behind it, then all but ring_size_ of the new ones; the ring
  // holds the rest.
  for (std::uint32_t back = ring_size_; back-- > 0;) {
    const double time = ring_entry(key, back);
    if (!swept(time)) spill(key, time, 1);
  }
  std::fill_n(ring_of(key), slots_, now);
  spill(key, now, count - ring_size_);
}

std::int64_t MovingWindow::count_since(KeyId key, double since) {
  const std::uint32_t count = has_ring(key) ? ring_size_ : 0;
  std::uint32_t n = 0;
  while (n < count) {
    const double time = ring_entry(key, n);
    if (time < since || swept(time)) return n;  // entries behind it are older still
    ++n;
  }
  const EntryLog* behind = older(key);
  return n + (behind ? behind->count_since(since) : 0);
}

std::vector<LogEntry> MovingWindow::entries_since(KeyId key, double since) {
  const EntryLog* behind = older(key);
  std::vector<LogEntry> entries = behind ? behind->entries_since(since) : std::vector<LogEntry>{};
  for (std::uint32_t back = has_ring(key) ? ring_size_ : 0; back-- > 0;) {
    const double time = ring_entry(key, back);
    if (time < since || swept(time)) continue;
    if (!entries.empty() && entries.back().time == time) {
      ++entries.back().count;
    } else {
      entries.push_back({time, 1});
    }
  }
  return entries;
}

const double* MovingWindow::newest(KeyId key) {
  if (has_ring(key)) {
    const double& time = ring_entry(key, 0);
    return swept(time) ? nullptr : &time;
  }
  const EntryLog* behind = older(key);
  return behind ? behind->newest() : nullptr;
}

void MovingWindow::clear(KeyId key) {
  if (has_ring(key)) std::fill_n(ring_of(key), slots_, kNever);
  older_.clear(key);
}

Decision MovingWindow::hit(KeyId key, double now, std::int64_t cost, std::string* why) {
  if (!why) return decide(key, now, cost);
  return hit_explained(key, now, cost, [&](std::int64_t index, const double* entry, bool allowed) {
    const std::int64_t amount = rate().amount;
    const std::int64_t in_window = count_since(key, now - window_);
    std::string reads = index >= 0 ? "entry #" + std::to_string(index + 1) + " from the newest"
                                   : "entry #" + std::to_string(-index) +
                                         " from the OLDEST (cost " + std::to_string(cost) +
                                         " is above the limit, so limits' negative index counts "
                                         "from the other end of the log)";
    if (!entry) {
      *why = reads + " does not exist: " + std::to_string(in_window) + " of " +
             std::to_string(amount) + " logged in the last " + format_seconds(window_) +
             " → logged";
    } else {
      *why = reads + " was logged " + format_seconds(now - *entry) + " ago, " +
             (allowed ? "older than the " + format_seconds(window_) + " window → logged"
                      : "inside the " + format_seconds(window_) +
                            " window (an entry counts until it is exactly that old) → rejected, "
                            "nothing logged");
    }
  });
}

bool MovingWindow::test(KeyId key, double now, std::string* why) {
  sweep_.advance(now);
  const std::int64_t in_window = count_since(key, now - window_);
  const bool allowed = in_window < rate().amount;
  if (why) {
    *why = std::to_string(in_window) + " logged in the last " + format_seconds(window_) +
           (allowed ? " < " : " ≥ ") + "limit " + std::to_string(rate().amount) +
           " (tested, not logged)";
  }
  return allowed;
}

WindowStats MovingWindow::window_stats(KeyId key, double now) {
  sweep_.advance(now);
  const double since = now - window_;
  const std::int64_t in_window = count_since(key, since);
  const double* last = newest(key);
  const double start = last && *last >= since ? *last : now;
  return {std::trunc(start) + static_cast<double>(window_seconds_), rate().amount - in_window,
          start + static_cast<double>(window_seconds_)};
}

Snapshot MovingWindow::snapshot(KeyId key, double now) {
  sweep_.advance(now);
  Snapshot s = blank_snapshot();
  s.log = entries_since(key, now - window_);
  return s;
}

}  // namespace ratelimit
