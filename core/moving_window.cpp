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
      window_(static_cast<double>(window_seconds_)) {}

Decision MovingWindow::hit(KeyId key, double now, std::int64_t cost, std::string* why) {
  if (!why) return decide(key, now, cost);
  return hit_explained(key, now, cost, [&](const EntryLog& log, std::int64_t index, const double* entry,
                                           bool allowed) {
    const std::int64_t amount = rate().amount;
    const std::int64_t in_window = log.count_since(now - window_);
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
  const std::int64_t in_window = log_at(key, now).count_since(now - window_);
  const bool allowed = in_window < rate().amount;
  if (why) {
    *why = std::to_string(in_window) + " logged in the last " + format_seconds(window_) +
           (allowed ? " < " : " ≥ ") + "limit " + std::to_string(rate().amount) +
           " (tested, not logged)";
  }
  return allowed;
}

WindowStats MovingWindow::window_stats(KeyId key, double now) {
  const EntryLog& log = log_at(key, now);
  const double since = now - window_;
  const std::int64_t in_window = log.count_since(since);
  const double* newest = log.newest();
  const double start = std::trunc(newest && *newest >= since ? *newest : now);
  return {start + static_cast<double>(window_seconds_), rate().amount - in_window};
}

Snapshot MovingWindow::snapshot(KeyId key, double now) {
  Snapshot s = blank_snapshot();
  s.log = log_at(key, now).entries_since(now - window_);
  return s;
}

}  // namespace ratelimit
