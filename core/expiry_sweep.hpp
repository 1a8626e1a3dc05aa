// The background expiry of limits 2.8's MemoryStorage, on the simulated clock.
//
// Whenever the storage counts a hit and no timer is running, it starts a one-shot 10 ms timer;
// when that fires it deletes every counter and log entry that has expired by then. For fixed
// windows that changes nothing (the lazy check on every read is the same test). For the moving
// window it matters when a cost above the amount makes limits index the log from its oldest
// end: whether stale entries are still there decides the answer. The storage also starts one
// timer when it is created.
//
// The timer fires when simulated time first moves strictly past its due time, and the sweep
// reads exactly the due time (the conformance oracle drives the real library the same way).
// Since sweeps only ever remove entries with `time + window <= sweep time`, the effect of all
// past sweeps on any key is captured by the latest sweep time, applied lazily per key.
#pragma once

#include <limits>

namespace ratelimit {

class ExpirySweep {
 public:
  explicit ExpirySweep(double created_at) : due_(created_at + kDelay) {}

  // Fires the timer if `now` is past it. Call before any storage operation at `now`.
  void advance(double now) {
    if (running_ && now > due_) {
      last_sweep_ = due_;
      running_ = false;
    }
  }
  // Starts the timer unless one is running (limits' __schedule_expiry).
  void schedule(double now) {
    if (!running_) {
      running_ = true;
      due_ = now + kDelay;
    }
  }
  // When the most recent sweep ran; -infinity before the first.
  double last_sweep() const { return last_sweep_; }

 private:
  static constexpr double kDelay = 0.01;
  double due_;
  bool running_ = true;
  double last_sweep_ = -std::numeric_limits<double>::infinity();
};

}  // namespace ratelimit
